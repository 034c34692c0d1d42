package testcluster

import (
	"context"
	"os"
	"path/filepath"

	"k8s.io/client-go/rest"
)

// LegacyInferencePoolVersion is the Inference Extension release whose
// inference.networking.x-k8s.io/v1alpha2 InferencePool CRD KServe v0.19.0 installs with its
// dependencies (hack/setup/quick-install/llmisvc-dependency-install.sh GIE_VERSION; also its
// go.mod). Its controller writes that pool next to the v1 one for every scheduler
// (pkg/controller/v1alpha2/llmisvc/scheduler.go reconcileV1Alpha2InferencePool) and fails the
// scheduler without the CRD.
const LegacyInferencePoolVersion = "v1.3.1"

// LegacyInferencePoolCRD is that CRD's manifest, from the Go module cache.
func LegacyInferencePoolCRD() ([]byte, error) {
	dir, err := moduleDir("sigs.k8s.io/gateway-api-inference-extension", LegacyInferencePoolVersion)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, "config", "crd", "bases", "inference.networking.x-k8s.io_inferencepools.yaml"))
}

// InstallLegacyInferencePoolCRD installs that CRD from the Go module cache.
func InstallLegacyInferencePoolCRD(ctx context.Context, cfg *rest.Config) error {
	raw, err := LegacyInferencePoolCRD()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "legacy-pool-crd-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "inferencepools.yaml"), raw, 0o600); err != nil {
		return err
	}
	return InstallCRDs(ctx, cfg, tmp)
}
