package operatorstest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

func TestMain(m *testing.M) {
	acctest.MainWithOptions(m, testcluster.Options{Operators: testcluster.AllOperators}, nil)
}

var (
	dgdGVR        = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamographdeployments"}
	dcdGVR        = schema.GroupVersionResource{Group: "nvidia.com", Version: "v1beta1", Resource: "dynamocomponentdeployments"}
	rayServiceGVR = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayservices"}
	rayClusterGVR = schema.GroupVersionResource{Group: "ray.io", Version: "v1", Resource: "rayclusters"}
	workspaceGVR  = schema.GroupVersionResource{Group: "kaito.sh", Version: "v1beta1", Resource: "workspaces"}
)

func testCase(t *testing.T, destroyed func(*terraform.State) error, s ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             destroyed,
		Steps:                    s,
	}
}

// deployment renders one kubefoundry_model_deployment block.
func deployment(label, body string) string {
	return fmt.Sprintf("resource \"kubefoundry_model_deployment\" %q {\n%s\n}\n", label, body)
}

// capacity renders a kubefoundry_gpu_capacity read of the test's own nodes (label pool=<pool>),
// read after the deployments (depends_on) so it sees their pods.
func capacity(pool string, after ...string) string {
	return fmt.Sprintf("data \"kubefoundry_gpu_capacity\" \"c\" {\n  node_selector = { pool = %q }\n  depends_on = [%s]\n}\n", pool, strings.Join(after, ", "))
}

func cfg(t *testing.T, blocks ...string) string {
	return acctest.ProviderBlock(t, "") + strings.Join(blocks, "")
}

func attr(addr, name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

func capacityIs(requested, available int64) []statecheck.StateCheck {
	const c = "data.kubefoundry_gpu_capacity.c"
	return []statecheck.StateCheck{
		attr(c, "requested_gpus", knownvalue.Int64Exact(requested)),
		attr(c, "available_gpus", knownvalue.Int64Exact(available)),
	}
}

// gpuNodes creates count kwok GPU nodes "<ns>-a", "<ns>-b", ... labelled pool=<ns> and
// deletes them after the test.
func gpuNodes(t *testing.T, c *testcluster.Cluster, ns string, count int, gpus int64) []string {
	t.Helper()
	return c.KwokGPUNodes(t, ns, count, gpus, map[string]string{"pool": ns})
}

var nsSeq atomic.Int64

// shortNamespace creates "<prefix>-<n>": Dynamo 1.4 writes "<namespace>-<graph>" into a
// label (at most 63 bytes), so the test namespaces named after the test are too long.
func shortNamespace(t *testing.T, c *testcluster.Cluster, prefix string) string {
	t.Helper()
	name := fmt.Sprintf("%s-%d", prefix, nsSeq.Add(1))
	if _, err := c.Clientset.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Clientset.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	if err := c.WaitForDefaultServiceAccount(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	return name
}

// runningPods lists the pods matching selector that kwok runs (Running, Ready, pod IP).
func runningPods(c *testcluster.Cluster, ns, selector string) ([]corev1.Pod, error) {
	list, err := c.Clientset.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, err
	}
	var out []corev1.Pod
	for _, p := range list.Items {
		if p.DeletionTimestamp == nil && p.Status.Phase == corev1.PodRunning && p.Status.PodIP != "" && podReady(&p) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// container returns the pod's container called name (the first one when name is "").
func container(p *corev1.Pod, name string) (*corev1.Container, error) {
	for i := range p.Spec.Containers {
		if name == "" || p.Spec.Containers[i].Name == name {
			return &p.Spec.Containers[i], nil
		}
	}
	return nil, fmt.Errorf("pod %s has no container %q", p.Name, name)
}

// gpuLimit is the nvidia.com/gpu limit of the pod's containers.
func gpuLimit(p *corev1.Pod) int64 {
	var n int64
	for _, c := range p.Spec.Containers {
		if q, ok := c.Resources.Limits["nvidia.com/gpu"]; ok {
			n += q.Value()
		}
	}
	return n
}

func envValue(c *corev1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

// hasSubsequence reports whether want appears in got in order (other arguments may come
// between: operators add their own).
func hasSubsequence(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// contiguous reports whether want appears in got as one run (a flag and its value).
func contiguous(got []string, want ...string) bool {
	for i := 0; i+len(want) <= len(got); i++ {
		match := true
		for j := range want {
			if got[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// stateManifest decodes the resource's manifest attribute (the object as we rendered it).
func stateManifest(s *terraform.State, addr string) (map[string]any, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return nil, fmt.Errorf("%s not in state", addr)
	}
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(rs.Primary.Attributes["manifest"]), &obj); err != nil {
		return nil, fmt.Errorf("%s manifest: %w", addr, err)
	}
	return obj, nil
}

func stateAttr(s *terraform.State, addr, name string) string {
	if rs, ok := s.RootModule().Resources[addr]; ok {
		return rs.Primary.Attributes[name]
	}
	return ""
}

// nothingLeft checks that destroy removed every child the operators made in the namespaces:
// our delete is foreground, so the custom resource is gone only after its dependents are.
func nothingLeft(c *testcluster.Cluster, namespaces ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		ctx := context.Background()
		var left []string
		for _, ns := range namespaces {
			for _, gvr := range []schema.GroupVersionResource{dgdGVR, dcdGVR, rayServiceGVR, rayClusterGVR, workspaceGVR} {
				l, err := c.Dynamic.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
				if err != nil {
					return err
				}
				for _, o := range l.Items {
					left = append(left, gvr.Resource+"/"+o.GetName())
				}
			}
			deps, err := c.Clientset.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
			if err != nil {
				return err
			}
			for _, o := range deps.Items {
				left = append(left, "deployment/"+o.Name)
			}
			sts, err := c.Clientset.AppsV1().StatefulSets(ns).List(ctx, metav1.ListOptions{})
			if err != nil {
				return err
			}
			for _, o := range sts.Items {
				left = append(left, "statefulset/"+o.Name)
			}
			svcs, err := c.Clientset.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
			if err != nil {
				return err
			}
			for _, o := range svcs.Items {
				left = append(left, "service/"+o.Name)
			}
			pods, err := c.Clientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
			if err != nil {
				return err
			}
			for _, o := range pods.Items {
				left = append(left, "pod/"+o.Name)
			}
		}
		if len(left) > 0 {
			return fmt.Errorf("left after destroy in %v: %v", namespaces, left)
		}
		return nil
	}
}
