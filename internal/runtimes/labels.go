package runtimes

// Label keys KubeFoundry's web UI and tooling rely on (upstream notes §2).
const (
	LabelName        = "app.kubernetes.io/name"
	LabelInstance    = "app.kubernetes.io/instance"
	LabelManagedBy   = "app.kubernetes.io/managed-by"
	LabelProvider    = "kubefoundry.io/provider"
	LabelComputeType = "kubefoundry.io/compute-type"
	LabelModelSource = "kubefoundry.io/model-source"
	LabelRunMode     = "kubefoundry.io/run-mode"
	LabelServiceType = "kubefoundry.io/service-type"

	ManagedBy = "kubefoundry"
)

// Labels returns the labels every KubeFoundry custom resource carries.
func Labels(name, runtimeID string) map[string]string {
	return map[string]string{
		LabelName:      "kubefoundry",
		LabelInstance:  name,
		LabelManagedBy: ManagedBy,
		LabelProvider:  runtimeID,
	}
}
