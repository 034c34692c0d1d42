package testcluster

import (
	"context"
	"os"
	"path/filepath"

	"k8s.io/client-go/rest"
)

// LegacyInferencePoolCRD is the inference.networking.x-k8s.io/v1alpha2 InferencePool CRD of
// Inference Extension release version, from the Go module cache. KServe v0.19.0's controller
// writes that pool next to the v1 one for every scheduler and fails the scheduler without the
// CRD; the release it needs is pinned once, as kserve.LegacyPoolGIEVersion.
func LegacyInferencePoolCRD(version string) ([]byte, error) {
	dir, err := moduleDir("sigs.k8s.io/gateway-api-inference-extension", version)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, "config", "crd", "bases", "inference.networking.x-k8s.io_inferencepools.yaml"))
}

// InstallLegacyInferencePoolCRD installs that CRD of release version from the Go module cache.
func InstallLegacyInferencePoolCRD(ctx context.Context, cfg *rest.Config, version string) error {
	raw, err := LegacyInferencePoolCRD(version)
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
