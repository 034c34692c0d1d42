package engineflags_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/engineflags"
)

// renderedArgv is one engine command line found in a renderer's golden file.
type renderedArgv struct {
	where  string // file and container, for messages
	engine string // "dynamo.vllm", "dynamo.sglang", "dynamo.trtllm", "vllm serve"
	args   []string
}

// Every flag a renderer writes is one the engine's parser takes, with a value of the right
// kind: the goldens of internal/runtimes/*/testdata are what the provider renders, so a
// flag here that the engine refuses or ignores is a production bug no kwok pod reveals.
//
// Dynamo's vLLM worker is checked against Dynamo 1.4.0's own tables plus the vLLM 0.26.0
// window table (complete); its SGLang worker against the nearest SGLang table (SGLang main
// of July 2026), as complete for the flags we render: a rendered flag missing there is
// either a bug or one SGLang added later, listed in newerThanTable with the reason. `vllm
// serve` lines (runtime "vllm", vLLM 0.19.0) and KAITO's vLLM server (0.25.1) are checked
// against the main windows before those releases the same way.
func TestRenderedFlagsAreEngineFlags(t *testing.T) {
	load := engineflags.MustLoad
	parsers := map[string]engineflags.Parser{
		"dynamo.vllm": engineflags.DynamoWorker("vllm"),
		"dynamo.sglang": {Name: "dynamo.sglang 1.4.0 + SGLang main 2026-07 (nearest)", Complete: true,
			Tables: []*engineflags.Table{load("dynamo-sglang"), load(engineflags.SGLangNearestTable)}},
		"dynamo.trtllm": engineflags.DynamoWorker("trtllm"),
		"vllm serve": {Name: "vllm serve, vLLM main 2026-03..04 (nearest 0.19.0)", Complete: true, Underscores: true, Dotted: true,
			Tables: []*engineflags.Table{load(engineflags.VLLMRuntimeTable), load(engineflags.VLLMRuntimeTable + "-frontend")}},
		"kaito vllm": {Name: "KAITO vLLM server, vLLM main 2026-06..07 (nearest 0.25.1)", Complete: true, Underscores: true, Dotted: true,
			Tables: []*engineflags.Table{load(engineflags.VLLMKAITOTable), load(engineflags.VLLMKAITOTable + "-frontend")}},
	}
	// TensorRT-LLM's nearest table, with value types: what the provider renders itself
	// must be right in the fields' types the window's commits agree on.
	trtArgs := engineflags.DynamoTRTLLMArgs()
	trtArgs.Types = true
	trtPaths := 0
	found := renderedCommandLines(t)
	if len(found) < 20 {
		t.Fatalf("found only %d engine command lines in the goldens: the walker lost track of the renderers", len(found))
	}
	seen := map[string]int{}
	flags := 0
	for _, r := range found {
		p := parsers[r.engine]
		seen[r.engine]++
		for _, f := range splitFlags(p, r.args) {
			flags++
			if path, ok := strings.CutPrefix(f.name, "trtllm."); ok && r.engine == "dynamo.trtllm" {
				// --trtllm.<path> <value> (dynamic_flags.py): a TensorRT-LLM LLM argument.
				if _, known := trtArgs.Lookup(path); !known {
					t.Errorf("%s: dynamo.trtllm renders --%s, which %s does not have", r.where, f.name, trtArgs.Name)
				} else if msg := trtArgs.Check(path, f.value); msg != "" {
					t.Errorf("%s: dynamo.trtllm renders --%s %q: %s", r.where, f.name, f.value, msg)
				}
				trtPaths++
				continue
			}
			if reason, ok := newerThanTable[r.engine+" --"+f.name]; ok {
				t.Logf("%s: --%s not in the nearest table: %s", r.where, f.name, reason)
				continue
			}
			if msg := p.Check(f.name, f.value); msg != "" {
				t.Errorf("%s: %s renders --%s %q: %s", r.where, r.engine, f.name, f.value, msg)
			}
		}
	}
	t.Logf("%d command lines, %d flags checked (%v), %d of them --trtllm.<path>", len(found), flags, seen, trtPaths)
	if trtPaths == 0 {
		t.Error("no --trtllm.<path> flag found in the dynamo.trtllm goldens")
	}
	for _, e := range []string{"dynamo.vllm", "dynamo.sglang", "dynamo.trtllm", "vllm serve", "kaito vllm"} {
		if seen[e] == 0 {
			t.Errorf("no %s command line found in the goldens", e)
		}
	}
}

// newerThanTable: flags rendered for an engine newer than the nearest table, with why
// they are right at the version the image runs.
var newerThanTable = map[string]string{}

