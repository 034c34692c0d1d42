package kubefoundry_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/kubefoundry/terraform-provider-kubefoundry/pkg/kubefoundry"
)

// TestTimeoutsAreBlocksOnEveryResource keeps one syntax for timeouts across the provider,
// `timeouts { ... }`, in the schema Terraform receives: a resource that took `timeouts = { ... }`
// would reject the syntax the others document with "Unsupported argument".
func TestTimeoutsAreBlocksOnEveryResource(t *testing.T) {
	srv, err := providerserver.NewProtocol6WithError(kubefoundry.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	withTimeouts := 0
	for name, s := range resp.ResourceSchemas {
		for _, a := range s.Block.Attributes {
			if a.Name == "timeouts" {
				t.Errorf("%s: timeouts is an attribute (`timeouts = { ... }`); use timeouts.Block like the other resources", name)
			}
		}
		for _, b := range s.Block.BlockTypes {
			if b.TypeName != "timeouts" {
				continue
			}
			withTimeouts++
			if b.Nesting != tfprotov6.SchemaNestedBlockNestingModeSingle {
				t.Errorf("%s: timeouts block nesting %v, want single", name, b.Nesting)
			}
		}
	}
	// model_deployment, runtime_install, gguf_image, gguf_build_infra all wait on the cluster.
	if withTimeouts < 4 {
		t.Errorf("%d resources have a timeouts block, want at least 4 (of %d resources)", withTimeouts, len(resp.ResourceSchemas))
	}
}
