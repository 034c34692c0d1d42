package helminstall

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// renderedDeployments renders ch client-side with the values of plan's chart and returns its
// Deployments.
func renderedDeployments(t *testing.T, ch *chart.Chart, release, namespace string, values map[string]any) []appsv1.Deployment {
	t.Helper()
	m, err := dryRunInstall(ch, release, namespace, values, nil)
	if err != nil {
		t.Fatalf("rendering chart %s with the provider's values: %v", ch.Name(), err)
	}
	var out []appsv1.Deployment
	r := yaml.NewYAMLReader(bufio.NewReader(strings.NewReader(m)))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(doc, []byte("kind: Deployment")) {
			continue
		}
		var d appsv1.Deployment
		if err := sigsyaml.Unmarshal(doc, &d); err != nil {
			t.Fatal(err)
		}
		if d.Kind == "Deployment" {
			out = append(out, d)
		}
	}
	return out
}

// runtime_install "lws": the real LeaderWorkerSet chart of sigs.k8s.io/lws v0.9.0 (charts/lws
// of the module), rendered with the Helm SDK and the provider's values, runs the release's
// controller image (the module's chart defaults to tag "main"), in the namespace the provider
// looks for it, with the pod labels the installation check selects; the CRDs come from it.
func TestLWSChartInstallsThePinnedController(t *testing.T) {
	dir, err := testcluster.LWSDir(true)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := loader.Load(filepath.Join(dir, "chart"))
	if err != nil {
		t.Fatal(err)
	}
	rt, ok := Lookup(LWSID)
	if !ok || rt.DisplayName != "LeaderWorkerSet" {
		t.Fatalf("Lookup(%q) = %+v, %v", LWSID, rt, ok)
	}
	plan := Request{Runtime: rt}.Charts()
	if ch.Metadata.AppVersion != "v"+plan[0].Version {
		t.Errorf("pinned LeaderWorkerSet %s, module chart appVersion %s", plan[0].Version, ch.Metadata.AppVersion)
	}
	deps := renderedDeployments(t, ch, plan[0].Release, plan[0].Namespace, plan[0].Values)
	sel, err := labels.Parse(rt.Spec.OperatorSelectors[0])
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range deps {
		if !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			continue
		}
		found = true
		img := d.Spec.Template.Spec.Containers[0].Image
		if !strings.HasSuffix(img, ":v"+plan[0].Version) {
			t.Errorf("controller image %s, want the v%s release", img, plan[0].Version)
		}
		if d.Namespace != "" && d.Namespace != rt.Spec.OperatorNamespace {
			t.Errorf("controller in namespace %s, the check looks in %s", d.Namespace, rt.Spec.OperatorNamespace)
		}
	}
	if !found {
		t.Fatalf("no rendered Deployment matches the operator selector %s", rt.Spec.OperatorSelectors[0])
	}
	objs, _, err := collectCRDs(context.Background(), rt.Spec, plan, []*chart.Chart{ch}, true)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range objs {
		names = append(names, o.GetName())
	}
	if !strings.Contains(strings.Join(names, ","), "leaderworkersets.leaderworkerset.x-k8s.io") {
		t.Errorf("the LeaderWorkerSet CRD is not taken from the chart: %v", names)
	}
}
