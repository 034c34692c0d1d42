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

// The runtimes' custom resources, as an operator watches them.
var (
	DynamoGVR  = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1alpha1", Resource: "dynamographdeployments"}
	KubeRayGVR = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayservices"}
	KaitoGVR   = schema.GroupVersionResource{Group: "kaito.sh", Version: "v1beta1", Resource: "workspaces"}
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
		state, cond := "initializing", condition("Ready", "False", "ComponentsNotReady", nonEmpty(message, "workers starting"), gen)
		switch phase {
		case "Running":
			state, cond = "successful", condition("Ready", "True", "AllComponentsReady", "all components are ready", gen)
		case "Failed":
			state, cond = "failed", condition("Ready", "False", "DeploymentFailed", message, gen)
		}
		return map[string]any{"state": state, "conditions": []any{cond}}
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

func nonEmpty(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// SetStatus writes status through the status subresource, retrying on conflicts.
func SetStatus(ctx context.Context, d dynamic.Interface, gvr schema.GroupVersionResource, ns, name string, status func(gen int64) map[string]any) error {
	return retry.RetryOnConflict(wait.Backoff{Steps: 20, Duration: 20 * time.Millisecond, Factor: 1.5, Cap: time.Second}, func() error {
		obj, err := d.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		obj.Object["status"] = status(obj.GetGeneration())
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
	gvr := GVRFor(runtimeID)
	handled := map[string]int64{} // by UID: the last generation reported on
	for ctx.Err() == nil {
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
			go report(ctx, d, runtimeID, obj.GetNamespace(), obj.GetName(), out)
		}
		w.Stop()
	}
}

func report(ctx context.Context, d dynamic.Interface, runtimeID, ns, name string, out Outcome) {
	gvr := GVRFor(runtimeID)
	write := func(phase, msg string) {
		err := SetStatus(ctx, d, gvr, ns, name, func(gen int64) map[string]any { return StatusFor(runtimeID, phase, msg, gen, 1) })
		if err != nil && ctx.Err() == nil {
			fmt.Printf("operator: %s %s/%s: %v\n", runtimeID, ns, name, err)
		}
	}
	write("Deploying", "")
	if out.Phase == "Deploying" {
		return
	}
	select {
	case <-ctx.Done():
		return
	case <-time.After(out.Delay):
	}
	write(out.Phase, out.Message)
}
