// Package acctest holds what every acceptance test shares: the in-process provider
// factory, the terraform CLI setup and the provider block pointing at the test cluster.
package acctest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
	"github.com/kubefoundry/terraform-provider-kubefoundry/pkg/kubefoundry"
)

// ProtoV6ProviderFactories serves the provider in-process to the terraform CLI.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"kubefoundry": providerserver.NewProtocol6WithError(kubefoundry.New("test")()),
}

// PreCheck fails the test when the acceptance environment is incomplete.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Fatal("acceptance tests need TF_ACC=1 (make testacc)")
	}
}

// Setup prepares the terraform CLI for acceptance tests. It isolates the run from the
// machine's CLI configuration (TF_CLI_CONFIG_FILE may name a missing file) and, when no
// terraform binary exists, uses OpenTofu built from the Go module proxy. It never sets
// TF_ACC_TERRAFORM_VERSION, which would download a binary.
func Setup() error {
	dir, err := os.MkdirTemp("", "kubefoundry-tfcli-")
	if err != nil {
		return err
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, []byte("disable_checkpoint = true\n"), 0o600); err != nil {
		return err
	}
	_ = os.Setenv("TF_CLI_CONFIG_FILE", rc)
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	if os.Getenv("TF_ACC_TERRAFORM_PATH") != "" {
		return nil
	}
	if p, err := exec.LookPath("terraform"); err == nil {
		return os.Setenv("TF_ACC_TERRAFORM_PATH", p)
	}
	tofu, err := buildTofu()
	if err != nil {
		return err
	}
	_ = os.Setenv("TF_ACC_TERRAFORM_PATH", tofu)
	return os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
}

func buildTofu() (string, error) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		return "", err
	}
	var out, errb bytes.Buffer
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "tofu-build.sh"))
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("no terraform binary and building OpenTofu failed: %w\n%s", err, errb.String())
	}
	return strings.TrimSpace(out.String()), nil
}

// Main is TestMain for acceptance test packages that need a cluster: it sets up the CLI,
// starts the shared control plane, runs the tests and stops it.
func Main(m *testing.M) {
	if err := Setup(); err != nil {
		fmt.Fprintf(os.Stderr, "acctest: %v\n", err)
		os.Exit(1)
	}
	testcluster.Main(m)
}

// MainWith is Main with a hook that runs once the cluster is up (e.g. to play an
// operator); the function it returns runs after the tests.
func MainWith(m *testing.M, hook func(*testcluster.Cluster) func()) {
	if err := Setup(); err != nil {
		fmt.Fprintf(os.Stderr, "acctest: %v\n", err)
		os.Exit(1)
	}
	testcluster.MainWith(m, hook)
}

// MainWithOptions is MainWith for a cluster started with opts, e.g. the real operators on
// kwok GPU nodes: acctest.MainWithOptions(m, testcluster.Options{Operators: testcluster.AllOperators}, nil).
func MainWithOptions(m *testing.M, opts testcluster.Options, hook func(*testcluster.Cluster) func()) {
	if err := Setup(); err != nil {
		fmt.Fprintf(os.Stderr, "acctest: %v\n", err)
		os.Exit(1)
	}
	testcluster.MainWithOptions(m, opts, hook)
}

// MainNoCluster is TestMain for acceptance tests that need no cluster.
func MainNoCluster(m *testing.M) {
	if err := Setup(); err != nil {
		fmt.Fprintf(os.Stderr, "acctest: %v\n", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// ProviderBlock returns a provider configuration for the shared test cluster; extra is
// inserted verbatim into the block.
func ProviderBlock(t testing.TB, extra string) string {
	c := testcluster.Get(t)
	return fmt.Sprintf("provider \"kubefoundry\" {\n  config_path = %q\n%s\n}\n", c.Kubeconfig, extra)
}
