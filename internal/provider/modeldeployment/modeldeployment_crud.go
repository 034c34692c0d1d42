package modeldeployment

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/registry"
)

const (
	defaultCreateTimeout = 30 * time.Minute // model downloads are slow
	defaultUpdateTimeout = 30 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

// prepared is everything apply needs, derived from the planned state.
type prepared struct {
	runtime rt.Runtime
	cfg     rt.DeploymentConfig
	objects rt.Manifests
	client  *kube.Client
}

func (r *deploymentResource) prepare(ctx context.Context, plan model, diags *diag.Diagnostics) *prepared {
	runtime, err := runtimeFor(plan.Runtime.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("runtime"), "Unknown runtime", err.Error())
		return nil
	}
	cfg := plan.toConfig(ctx, hubEndpoint(r.data), diags)
	runtime.Defaults(&cfg)
	if ps := runtime.Validate(cfg); len(ps) > 0 {
		for _, p := range ps {
			diags.AddAttributeError(problemPath(p), "Invalid model deployment", p.String())
		}
		return nil
	}
	runtime = rt.ForConfig(runtime, cfg) // the renderer of the configured API version
	objs, err := runtime.Manifests(cfg)
	if err != nil {
		diags.AddError("Rendering the manifest failed", err.Error())
		return nil
	}
	markOwned(objs.Primary, r.ownerMarker(runtime, cfg))
	client := r.data.KubeClient(ctx, diags)
	if client == nil {
		return nil
	}
	return &prepared{runtime: runtime, cfg: cfg, objects: objs, client: client}
}

func (r *deploymentResource) ownerMarker(runtime rt.Runtime, cfg rt.DeploymentConfig) string {
	owner := ""
	if r.data != nil {
		owner = r.data.OwnershipID
	}
	return ownerMarker(owner, runtime.CRD().Kind, cfg.Namespace, cfg.Name)
}

func (r *deploymentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	p := r.prepare(ctx, plan, &resp.Diagnostics)
	if p == nil {
		return
	}
	ns, name := p.cfg.Namespace, p.cfg.Name
	gvr := p.runtime.CRD().GVR()

	// Refuse to take over an object we did not create; a 404 without a name means the
	// custom resource type itself is not served yet.
	existing, err := p.client.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
	switch {
	case err == nil && adoptable(existing, r.ownerMarker(p.runtime, p.cfg)):
		tflog.Warn(ctx, fmt.Sprintf("%s %s/%s exists and carries this resource's %s marker (an earlier apply was interrupted "+
			"before its state was saved); adopting it", p.runtime.CRD().Kind, ns, name, ownerAnnotation))
	case err == nil:
		hint := ""
		if m := existing.GetAnnotations()[ownerAnnotation]; m != "" {
			hint = fmt.Sprintf(" It carries a %s marker of another configuration (a different provider `ownership_id`, or another state).", ownerAnnotation)
		}
		resp.Diagnostics.AddError("Model deployment already exists",
			fmt.Sprintf("%s %s/%s already exists.%s Import it instead of creating it: terraform import <address> %s/%s",
				p.runtime.CRD().Kind, ns, name, hint, ns, name))
		return
	case typeNotServed(err):
		if err := waitForCRD(ctx, p.client, p.runtime); err != nil {
			if errors.Is(err, errVersionNotServed) {
				resp.Diagnostics.AddAttributeError(versionAttribute(p.runtime), "API version not served by the cluster", err.Error())
				return
			}
			resp.Diagnostics.AddError("Runtime not installed", err.Error())
			return
		}
	case !apierrors.IsNotFound(err):
		resp.Diagnostics.AddError("Checking for an existing deployment failed", err.Error())
		return
	}

	if !checkGatewayCRDs(ctx, p.client, p.cfg, &resp.Diagnostics) || !r.writeHFSecret(ctx, req.Config, p, &resp.Diagnostics) {
		return
	}
	next, ok := holdAdapterReplicas(ctx, p, &resp.Diagnostics)
	if !ok || !applyPrimary(ctx, p, &plan, &resp.State, resp.Identity, &resp.Diagnostics, "Creating the model deployment failed") ||
		!applyAfterAdapters(ctx, p, next, &resp.Diagnostics) {
		return
	}
	r.finishApply(ctx, p, &plan, &resp.State, &resp.Diagnostics)
}