// Ray Serve LLM passes engine_kwargs as AsyncEngineArgs(**engine_kwargs) (ray 2.52,
// llm/_internal/serve/deployments/llm/vllm/vllm_models.py): every key the KubeRay renderer
// writes must be an EngineArgs field of the right kind.
func TestRenderedEngineKwargsAreEngineArgsFields(t *testing.T) {
	p := engineflags.KubeRayEngineKwargs()
	files, _ := filepath.Glob("../runtimes/kuberay/testdata/*.yaml")
	n := 0
	for _, file := range files {
		for _, kw := range engineKwargsIn(t, file) {
			for _, k := range sortedKeys(kw) {
				n++
				if msg := p.Check(k, kwargString(kw[k])); msg != "" {
					t.Errorf("%s: engine_kwargs[%q] = %v: %s", filepath.Base(file), k, kw[k], msg)
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("found only %d engine_kwargs entries in the KubeRay goldens", n)
	}
}

type renderedFlag struct{ name, value string }

// splitFlags reads an argv the way argparse does for the flags we render: --x=v, --x v,
// a bare switch, or a list flag taking every token up to the next flag.
func splitFlags(p engineflags.Parser, args []string) []renderedFlag {
	var out []renderedFlag
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			continue // positional (the model of `vllm serve`, `-m dynamo.x`)
		}
		name := strings.TrimPrefix(a, "--")
		if n, v, ok := strings.Cut(name, "="); ok {
			out = append(out, renderedFlag{n, v})
			continue
		}
		f, known := p.Lookup(name)
		switch {
		case known && f.Kind == engineflags.Bool:
			out = append(out, renderedFlag{name, "true"})
		case i+1 < len(args) && !strings.HasPrefix(args[i+1], "--"):
			out = append(out, renderedFlag{name, args[i+1]})
			i++
			for known && f.Kind == engineflags.List && i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
				i++
			}
		default:
			out = append(out, renderedFlag{name, "true"}) // bare: Check says whether it may be
		}
	}
	return out
}

func renderedCommandLines(t *testing.T) []renderedArgv {
	t.Helper()
	files, err := filepath.Glob("../runtimes/*/testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no goldens: %v", err)
	}
	var out []renderedArgv
	for _, file := range files {
		for _, doc := range yamlDocs(t, file) {
			walk(doc, func(c map[string]any) {
				cmd, args := stringList(c["command"]), stringList(c["args"])
				name, _ := c["name"].(string)
				where := filepath.Base(file) + " container " + name
				if name == "" {
					where = filepath.Base(file) + " worker"
				}
				switch {
				case len(args) > 1 && args[0] == "-m" && strings.HasPrefix(args[1], "dynamo.") && args[1] != "dynamo.frontend":
					// dynamo-v1alpha1-* goldens are the Dynamo 0.7.1 renderer, whose
					// parsers no table describes.
					if !strings.Contains(file, "dynamo-v1alpha1-") {
						out = append(out, renderedArgv{where, args[1], args[2:]})
					}
				case len(args) > 1 && args[0] == "-m" && args[1] == "vllm.entrypoints.openai.api_server":
					engine := "vllm serve"
					if strings.HasPrefix(filepath.Base(file), "kaito-") {
						engine = "kaito vllm" // KAITO 0.12's base image: vLLM 0.25.1
					}
					out = append(out, renderedArgv{where, engine, args[2:]})
				case len(cmd) == 2 && cmd[0] == "vllm" && cmd[1] == "serve",
					len(cmd) == 3 && strings.Contains(cmd[2], "exec vllm serve \"$@\""):
					out = append(out, renderedArgv{where, "vllm serve", args})
				}
			})
		}
	}
	return out
}

func engineKwargsIn(t *testing.T, file string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, doc := range yamlDocs(t, file) {
		spec, _ := doc["spec"].(map[string]any)
		serve, _ := spec["serveConfigV2"].(string)
		if serve == "" {
			continue
		}
		var cfg map[string]any
		if err := yaml.Unmarshal([]byte(serve), &cfg); err != nil {
			t.Fatalf("%s: serveConfigV2: %v", file, err)
		}
		walkAll(cfg, func(m map[string]any) {
			if kw, ok := m["engine_kwargs"].(map[string]any); ok {
				out = append(out, kw)
			}
		})
	}
	return out
}

func yamlDocs(t *testing.T, file string) []map[string]any {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, part := range strings.Split(string(raw), "\n---\n") {
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(part), &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if doc != nil {
			out = append(out, doc)
		}
	}
	return out
}

// walk calls f for every map that looks like a container (has an image).
func walk(v any, f func(map[string]any)) {
	walkAll(v, func(m map[string]any) {
		if _, ok := m["image"]; ok {
			f(m)
		}
	})
}

func walkAll(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(x)
		for _, e := range x {
			walkAll(e, f)
		}
	case []any:
		for _, e := range x {
			walkAll(e, f)
		}
	}
}

func stringList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

func kwargString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any, []any:
		raw, _ := yaml.Marshal(x)
		js, _ := yaml.YAMLToJSON(raw)
		return string(js)
	default:
		raw, _ := yaml.Marshal(x)
		return strings.TrimSpace(string(raw))
	}
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
