// Package helminstall installs, upgrades, inspects and removes a runtime's operator with
// the Helm SDK in process. It applies the runtime's CRDs itself (server-side apply) before
// every install and upgrade, because Helm never upgrades CRDs (helm/helm#8972). It knows
// nothing about Terraform.
package helminstall

import (
	"regexp"
	"strings"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// GPUOperatorID is the runtime ID of the NVIDIA GPU operator, a prerequisite rather than
// an inference runtime, so it is not in the runtime registry.
const GPUOperatorID = "gpu-operator"

// Runtime is what the installer needs to know about one installable runtime.
type Runtime struct {
	ID          string
	DisplayName string
	Spec        runtimes.InstallSpec
}

// LWSID installs the LeaderWorkerSet controller on its own (what runtime "vllm" installs for
// multi-node deployments), under the name users know it by.
const LWSID = "lws"

// IDs lists every installable runtime ID: the registry's runtimes that install charts (llm-d
// renders its endpoint picker per deployment and installs none), the GPU operator and LWS.
func IDs() []string {
	var ids []string
	for _, r := range registry.All() {
		if len(r.Install().Charts) > 0 {
			ids = append(ids, r.ID())
		}
	}
	return append(ids, GPUOperatorID, LWSID)
}

// Lookup returns the install facts for a runtime ID.
func Lookup(id string) (Runtime, bool) {
	if id == GPUOperatorID {
		return Runtime{ID: id, DisplayName: "NVIDIA GPU Operator", Spec: runtimes.GPUOperatorInstall()}, true
	}
	if id == LWSID {
		return Runtime{ID: id, DisplayName: "LeaderWorkerSet", Spec: vllm.New().Install()}, true
	}
	r, ok := registry.Get(id)
	if !ok || len(r.Install().Charts) == 0 {
		return Runtime{}, false
	}
	return Runtime{ID: id, DisplayName: r.DisplayName(), Spec: r.Install()}, true
}

// DefaultVersion is the pinned chart version of the runtime's operator chart.
func (r Runtime) DefaultVersion() string {
	if len(r.Spec.Charts) == 0 {
		return ""
	}
	return r.Spec.Charts[len(r.Spec.Charts)-1].Version
}

// tgzVersion is the "-<version>" suffix of a packaged chart's file name.
var tgzVersion = regexp.MustCompile(`-v?[0-9]+\.[0-9]+\.[0-9]+[-+.0-9A-Za-z]*$`)

// ChartName is a chart's bare name ("kuberay-operator" for "kuberay/kuberay-operator",
// "dynamo-platform" for "dynamo-platform-1.4.0.tgz").
func ChartName(c runtimes.Chart) string {
	name := c.Chart
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if base, ok := strings.CutSuffix(name, ".tgz"); ok {
		name = tgzVersion.ReplaceAllString(base, "")
	}
	return name
}