func (r *deploymentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	p := r.prepare(ctx, plan, &resp.Diagnostics)
	if p == nil {
		return
	}
	if !checkGatewayCRDs(ctx, p.client, p.cfg, &resp.Diagnostics) {
		return
	}
	if !plan.HFTokenWOVersion.Equal(state.HFTokenWOVersion) && !r.writeHFSecret(ctx, req.Config, p, &resp.Diagnostics) {
		return
	}
	next, ok := holdAdapterReplicas(ctx, p, &resp.Diagnostics)
	if !ok || !applyPrimary(ctx, p, &plan, &resp.State, resp.Identity, &resp.Diagnostics, "Updating the model deployment failed") ||
		!applyAfterAdapters(ctx, p, next, &resp.Diagnostics) {
		return
	}
	r.removeStaleCompanions(ctx, p, state, &resp.Diagnostics)
	r.finishApply(ctx, p, &plan, &resp.State, &resp.Diagnostics)
}

// applyPrimary server-side applies the custom resource and records it in state at once:
// from here on the object exists, so nothing that fails later may lose it.
func applyPrimary(ctx context.Context, p *prepared, plan *model, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics, failure string) bool {
	obj, err := p.client.Apply(ctx, p.runtime.CRD().GVR(), p.objects.Primary, kube.ApplyOptions{Force: true})
	if err != nil {
		if typeNotServed(err) {
			if msg, ok := unservedVersion(ctx, p.client, p.runtime); ok {
				diags.AddAttributeError(versionAttribute(p.runtime), "API version not served by the cluster", msg)
				return false
			}
		}
		diags.AddError(failure, applyError(err, p.runtime))
		return false
	}
	plan.setStatus(p.runtime.Status(obj, nil, nil))
	setGatewayStatus(ctx, p.client, p.cfg, plan)
	diags.Append(state.Set(ctx, plan)...)
	diags.Append(identity.Set(ctx, identityModel{Namespace: p.cfg.Namespace, Name: p.cfg.Name})...)
	return !diags.HasError()
}

// stateSetter is the part of tfsdk.State that finishApply needs.
type stateSetter interface {
	Set(ctx context.Context, v any) diag.Diagnostics
}

// finishApply applies companions and waits; the state is updated with the last status
// whatever happens, so a failed wait still records the object.
func (r *deploymentResource) finishApply(ctx context.Context, p *prepared, plan *model, state stateSetter, diags *diag.Diagnostics) {
	for _, c := range p.objects.Companions {
		if _, err := p.client.Apply(ctx, gvrOf(c), c, kube.ApplyOptions{Force: true}); err != nil {
			diags.AddError("Applying a companion object failed", fmt.Sprintf("%s %s: %v", c.GetKind(), c.GetName(), err))
			return
		}
	}
	if p.cfg.Gateway != nil { // the route exists now: report what the Gateway says about it
		setGatewayStatus(ctx, p.client, p.cfg, plan)
		diags.Append(state.Set(ctx, plan)...)
	}
	if !plan.WaitForReady.ValueBool() {
		return
	}
	st, err := waitReady(ctx, p.client, p.runtime, p.cfg.Namespace, p.cfg.Name, rt.DownloadJob(p.objects))
	if st.Phase != "" {
		plan.setStatus(st)
		setGatewayStatus(ctx, p.client, p.cfg, plan)
		diags.Append(state.Set(ctx, plan)...)
	}
	if err != nil {
		diags.AddError("Model deployment is not ready", err.Error()+
			". The deployment exists and is recorded in state; fix the cause and apply again, or set wait_for_ready = false.")
	}
}

