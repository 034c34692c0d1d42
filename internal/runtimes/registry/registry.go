// Package registry looks runtimes up by ID. It lives apart from package runtimes so the
// runtime packages can depend on the shared types without an import cycle.
package registry

import (
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kserve"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/vllm"
)

// DefaultID is the runtime used when none is chosen (KubeFoundry's default provider).
const DefaultID = dynamo.ID

var all = []runtimes.Runtime{dynamo.New(), kuberay.New(), kaito.New(), vllm.New(), llmd.New(), kserve.New()}

// Get returns the runtime with the given ID.
func Get(id string) (runtimes.Runtime, bool) {
	for _, r := range all {
		if r.ID() == id {
			return r, true
		}
	}
	return nil, false
}

// IDs lists the runtime IDs in a stable order: dynamo, kuberay, kaito, vllm, llmd, kserve.
func IDs() []string {
	ids := make([]string, len(all))
	for i, r := range all {
		ids[i] = r.ID()
	}
	return ids
}

// All returns every runtime in the order of IDs.
func All() []runtimes.Runtime { return append([]runtimes.Runtime(nil), all...) }

// ForCRD returns the runtime managing the given CRD name ("<plural>.<group>").
func ForCRD(name string) (runtimes.Runtime, bool) {
	for _, r := range all {
		if r.CRD().Name() == name {
			return r, true
		}
	}
	return nil, false
}
