package runtimeinstall

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// NewResourceAttributeTimeouts returns the resource with the schema it had until timeouts
// became a block: `timeouts = { ... }`, a nested attribute. Everything else is the real
// resource, so the state it writes is what users of that release have.
func NewResourceAttributeTimeouts() resource.Resource {
	return attributeTimeouts{&installResource{}}
}

type attributeTimeouts struct{ *installResource }

func (r attributeTimeouts) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.installResource.Schema(ctx, req, resp)
	delete(resp.Schema.Blocks, "timeouts")
	resp.Schema.Attributes["timeouts"] = timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true, Delete: true})
}
