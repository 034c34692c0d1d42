// Package helmtest builds small operator charts at test time and serves them the three
// ways users do: an HTTP chart repository, an OCI registry and a local path. It also plays
// kubelet for the operator pods, since the test control plane has none.
package helmtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
)

// Chart describes one generated chart.
type Chart struct {
	Name    string
	Version string
	// PodLabels label the operator Deployment's pods; no Deployment when empty.
	PodLabels map[string]string
	// CRDs are CRD manifests written under crds/.
	CRDs map[string][]byte
	// Broken adds an object the API server rejects, so the install fails after Helm has
	// created the release and the Deployment.
	Broken bool
}

// Package writes the chart into a temp dir and packages it into dest, returning the .tgz path.
func Package(t testing.TB, c Chart, dest string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), c.Name)
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Chart.yaml", fmt.Sprintf("apiVersion: v2\nname: %s\nversion: %s\nappVersion: %q\n", c.Name, c.Version, c.Version))
	write("values.yaml", "replicas: 1\nimage:\n  repository: example.invalid/operator\n")
	for name, body := range c.CRDs {
		write(filepath.Join("crds", name), string(body))
	}
	if len(c.PodLabels) > 0 {
		write("templates/deployment.yaml", deployment(c.PodLabels))
	}
	if c.Broken {
		write("templates/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_A_Valid_Name\ndata: {}\n")
	}
	ch, err := loader.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := chartutil.Save(ch, dest)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func deployment(labels map[string]string) string {
	indent := func(n int) string {
		var b strings.Builder
		for k, v := range labels {
			fmt.Fprintf(&b, "\n%s%s: %q", strings.Repeat(" ", n), k, v)
		}
		return b.String()
	}
	return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Chart.Name }}-operator
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:` + indent(6) + `
  template:
    metadata:
      labels:` + indent(8) + `
    spec:
      containers:
        - name: manager
          image: "{{ .Values.image.repository }}:{{ .Chart.Version }}"
`
}

// CRD returns a minimal CRD manifest accepting any spec, for CRDs the shared CRD
// directory does not hold (Karpenter, the GPU operator's ClusterPolicy).
func CRD(group, kind, plural, scope string) []byte {
	return fmt.Appendf(nil, `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: %[3]s.%[1]s
spec:
  group: %[1]s
  names:
    kind: %[2]s
    listKind: %[2]sList
    plural: %[3]s
    singular: %[4]s
  scope: %[5]s
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`, group, kind, plural, strings.ToLower(kind), scope)
}
