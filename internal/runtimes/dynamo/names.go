package dynamo

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// workerHashLen is the worker-generation suffix Dynamo 1.4 appends to worker resource names:
// a worker DCD, its Deployment and the pods' `nvidia.com/selector` label are
// "<dgd>-<lower-case component>-<8 hex chars>" (ai-dynamo/dynamo deploy/operator
// internal/dynamo/graph.go GetDCDResourceName + :429, internal/dynamo/hash.go:98 `[:8]`,
// internal/controller/dynamocomponentdeployment_controller.go:808,847 @ 1.4.0 e147ceea).
const workerHashLen = 8

// selectorSuffix is what the operator appends to the DGD name in the longest label value
// it writes for one component. Label values are limited to 63 characters.
//   - v1beta1 (1.4): "-<component>" for the frontend, "-<component>-<hash>" for workers.
//   - v1alpha1 (0.7): "-<service key>" for every service, no hash
//     (dynamocomponentdeployment_controller.go:1033-1038,1202 @ e20adb44).
func selectorSuffix(apiVer, component string, isWorker bool) string {
	s := "-" + strings.ToLower(component)
	if apiVer == APIVersionV1Beta1 && isWorker {
		s += "-" + strings.Repeat("x", workerHashLen)
	}
	return s
}

// validateName applies the operator's naming rules (D5): the frontend Service
// "<name>-frontend" must be a DNS-1035 label (no leading digit), and the name plus the
// longest component suffix must fit a 63-character label value.
func validateName(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	if cfg.Name == "" || len(validation.IsDNS1123Label(cfg.Name)) > 0 {
		return // ValidateCommon reports it
	}
	if len(validation.IsDNS1035Label(cfg.Name)) > 0 {
		ps.Add("name", "%q must start with a letter: Dynamo names the frontend Service \"<name>-frontend\", and Service names are DNS-1035 labels", cfg.Name)
		return
	}
	apiVer := apiVersion(cfg)
	longest, longestComponent := "", ""
	for _, c := range componentNames(cfg) {
		if s := selectorSuffix(apiVer, c.name, c.worker); len(s) > len(longest) {
			longest, longestComponent = s, c.name
		}
	}
	validateDynamoNamespaceLabel(ps, cfg)
	if limit := validation.LabelValueMaxLength - len(longest); len(cfg.Name) > limit {
		why := "\"<name>" + strings.ToLower("-"+longestComponent) + "\""
		if apiVer == APIVersionV1Beta1 {
			why = "\"<name>" + strings.ToLower("-"+longestComponent) + "-<8-character worker hash>\""
		}
		ps.Add("name", "%q is %d characters; with engine %q in %s mode it may have at most %d: the Dynamo operator labels the %s pods "+
			"nvidia.com/selector=%s, and label values are limited to 63 characters", cfg.Name, len(cfg.Name), cfg.Engine, cfg.Mode, limit, longestComponent, why)
	}
}

type componentName struct {
	name   string
	worker bool
}

// componentNames are the components (v1alpha1: service keys) a config renders.
func componentNames(cfg runtimes.DeploymentConfig) []componentName {
	out := []componentName{{frontendKey, false}}
	if cfg.Mode == runtimes.ModeDisaggregated {
		return append(out, componentName{workerKey(cfg.Engine, rolePrefill), true}, componentName{workerKey(cfg.Engine, roleDecode), true})
	}
	return append(out, componentName{workerKey(cfg.Engine, ""), true})
}

// validateDynamoNamespaceLabel: the operator labels every component
// nvidia.com/dynamo-namespace=<namespace>-<name> (api/v1beta1 ComputeDynamoNamespace and
// internal/dynamo/graph.go:444 @ 1.4.0 e147ceea; v1alpha1 graphs carry the same value in
// dynamoNamespace, D9), so the two together must fit a 63-character label value, else the API
// server refuses the operator's component objects and the graph never deploys.
func validateDynamoNamespaceLabel(ps *runtimes.Problems, cfg runtimes.DeploymentConfig) {
	if cfg.Namespace == "" {
		return
	}
	if n := len(cfg.Namespace) + 1 + len(cfg.Name); n > validation.LabelValueMaxLength {
		ps.Add("name", "%q in namespace %q is too long for Dynamo: the operator labels its components "+
			"nvidia.com/dynamo-namespace=\"<namespace>-<name>\" (%d characters here), and label values are limited to 63; "+
			"shorten the name to at most %d characters or use a shorter namespace",
			cfg.Name, cfg.Namespace, n, validation.LabelValueMaxLength-1-len(cfg.Namespace))
	}
}
