package main

import (
	"context"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// playOperators stands in for the runtime operators, which cannot run here (no kubelet,
// no GPUs): it reports each model deployment as running. Filled in with the model
// deployment resource.
func playOperators(ctx context.Context, c *testcluster.Cluster) {
	<-ctx.Done()
	_ = c
}
