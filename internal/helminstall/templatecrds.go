package helminstall

import (
	"bytes"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Some charts ship their CRDs as templates instead of in crds/ (KAITO >= 0.12:
// charts/kaito/workspace/templates/kaito.sh_workspaces.yaml). Helm would then own them: an
// uninstall deletes every custom resource of the CRD (no helm.sh/resource-policy: keep), and a
// CRD this provider applied earlier cannot be imported into the release. So the static
// (directive-free) CRD templates are applied with the other CRDs and dropped from the
// rendered release by crdStripper.

// templateCRDs returns the CRDs defined by directive-free templates of a chart.
func templateCRDs(ch *chart.Chart) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, f := range ch.Templates {
		if !strings.HasSuffix(f.Name, ".yaml") || bytes.Contains(f.Data, []byte("{{")) {
			continue
		}
		objs, err := decodeYAML(f.Data)
		if err != nil {
			continue
		}
		for _, o := range objs {
			if o.GetKind() == "CustomResourceDefinition" {
				out = append(out, o)
			}
		}
	}
	return out
}

// crdStripper is a Helm post-renderer that removes CustomResourceDefinitions from the
// rendered manifests: their lifecycle belongs to applyCRDs.
type crdStripper struct{}

func (crdStripper) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	out := new(bytes.Buffer)
	for _, doc := range splitYAMLDocs(rendered.String()) {
		objs, err := decodeYAML([]byte(doc))
		if err == nil && len(objs) == 1 && objs[0].GetKind() == "CustomResourceDefinition" {
			continue
		}
		if strings.TrimSpace(doc) == "" {
			continue
		}
		out.WriteString("---\n")
		out.WriteString(strings.TrimPrefix(doc, "\n"))
		if !strings.HasSuffix(doc, "\n") {
			out.WriteString("\n")
		}
	}
	return out, nil
}

// splitYAMLDocs splits a stream at lines that are exactly "---" (Helm's separator).
func splitYAMLDocs(s string) []string {
	var docs []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if strings.TrimRight(line, "\r\n") == "---" {
			docs = append(docs, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	return append(docs, cur.String())
}
