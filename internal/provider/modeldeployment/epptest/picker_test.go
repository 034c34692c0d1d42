package epptest

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/llmd"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

const model = "Qwen/Qwen3-0.6B"

// modelServers waits until exactly n model-server pods of the aggregated llmd deployment name
// run (with an IP) and returns them.
func modelServers(c *testcluster.Cluster, ns, name string, n int) ([]corev1.Pod, error) {
	return podsOfRole(c, ns, name, "decode", n)
}

// podsOfRole waits until exactly n pods of one llm-d role (decode, prefill) of the deployment
// name run with an IP, and returns them.
func podsOfRole(c *testcluster.Cluster, ns, name, role string, n int) ([]corev1.Pod, error) {
	selector := "app.kubernetes.io/instance=" + name + ",kubefoundry.io/provider=llmd,llm-d.ai/role=" + role
	return acctest.WaitRunningPods(c, ns, selector, n, 90*time.Second)
}

// endpoint is how the picker names a pod: its IP and the pool's target port.
func endpoint(p corev1.Pod) string {
	return net.JoinHostPort(p.Status.PodIP, strconv.Itoa(llmd.ServePort))
}

func endpoints(pods []corev1.Pod) []string {
	out := make([]string, 0, len(pods))
	for _, p := range pods {
		out = append(out, endpoint(p))
	}
	return out
}

// pickerRun holds what the steps share: the picker process, the Envoy stand-in talking to
// it and the engine stand-ins it scrapes.
type pickerRun struct {
	t       *testing.T
	c       *testcluster.Cluster
	ns      string
	envoy   *envoyStandIn
	engines *engineStandIns
	n       int // requests sent, for distinct prompts
}

// picks sends n requests through the picker and returns where each went. Prompts differ, so
// the prefix-cache scorer has no earlier request to favour.
func (r *pickerRun) picks(n int) ([]string, error) {
	var out []string
	for range n {
		r.n++
		ep, err := r.envoy.pick(context.Background(), model, fmt.Sprintf("request %d: say something about the number %d", r.n, r.n*7919))
		if err != nil {
			return nil, err
		}
		out = append(out, ep)
	}
	return out, nil
}

// onlyAmong fails unless every pick is one of allowed (and none of forbidden, said plainly).
func onlyAmong(picks, allowed, forbidden []string) error {
	for _, p := range picks {
		if slices.Contains(forbidden, p) {
			return fmt.Errorf("the picker routed to %s, a pod of the other deployment (picks %v)", p, picks)
		}
		if !slices.Contains(allowed, p) {
			return fmt.Errorf("the picker routed to %s, not one of the pool's pods %v (picks %v)", p, allowed, picks)
		}
	}
	return nil
}

// settlesOn sends requests until `settled` in a row go to want, within a minute (the picker
// learns of new pods through its pod watch and of load through its scrapes; until a new pod's
// first scrape its load reads as zero), and fails at once if one goes outside allowed.
func (r *pickerRun) settlesOn(want string, allowed, forbidden []string) error {
	const settled = 6
	var seen []string
	run := 0
	for deadline := time.Now().Add(60 * time.Second); run < settled; time.Sleep(100 * time.Millisecond) {
		p, err := r.picks(1)
		if err != nil {
			return err
		}
		seen = append(seen, p[0])
		if err := onlyAmong(p, allowed, forbidden); err != nil {
			return err
		}
		if p[0] == want {
			run++
		} else {
			run = 0
		}
		if time.Now().After(deadline) {
			if len(seen) > 20 {
				seen = seen[len(seen)-20:]
			}
			return fmt.Errorf("the picker did not settle on %s within a minute; last picks %v", want, seen)
		}
	}
	r.t.Logf("settled on %s after %d requests: %v", want, len(seen), seen)
	return nil
}

