package testcluster

import (
	"context"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/util/retry"
)

// The runtimes' custom resources, as an operator watches them. DynamoGVR is the v1beta1
// storage version of Dynamo 1.4 (the current CRD set); DynamoV1Alpha1GVR is what a cluster
// with the previous CRDs serves.
var (
	DynamoGVR         = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	DynamoV1Alpha1GVR = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1alpha1", Resource: "dynamographdeployments"}
	KubeRayGVR        = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayservices"}
	KaitoGVR          = schema.GroupVersionResource{Group: "kaito.sh", Version: "v1beta1", Resource: "workspaces"}
)

// GVRFor returns the custom resource of a runtime id.
func GVRFor(runtimeID string) schema.GroupVersionResource {
	switch runtimeID {
	case "dynamo":
		return DynamoGVR
	case "kuberay":
		return KubeRayGVR
	default:
		return KaitoGVR
	}
}

// Outcome is what the played operator reports for one generation of an object.
type Outcome struct {
	Phase   string // "Running", "Failed" or "Deploying"
	Message string
	// Delay is how long the object stays Deploying before Phase is written.
	Delay time.Duration
	// Reason overrides the Dynamo Ready reason of a Failed phase (default
	// failed_to_reconcile_the_resources, which the 1.4 operator retries).
	Reason string
	// TransientFailure, when set, is reported as a retried Dynamo failure for half the
	// delay before Phase: the 1.4 operator writes state=failed for any failed pass (D6).
	TransientFailure string
}

func condition(typ, status, reason, message string, gen int64) map[string]any {
	return map[string]any{"type": typ, "status": status, "reason": reason, "message": message,
		"lastTransitionTime": time.Now().UTC().Format(time.RFC3339), "observedGeneration": gen}
}

// StatusFor builds the status a runtime's operator writes for a phase, using the real
// status fields of each CRD, stamped with the generation it describes.
func StatusFor(runtimeID, phase, message string, gen, replicas int64) map[string]any {
	ready := int64(0)
	if phase == "Running" {
		ready = replicas
	}
	switch runtimeID {
	case "dynamo":
		return dynamoStatus(phase, message, "", gen, nil)
	case "kuberay":
		appStatus, cond := "DEPLOYING", condition("Ready", "False", "Initializing", nonEmpty(message, "RayCluster is being created"), gen)
		switch phase {
		case "Running":
			appStatus, cond = "RUNNING", condition("Ready", "True", "NonZeroServeEndpoints", "Number of serve endpoints is greater than 0", gen)
		case "Failed":
			appStatus, cond = "DEPLOY_FAILED", condition("Ready", "False", "NonReadyServeApplications", message, gen)
		}
		return map[string]any{"observedGeneration": gen, "conditions": []any{cond},
			"activeServiceStatus": map[string]any{
				"rayClusterStatus":    map[string]any{"desiredWorkerReplicas": replicas, "readyWorkerReplicas": ready, "availableWorkerReplicas": ready},
				"applicationStatuses": map[string]any{"llm_app": map[string]any{"status": appStatus, "message": message}},
			}}
	default:
		conds := []any{
			condition("ResourceReady", "True", "workspaceResourceStatusSuccess", "ok", gen),
			condition("InferenceReady", "False", "WorkspaceInferenceStatusPending", nonEmpty(message, "inference workload is starting"), gen),
			condition("WorkspaceSucceeded", "False", "workspacePending", "workspace is waiting for inference workload readiness", gen),
		}
		switch phase {
		case "Running":
			conds[1] = condition("InferenceReady", "True", "WorkspaceInferenceStatusSuccess", "Inference has been deployed successfully", gen)
			conds[2] = condition("WorkspaceSucceeded", "True", "workspaceSucceeded", "workspace succeeds", gen)
		case "Failed":
			conds[1] = condition("InferenceReady", "False", "WorkspaceInferenceStatusFailed", message, gen)
			conds[2] = condition("WorkspaceSucceeded", "False", "workspaceFailed", message, gen)
		}
		st := map[string]any{"conditions": conds}
		if phase == "Running" {
			st["workerNodes"] = []any{"gpu-node-0"}
		}
		return st
	}
}

// dynamoStatus is a Dynamo 1.4 v1beta1 status (api/v1beta1/dynamographdeployment_types.go
// :97-134 @ 1.4.0): observedGeneration only on successful passes, state, the Ready
// condition with the operator's snake_case reasons, and per-component replica counts for
// the components of obj's spec (when given). A v1alpha1 object gets the same map; the
// API server prunes what the previous CRD does not know.
func dynamoStatus(phase, message, reason string, gen int64, obj *unstructured.Unstructured) map[string]any {
	st := map[string]any{}
	ready := int64(0)
	switch phase {
	case "Running":
		ready = 1
		st["state"], st["observedGeneration"] = "successful", gen
		st["conditions"] = []any{condition("Ready", "True", "all_resources_are_ready", "All resources are ready", gen)}
	case "Failed":
		st["state"] = "failed" // the operator's Fail() leaves observedGeneration alone
		st["conditions"] = []any{condition("Ready", "False", nonEmpty(reason, "failed_to_reconcile_the_resources"), message, gen)}
	default:
		st["state"], st["observedGeneration"] = "pending", gen
		st["conditions"] = []any{condition("Ready", "False", "some_resources_are_not_ready", nonEmpty(message, "Resources not ready: workers starting"), gen)}
	}
	if obj != nil {
		components, _, _ := unstructured.NestedSlice(obj.Object, "spec", "components")
		byName := map[string]any{}
		for _, raw := range components {
			c, _ := raw.(map[string]any)
			name, _ := c["name"].(string)
			replicas, ok := c["replicas"].(int64)
			if !ok {
				replicas = 1
			}
			byName[name] = map[string]any{"componentKind": "Deployment", "replicas": replicas, "updatedReplicas": replicas,
				"readyReplicas": ready * replicas, "availableReplicas": ready * replicas}
		}
		if len(byName) > 0 {
			st["components"] = byName
		}
	}
	return st
}