func (r *deploymentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	runtime, err := stateRuntime(ctx, state, &resp.Diagnostics)
	if err != nil {
		resp.Diagnostics.AddError("Unknown runtime in state", err.Error())
		return
	}
	client := r.data.KubeClient(ctx, &resp.Diagnostics)
	if client == nil {
		return
	}
	ns, name := state.Namespace.ValueString(), state.Name.ValueString()
	resp.Diagnostics.Append(resp.Identity.Set(ctx, identityModel{Namespace: ns, Name: name})...)
	obj, err := client.Dynamic.Resource(runtime.CRD().GVR()).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
	if typeNotServed(err) {
		// The cluster serves the CRD at another API version only (e.g. a Dynamo 0.x cluster
		// and a state without dynamo.api_version): read it there rather than forget it.
		if other, o, ferr := findObject(ctx, client, runtime, ns, name); ferr == nil && o != nil {
			runtime, obj, err = other, o, nil
		}
	}
	if apierrors.IsNotFound(err) {
		tflog.Warn(ctx, fmt.Sprintf("%s %s/%s no longer exists; removing it from state", runtime.CRD().Kind, ns, name))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Reading the model deployment failed", err.Error())
		return
	}
	r.refreshFromObject(ctx, client, runtime, obj, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// refreshFromObject rebuilds the attributes from the live object, so out-of-band edits
// become a planned update.
func (r *deploymentResource) refreshFromObject(ctx context.Context, client *kube.Client, runtime rt.Runtime, obj *unstructured.Unstructured, m *model, diags *diag.Diagnostics) {
	// view: the live object with the autoscaler's replicas masked (status reads the real one).
	view := r.maskAutoscaled(ctx, runtime, obj, *m)
	live, err := runtime.Parse(view)
	if err != nil {
		diags.AddError("Reading the model deployment failed",
			fmt.Sprintf("%s %s/%s cannot be read as a %s deployment: %v", obj.GetKind(), obj.GetNamespace(), obj.GetName(), runtime.ID(), err))
		return
	}
	live.Runtime = runtime.ID()
	runtime.Defaults(&live)
	prior := m.toConfig(ctx, hubEndpoint(r.data), diags)
	if m.Model.IsNull() { // import: no prior configuration
		live.Autoscaling = readAutoscaling(ctx, client, obj, diags)
		m.Autoscaling = autoscalingValue(ctx, live.Autoscaling, diags)
		if w := importPodResources(runtime, live, view); w != nil {
			live.Workload = w
			m.Pod = podResourcesValue(ctx, w.Pod, diags)
		}
		prior = live
	} else {
		runtime.Defaults(&prior)
	}
	want, err := runtime.Manifests(prior)
	if err != nil {
		want, err = runtime.Manifests(live)
	}
	if err != nil {
		diags.AddError("Rendering the manifest failed", err.Error())
		return
	}
	manifest, err := projectYAML(view.Object, want.Primary.Object)
	if err != nil {
		diags.AddError("Encoding the manifest failed", err.Error())
		return
	}
	if overridesMatch(prior, want, manifest) {
		live = prior // Parse would read the patched fields back into the attributes: a diff forever
	}
	m.setConfig(live)
	m.ID = types.StringValue(live.Namespace + "/" + live.Name)
	m.Endpoint = types.StringValue(runtime.Endpoint(live))
	m.Manifest = types.StringValue(manifest)
	if companions, err := projectCompanions(ctx, client, want.Companions); err != nil {
		diags.AddWarning("Reading the companion objects failed", err.Error()+". Their drift is not checked in this refresh.")
	} else {
		m.CompanionManifests = companions
	}
	if m.WaitForReady.IsNull() {
		m.WaitForReady = types.BoolValue(true)
	}
	if m.GPUFitCheck.IsNull() {
		m.GPUFitCheck = types.StringValue("warn")
	}
	st := runtime.Status(obj, nil, nil)
	if st.Phase != rt.PhaseRunning {
		// Only a deployment that is not serving costs the extra reads for its cause.
		if pods, events, err := podsAndEvents(ctx, client, runtime, obj); err == nil {
			st = runtime.Status(obj, pods, events)
		}
	}
	m.setStatus(st)
	setGatewayStatus(ctx, client, prior, m)
	m.EstimatedHourlyCost = r.estimatedHourlyCost(ctx, prior)
}

func (r *deploymentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	runtime, err := stateRuntime(ctx, state, &resp.Diagnostics)
	if err != nil {
		resp.Diagnostics.AddError("Unknown runtime in state", err.Error())
		return
	}
	client := r.data.KubeClient(ctx, &resp.Diagnostics)
	if client == nil {
		return
	}
	ns, name := state.Namespace.ValueString(), state.Name.ValueString()
	gvr := runtime.CRD().GVR()
	// Background, not foreground: with foreground the API server keeps the object until
	// the garbage collector has processed it (about a second per object with the
	// controller-manager's default 20 QPS client, and up to its 30 s discovery resync for a
	// freshly installed CRD), which serialises a destroy of many deployments. Instead the
	// object goes at once and destroy then waits until the deployment's pods are gone.
	// The live object names what its pods carry (KubeRay: the RayCluster names in its status).
	owner, err := client.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		owner = &unstructured.Unstructured{}
		owner.SetName(name)
	}
	background := metav1.DeletePropagationBackground
	delErr := client.Dynamic.Resource(gvr).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &background})
	if delErr != nil && !apierrors.IsNotFound(delErr) {
		resp.Diagnostics.AddError("Deleting the model deployment failed", delErr.Error())
		return
	}
	cfg := state.toConfig(ctx, hubEndpoint(r.data), &resp.Diagnostics)
	runtime.Defaults(&cfg)
	if objs, err := runtime.Manifests(cfg); err == nil {
		for _, c := range objs.Companions {
			if rt.KeepOnDelete(cfg, c) {
				tflog.Info(ctx, fmt.Sprintf("keeping %s %s/%s (model_cache.delete_claim_on_destroy is not set, or the claim is not ours)", c.GetKind(), ns, c.GetName()))
				continue
			}
			r.deleteQuietly(ctx, client, c, &resp.Diagnostics)
		}
	}
	if !state.HFTokenWOVersion.IsNull() {
		err := client.Typed.CoreV1().Secrets(ns).Delete(ctx, hfSecretName(name), metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			resp.Diagnostics.AddWarning("Deleting the Hugging Face token Secret failed", err.Error())
		}
	}
	if delErr == nil {
		if last, err := client.WaitDeleted(ctx, gvr, ns, name); err != nil {
			resp.Diagnostics.AddError("Model deployment not deleted in time", deleteBlocker(last, err))
			return
		}
	}
	left, err := client.WaitNoPods(ctx, ns, func(p *corev1.Pod) bool { return belongsTo(runtime, owner, *p) })
	if err != nil {
		resp.Diagnostics.AddError("Model deployment pods not deleted in time",
			fmt.Sprintf("%s %s/%s is deleted but its pods %s are still present (the garbage collector and the kubelet remove "+
				"them; a pod finalizer or an unreachable node holds them): %v", runtime.CRD().Kind, ns, name, strings.Join(left, ", "), err))
	}
}

