package kaito

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/autoscaling"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// InferenceSet renders a KAITO InferenceSet (kaito.inference_set = true): KAITO 0.12's
// InferenceSet controller (on by default, feature gate enableInferenceSetController,
// cmd/workspace/main.go @ v0.12.0) creates one Workspace of one replica per spec.replicas,
// named "<name>-<5 random characters>" (GenerateName) and labelled
// inferenceset.kaito.sh/created-by=<name>, which it also puts on their pods. Unlike a
// Workspace it has a scale subresource, so `replicas` changes in place and an HPA or KEDA
// ScaledObject can scale it (`autoscaling`).
type InferenceSet struct{ Runtime }

var (
	_ runtimes.Runtime  = InferenceSet{}
	_ runtimes.PodOwner = InferenceSet{}
	_ runtimes.Replacer = InferenceSet{}

	inferenceSetCRD = runtimes.CRD{Group: "kaito.sh", Version: "v1beta1", Kind: autoscaling.InferenceSetKind, Plural: "inferencesets"}
)

// createdByKey labels the InferenceSet's Workspaces and their pods (consts.go
// WorkspaceCreatedByInferenceSetLabel @ v0.12.0); status.selector selects it.
const createdByKey = "inferenceset.kaito.sh/created-by"

// MaxInferenceSetNameLength leaves room for the child Workspaces' "-xxxxx" suffix
// (GenerateName "<name>-" plus 5 characters, pkg/utils/inferenceset NewWorkspaceForInferenceSet
// @ v0.12.0) within MaxNameLength.
const MaxInferenceSetNameLength = MaxNameLength - 6

func (InferenceSet) CRD() runtimes.CRD { return inferenceSetCRD }

// inferenceSet reports whether cfg asks for an InferenceSet.
func inferenceSet(cfg runtimes.DeploymentConfig) bool {
	return cfg.KAITO != nil && runtimes.Deref(cfg.KAITO.InferenceSet)
}

// ForConfig picks the Workspace renderer, or the InferenceSet one (kaito.inference_set).
func (Runtime) ForConfig(cfg runtimes.DeploymentConfig) runtimes.Runtime {
	if inferenceSet(cfg) {
		return InferenceSet{}
	}
	return Runtime{}
}

// Versions lists both renderers, the Workspace first.
func (Runtime) Versions() []runtimes.Runtime { return []runtimes.Runtime{Runtime{}, InferenceSet{}} }

// Validate adds the InferenceSet's shorter name limit to the Workspace rules.
func (r InferenceSet) Validate(cfg runtimes.DeploymentConfig) runtimes.Problems {
	ps := r.Runtime.Validate(cfg)
	if len(cfg.Name) > MaxInferenceSetNameLength && len(cfg.Name) <= MaxNameLength {
		ps.Add("name", "at most %d characters with kaito.inference_set: the InferenceSet's Workspaces are named \"<name>-<5 characters>\", "+
			"and a Workspace name may have at most %d; got %d", MaxInferenceSetNameLength, MaxNameLength, len(cfg.Name))
	}
	return ps
}

// Manifests renders the InferenceSet: spec.replicas Workspaces, each one replica of the
// template KAITO's Workspace renderer would use, on nodes matching spec.labelSelector; the
// HPA or ScaledObject of `autoscaling`; the serving Service over all their pods.
func (r InferenceSet) Manifests(cfg runtimes.DeploymentConfig) (runtimes.Manifests, error) {
	if err := r.Validate(cfg).Err(); err != nil {
		return runtimes.Manifests{}, err
	}
	if !inferenceSet(cfg) {
		return Runtime{}.Manifests(cfg)
	}
	ws, err := runtimes.ToMap(workspaceBody(cfg))
	if err != nil {
		return runtimes.Manifests{}, err
	}
	inf, _ := ws["inference"].(map[string]any)
	res, _ := ws["resource"].(map[string]any)
	body := map[string]any{"spec": map[string]any{
		"replicas":      *cfg.Replicas,
		"labelSelector": res["labelSelector"],
		// resource.instanceType must be empty with the BYO node provisioner
		// (api/v1beta1/inferenceset_validation.go validateInstanceType @ v0.12.0).
		"template": map[string]any{"inference": inf},
	}}
	obj, err := runtimes.NewObject(inferenceSetCRD.APIVersion(), inferenceSetCRD.Kind, cfg.Name, cfg.Namespace, workspaceLabels(cfg), body)
	if err != nil {
		return runtimes.Manifests{}, err
	}
	spec, _ := obj.Object["spec"].(map[string]any)
	tpl, _ := spec["template"].(map[string]any)
	inference, _ := tpl["inference"].(map[string]any)
	m, err := finishManifests(cfg, obj, inference, map[string]string{createdByKey: cfg.Name})
	if err != nil {
		return m, err
	}
	scaler, err := autoscaling.KAITO(m.Primary, cfg.Autoscaling)
	if err != nil {
		return m, err
	}
	if scaler != nil {
		m.Companions = append(m.Companions, scaler)
	}
	return m, nil
}