func nonEmpty(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// SetStatus writes status through the status subresource, retrying on conflicts.
func SetStatus(ctx context.Context, d dynamic.Interface, gvr schema.GroupVersionResource, ns, name string, status func(gen int64) map[string]any) error {
	return setStatusFor(ctx, d, gvr, ns, name, func(obj *unstructured.Unstructured) map[string]any { return status(obj.GetGeneration()) })
}

func setStatusFor(ctx context.Context, d dynamic.Interface, gvr schema.GroupVersionResource, ns, name string, status func(obj *unstructured.Unstructured) map[string]any) error {
	return retry.RetryOnConflict(wait.Backoff{Steps: 20, Duration: 20 * time.Millisecond, Factor: 1.5, Cap: time.Second}, func() error {
		obj, err := d.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		obj.Object["status"] = status(obj)
		_, err = d.Resource(gvr).Namespace(ns).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		return err
	})
}

// PlayOperators stands in for the runtime operators (which need GPUs and a kubelet): for
// every new generation of a model deployment it writes a Deploying status, then, after the
// outcome's delay, the outcome's status. decide picks the outcome per object; nil means
// Running after a second. It returns when ctx ends.
func PlayOperators(ctx context.Context, d dynamic.Interface, decide func(runtimeID string, obj *unstructured.Unstructured) Outcome) {
	var wg sync.WaitGroup
	for _, id := range []string{"dynamo", "kuberay", "kaito"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			playOne(ctx, d, id, decide)
		}()
	}
	wg.Wait()
}

func playOne(ctx context.Context, d dynamic.Interface, runtimeID string, decide func(string, *unstructured.Unstructured) Outcome) {
	handled := map[string]int64{} // by UID: the last generation reported on
	for ctx.Err() == nil {
		gvr := servedGVR(ctx, d, runtimeID) // again after every watch: a test may swap CRD versions
		w, err := d.Resource(gvr).Namespace(metav1.NamespaceAll).Watch(ctx, metav1.ListOptions{})
		if err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		for ev := range w.ResultChan() {
			obj, ok := ev.Object.(*unstructured.Unstructured)
			if !ok || ev.Type == watch.Deleted || obj.GetDeletionTimestamp() != nil {
				continue
			}
			key := string(obj.GetUID()) // a re-created object starts again at generation 1
			gen := obj.GetGeneration()
			if handled[key] >= gen {
				continue
			}
			handled[key] = gen
			out := Outcome{Phase: "Running", Delay: time.Second}
			if decide != nil {
				out = decide(runtimeID, obj)
			}
			go report(ctx, d, gvr, runtimeID, obj.GetNamespace(), obj.GetName(), out)
		}
		w.Stop()
	}
}

// servedGVR is the runtime's resource at the version the cluster serves: with the previous
// CRD set Dynamo serves only v1alpha1.
func servedGVR(ctx context.Context, d dynamic.Interface, runtimeID string) schema.GroupVersionResource {
	gvr := GVRFor(runtimeID)
	if runtimeID != "dynamo" {
		return gvr
	}
	for ctx.Err() == nil {
		if _, err := d.Resource(gvr).List(ctx, metav1.ListOptions{Limit: 1}); err == nil {
			return gvr
		}
		if _, err := d.Resource(DynamoV1Alpha1GVR).List(ctx, metav1.ListOptions{Limit: 1}); err == nil {
			return DynamoV1Alpha1GVR
		}
		select { // neither served yet (CRD being installed): ask again
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return gvr
}

func report(ctx context.Context, d dynamic.Interface, gvr schema.GroupVersionResource, runtimeID, ns, name string, out Outcome) {
	write := func(phase, msg, reason string) {
		err := setStatusFor(ctx, d, gvr, ns, name, func(obj *unstructured.Unstructured) map[string]any {
			if runtimeID == "dynamo" {
				return dynamoStatus(phase, msg, reason, obj.GetGeneration(), obj)
			}
			return StatusFor(runtimeID, phase, msg, obj.GetGeneration(), 1)
		})
		if err != nil && ctx.Err() == nil {
			fmt.Printf("operator: %s %s/%s: %v\n", runtimeID, ns, name, err)
		}
	}
	sleep := func(d time.Duration) bool {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(d):
			return true
		}
	}
	write("Deploying", "", "")
	if out.Phase == "Deploying" {
		return
	}
	if out.TransientFailure != "" && runtimeID == "dynamo" {
		if !sleep(out.Delay / 2) {
			return
		}
		write("Failed", out.TransientFailure, "")
	}
	if !sleep(out.Delay) {
		return
	}
	write(out.Phase, out.Message, out.Reason)
}
