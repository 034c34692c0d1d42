package main

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// playOperators stands in for the runtime operators, which cannot run here (no kubelet,
// no GPUs): a few seconds after each change of a model deployment it reports it Running
// through the status subresource, as the real operator would once the model serves.
func playOperators(ctx context.Context, c *testcluster.Cluster) {
	fmt.Println("devcluster: playing the Dynamo, KubeRay and KAITO operators (simulated: deployments turn Running after 3s)")
	testcluster.PlayOperators(ctx, c.Dynamic, func(runtimeID string, obj *unstructured.Unstructured) testcluster.Outcome {
		fmt.Printf("devcluster: operator %s: %s/%s generation %d -> Running in 3s\n", runtimeID, obj.GetNamespace(), obj.GetName(), obj.GetGeneration())
		return testcluster.Outcome{Phase: "Running", Delay: 3 * time.Second}
	})
}
