package engineflags_test

import (
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/engineflags"
	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes/dynamo"
)

// A pin that moves without regenerating the tables fails here: each table carries the
// version it was generated for, which must be what the renderers pin.
func TestTablesMatchPinnedVersions(t *testing.T) {
	if dynamo.Version != engineflags.DynamoVersion {
		t.Fatalf("the Dynamo renderer pins %s but the flag tables are for %s: rerun tools/engineflags/gen.py at the new release and update engineflags.DynamoVersion/DynamoEngineVersions",
			dynamo.Version, engineflags.DynamoVersion)
	}
	for _, e := range []rt.Engine{rt.EngineVLLM, rt.EngineSGLang, rt.EngineTRTLLM} {
		tab := engineflags.MustLoad("dynamo-" + string(e))
		if tab.Version != dynamo.Version {
			t.Errorf("dynamo-%s.json is for %s, the renderer pins %s", e, tab.Version, dynamo.Version)
		}
		if !strings.HasSuffix(dynamo.Image(e), ":"+tab.Version) {
			t.Errorf("%s runtime image %s is not the release the table was read at (%s)", e, dynamo.Image(e), tab.Version)
		}
		if len(tab.Flags) < 50 || tab.Source == "" {
			t.Errorf("dynamo-%s.json: %d flags, source %q: regenerate it", e, len(tab.Flags), tab.Source)
		}
		// An engine's own table counts only at the version the Dynamo image carries.
		if own, err := engineflags.Load(string(e)); err == nil && own.Version != engineflags.DynamoEngineVersions[string(e)] {
			t.Errorf("%s.json is for %s %s but Dynamo %s carries %s", e, e, own.Version, dynamo.Version, engineflags.DynamoEngineVersions[string(e)])
		}
	}
}

// Facts of the Dynamo 1.4.0 parsers the provider relies on, read from the generated tables
// (so a regeneration that loses them fails here).
func TestDynamoTablesHoldTheRenderedFlags(t *testing.T) {
	for table, flags := range map[string][]string{
		"dynamo-vllm":   {"disaggregation-mode", "router-mode"},
		"dynamo-sglang": {"router-mode"},
		"dynamo-trtllm": {"model", "model-path", "served-model-name", "max-seq-len", "tensor-parallel-size", "disaggregation-mode", "publish-kv-events", "override-engine-args"},
	} {
		p := engineflags.Parser{Name: table, Tables: []*engineflags.Table{engineflags.MustLoad(table)}}
		for _, f := range flags {
			if _, ok := p.Lookup(f); !ok {
				t.Errorf("%s has no --%s", table, f)
			}
		}
	}
	trt := engineflags.DynamoWorker("trtllm")
	if f, _ := trt.Lookup("model-path"); f.AliasOf != "model" {
		t.Errorf("--model-path should be the obsolete alias of --model, got %+v", f)
	}
	if f, _ := trt.Lookup("no-publish-kv-events"); f.Kind != engineflags.Bool || !f.Negatable {
		t.Errorf("--publish-kv-events should be a negatable switch, got %+v", f)
	}
}

func TestCheckKinds(t *testing.T) {
	p := engineflags.Parser{Name: "test", Complete: true, Underscores: true, Dotted: true, Tables: []*engineflags.Table{engineflags.MustLoad("dynamo-vllm")}}
	for _, c := range []struct{ key, value, want string }{
		{"router-temperature", "0.5", ""},
		{"router_temperature", "0.5", ""}, // vLLM's parser takes underscores
		{"router-temperature", "warm", "takes a number"},
		{"router-temperature", "true", "takes a value"},
		{"engine-request-limit", "1.5", "takes an integer"},
		{"engine-request-limit", "None", ""}, // nullable_int
		{"request-plane", "udp", "takes one of"},
		{"fpm-trace", "true", ""},
		{"no-fpm-trace", "true", ""},
		{"fpm-trace", "1", "is a switch"},
		{"router-mod", "kv", `did you mean "router-mode"`},
		{"zzzzzzzzzzzzzzzzzz", "1", "has no flag --zzzzzzzzzzzzzzzzzz"},
	} {
		got := p.Check(c.key, c.value)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("Check(%q, %q) = %q, want %q", c.key, c.value, got, c.want)
		}
	}
	if got := p.Check("zzzzzzzzzzzzzzzzzz", "1"); strings.Contains(got, "did you mean") {
		t.Errorf("a far-off key got suggestions: %q", got)
	}
	p.Complete = false
	if got := p.Check("gpu-memory-utilization", "0.9"); got != "" {
		t.Errorf("incomplete parser refused an engine flag it has no table for: %q", got)
	}
}
