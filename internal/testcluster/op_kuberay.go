package testcluster

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// KubeRay operator releases a cluster can run (Options.KubeRayVersion).
const (
	// KubeRay170 is ray-project/kuberay tag ray-operator/v1.7.0 (59d663ae), built from the
	// source archive in ../shared/operators (the module proxy refuses its zip): the default.
	KubeRay170 = "1.7.0"
	// KubeRay162 is v1.6.2, built through the Go module proxy.
	KubeRay162 = "1.6.2"
	// DefaultKubeRayVersion is what OperatorKubeRay runs unless Options.KubeRayVersion says.
	DefaultKubeRayVersion = KubeRay170
)

// kubeRayBinary is the binary scripts/operators-build.sh caches for a release.
func kubeRayBinary(version string) (string, error) {
	switch version {
	case KubeRay170:
		return "kuberay-operator-" + KubeRay170, nil
	case KubeRay162:
		return "kuberay-operator", nil
	}
	return "", fmt.Errorf("KubeRay operator %q is not built here; use %s or %s", version, KubeRay170, KubeRay162)
}

// KubeRayVersion is the KubeRay operator release the cluster runs (or whose CRDs it
// installed with the operators): Options.KubeRayVersion or DefaultKubeRayVersion.
func (c *Cluster) KubeRayVersion() string { return c.kubeRayVersion }

// startKubeRay runs the KubeRay operator (github.com/ray-project/kuberay/ray-operator,
// main.go flags, the same in v1.6.2 and v1.7.0) cluster-wide against the test API server
// and waits for its readiness probe. Its feature gates stay at the release's defaults, as
// the chart sets them (1.7.0: RayServiceIncrementalUpgrade on, RayCronJob off).
func (c *Cluster) startKubeRay(ctx context.Context) error {
	bin, err := kubeRayBinary(c.kubeRayVersion)
	if err != nil {
		return err
	}
	ports, err := freePorts(2)
	if err != nil {
		return err
	}
	if err := c.run(filepath.Join(c.OperatorBin, bin), OperatorKubeRay.LogName(),
		"--kubeconfig="+c.Kubeconfig,
		"--enable-leader-election=false",
		"--metrics-addr="+loopback(ports[0]),
		"--health-probe-bind-address="+loopback(ports[1]),
		"--log-stdout-encoder=console",
	); err != nil {
		return err
	}
	return c.waitUntil(ctx, OperatorKubeRay.LogName(), "readiness probe", 120*time.Second, httpOK("http://"+loopback(ports[1])+"/readyz"))
}