// Parse reads an InferenceSet back through the Workspace parser: its template is a
// Workspace's inference, its replicas the Workspace count.
func (InferenceSet) Parse(obj *unstructured.Unstructured) (runtimes.DeploymentConfig, error) {
	if err := runtimes.CheckKind(obj, inferenceSetCRD); err != nil {
		return runtimes.DeploymentConfig{}, err
	}
	replicas := int64(1) // the CRD's default
	if n, ok, _ := unstructured.NestedInt64(obj.Object, "spec", "replicas"); ok {
		replicas = n
	} else if f, ok, _ := unstructured.NestedFloat64(obj.Object, "spec", "replicas"); ok {
		replicas = int64(f)
	}
	sel, _, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "labelSelector")
	inf, _, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "template", "inference")
	ws := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": crd.APIVersion(), "kind": crd.Kind,
		"metadata":  obj.Object["metadata"],
		"resource":  map[string]any{"count": replicas, "labelSelector": sel},
		"inference": inf,
	}}
	cfg, err := Runtime{}.Parse(ws)
	if err != nil {
		return cfg, err
	}
	cfg.KAITO.InferenceSet = runtimes.Bool(true)
	return cfg, nil
}

// Condition types of the InferenceSet status (api/v1beta1/condition_types.go @ v0.12.0).
const (
	condInferenceSetReady    = "InferenceSetReady"
	condInferenceSetDeleting = "InferenceSetDeleting"
)

// Status maps the InferenceSet status: InferenceSetReady is True when every desired
// Workspace has succeeded (status.readyReplicas == spec.replicas); otherwise its message says
// how many are ready ("inferenceset is not ready, 1/2 replicas are ready").
func (InferenceSet) Status(obj *unstructured.Unstructured, pods []corev1.Pod, events []corev1.Event) runtimes.Status {
	conds := runtimes.Conditions(obj)
	observed, ok := runtimes.ConditionsObservedGeneration(conds)
	st := runtimes.Status{Desired: 1, Current: !ok || observed >= obj.GetGeneration()}
	if _, found, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "replicas"); found {
		st.Desired = runtimes.IntAt(obj.Object, "spec", "replicas") // 0 is a valid size
	}
	ready := runtimes.IntAt(obj.Object, "status", "readyReplicas")
	if c, ok := runtimes.FindCondition(conds, condInferenceSetDeleting); ok && c.IsTrue() {
		st.Phase = runtimes.PhaseTerminating
		return runtimes.Finish(st, obj, pods, events)
	}
	c, has := runtimes.FindCondition(conds, condInferenceSetReady)
	switch {
	case has && c.IsTrue() && ready >= st.Desired:
		st.Phase = runtimes.PhaseRunning
		st.Ready, st.Available = st.Desired, st.Desired
	case !has:
		st.Phase = runtimes.PhasePending
	default:
		st.Phase = runtimes.PhaseDeploying
		st.Ready, st.Available = ready, ready
		st.Message = condInferenceSetReady + ": " + c.Describe()
	}
	return runtimes.Finish(st, obj, pods, events)
}

// OwnsPod matches the created-by label KAITO puts on the pods of every Workspace of the set.
func (InferenceSet) OwnsPod(obj *unstructured.Unstructured, pod corev1.Pod) bool {
	return pod.Labels[createdByKey] == obj.GetName()
}

// ReplaceReasons: spec.replicas changes in place (the controller adds or deletes Workspaces).
// The controller never updates the Workspaces it has created from a changed template or
// selector (addOrUpdateInferenceSet reconciles only their labels,
// pkg/inferenceset/inferenceset_controller.go @ v0.12.0), and their
// resource.labelSelector is immutable, so those changes replace the deployment.
func (InferenceSet) ReplaceReasons(prior, planned *unstructured.Unstructured) []string {
	return replaceReasons(prior, planned, []replaceField{
		{[]string{"spec", "labelSelector"}, "spec.labelSelector (kaito.label_selector, kaito.compute_type) never reaches the InferenceSet's existing Workspaces, whose selector is immutable"},
		{[]string{"spec", "template"}, "KAITO's InferenceSet controller never updates the Workspaces it created from a changed template, so the model, image, arguments, resources and environment can only change by recreating the InferenceSet"},
	})
}

// kindChange explains a move between a Workspace and an InferenceSet; "" when the kind stays.
func kindChange(prior, planned *unstructured.Unstructured) string {
	if prior.GetKind() == "" || planned.GetKind() == "" || prior.GetKind() == planned.GetKind() {
		return ""
	}
	return fmt.Sprintf("kaito.inference_set moves the deployment from a KAITO %s to a %s", prior.GetKind(), planned.GetKind())
}

// CheckInstallation looks for the InferenceSet CRD and a running KAITO workspace controller
// (which runs the InferenceSet controller).
func (r InferenceSet) CheckInstallation(ctx context.Context, c kubernetes.Interface, d dynamic.Interface) (runtimes.InstallationStatus, error) {
	spec := r.Install()
	spec.CRDNames = []string{inferenceSetCRD.Name()}
	return runtimes.CheckInstallation(ctx, c, d, r.DisplayName()+" InferenceSet", spec)
}
