package engineflags

// Dynamo 1.4.0's engine pins: docs/fern/components/releases.data.ts MAIN_TOT at the 1.4.0
// branch point (wxsms/dynamo e147ceea; the fork's history is upstream's). TensorRT-LLM is
// 1.3.0rc23 there (also container/compliance/base_sboms/manifest.json), not rc22.
const DynamoVersion = "1.4.0"

// DynamoEngineVersions are the engine versions inside the Dynamo 1.4.0 runtime images.
var DynamoEngineVersions = map[string]string{
	"vllm":   "0.26.0",
	"sglang": "0.5.16",
	"trtllm": "1.3.0rc23",
}

// DynamoWorker is what `python3 -m dynamo.<engine>` of Dynamo 1.4.0 accepts after the
// flags the provider renders:
//   - vLLM: Dynamo's runtime, vLLM-wrapper and worker-router flags (an argparse parser
//     with allow_abbrev=False), the rest goes to vLLM's FlexibleArgumentParser (vllm/args.py
//     parse_args), which takes --a_b for --a-b and --<json flag>.<key>.
//   - SGLang: the same Dynamo groups, the rest to SGLang's ServerArgs parser (sglang/args.py).
//   - TensorRT-LLM: Dynamo's flags only; whatever is left must be --trtllm.<path> <value>
//     or the worker exits "Unrecognized argument" (trtllm/dynamic_flags.py). The caller
//     checks those paths against TensorRT-LLM's LLM arguments (DynamoTRTLLMArgs).
//
// vLLM's own flags come from the vllm-0.26.0 window table (EnginePins: it holds the
// v0.26.0 branch point), so the parser is complete; SGLang's table is only the nearest
// (DynamoNearest), so unknown flags pass DynamoWorker("sglang") and are kind-checked there.
func DynamoWorker(engine string) Parser {
	p := Parser{Name: "dynamo." + engine + " " + DynamoVersion, Tables: []*Table{MustLoad("dynamo-" + engine)}}
	switch engine {
	case "trtllm":
		p.Complete = true
	case "vllm":
		t := MustLoad(VLLMDynamoTable)
		p.Tables = append(p.Tables, t)
		p.Name += " + vLLM " + t.Version
		p.Complete, p.Underscores, p.Dotted = true, true, true
	}
	return p
}

// DynamoNearest is the kind-only parser for the engine flags of a Dynamo worker whose
// engine has no exact table (SGLang), and false when there is none or no need.
func DynamoNearest(engine string) (Parser, bool) {
	if engine == "sglang" {
		return SGLangNearest("SGLang " + DynamoEngineVersions["sglang"] + " of Dynamo " + DynamoVersion), true
	}
	return Parser{}, false
}
