package kserve

// The KServe v0.19.0 controller writes an inference.networking.x-k8s.io/v1alpha2 InferencePool
// next to the v1 one for every scheduler, unconditionally
// (github.com/kserve/kserve v0.19.0 pkg/controller/v1alpha2/llmisvc/scheduler.go
// reconcileV1Alpha2InferencePool), and fails the scheduler ("no matches for kind
// InferencePool") without that CRD. KServe installs it from Inference Extension v1.3.1
// (hack/setup/quick-install/llmisvc-dependency-install.sh GIE_VERSION); later releases no
// longer ship it, so runtime_install applies that one file, never the release's
// manifests.yaml (which also holds an older inference.networking.k8s.io InferencePool CRD).
const (
	LegacyPoolCRD         = "inferencepools.inference.networking.x-k8s.io"
	LegacyPoolGIEVersion  = "v1.3.1"
	legacyPoolCRDFileName = "inference.networking.x-k8s.io_inferencepools.yaml"
	legacyPoolCRDURL      = "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api-inference-extension/" + LegacyPoolGIEVersion + "/config/crd/bases/" + legacyPoolCRDFileName
)
