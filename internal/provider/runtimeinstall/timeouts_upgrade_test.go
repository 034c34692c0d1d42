package runtimeinstall_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/provider/runtimeinstall"
	"github.com/kubefoundry/terraform-provider-kubefoundry/pkg/kubefoundry"
)

// attributeTimeoutsProvider is the real provider with kubefoundry_runtime_install as it was
// before timeouts became a block (see runtimeinstall.NewResourceAttributeTimeouts).
type attributeTimeoutsProvider struct{ provider.Provider }

func (p attributeTimeoutsProvider) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, f := range p.Provider.Resources(ctx) {
		if isRuntimeInstall(ctx, f) {
			f = runtimeinstall.NewResourceAttributeTimeouts
		}
		out = append(out, f)
	}
	return out
}

func isRuntimeInstall(ctx context.Context, f func() resource.Resource) bool {
	var resp resource.MetadataResponse
	f().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "kubefoundry"}, &resp)
	return resp.TypeName == "kubefoundry_runtime_install"
}

var attributeTimeoutsFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"kubefoundry": providerserver.NewProtocol6WithError(attributeTimeoutsProvider{kubefoundry.New("test")()}),
}

// attributeConfig is config() written for the previous schema: `timeouts = { ... }`.
func attributeConfig(cfg string) string {
	return strings.Replace(cfg, "  timeouts {", "  timeouts = {", 1)
}

// TestAccRuntimeInstall_TimeoutsUpgrade: a state written when timeouts was an attribute
// reads with the block schema (the stored value is the same object), so moving the
// configuration to the block plans nothing; the old syntax fails at plan time with
// Terraform's hint to write a block.
func TestAccRuntimeInstall_TimeoutsUpgrade(t *testing.T) {
	src := newSources(t)
	ns := uniqueNS(t, "ri-timeouts")
	const id = "kuberay"
	chart := src.publish(t, "repo", runtimeCharts(t, id, "1.0.0", false))
	cfg := config(t, id, ns, "1.0.0", chart, "wait = false\n  atomic = false")
	timeoutsState := statecheck.ExpectKnownValue(resName, tfjsonpath.New("timeouts"), knownvalue.ObjectExact(map[string]knownvalue.Check{
		"create": knownvalue.StringExact("2m"), "update": knownvalue.StringExact("2m"), "delete": knownvalue.StringExact("2m"),
	}))
	tfresource.Test(t, tfresource.TestCase{
		PreCheck:     func() { acctest.PreCheck(t) },
		CheckDestroy: checkDestroyed(t, id, ns),
		Steps: []tfresource.TestStep{
			{ // Installed by the previous schema, `timeouts = { ... }`.
				ProtoV6ProviderFactories: attributeTimeoutsFactories,
				Config:                   attributeConfig(cfg),
				ConfigStateChecks:        []statecheck.StateCheck{timeoutsState},
			},
			{ // This release with `timeouts { ... }`: the old state reads, nothing to do.
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Config:                   cfg,
				ConfigPlanChecks:         tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks:        []statecheck.StateCheck{timeoutsState},
			},
			{ // The old syntax with this release: a plan-time error that says what to write.
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Config:                   attributeConfig(cfg),
				PlanOnly:                 true,
				// terraform wraps the detail: any space may be a line break.
				ExpectError: regexp.MustCompile(`(?s)Unsupported\s+argument.*Did\s+you\s+mean\s+to\s+define\s+a\s+block\s+of\s+type\s+"timeouts"\?`),
			},
			{ // Changing a timeout in the block is an in-place update.
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Config:                   strings.Replace(cfg, `create = "2m"`, `create = "3m"`, 1),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("3m")),
				},
			},
		},
	})
}
