package vllm

import (
	"fmt"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// leaderScript starts a Ray head, waits until every pod of the group has joined, then runs
// `vllm serve "$@"` (the arguments follow the script, never through a shell string). This is
// the sequence of vLLM's LeaderWorkerSet guide and its examples/online_serving/
// multi-node-serving.sh (vllm-project/vllm docs/deployment/frameworks/lws.md): vLLM's Ray
// executor fails when the cluster has fewer GPUs than tensor x pipeline parallel, so the
// workers must be in first. LWS_GROUP_SIZE is set on every pod by the LeaderWorkerSet pod
// webhook (sigs.k8s.io/lws v0.9.0 pkg/utils/pod/pod_utils.go).
var leaderScript = fmt.Sprintf(`ray start --head --port=%d --disable-usage-stats
until [ "$(python3 -c 'import ray; ray.init(address="auto", logging_level="ERROR"); print(sum(1 for n in ray.nodes() if n["Alive"]))' 2>/dev/null || echo 0)" -ge "$LWS_GROUP_SIZE" ]; do
  echo "waiting for $LWS_GROUP_SIZE Ray nodes"; sleep 5
done
exec vllm serve "$@"
`, rayPort)

// workerScript joins the leader's Ray cluster (LWS_LEADER_ADDRESS, the leader's DNS name
// from the pod webhook) and blocks; it retries while the head is not up yet.
var workerScript = fmt.Sprintf(`until ray start --address="$LWS_LEADER_ADDRESS:%d" --block --disable-usage-stats; do
  echo "waiting for the Ray head at $LWS_LEADER_ADDRESS"; sleep 5
done
`, rayPort)

// Manifests renders the LeaderWorkerSet (one group of vllm.nodes pods per replica) and the
// API Service, which selects the group leaders.
func (r MultiNode) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	if !multiNode(cfg) {
		return Runtime{}.Manifests(cfg)
	}
	// The arguments are $1.. of the script; "vllm-leader" is its $0 (the name in ps and errors).
	leader := podTemplate(cfg, componentServer, []any{"/bin/sh", "-c", leaderScript, "vllm-leader"}, stringsToAny(serveArgs(cfg)), true)
	worker := podTemplate(cfg, componentRayWorker, []any{"/bin/sh", "-c", workerScript}, nil, false)
	for _, tpl := range []map[string]any{leader, worker} {
		if err := runtimes.ApplyPodTemplate(tpl, cfg, runtimes.RoleWorker, containerName); err != nil {
			return runtimes.Manifests{}, err
		}
	}
	spec := map[string]any{
		"replicas": *cfg.Replicas,
		"leaderWorkerTemplate": map[string]any{
			"size": *cfg.VLLM.Nodes,
			// A Ray cluster does not survive losing a member: restart the whole group.
			"restartPolicy":  "RecreateGroupOnPodRestart",
			"leaderTemplate": leader,
			"workerTemplate": worker,
		},
	}
	return finish(cfg, crdLWS, spec)
}
