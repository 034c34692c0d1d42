package operatorstest

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// This cluster has no Gateway API CRDs: the apply fails before writing anything, naming
// `gateway` and the HTTPRoute CRD to install. (It does serve InferencePool: KAITO 0.12 ships
// that CRD with its workspace chart, ../shared/crds/kaito-0.12.0, so only the route is named.)
func TestAccRealDynamoGatewayWithoutCRDsFailsNamingThem(t *testing.T) {
	t.Parallel()
	c := testcluster.Get(t)
	ns := c.ShortNamespace(t, "gwc")
	body := fmt.Sprintf(`name = "qwen"
namespace = %q
runtime = "dynamo"
model = "Qwen/Qwen3-0.6B"
gateway = { parent_refs = [{ name = "inference-gateway" }] }`, ns)
	resource.Test(t, acctest.TestCase(t, func(*terraform.State) error {
		if _, err := c.Dynamic.Resource(dgdGVR).Namespace(ns).Get(context.Background(), "qwen", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("the graph was written although the apply failed: %v", err)
		}
		return nil
	}, resource.TestStep{
		Config: acctest.Config(t, acctest.Deployment("a", body)),
		ExpectError: regexp.MustCompile(`(?s)gateway:\s+the\s+cluster\s+does\s+not\s+serve\s+httproutes\.gateway\.networking\.k8s\.io.*` +
			`install\s+the\s+Gateway\s+API\s+standard\s+channel\s+CRDs`),
	}))
}

// KAITO 0.12 has no Inference Extension integration for Workspaces: refused at plan.
func TestAccRealKAITOGatewayPoolRefusedAtPlan(t *testing.T) {
	t.Parallel()
	resource.Test(t, acctest.TestCase(t, nil, resource.TestStep{
		Config: acctest.Config(t, acctest.Deployment("k", `name = "phi"
runtime = "kaito"
model = "Qwen/Qwen2.5-0.5B-Instruct"
kaito = { model_source = "vllm" }
gateway = { parent_refs = [{ name = "inference-gateway" }] }`)),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)gateway.inference_pool.*InferenceSets.*inference_pool\s+=\s+false`),
	}))
}
