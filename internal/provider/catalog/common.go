// Package catalog implements the kubefoundry_model_catalog and
// kubefoundry_model data sources on top of internal/catalog and the Hugging
// Face client.
package catalog

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/catalog"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

const userAgent = "terraform-provider-kubefoundry"

// hubClient builds a client from the provider configuration. Clients share
// the process-wide cache, so data sources in one run reuse Hub answers.
func hubClient(d *providerdata.Data) *huggingface.Client {
	c := &huggingface.Client{UserAgent: userAgent}
	if d != nil {
		c.Endpoint, c.Token = d.HuggingFace.Endpoint, d.HuggingFace.Token
		if d.Version != "" {
			c.UserAgent = userAgent + "/" + d.Version
		}
	}
	return c
}

var ggufFileAttrTypes = map[string]attr.Type{
	"name":         types.StringType,
	"size_bytes":   types.Int64Type,
	"quantization": types.StringType,
	"sha256":       types.StringType,
}

var ggufFileType = types.ObjectType{AttrTypes: ggufFileAttrTypes}

// ggufFilesValue is null for non-GGUF models and a (possibly empty) list for GGUF ones.
func ggufFilesValue(m catalog.Model) (types.List, diag.Diagnostics) {
	if !m.GGUF || m.Curated {
		return types.ListNull(ggufFileType), nil
	}
	var diags diag.Diagnostics
	elems := make([]attr.Value, 0, len(m.GGUFFiles))
	for _, f := range m.GGUFFiles {
		o, d := types.ObjectValue(ggufFileAttrTypes, map[string]attr.Value{
			"name":         types.StringValue(f.Name),
			"size_bytes":   int64OrNull(f.SizeBytes),
			"quantization": stringOrNull(f.Quantization),
			"sha256":       stringOrNull(f.SHA256),
		})
		diags.Append(d...)
		elems = append(elems, o)
	}
	l, d := types.ListValue(ggufFileType, elems)
	diags.Append(d...)
	return l, diags
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func int64OrNull(n int64) types.Int64 {
	if n <= 0 {
		return types.Int64Null()
	}
	return types.Int64Value(n)
}

func stringList(ctx context.Context, s []string) (types.List, diag.Diagnostics) {
	if s == nil {
		s = []string{}
	}
	return types.ListValueFrom(ctx, types.StringType, s)
}

// sizing holds what the GPU memory of a target GPU adds to a model.
type sizing struct {
	recommended types.Int64
	fit         types.String
}

func sizeFor(m catalog.Model, gpuMemoryGB types.Float64) sizing {
	gpu := gpuMemoryGB.ValueFloat64() // 0 when null
	return sizing{
		recommended: types.Int64Value(catalog.RecommendedGPUs(float64(m.ParameterCount), float64(m.EstimatedGPUMemoryGB), gpu, 0)),
		fit:         stringOrNull(catalog.Fit(float64(m.EstimatedGPUMemoryGB), gpu)),
	}
}
