// Package testcluster starts a real Kubernetes cluster for tests and the demo: etcd,
// kube-apiserver (RBAC on) and kube-controller-manager built from source through the Go
// module proxy (scripts/testenv-build.sh), with the real runtime CRDs installed; and, opted
// into per test binary, the real kube-scheduler, kwok-simulated GPU nodes and the real
// Dynamo, KubeRay and KAITO operators (scripts/operators-build.sh).
//
// # A plain control plane
//
//	func TestMain(m *testing.M) { testcluster.Main(m) }
//
// installs the default runtime CRDs (CRDDir) and runs no scheduler: pods stay
// Pending unless a test binds them (CreatePod) and a test plays an operator (PlayOperators, a
// stand-in for states no real operator reaches here).
//
// # With the real operators
//
//	func TestMain(m *testing.M) {
//		testcluster.MainWithOptions(m, testcluster.Options{Operators: testcluster.AllOperators}, nil)
//	}
//
// (acctest.MainWithOptions does the same for terraform acceptance tests.) Start then also
// runs, as local processes whose logs are kept under Cluster.Dir/logs:
//   - kube-scheduler of the same Kubernetes build, so "0/3 nodes are available: 3 Insufficient
//     nvidia.com/gpu" comes from the real scheduler;
//   - kwok v0.8.0 with kwok's own "fast" stages: the nodes it manages are Ready (leases
//     renewed) and the pods bound to them turn Running and Ready with a pod IP; Deployments
//     and StatefulSets get ready replicas from the controller-manager as on a real cluster;
//   - the operators listed in Options.Operators (started in parallel; Start returns once each
//     answers its readiness probe and, for KAITO and Dynamo, its webhook serves TLS):
//     OperatorDynamo (1.4.0, component Deployments, no Grove/LWS; admission and CRD conversion
//     webhooks on https://127.0.0.1:<port>, so v1alpha1 graphs convert to the v1beta1 storage
//     version), OperatorKubeRay (v1.7.0, built from ../shared/operators; Options.KubeRayVersion
//     = KubeRay162 runs v1.6.2 instead) and OperatorKAITO (0.12.0, --node-provisioner=byo,
//     its validating webhook on loopback).
//
// Such a cluster installs the current-release CRDs instead of the previous pins (a CRD can
// exist once per API server): Dynamo 1.4.0 (all of deploy/operator/config/crd/bases),
// ../shared/crds/kuberay-<KubeRayVersion> and kaito-0.12.0, and KAITO's NodeClaim. Options.Kwok alone
// runs kube-scheduler and kwok without operators (and with the previous CRD pins).
//
// Load (Options.MetricsServer): kube-apiserver runs its aggregation layer (front-proxy
// certificates) and metrics-server v0.8.1 (scripts/metrics-server-build.sh) serves
// v1beta1.metrics.k8s.io, scraping each kwok node's kubelet resource metrics, which kwok serves
// on loopback from the pod usage a test sets with SetPodUsage (a kwok ClusterResourceUsage):
// the real HPA controller then scales on CPU use. Options.KEDA installs KEDA's CRDs
// (github.com/kedacore/keda/v2 v2.18.3) without its operator.
//
// Endpoint picker (Options.EndpointPicker): the llm-d router's endpoint picker v0.10.0
// (cmd/epp, built by scripts/llmd-router-build.sh from ../shared/operators) and its llm-d.ai
// CRDs. StartEndpointPicker(ctx, EndpointPicker{Pool, Namespace, Config}) runs one picker per
// InferencePool as a local process and returns its ext_proc address once it serves; a test
// plays the gateway data plane against it. Options.LoopbackPodIPs gives pods loopback IPs
// (a /16 of 127.0.0.0/8), so a test can answer on a pod's IP, e.g. with an engine's /metrics.
//
// Nodes: CreateKwokNode(ctx, GPUNode{Name, GPUs, Product, MemoryMiB, Labels}, taints...) makes
// a kwok node with nvidia.com/gpu capacity and GPU Feature Discovery labels
// (nvidia.com/gpu.product, .memory, .count, .present, ...) and waits until it is Ready;
// CreateGPUNode does the same in a kwok cluster. Nodes are cluster-scoped: give them names
// unique to the test and remove them with DeleteNodes(t, names...).
//
// Operator logs: Cluster.LogFile(Operator.LogName()) is the path ("dynamo-operator",
// "kuberay-operator", "kaito-workspace", also "kwok", "kube-scheduler"); Cluster.LogTail(name,
// n) returns its last lines, and Cluster.LogOnFailure(t, names...) prints them (default: every
// operator, kwok and the scheduler) if the test fails. Cluster.OperatorStartup() reports how
// long each operator took to become ready.
//
// Waiting: Cluster.WaitFor(ctx, gvr, ns, name, timeout, cond) polls a custom resource;
// Cluster.WaitForEvent(ctx, ns, kind, name, reason, substring, timeout) waits for an event
// such as the scheduler's FailedScheduling or KubeRay's InvalidRayServiceMetadata.
//
// Admission: kube-apiserver runs its default admission plugins, ServiceAccount included, and
// kube-controller-manager's serviceaccount controller creates each namespace's "default"
// account (Namespace waits for it; WaitForDefaultServiceAccount for namespaces made
// otherwise). A pod naming a missing account is refused, as on a real cluster. Only a
// cluster started with NoControllerManager, where no account would ever appear, runs
// without the plugin (AdmitsServiceAccounts).
//
// What is simulated: there is no kubelet and no container runtime. kwok reports pods Running
// and Ready without running them, so no inference engine, Ray dashboard or model server
// exists: states that need one (a RayService becoming Ready, an engine crash, an OOM) are not
// reachable with the real operators and stay with the named stand-in. Dynamo's graphs name
// "<namespace>-<graph>" in a label (at most 63 bytes): keep test namespaces short for them.
package testcluster
