package deploymentrequest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo/dgdr"
)

const (
	defaultCreateTimeout = 60 * time.Minute // a rapid profile plus the graph's rollout
	defaultUpdateTimeout = 30 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

func (r *requestResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := r.data.KubeClient(ctx, &resp.Diagnostics)
	if c == nil {
		return
	}
	ns, name := plan.Namespace.ValueString(), plan.Name.ValueString()
	_, err := c.Dynamic.Resource(dgdr.GVR).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
	switch {
	case err == nil:
		resp.Diagnostics.AddError("Deployment request already exists",
			fmt.Sprintf("DynamoGraphDeploymentRequest %s/%s already exists. Import it instead: terraform import <address> %s/%s", ns, name, ns, name))
		return
	case notServed(err):
		resp.Diagnostics.AddError("Dynamo is not installed",
			fmt.Sprintf("the cluster does not serve %s (%v): install the Dynamo operator 1.4 or later first, e.g. with kubefoundry_runtime_install "+
				"and depends_on", dgdr.CRDName, err))
		return
	case !apierrors.IsNotFound(err):
		resp.Diagnostics.AddError("Checking for an existing deployment request failed", err.Error())
		return
	}
	r.apply(ctx, c, &plan, &resp.State, &resp.Diagnostics, "Creating the deployment request failed")
}

func (r *requestResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := r.data.KubeClient(ctx, &resp.Diagnostics)
	if c == nil {
		return
	}
	r.apply(ctx, c, &plan, &resp.State, &resp.Diagnostics, "Updating the deployment request failed")
}

// apply server-side applies the request, records it in state at once (it exists from here
// on, whatever the wait says) and waits when asked to.
func (r *requestResource) apply(ctx context.Context, c *kube.Client, plan *model, state *tfsdk.State, diags *diag.Diagnostics, failure string) {
	request := plan.request(ctx, diags)
	if diags.HasError() {
		return
	}
	obj, err := c.Apply(ctx, dgdr.GVR, dgdr.Manifest(request), kube.ApplyOptions{Force: true})
	if err != nil {
		diags.AddError(failure, admissionMessage(err))
		return
	}
	save := func(o *unstructured.Unstructured) {
		next := *plan
		next.setFromObject(ctx, o, diags)
		// Inputs the operator does not echo keep their planned form.
		next.GraphOverride = plan.GraphOverride
		next.Timeouts, next.Wait, next.KeepGraphOnDestroy = plan.Timeouts, plan.Wait, plan.KeepGraphOnDestroy
		diags.Append(state.Set(ctx, &next)...)
	}
	save(obj)
	if diags.HasError() || !plan.Wait.ValueBool() {
		return
	}
	tflog.Info(ctx, fmt.Sprintf("%s/%s: waiting for the Dynamo operator to profile the model and %s", obj.GetNamespace(), obj.GetName(),
		map[bool]string{true: "deploy the generated graph", false: "generate the graph"}[request.AutoApply == nil || *request.AutoApply]))
	settled, err := waitSettled(ctx, c, obj.GetNamespace(), obj.GetName(), request.AutoApply == nil || *request.AutoApply)
	if settled != nil {
		save(settled)
	}
	if err != nil {
		diags.AddError("Deployment request did not complete", err.Error())
	}
}

func (r *requestResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.data.KubeClient(ctx, &resp.Diagnostics)
	if c == nil {
		return
	}
	ns, name := state.Namespace.ValueString(), state.Name.ValueString()
	obj, err := c.Dynamic.Resource(dgdr.GVR).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		tflog.Warn(ctx, fmt.Sprintf("DynamoGraphDeploymentRequest %s/%s no longer exists; removing it from state", ns, name))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Reading the deployment request failed", err.Error())
		return
	}
	state.setFromObject(ctx, obj, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete removes the request, then the graph it generated. The operator gives the graph
// no owner reference (createDGD @ 1.4.0: "If a DGDR is deleted, the DGD may be serving
// traffic and should persist independently"), so without this it would keep its GPUs
// after destroy. The request goes first: while it exists the operator may (re)create the
// graph. Its profiling Job and output ConfigMap are owned by it and go with it.
func (r *requestResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := r.data.KubeClient(ctx, &resp.Diagnostics)
	if c == nil {
		return
	}
	ns, name := state.Namespace.ValueString(), state.Name.ValueString()
	fg := metav1.DeletePropagationForeground
	err := c.Dynamic.Resource(dgdr.GVR).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &fg})
	if err != nil && !apierrors.IsNotFound(err) && !notServed(err) {
		resp.Diagnostics.AddError("Deleting the deployment request failed", err.Error())
		return
	}
	if err == nil {
		if _, err := c.WaitDeleted(ctx, dgdr.GVR, ns, name); err != nil {
			resp.Diagnostics.AddError("Deleting the deployment request did not finish",
				fmt.Sprintf("%s/%s still exists (%v): the Dynamo operator removes its finalizer; is it running?", ns, name, err))
			return
		}
	}
	graphs, err := generatedGraphs(ctx, c, ns, name)
	if err != nil {
		resp.Diagnostics.AddError("Listing the generated graph failed", err.Error())
		return
	}
	if state.KeepGraphOnDestroy.ValueBool() {
		if len(graphs) > 0 {
			resp.Diagnostics.AddWarning("Generated graph kept",
				fmt.Sprintf("keep_graph_on_destroy is set, so the DynamoGraphDeployment %s in namespace %s that the request generated is still running "+
					"and holds its GPUs. Delete it with kubectl delete dynamographdeployment -n %s %s when it is no longer needed.",
					strings.Join(graphs, ", "), ns, ns, strings.Join(graphs, " ")))
		}
		return
	}
	for _, g := range graphs {
		tflog.Info(ctx, fmt.Sprintf("deleting the generated graph %s/%s", ns, g))
		err := c.Dynamic.Resource(dgdr.GraphGVR).Namespace(ns).Delete(ctx, g, metav1.DeleteOptions{PropagationPolicy: &fg})
		if err != nil && !apierrors.IsNotFound(err) {
			resp.Diagnostics.AddError("Deleting the generated graph failed", fmt.Sprintf("%s/%s: %v", ns, g, err))
			return
		}
		if _, err := c.WaitDeleted(ctx, dgdr.GraphGVR, ns, g); err != nil {
			resp.Diagnostics.AddError("Deleting the generated graph did not finish", fmt.Sprintf("%s/%s: %v", ns, g, err))
			return
		}
	}
}

