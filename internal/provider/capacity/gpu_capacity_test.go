package capacity_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) { acctest.Main(m) }

func TestAccGPUCapacity(t *testing.T) {
	ctx := context.Background()
	c := testcluster.Get(t)
	ns := c.Namespace(t)
	c.DeleteNodes(t, "acc-h100-a", "acc-h100-b", "acc-t4")
	for _, n := range []testcluster.GPUNode{
		{Name: "acc-h100-a", GPUs: 8, Product: "NVIDIA-H100-80GB-HBM3", MemoryMiB: 81559, Labels: map[string]string{"kubernetes.azure.com/agentpool": "h100"}},
		{Name: "acc-h100-b", GPUs: 8, Product: "NVIDIA-H100-80GB-HBM3", MemoryMiB: 81559, Labels: map[string]string{"kubernetes.azure.com/agentpool": "h100"}},
		{Name: "acc-t4", GPUs: 1, Product: "Tesla-T4", Labels: map[string]string{"eks.amazonaws.com/nodegroup": "t4"}},
	} {
		if _, err := c.CreateGPUNode(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []testcluster.GPUPod{
		{Namespace: ns, Name: "big", Node: "acc-h100-a", GPUs: 6},
		{Namespace: ns, Name: "small", Node: "acc-h100-b", GPUs: 1, Phase: corev1.PodPending},
		{Namespace: ns, Name: "t4", Node: "acc-t4", GPUs: 1},
	} {
		if _, err := c.CreatePod(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	node := func(name, pool, product string, mem, alloc, req, avail int64) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"name": knownvalue.StringExact(name), "pool": knownvalue.StringExact(pool), "product": knownvalue.StringExact(product),
			"gpu_memory_gb": knownvalue.Int64Exact(mem), "allocatable": knownvalue.Int64Exact(alloc),
			"requested": knownvalue.Int64Exact(req), "available": knownvalue.Int64Exact(avail),
		})
	}
	all := tfjsonpath.New("total_gpus")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderBlock(t, "") + `data "kubefoundry_gpu_capacity" "all" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", all, knownvalue.Int64Exact(17)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", tfjsonpath.New("requested_gpus"), knownvalue.Int64Exact(8)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", tfjsonpath.New("available_gpus"), knownvalue.Int64Exact(9)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", tfjsonpath.New("max_contiguous_available"), knownvalue.Int64Exact(7)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", tfjsonpath.New("max_node_gpus"), knownvalue.Int64Exact(8)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", tfjsonpath.New("gpu_node_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", tfjsonpath.New("gpu_memory_gb"), knownvalue.Int64Exact(80)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", tfjsonpath.New("autoscaler"), knownvalue.StringExact("none")),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.all", tfjsonpath.New("nodes"), knownvalue.ListExact([]knownvalue.Check{
						node("acc-h100-a", "h100", "NVIDIA-H100-80GB-HBM3", 80, 8, 6, 2),
						node("acc-h100-b", "h100", "NVIDIA-H100-80GB-HBM3", 80, 8, 1, 7),
						node("acc-t4", "t4", "Tesla-T4", 16, 1, 1, 0),
					})),
				},
			},
			{
				Config: acctest.ProviderBlock(t, "") + `data "kubefoundry_gpu_capacity" "t4" {
  node_selector = { "eks.amazonaws.com/nodegroup" = "t4" }
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.t4", all, knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.t4", tfjsonpath.New("available_gpus"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue("data.kubefoundry_gpu_capacity.t4", tfjsonpath.New("id"), knownvalue.StringExact("eks.amazonaws.com/nodegroup=t4")),
				},
			},
		},
	})
}
