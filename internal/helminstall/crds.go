package helminstall

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"

	"helm.sh/helm/v3/pkg/chart"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// collectCRDs gathers the CRDs to apply before the charts: every CRD in a chart's crds/
// (subcharts included) or in a static template (see templateCRDs), except for charts that skip their CRDs, where only the runtime's
// pinned CRDs are taken; pinned CRDs not bundled in any chart are read from the YAML files of
// localDirs (a `path` source's crds/ folder, see LocalCRDDir), else fetched from their URL
// unless the charts come from an override source (air-gapped), which only warns.
func collectCRDs(ctx context.Context, spec runtimes.InstallSpec, plan []runtimes.Chart, charts []*chart.Chart, overridden bool, localDirs ...string) ([]*unstructured.Unstructured, []string, error) {
	pinned := make([]string, len(spec.PreCRDs))
	for i, s := range spec.PreCRDs {
		pinned[i] = s.Name
	}
	var out []*unstructured.Unstructured
	var warnings []string
	seen := map[string]bool{}
	for i, ch := range charts {
		var bundled []*unstructured.Unstructured
		for _, f := range ch.CRDObjects() {
			objs, err := decodeYAML(f.File.Data)
			if err != nil {
				return nil, nil, fmt.Errorf("chart %s: %s: %w", ch.Name(), f.Filename, err)
			}
			bundled = append(bundled, objs...)
		}
		bundled = append(bundled, templateCRDs(ch)...)
		for _, o := range bundled {
			if o.GetKind() != "CustomResourceDefinition" || seen[o.GetName()] {
				continue
			}
			if plan[i].SkipCRDs && !slices.Contains(pinned, o.GetName()) {
				continue
			}
			seen[o.GetName()] = true
			out = append(out, o)
		}
	}
	local, err := readCRDDirs(localDirs)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range spec.PreCRDs {
		if seen[s.Name] {
			continue
		}
		if o, ok := local[s.Name]; ok {
			seen[s.Name] = true
			out = append(out, o)
			continue
		}
		if overridden {
			warnings = append(warnings, fmt.Sprintf("CRD %s is not bundled in the chart source and was not fetched from %s; apply it yourself if the operator needs it, or put its manifest in a crds/ folder of chart.path", s.Name, s.URL))
			continue
		}
		objs, err := fetchYAML(ctx, s.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("fetching CRD %s: %w", s.Name, err)
		}
		for _, o := range objs {
			if o.GetKind() == "CustomResourceDefinition" && !seen[o.GetName()] {
				seen[o.GetName()] = true
				out = append(out, o)
			}
		}
	}
	return out, warnings, nil
}

// applyCRDs server-side applies the CRDs (taking ownership of fields others set, since a
// CRD created by `helm install` or kubectl must still be upgradable) and waits until each
// is Established. An Inference Extension CRD is not downgraded: a newer one installed is kept,
// with a warning.
func applyCRDs(ctx context.Context, c *kube.Client, crds []*unstructured.Unstructured) ([]string, []string, error) {
	names := make([]string, 0, len(crds))
	var warnings []string
	for _, crd := range crds {
		warn, err := newerInstalled(ctx, c, crd)
		if err != nil {
			return nil, nil, err
		}
		if warn != "" {
			warnings = append(warnings, warn)
			names = append(names, crd.GetName())
			continue
		}
		crd = crd.DeepCopy()
		unstructured.RemoveNestedField(crd.Object, "status")
		unstructured.RemoveNestedField(crd.Object, "metadata", "creationTimestamp")
		if _, err := c.Apply(ctx, crdGVR, crd, kube.ApplyOptions{Force: true}); err != nil {
			return nil, nil, fmt.Errorf("applying CRD %s: %w", crd.GetName(), err)
		}
		names = append(names, crd.GetName())
	}
	for _, name := range names {
		if err := waitEstablished(ctx, c, name); err != nil {
			return nil, nil, err
		}
	}
	sort.Strings(names)
	return names, warnings, nil
}

func waitEstablished(ctx context.Context, c *kube.Client, name string) error {
	_, err := c.Wait(ctx, crdGVR, "", name, func(obj *unstructured.Unstructured) (bool, error) {
		return established(obj), nil
	})
	if err != nil {
		return fmt.Errorf("waiting for CRD %s to be Established: %w", name, err)
	}
	return nil
}

func established(obj *unstructured.Unstructured) bool {
	if obj == nil {
		return false
	}
	conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}

// PresentCRDs returns the names that exist and are Established, in the given order.
func PresentCRDs(ctx context.Context, c *kube.Client, names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		obj, err := c.Dynamic.Resource(crdGVR).Get(ctx, n, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("looking up CRD %s: %w", n, err)
		}
		if established(obj) {
			out = append(out, n)
		}
	}
	return out, nil
}

// DeleteCRDs deletes the named CRDs; missing ones are fine. Deleting a CRD deletes every
// custom resource of that kind, so callers only do this when asked explicitly.
func DeleteCRDs(ctx context.Context, c *kube.Client, names []string) error {
	var errs []error
	for _, n := range names {
		err := c.Dynamic.Resource(crdGVR).Delete(ctx, n, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting CRD %s: %w", n, err))
		}
	}
	return errors.Join(errs...)
}

func decodeYAML(data []byte) ([]*unstructured.Unstructured, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []*unstructured.Unstructured
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		if len(m) > 0 {
			out = append(out, &unstructured.Unstructured{Object: m})
		}
	}
}

func fetchYAML(ctx context.Context, url string) ([]*unstructured.Unstructured, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	return decodeYAML(body)
}
