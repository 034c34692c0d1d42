package provider_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) { acctest.Main(m) }

const capacityDS = `data "kubefoundry_gpu_capacity" "x" {}`

func errorStep(config, pattern string) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() {},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ExpectError: wrapTolerant(pattern)}},
	}
}

// wrapTolerant matches a pattern whose spaces may have become line breaks: terraform
// wraps diagnostic details.
func wrapTolerant(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}

func TestAccProviderNoClusterConfigured(t *testing.T) {
	acctest.PreCheck(t)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("KUBECONFIG", "")
	resource.Test(t, errorStep(`provider "kubefoundry" {}
`+capacityDS, `(?s)Kubernetes cluster not configured.*no Kubernetes cluster is configured: set .config_path.*KUBECONFIG.*never falls back`))
}

func TestAccProviderMissingKubeconfigFile(t *testing.T) {
	acctest.PreCheck(t)
	missing := filepath.Join(t.TempDir(), "nope")
	resource.Test(t, errorStep(fmt.Sprintf("provider \"kubefoundry\" {\n config_path = %q\n}\n", missing)+capacityDS,
		`(?s)kubeconfig file .*nope" cannot be read.*fix .config_path`))
}

func TestAccProviderWrongContext(t *testing.T) {
	acctest.PreCheck(t)
	c := testcluster.Get(t)
	cfg := fmt.Sprintf("provider \"kubefoundry\" {\n config_path = %q\n config_context = \"prod\"\n}\n", c.Kubeconfig)
	resource.Test(t, errorStep(cfg+capacityDS, `(?s)context "prod" \(from .config_context.\) is not in the kubeconfig; available contexts: kubefoundry-test`))
}

func TestAccProviderUnreachableHost(t *testing.T) {
	acctest.PreCheck(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now
	cfg := fmt.Sprintf("provider \"kubefoundry\" {\n host = \"https://%s\"\n token = \"x\"\n insecure = true\n}\n", addr)
	resource.Test(t, errorStep(cfg+capacityDS, `(?s)Reading GPU capacity failed.*connection refused`))
}

func TestAccProviderExplicitHostAndToken(t *testing.T) {
	acctest.PreCheck(t)
	c := testcluster.Get(t)
	ca := filepath.Join(t.TempDir(), "ca.crt")
	if err := os.WriteFile(ca, c.CAData, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("provider \"kubefoundry\" {\n host = %q\n token = %q\n cluster_ca_certificate = file(%q)\n}\n", c.Host, c.Token, ca)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg + capacityDS,
			Check:  resource.TestCheckResourceAttrSet("data.kubefoundry_gpu_capacity.x", "total_gpus"),
		}},
	})
}
