// Package sizing holds the data sources that estimate serving performance and size deployments
// (kubefoundry_performance_estimate, kubefoundry_sizing) on top of internal/sizing/perf.
package sizing

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/huggingface"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/sizing/perf"
)

const userAgent = "terraform-provider-kubefoundry"

func hubClient(d *providerdata.Data) *huggingface.Client {
	c := &huggingface.Client{UserAgent: userAgent}
	if d != nil {
		c.Endpoint, c.Token = d.HuggingFace.Endpoint, d.HuggingFace.Token
	}
	return c
}

// resolveArch finds the model's architecture: the embedded table first (offline), else the
// Hub's config.json (and hf_quant_config.json of ModelOpt checkpoints).
func resolveArch(ctx context.Context, d *providerdata.Data, model string) (perf.Arch, error) {
	if a, ok := perf.LookupArch(model); ok {
		return a, nil
	}
	if !strings.Contains(model, "/") {
		return perf.Arch{}, fmt.Errorf("%q is not a Hugging Face id (owner/name) and not in the embedded table", model)
	}
	c := hubClient(d)
	cfg, err := c.File(ctx, model, "main", "config.json")
	if err != nil {
		return perf.Arch{}, fmt.Errorf("model %q is not in the embedded table and its config.json could not be read from the Hub: %w", model, err)
	}
	quant, err := c.File(ctx, model, "main", "hf_quant_config.json")
	if err != nil && !errors.Is(err, huggingface.ErrNotFound) {
		return perf.Arch{}, fmt.Errorf("reading hf_quant_config.json of %q: %w", model, err)
	}
	a, err := perf.ParseConfig(cfg, quant)
	if err != nil {
		return perf.Arch{}, fmt.Errorf("model %q: %w", model, err)
	}
	return a, nil
}
