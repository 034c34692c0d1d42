package testcluster

import (
	"context"
	"path/filepath"
	"time"
)

// startKubeRay runs the KubeRay operator v1.6.2 (github.com/ray-project/kuberay/ray-operator,
// main.go flags) cluster-wide against the test API server and waits for its readiness probe.
func (c *Cluster) startKubeRay(ctx context.Context) error {
	ports, err := freePorts(2)
	if err != nil {
		return err
	}
	if err := c.run(filepath.Join(c.OperatorBin, "kuberay-operator"), OperatorKubeRay.LogName(),
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
