package perf

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Arch is what the performance model needs to know about a transformer: parameter counts
// split by how they are sharded, and per-token KV-cache and attention costs. It is derived
// from a Hugging Face config.json by ParseConfig; the embedded table holds it for every model
// under ../shared/reference/sizing/model_configs.
type Arch struct {
	Hidden int
	Layers int
	Vocab  int
	Heads  int

	// AttnParams is every attention projection of every layer (sharded by tensor parallel).
	AttnParams int64
	// DenseParams is the dense MLPs and shared experts (sharded by tensor parallel).
	DenseParams int64
	// ExpertParams is one routed expert of one layer; MoELayers layers hold Experts each,
	// TopK of which every token uses.
	ExpertParams int64
	MoELayers    int
	Experts      int
	TopK         int
	// EmbedParams is the input embedding plus the output head (twice when not tied).
	EmbedParams int64

	// KVElems is the KV-cache elements one token stores over all full-attention layers.
	KVElems int64
	// WindowKVElems and Window are the same for sliding-window layers, which keep at most Window tokens.
	WindowKVElems int64
	Window        int
	// KVShards is how many ways tensor parallel can split the cache: the KV heads for
	// grouped-query attention, 1 for multi-head latent attention (the latent is replicated).
	KVShards int
	// AttnFlopsPerCtx is the multiply-adds x2 one query token spends per cached token over all
	// attention layers that see the full context (QK^T and PV).
	AttnFlopsPerCtx int64
	// SparseTopK caps how many cached tokens sparse attention (DeepSeek DSA) reads; 0 when dense.
	SparseTopK int
	// StateBytes is the fixed per-request recurrent state (linear attention, Mamba), all layers.
	StateBytes int64

	// WeightQuant and MoEQuant are the checkpoint's quantization ("" = 16-bit).
	WeightQuant string
	MoEQuant    string
}

// IsMoE reports whether the model routes tokens to experts.
func (a Arch) IsMoE() bool { return a.Experts > 0 && a.MoELayers > 0 }

// TotalParams is every weight.
func (a Arch) TotalParams() int64 {
	return a.AttnParams + a.DenseParams + int64(a.MoELayers)*int64(a.Experts)*a.ExpertParams + a.EmbedParams
}

// ActiveParams is the weights one token uses (embeddings excluded: a lookup, not a matmul,
// except the output head, counted once).
func (a Arch) ActiveParams() int64 {
	return a.AttnParams + a.DenseParams + int64(a.MoELayers)*int64(a.TopK)*a.ExpertParams + int64(a.Hidden)*int64(a.Vocab)
}

var nonFinite = regexp.MustCompile(`([:\[,]\s*)-?(Infinity|NaN)\b`)

type jsonMap map[string]any

func (m jsonMap) num(keys ...string) int64 {
	for _, k := range keys {
		switch v := m[k].(type) {
		case float64:
			return int64(v)
		case json.Number:
			n, _ := v.Int64()
			return n
		}
	}
	return 0
}

func (m jsonMap) str(k string) string { s, _ := m[k].(string); return s }

func (m jsonMap) sub(k string) jsonMap {
	if v, ok := m[k].(map[string]any); ok {
		return v
	}
	return nil
}

