package testcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/client-go/rest"
)

// KEDAVersion is the github.com/kedacore/keda/v2 release whose CRDs Options.KEDA installs, the
// one internal/autoscaling renders ScaledObjects for (v2.18).
const KEDAVersion = "v2.18.3"

// KEDACRDDir returns config/crd/bases of the KEDA module (ScaledObject, ScaledJob,
// TriggerAuthentication, ... as KEDA's release manifests ship them), downloading the module
// through the module proxy when it is not cached yet; $KUBEFOUNDRY_KEDA_CRD_DIR overrides it.
func KEDACRDDir() (string, error) {
	if d := os.Getenv("KUBEFOUNDRY_KEDA_CRD_DIR"); d != "" {
		return d, nil
	}
	dir, err := moduleDir("github.com/kedacore/keda/v2", KEDAVersion)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "config", "crd", "bases"), nil
}

// InstallKEDACRDs installs KEDA's CRDs and waits until they are Established. No KEDA
// operator runs: ScaledObjects are stored and validated, not acted on.
func InstallKEDACRDs(ctx context.Context, cfg *rest.Config) error {
	dir, err := KEDACRDDir()
	if err != nil {
		return err
	}
	if err := InstallCRDs(ctx, cfg, dir); err != nil {
		return fmt.Errorf("installing the KEDA CRDs from %s: %w", dir, err)
	}
	return nil
}