// The real endpoint picker, started for the first deployment's InferencePool with the
// EndpointPickerConfig the provider rendered into its ConfigMap, routes an OpenAI completion
// for the model only to that deployment's pods, never to a second deployment of the same model
// in the same namespace; after terraform scales the deployment, the new pod is picked; and,
// given the engines' load through vLLM's /metrics, it picks the less loaded pod and follows
// when the load moves.
func TestAccEndpointPickerPicksOnlyTheDeploymentsPods(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t, "kube-scheduler", "kwok")
	ns := c.ShortNamespace(t, "epp")
	c.KwokGPUNodes(t, ns, 4, 1, map[string]string{"pool": ns})
	config := func(chatReplicas int) string {
		deployment := func(name string, replicas int) string {
			return acctest.Deployment(name, fmt.Sprintf(`name      = %q
namespace = %q
runtime   = "llmd"
model     = %q
replicas  = %d
`, name, ns, model, replicas))
		}
		return acctest.Config(t, deployment("chat", chatReplicas), deployment("batch", 1))
	}
	run := &pickerRun{t: t, c: c, ns: ns, engines: newEngineStandIns(t, llmd.ServePort, model)}
	var first corev1.Pod
	resource.Test(t, acctest.TestCase(t, acctest.NothingLeft(c, []string{ns}, gateway.PoolGVR),
		resource.TestStep{
			Config: config(1),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr("kubefoundry_model_deployment.chat", "ready", knownvalue.Int64Exact(1)),
				acctest.Attr("kubefoundry_model_deployment.batch", "ready", knownvalue.Int64Exact(1)),
			},
			Check: func(*terraform.State) error {
				chat, err := modelServers(c, ns, "chat", 1)
				if err != nil {
					return err
				}
				batch, err := modelServers(c, ns, "batch", 1)
				if err != nil {
					return err
				}
				first = chat[0]
				run.engines.serve(first.Status.PodIP)
				if err := run.start("chat"); err != nil {
					return err
				}
				picks, err := run.picks(8)
				if err != nil {
					return err
				}
				t.Logf("chat pods %v, batch pods %v: picks %v", endpoints(chat), endpoints(batch), picks)
				if err := onlyAmong(picks, endpoints(chat), endpoints(batch)); err != nil {
					return err
				}
				if run.engines.scraped(first.Status.PodIP) == 0 {
					return fmt.Errorf("the picker never scraped %s/metrics", endpoint(first))
				}
				return nil
			},
		},
		resource.TestStep{ // scale the first deployment: its new pod becomes pickable
			Config: config(2),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.Attr("kubefoundry_model_deployment.chat", "ready", knownvalue.Int64Exact(2)),
			},
			Check: func(*terraform.State) error {
				chat, err := modelServers(c, ns, "chat", 2)
				if err != nil {
					return err
				}
				batch, err := modelServers(c, ns, "batch", 1)
				if err != nil {
					return err
				}
				var added corev1.Pod
				for _, p := range chat {
					if p.Name != first.Name {
						added = p
					}
				}
				if added.Name == "" {
					return fmt.Errorf("no new pod: %v", endpoints(chat))
				}
				run.engines.serve(added.Status.PodIP)
				busy := load{waiting: 40, running: 16, kvCache: 0.95}
				// The first pod is busy, the new one idle: the new one is picked.
				run.engines.set(first.Status.PodIP, busy)
				if err := run.settlesOn(endpoint(added), endpoints(chat), endpoints(batch)); err != nil {
					return fmt.Errorf("new pod idle, first busy: %w", err)
				}
				// The load moves: the picker follows.
				run.engines.set(first.Status.PodIP, load{})
				run.engines.set(added.Status.PodIP, busy)
				if err := run.settlesOn(endpoint(first), endpoints(chat), endpoints(batch)); err != nil {
					return fmt.Errorf("first pod idle, new busy: %w", err)
				}
				return nil
			},
		},
	))
}

// start runs the picker for the pool of the deployment name with the configuration the
// provider rendered (the picker ConfigMap's default-plugins.yaml), authenticated as the
// picker's ServiceAccount, so with no more than the Role the provider rendered, and connects
// the Envoy stand-in.
func (r *pickerRun) start(name string) error {
	ctx := context.Background()
	cm, err := r.c.Clientset.CoreV1().ConfigMaps(r.ns).Get(ctx, gateway.EPPName(name), metav1.GetOptions{})
	if err != nil {
		return err
	}
	conf := cm.Data["default-plugins.yaml"]
	if conf == "" {
		return fmt.Errorf("ConfigMap %s has no default-plugins.yaml: %v", cm.Name, cm.Data)
	}
	pool := gateway.PoolName(name)
	// As the picker's pod: with the ServiceAccount and Role the provider rendered for it.
	picker, err := r.c.StartEndpointPicker(ctx, testcluster.EndpointPicker{Pool: pool, Namespace: r.ns, Config: conf,
		ServiceAccount: gateway.EPPName(name)})
	if err != nil {
		return err
	}
	r.t.Cleanup(func() { _ = r.c.StopEndpointPicker(picker) })
	r.c.LogOnFailure(r.t, picker.LogName)
	if r.envoy, err = newEnvoyStandIn(picker.Addr); err != nil {
		return err
	}
	r.t.Cleanup(func() { _ = r.envoy.Close() })
	return nil
}
