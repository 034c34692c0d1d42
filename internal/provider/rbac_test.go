package provider_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// clusterRoleFile is the least-privilege ClusterRole documented in the RBAC guide.
const clusterRoleFile = "../../examples/rbac/clusterrole.yaml"

// TestAccRBACLeastPrivilegeClusterRole runs the provider with a ServiceAccount token bound
// only to examples/rbac/clusterrole.yaml: the token is refused without the binding, and with
// it a deployment of each runtime (with the HF token Secret and KAITO's companion Service)
// plus the GPU capacity data source apply, refresh cleanly and destroy.
func TestAccRBACLeastPrivilegeClusterRole(t *testing.T) {
	acctest.PreCheck(t)
	c := testcluster.Get(t)
	ctx := context.Background()
	ns := c.Namespace(t)

	raw, err := os.ReadFile(clusterRoleFile)
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(raw, &role); err != nil {
		t.Fatalf("%s: %v", clusterRoleFile, err)
	}
	role.Name = "kubefoundry-provider-" + ns // one per test run: the cluster may be shared
	if _, err := c.Clientset.RbacV1().ClusterRoles().Create(ctx, &role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.RbacV1().ClusterRoles().Delete(context.Background(), role.Name, metav1.DeleteOptions{})
	})

	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "kubefoundry", Namespace: ns}}
	if _, err := c.Clientset.CoreV1().ServiceAccounts(ns).Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	expiry := int64(3600)
	tr, err := c.Clientset.CoreV1().ServiceAccounts(ns).CreateToken(ctx, sa.Name,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &expiry}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	token := tr.Status.Token

	ca := filepath.Join(t.TempDir(), "ca.crt")
	if err := os.WriteFile(ca, c.CAData, 0o600); err != nil {
		t.Fatal(err)
	}
	providerBlock := fmt.Sprintf("provider \"kubefoundry\" {\n  host = %q\n  token = %q\n  cluster_ca_certificate = file(%q)\n}\n", c.Host, token, ca)
	config := providerBlock + fmt.Sprintf(`
data "kubefoundry_gpu_capacity" "all" {}

resource "kubefoundry_model_deployment" "kuberay" {
  name                = "rbac-kuberay"
  namespace           = %[1]q
  runtime             = "kuberay"
  model               = "Qwen/Qwen3-0.6B"
  wait_for_ready      = false
  hf_token_wo         = "hf_rbac_test_token"
  hf_token_wo_version = 1
}

resource "kubefoundry_model_deployment" "dynamo" {
  name           = "rbac-dynamo"
  namespace      = %[1]q
  runtime        = "dynamo"
  model          = "Qwen/Qwen3-0.6B"
  wait_for_ready = false
}

resource "kubefoundry_model_deployment" "kaito" {
  name           = "rbac-kaito"
  namespace      = %[1]q
  runtime        = "kaito"
  model          = "microsoft/Phi-3-mini-4k-instruct"
  kaito          = { model_source = "vllm" }
  wait_for_ready = false
}
`, ns)

	// Without the binding the same token is refused.
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ExpectError: wrapTolerant(`(?i)forbidden`)}},
	})

	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: role.Name},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: sa.Name, Namespace: ns}},
	}
	if _, err := c.Clientset.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.RbacV1().ClusterRoleBindings().Delete(context.Background(), binding.Name, metav1.DeleteOptions{})
	})
	waitAuthorized(t, c, token, ns)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttrSet("data.kubefoundry_gpu_capacity.all", "total_gpus"),
				resource.TestCheckResourceAttr("kubefoundry_model_deployment.kuberay", "id", ns+"/rbac-kuberay"),
				resource.TestCheckResourceAttr("kubefoundry_model_deployment.dynamo", "id", ns+"/rbac-dynamo"),
				resource.TestCheckResourceAttr("kubefoundry_model_deployment.kaito", "id", ns+"/rbac-kaito"),
				func(*terraform.State) error {
					_, err := c.Clientset.CoreV1().Secrets(ns).Get(ctx, "rbac-kuberay-hf-token", metav1.GetOptions{})
					return err
				},
			),
		}},
		CheckDestroy: func(*terraform.State) error {
			if _, err := c.Clientset.CoreV1().Secrets(ns).Get(ctx, "rbac-kuberay-hf-token", metav1.GetOptions{}); err == nil {
				return fmt.Errorf("secret rbac-kuberay-hf-token still exists after destroy")
			}
			return nil
		},
	})
}

// waitAuthorized waits until the API server's authorizer has seen the new binding.
func waitAuthorized(t *testing.T, c *testcluster.Cluster, token, ns string) {
	t.Helper()
	cfg := rest.AnonymousClientConfig(c.RESTConfig)
	cfg.BearerToken = token
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := cs.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{})
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the binding was not effective after 30s: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