func (r *deploymentResource) deleteQuietly(ctx context.Context, c *kube.Client, obj *unstructured.Unstructured, diags *diag.Diagnostics) {
	// Background: a Job's pods go with it (the API's default for Jobs orphans them).
	bg := metav1.DeletePropagationBackground
	err := c.Dynamic.Resource(gvrOf(obj)).Namespace(obj.GetNamespace()).Delete(ctx, obj.GetName(), metav1.DeleteOptions{PropagationPolicy: &bg})
	if err != nil && !apierrors.IsNotFound(err) {
		diags.AddWarning("Deleting a companion object failed", fmt.Sprintf("%s %s: %v", obj.GetKind(), obj.GetName(), err))
	}
}

// removeStaleCompanions deletes companions the previous configuration had and the new one does not.
func (r *deploymentResource) removeStaleCompanions(ctx context.Context, p *prepared, prior model, diags *diag.Diagnostics) {
	old := prior.toConfig(ctx, hubEndpoint(r.data), diags)
	p.runtime.Defaults(&old)
	oldObjs, err := p.runtime.Manifests(old)
	if err != nil {
		return
	}
	keep := map[string]bool{}
	for _, c := range p.objects.Companions {
		keep[c.GetKind()+"/"+c.GetName()] = true
	}
	for _, c := range oldObjs.Companions {
		if !keep[c.GetKind()+"/"+c.GetName()] && !rt.KeepOnDelete(old, c) {
			r.deleteQuietly(ctx, p.client, c, diags)
		}
	}
}

