package gateway_test

import (
	"testing"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kaito"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/kuberay"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// crdSchemas loads the v1 schemas of the real Gateway API v1.6.3 (standard channel) and
// Inference Extension v1.6.2 CRDs from the module cache, by kind.
func crdSchemas(t *testing.T) map[string]*apiextensions.JSONSchemaProps {
	t.Helper()
	dirs, err := testcluster.GatewayCRDDirs()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*apiextensions.JSONSchemaProps{}
	for _, d := range dirs {
		crds, err := testcluster.ReadCRDs(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, crd := range crds {
			for _, v := range crd.Spec.Versions {
				if v.Name != "v1" || v.Schema == nil {
					continue
				}
				var s apiextensions.JSONSchemaProps
				if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &s, nil); err != nil {
					t.Fatal(err)
				}
				out[crd.Spec.Names.Kind] = &s
			}
		}
	}
	return out
}

// Every HTTPRoute and InferencePool we render is valid against the CRD's OpenAPI schema and
// keeps all its fields (nothing pruned as unknown). CEL rules are checked by the API server
// in the acceptance tests (gatewaytest).
func TestRenderedObjectsMatchTheRealCRDSchemas(t *testing.T) {
	schemas := crdSchemas(t)
	for _, kind := range []string{"HTTPRoute", "InferencePool", "Gateway"} {
		if schemas[kind] == nil {
			t.Fatalf("no v1 schema for %s in the CRDs", kind)
		}
	}
	no := false
	gws := []*rt.Gateway{
		{ParentRefs: []rt.GatewayParent{{Name: "gw", Namespace: "gateway-system", SectionName: "https"}}, Hostnames: []string{"*.example.com"},
			Path: "/qwen", MatchModelHeader: true, RequestTimeout: "1h30m"},
		{ParentRefs: []rt.GatewayParent{{Name: "gw"}}, InferencePool: &no},
	}
	var objs []*unstructured.Unstructured
	for _, g := range gws {
		cfg := rt.DeploymentConfig{Name: "qwen", Namespace: "models", Model: "Qwen/Qwen3-0.6B", Gateway: g}
		kuberay.New().Defaults(&cfg)
		m, err := kuberay.New().Manifests(cfg)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, m.Companions...)
		k := rt.DeploymentConfig{Name: "qwen", Namespace: "models", Model: "Qwen/Qwen2.5-0.5B-Instruct",
			KAITO: &rt.KaitoConfig{ModelSource: rt.KaitoSourceVLLM}, Gateway: &rt.Gateway{ParentRefs: g.ParentRefs, InferencePool: &no}}
		kaito.New().Defaults(&k)
		km, err := kaito.New().Manifests(k)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, km.Companions...)
	}
	checked := map[string]int{}
	for _, o := range objs {
		s := schemas[o.GetKind()]
		if s == nil {
			continue // core and apps objects: checked by the API server
		}
		checked[o.GetKind()]++
		v, _, err := validation.NewSchemaValidator(s)
		if err != nil {
			t.Fatal(err)
		}
		if errs := validation.ValidateCustomResource(nil, o.UnstructuredContent(), v); len(errs) > 0 {
			t.Errorf("%s %s: %v", o.GetKind(), o.GetName(), errs.ToAggregate())
		}
		structural, err := structuralschema.NewStructural(s)
		if err != nil {
			t.Fatal(err)
		}
		copied := runtime.DeepCopyJSON(o.UnstructuredContent())
		if pruned := pruning.PruneWithOptions(copied, structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}); len(pruned) > 0 {
			t.Errorf("%s %s: fields unknown to the CRD: %v", o.GetKind(), o.GetName(), pruned)
		}
	}
	if checked["HTTPRoute"] != 4 || checked["InferencePool"] != 1 {
		t.Errorf("checked %v", checked)
	}

	// The check can fail: a bad duration and an unknown field are caught.
	bad := objs[0].DeepCopy()
	rules, _, _ := unstructured.NestedSlice(bad.Object, "spec", "rules")
	rules[0].(map[string]any)["timeouts"] = map[string]any{"request": "5 minutes", "bogus": "x"}
	_ = unstructured.SetNestedSlice(bad.Object, rules, "spec", "rules")
	v, _, _ := validation.NewSchemaValidator(schemas["HTTPRoute"])
	if errs := validation.ValidateCustomResource(nil, bad.UnstructuredContent(), v); len(errs) == 0 {
		t.Error("a 5 minutes timeout passed the HTTPRoute schema")
	}
	structural, _ := structuralschema.NewStructural(schemas["HTTPRoute"])
	if pruned := pruning.PruneWithOptions(bad.UnstructuredContent(), structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}); len(pruned) != 1 {
		t.Errorf("pruned %v, want the bogus field", pruned)
	}
}
