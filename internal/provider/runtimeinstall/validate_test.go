package runtimeinstall_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
)

// TestAccRuntimeInstall_Validation: bad input fails at plan time, naming the attribute.
func TestAccRuntimeInstall_Validation(t *testing.T) {
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{
			Config:      acctest.ProviderBlock(t, "") + "resource \"kubefoundry_runtime_install\" \"test\" {\n" + body + "\n}\n",
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(want),
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(`runtime = "triton"`, `(?s)Attribute runtime value must be one of:.*"dynamo".*"llmd".*"gpu-operator"`),
			step("runtime = \"kuberay\"\nnamespace = \"Bad_NS\"", `(?s)Attribute namespace must be a DNS-1123 label`),
			step("runtime = \"kuberay\"\nvalues = \"- a\\n- b\\n\"", `(?s)Invalid Helm values.*values are not a YAML mapping`),
			step("runtime = \"kuberay\"\nchart = {\n repository = \"https://x.example\"\n path = \"/tmp/x\"\n}", `(?s)Invalid chart source.*Set exactly one of chart\.repository`),
			step("runtime = \"kuberay\"\nchart = {}", `(?s)Invalid chart source.*Set exactly one of chart\.repository`),
			step("runtime = \"kuberay\"\nchart = { repository = \"ftp://x.example\" }", `(?s)Attribute chart\.repository must start with http://, https:// or oci://`),
			step("runtime = \"kuberay\"\nchart = {\n path = \"/tmp/x\"\n plain_http = true\n}", `(?s)Invalid chart\.plain_http.*chart\.plain_http only applies to chart\.repository`),
		},
	})
}