func (r *deploymentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ns, name := "", ""
	if req.ID != "" {
		parts := strings.Split(req.ID, "/")
		if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
			resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("expected <namespace>/<name>, got %q", req.ID))
			return
		}
		ns, name = parts[0], parts[1]
	} else {
		var id identityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		if resp.Diagnostics.HasError() {
			return
		}
		ns, name = id.Namespace, id.Name
	}
	client := r.data.KubeClient(ctx, &resp.Diagnostics)
	if client == nil {
		return
	}
	// The runtime is whichever one has a custom resource of that name; a runtime with several
	// API versions is tried newest first, so the version the cluster serves is detected.
	for _, candidate := range registry.All() {
		runtime, obj, err := findObject(ctx, client, candidate, ns, name)
		if err != nil || obj == nil {
			continue
		}
		for attr, v := range map[string]string{"namespace": ns, "name": name, "runtime": runtime.ID(), "id": ns + "/" + name} {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
		}
		if cfg, err := runtime.Parse(obj); err == nil && cfg.Dynamo != nil {
			var m model
			m.setDynamo(cfg)
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("dynamo"), m.Dynamo)...)
		} else if err == nil && cfg.VLLM != nil {
			// vllm.nodes selects the object kind (Deployment or LeaderWorkerSet) Read looks up.
			var m model
			m.setVLLM(cfg)
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("vllm"), m.VLLM)...)
		} else if err == nil && cfg.KServe != nil {
			// kserve.api_version selects the version Read looks up.
			var m model
			m.setKServe(cfg)
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("kserve"), m.KServe)...)
		} else if err == nil && cfg.KAITO != nil {
			// kaito.inference_set selects the kind (Workspace or InferenceSet) Read looks up.
			var m model
			m.setKAITO(cfg)
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("kaito"), m.KAITO)...)
		}
		resp.Diagnostics.Append(resp.Identity.Set(ctx, identityModel{Namespace: ns, Name: name})...)
		return
	}
	resp.Diagnostics.AddError("Model deployment not found",
		fmt.Sprintf("no DynamoGraphDeployment, RayService, KAITO Workspace or InferenceSet, vLLM Deployment or LeaderWorkerSet, or LLMInferenceService named %q exists in namespace %q", name, ns))
}

// typeNotServed tells a 404 for an unknown resource type (CRD missing) from a missing object.
func typeNotServed(err error) bool {
	var se *apierrors.StatusError
	if !errors.As(err, &se) || !apierrors.IsNotFound(err) {
		return false
	}
	return se.ErrStatus.Details == nil || se.ErrStatus.Details.Name == ""
}

func applyError(err error, runtime rt.Runtime) string {
	if typeNotServed(err) {
		return fmt.Sprintf("the %s CRD %s is not installed: %v", runtime.DisplayName(), runtime.CRD().Name(), err)
	}
	return err.Error()
}

func deleteBlocker(last *unstructured.Unstructured, err error) string {
	if last != nil && len(last.GetFinalizers()) > 0 {
		return fmt.Sprintf("%s %s/%s is still present, held by finalizers %s (their controller must remove them): %v",
			last.GetKind(), last.GetNamespace(), last.GetName(), strings.Join(last.GetFinalizers(), ", "), err)
	}
	return err.Error()
}
