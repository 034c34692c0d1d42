// Command inspect prints what the operators made in a namespace of the demo cluster: each
// DynamoGraphDeployment's state, and each pod's phase, node, IP and GPUs.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the demo cluster")
	ns := flag.String("namespace", "default", "namespace to show")
	flag.Parse()
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatal(err)
	}
	cs := kubernetes.NewForConfigOrDie(cfg)
	dyn := dynamic.NewForConfigOrDie(cfg)
	ctx := context.Background()
	dgd := schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	if list, err := dyn.Resource(dgd).Namespace(*ns).List(ctx, metav1.ListOptions{}); err == nil {
		for _, o := range list.Items {
			state, _, _ := unstructured.NestedString(o.Object, "status", "state")
			fmt.Printf("DynamoGraphDeployment %s: state %q (written by the Dynamo operator)\n", o.GetName(), state)
		}
	}
	pods, err := cs.CoreV1().Pods(*ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range pods.Items {
		var gpus int64
		for _, c := range p.Spec.Containers {
			if q, ok := c.Resources.Limits["nvidia.com/gpu"]; ok {
				gpus += q.Value()
			}
		}
		fmt.Printf("pod %-55s %-8s node %-12s ip %-12s gpus %d\n", p.Name, p.Status.Phase, p.Spec.NodeName, p.Status.PodIP, gpus)
	}
}