func (m jsonMap) strings(k string) []string {
	l, _ := m[k].([]any)
	out := make([]string, 0, len(l))
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

// ParseConfig derives an Arch from a Hugging Face config.json and, when the checkpoint has one,
// its hf_quant_config.json (ModelOpt). Field names follow transformers' configs for Llama,
// Qwen3/3.5, DeepSeek V3 (MLA, DSA), gpt-oss, MiniMax, Kimi, GLM, Gemma and Nemotron-H.
func ParseConfig(config, hfQuantConfig []byte) (Arch, error) {
	var root jsonMap
	// Python's json writes Infinity/NaN, which some Hub configs carry (Nemotron-3 Super).
	config = nonFinite.ReplaceAll(config, []byte("${1}null"))
	if err := json.Unmarshal(config, &root); err != nil {
		return Arch{}, fmt.Errorf("config.json: %w", err)
	}
	c := root
	for _, k := range []string{"text_config", "llm_config", "language_config"} {
		if s := root.sub(k); s != nil && s.num("hidden_size") > 0 {
			c = s
			break
		}
	}
	a := Arch{
		Hidden: int(c.num("hidden_size", "d_model", "n_embd")),
		Layers: int(c.num("num_hidden_layers", "num_layers", "n_layer")),
		Vocab:  int(c.num("vocab_size")),
		Heads:  int(c.num("num_attention_heads", "n_head")),
	}
	if a.Hidden <= 0 || a.Heads <= 0 {
		return Arch{}, fmt.Errorf("config.json has no hidden_size/num_attention_heads: not a decoder transformer config this model understands")
	}
	pattern := c.str("hybrid_override_pattern")
	if pattern == "" {
		// Nemotron-3 Ultra spells the layer pattern out.
		code := map[string]string{"mamba": "M", "moe": "E", "attention": "*", "mlp": "-"}
		for _, t := range c.strings("layers_block_type") {
			pattern += code[t]
		}
	}
	if a.Layers <= 0 && pattern != "" {
		a.Layers = len(pattern)
	}
	if a.Layers <= 0 {
		return Arch{}, fmt.Errorf("config.json has no num_hidden_layers")
	}
	h := int64(a.Hidden)
	kvHeads := c.num("num_key_value_heads", "num_kv_heads")
	if kvHeads <= 0 {
		kvHeads = int64(a.Heads)
	}
	headDim := c.num("head_dim", "attention_head_dim")
	if headDim <= 0 {
		headDim = h / int64(a.Heads)
	}
	heads := int64(a.Heads)

	// Which layers attend to the whole context, a window, or keep a recurrent state.
	full, window, linear, mamba := a.Layers, 0, 0, 0
	switch {
	case len(c.strings("layer_types")) > 0:
		full = 0
		for _, t := range c.strings("layer_types") {
			switch {
			case strings.Contains(t, "sliding") || strings.Contains(t, "chunk"):
				window++
			case strings.Contains(t, "linear"):
				linear++
			default:
				full++
			}
		}
	case c.num("full_attention_interval") > 0:
		full = a.Layers / int(c.num("full_attention_interval"))
		linear = a.Layers - full
	case pattern != "":
		full = strings.Count(pattern, "*")
		mamba = strings.Count(pattern, "M")
	}
	if w := c.num("sliding_window", "sliding_window_size"); w > 0 && window > 0 {
		a.Window = int(w)
	} else if window > 0 {
		// a windowed layer type without a size: treat as full attention.
		full += window
		window = 0
	}

	// Attention parameters and KV cache per layer.
	var attnPerLayer, kvPerLayer, flopsPerLayer int64
	if kvLora := c.num("kv_lora_rank"); kvLora > 0 {
		rope := c.num("qk_rope_head_dim")
		nope := c.num("qk_nope_head_dim")
		vdim := c.num("v_head_dim")
		qLora := c.num("q_lora_rank")
		qk := nope + rope
		q := h * heads * qk
		if qLora > 0 {
			q = h*qLora + qLora*heads*qk
		}
		attnPerLayer = q + h*(kvLora+rope) + kvLora*heads*(nope+vdim) + heads*vdim*h
		kvPerLayer = kvLora + rope
		flopsPerLayer = 2 * heads * (qk + vdim)
		a.KVShards = 1
		a.SparseTopK = int(c.num("index_topk"))
	} else {
		attnPerLayer = h*heads*headDim + 2*h*kvHeads*headDim + heads*headDim*h
		kvPerLayer = 2 * kvHeads * headDim
		flopsPerLayer = 4 * heads * headDim
		a.KVShards = int(kvHeads)
	}
	a.KVElems = kvPerLayer * int64(full)
	a.WindowKVElems = kvPerLayer * int64(window)
	a.AttnFlopsPerCtx = flopsPerLayer * int64(full)
	a.AttnParams = attnPerLayer * int64(full+window)
	if linear > 0 {
		nk, dk := c.num("linear_num_key_heads"), c.num("linear_key_head_dim")
		nv, dv := c.num("linear_num_value_heads"), c.num("linear_value_head_dim")
		a.AttnParams += int64(linear) * (h*(2*nk*dk+2*nv*dv) + nv*dv*h)
		a.StateBytes += int64(linear) * nv * dk * dv * 4
	}
	if mamba > 0 {
		nh, hd, st := c.num("mamba_num_heads"), c.num("mamba_head_dim"), c.num("ssm_state_size")
		inner := nh * hd
		a.AttnParams += int64(mamba) * (h*2*inner + inner*h)
		a.StateBytes += int64(mamba) * nh * hd * st * 4
	}

	// Feed-forward: dense layers, routed experts, shared experts.
	experts := c.num("n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts")
	topK := c.num("num_experts_per_tok", "experts_per_token", "num_experts_per_token", "moe_topk", "top_k_experts")
	inter := c.num("intermediate_size", "ffn_hidden_size")
	if experts > 0 && topK > 0 {
		moeInter := c.num("moe_intermediate_size", "expert_intermediate_size", "routed_expert_hidden_size")
		if moeInter <= 0 {
			moeInter = inter
		}
		a.Experts, a.TopK = int(experts), int(topK)
		mats := int64(3) // gate, up, down (SwiGLU)
		if c.str("mlp_hidden_act") == "relu2" {
			mats = 2 // Nemotron-H: up, down
		}
		expertIn := h
		if l := c.num("moe_latent_size"); l > 0 {
			expertIn = l
		}
		a.ExpertParams = mats * expertIn * moeInter
		dense := int(c.num("first_k_dense_replace"))
		moeLayers := a.Layers - dense
		if pattern != "" && strings.Contains(pattern, "E") {
			moeLayers = strings.Count(pattern, "E")
			dense = 0
		} else if step := c.num("interleave_moe_layer_step", "decoder_sparse_step"); step > 1 {
			moeLayers = a.Layers / int(step)
			dense = a.Layers - moeLayers
		}
		a.MoELayers = moeLayers
		denseInter := c.num("dense_intermediate_size", "intermediate_size_mlp")
		if denseInter <= 0 {
			denseInter = inter
		}
		a.DenseParams = int64(dense) * 3 * h * denseInter
		shared := c.num("shared_expert_intermediate_size", "moe_shared_expert_intermediate_size", "shared_intermediate_size", "share_expert_dim")
		if shared <= 0 {
			if n := c.num("n_shared_experts", "num_shared_experts"); n > 0 {
				shared = n * moeInter
			}
		}
		a.DenseParams += int64(moeLayers) * 3 * h * shared
	} else if pattern != "" {
		a.DenseParams = int64(strings.Count(pattern, "-")) * 2 * h * inter
	} else {
		a.DenseParams = int64(a.Layers) * 3 * h * inter
	}
	a.EmbedParams = h * int64(a.Vocab)
	if tied, ok := c["tie_word_embeddings"].(bool); !ok || !tied {
		a.EmbedParams *= 2
	}
	a.WeightQuant, a.MoEQuant = checkpointQuant(root, c, hfQuantConfig)
	return a, nil
}

// checkpointQuant names the checkpoint's precision in the measurements' terms
// (gemm_quant_mode / moe_quant_mode).
func checkpointQuant(root, c jsonMap, hfQuant []byte) (gemm, moe string) {
	if len(hfQuant) > 0 {
		var q jsonMap
		if json.Unmarshal(hfQuant, &q) == nil {
			if algo := modelOptAlgo(q.sub("quantization").str("quant_algo")); algo != "" {
				return algo, algo
			}
		}
	}
	q := root.sub("quantization_config")
	if q == nil {
		q = c.sub("quantization_config")
	}
	if q == nil {
		return "", ""
	}
	switch strings.ToLower(q.str("quant_method")) {
	case "fp8":
		if _, ok := q["weight_block_size"]; ok {
			return "fp8_block", "fp8_block"
		}
		return "fp8", "fp8"
	case "mxfp4":
		// gpt-oss: attention stays 16-bit, experts are 4-bit.
		return "", "nvfp4"
	case "modelopt":
		if a := modelOptAlgo(q.str("quant_algo")); a != "" {
			return a, a
		}
	case "compressed-tensors":
		if g := q.sub("config_groups").sub("group_0").sub("weights"); g != nil && g.num("num_bits") == 4 {
			// Kimi K2.5: int4 weight-only experts, 16-bit attention.
			return "", "int4_wo"
		}
	}
	return "", ""
}

func modelOptAlgo(algo string) string {
	switch strings.ToUpper(algo) {
	case "NVFP4", "MIXED_PRECISION":
		return "nvfp4"
	case "FP8":
		return "fp8"
	}
	return ""
}