// generatedGraphs lists the graphs the operator created for the request, by the labels it
// puts on them; a graph of the same name that lacks them is not ours and is left alone.
func generatedGraphs(ctx context.Context, c *kube.Client, ns, name string) ([]string, error) {
	list, err := c.Dynamic.Resource(dgdr.GraphGVR).Namespace(ns).List(ctx, metav1.ListOptions{
		LabelSelector: dgdr.LabelName + "=" + name + "," + dgdr.LabelNamespace + "=" + ns,
	})
	if notServed(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list.Items))
	for _, g := range list.Items {
		out = append(out, g.GetName())
	}
	return out, nil
}

// notServed is a 404 for the kind itself (no CRD) rather than for one object.
func notServed(err error) bool {
	if !apierrors.IsNotFound(err) {
		return false
	}
	var st apierrors.APIStatus
	if s, ok := err.(apierrors.APIStatus); ok { //nolint:errorlint // the client returns *StatusError as is
		st = s
	}
	return st != nil && (st.Status().Details == nil || st.Status().Details.Name == "")
}

// admissionMessage shortens the API server's wrapping of a webhook or schema refusal.
func admissionMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "admission webhook"); i >= 0 {
		return "the Dynamo operator refused the request: " + msg[i:]
	}
	return msg
}
