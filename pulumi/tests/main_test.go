// Package tests drives the bridged provider with the real Pulumi CLI and the Pulumi YAML language
// host (both built from the Go module proxy by scripts/pulumi-build.sh), and through the generated
// Go SDK with the Automation API, against the test cluster of internal/testcluster with the real
// Dynamo operator on kwok GPU nodes. State lives in a local file backend (file://...), so nothing
// leaves the machine.
package tests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

var (
	cliDir    string // pulumi and pulumi-language-yaml
	pluginDir string // pulumi-resource-kubefoundry, built from this module
)

func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		fmt.Fprintln(os.Stderr, "pulumi tests: acceptance tests need TF_ACC=1 (make test)")
		os.Exit(1)
	}
	if err := setup(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi tests: %v\n", err)
		os.Exit(1)
	}
	testcluster.MainWithOptions(m, testcluster.Options{Operators: []testcluster.Operator{testcluster.OperatorDynamo}}, nil)
}

// setup builds the CLI and the plugin, and moves to the repository root: testcluster finds the
// scripts and ../shared from the nearest go.mod above the working directory, which here would be
// this module's.
func setup() error {
	module, err := filepath.Abs("..")
	if err != nil {
		return err
	}
	root := filepath.Dir(module)
	if err := os.Chdir(root); err != nil {
		return err
	}
	out, err := command(root, "bash", "scripts/pulumi-build.sh")
	if err != nil {
		return fmt.Errorf("building the pulumi CLI: %w", err)
	}
	cliDir = strings.TrimSpace(out)
	pluginDir, err = os.MkdirTemp("", "kubefoundry-pulumi-plugin-")
	if err != nil {
		return err
	}
	if _, err := command(module, "go", "build", "-o", filepath.Join(pluginDir, "pulumi-resource-kubefoundry"),
		"./provider/cmd/pulumi-resource-kubefoundry"); err != nil {
		return fmt.Errorf("building pulumi-resource-kubefoundry: %w", err)
	}
	return nil
}

func command(dir, name string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}
