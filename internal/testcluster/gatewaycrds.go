package testcluster

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"k8s.io/client-go/rest"
)

// Gateway API CRD sources (Options.GatewayAPI), read from the Go module cache: the standard
// channel of sigs.k8s.io/gateway-api and the InferencePool of
// sigs.k8s.io/gateway-api-inference-extension (the versions internal/gateway renders for).
var gatewayCRDModules = []struct{ module, version, dir string }{
	{"sigs.k8s.io/gateway-api", "v1.6.3", "config/crd/standard"},
	{"sigs.k8s.io/gateway-api-inference-extension", "v1.6.2", "config/crd/bases"},
}

// GatewayCRDDirs returns the directories holding the Gateway API and Inference Extension
// CRDs, downloading the modules through the module proxy when they are not cached yet.
// KUBEFOUNDRY_GATEWAY_CRD_DIRS (a path list) overrides them.
func GatewayCRDDirs() ([]string, error) {
	if v := os.Getenv("KUBEFOUNDRY_GATEWAY_CRD_DIRS"); v != "" {
		return filepath.SplitList(v), nil
	}
	var out []string
	for _, m := range gatewayCRDModules {
		dir, err := moduleDir(m.module, m.version)
		if err != nil {
			return nil, err
		}
		out = append(out, filepath.Join(dir, filepath.FromSlash(m.dir)))
	}
	return out, nil
}

// moduleDir downloads a module through the module proxy (when not cached yet) and returns
// its directory in the module cache.
func moduleDir(module, version string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = os.TempDir() // outside the repository's module: nothing there changes
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %w", module, version, err)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(b, &info); err != nil || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: no module directory (%s%v)", module, version, info.Error, err)
	}
	return info.Dir, nil
}

// InstallGatewayCRDs installs the Gateway API standard channel and the InferencePool CRDs
// (ReadCRDs skips the channel's ValidatingAdmissionPolicy, which is not a CRD).
func InstallGatewayCRDs(ctx context.Context, cfg *rest.Config) error {
	dirs, err := GatewayCRDDirs()
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if err := InstallCRDs(ctx, cfg, d); err != nil {
			return fmt.Errorf("installing the Gateway API CRDs from %s: %w", strings.TrimSpace(d), err)
		}
	}
	return nil
}
