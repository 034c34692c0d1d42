package hubtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// GGUFSpec describes a tiny llama-style model to encode as GGUF v3.
type GGUFSpec struct {
	Name              string // general.name
	Architecture      string // general.architecture; "llama" if empty
	FileType          uint32 // general.file_type (llama_ftype), e.g. 15 = Q4_K_M
	BlockCount        uint32
	ContextLength     uint32
	EmbeddingLength   uint32
	FeedForwardLength uint32
	HeadCount         uint32
	HeadCountKV       uint32
	VocabSize         uint32
}

// DefaultGGUFSpec is a ~170 KiB two-layer model.
var DefaultGGUFSpec = GGUFSpec{
	Name: "hubtest-tiny", Architecture: "llama", FileType: 1,
	BlockCount: 2, ContextLength: 2048, EmbeddingLength: 64, FeedForwardLength: 128,
	HeadCount: 4, HeadCountKV: 4, VocabSize: 32,
}

// GGUF value types and GGML tensor types used below (GGUF spec).
const (
	ggufUint32  = 4
	ggufFloat32 = 6
	ggufString  = 8
	ggufArray   = 9
	ggmlF32     = 0
	ggmlF16     = 1
	alignment   = 32
)

type ggufWriter struct{ bytes.Buffer }

func (w *ggufWriter) u32(v uint32) { _ = binary.Write(w, binary.LittleEndian, v) }
func (w *ggufWriter) u64(v uint64) { _ = binary.Write(w, binary.LittleEndian, v) }
func (w *ggufWriter) f32(v float32) {
	_ = binary.Write(w, binary.LittleEndian, v)
}
func (w *ggufWriter) str(s string) { w.u64(uint64(len(s))); w.WriteString(s) }

type kv struct {
	key string
	put func(w *ggufWriter)
}

func kvU32(k string, v uint32) kv {
	return kv{k, func(w *ggufWriter) { w.u32(ggufUint32); w.u32(v) }}
}
func kvF32(k string, v float32) kv {
	return kv{k, func(w *ggufWriter) { w.u32(ggufFloat32); w.f32(v) }}
}
func kvStr(k, v string) kv {
	return kv{k, func(w *ggufWriter) { w.u32(ggufString); w.str(v) }}
}
func kvStrs(k string, vs []string) kv {
	return kv{k, func(w *ggufWriter) {
		w.u32(ggufArray)
		w.u32(ggufString)
		w.u64(uint64(len(vs)))
		for _, v := range vs {
			w.str(v)
		}
	}}
}

type tensor struct {
	name string
	dims []uint64
	typ  uint32
}

func (t tensor) size() uint64 {
	n := uint64(1)
	for _, d := range t.dims {
		n *= d
	}
	if t.typ == ggmlF16 {
		return n * 2
	}
	return n * 4
}

// BuildGGUF encodes spec as a valid GGUF v3 file: header, metadata, tensor
// infos and zero-filled tensor data, so parsers and size checks both work.
func BuildGGUF(spec GGUFSpec) []byte {
	if spec.Architecture == "" {
		spec.Architecture = "llama"
	}
	a := spec.Architecture
	tokens := make([]string, spec.VocabSize)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("<t%d>", i)
	}
	kvs := []kv{
		kvStr("general.architecture", a),
		kvStr("general.name", spec.Name),
		kvU32("general.file_type", spec.FileType),
		kvU32("general.quantization_version", 2),
		kvU32("general.alignment", alignment),
		kvU32(a+".block_count", spec.BlockCount),
		kvU32(a+".context_length", spec.ContextLength),
		kvU32(a+".embedding_length", spec.EmbeddingLength),
		kvU32(a+".feed_forward_length", spec.FeedForwardLength),
		kvU32(a+".attention.head_count", spec.HeadCount),
		kvU32(a+".attention.head_count_kv", spec.HeadCountKV),
		kvU32(a+".rope.dimension_count", spec.EmbeddingLength/spec.HeadCount),
		kvF32(a+".attention.layer_norm_rms_epsilon", 1e-5),
		kvU32(a+".vocab_size", spec.VocabSize),
		kvStr("tokenizer.ggml.model", "llama"),
		kvStrs("tokenizer.ggml.tokens", tokens),
		kvU32("tokenizer.ggml.bos_token_id", 1),
		kvU32("tokenizer.ggml.eos_token_id", 2),
	}

	e, ff, v := uint64(spec.EmbeddingLength), uint64(spec.FeedForwardLength), uint64(spec.VocabSize)
	ekv := e / uint64(spec.HeadCount) * uint64(spec.HeadCountKV)
	tensors := []tensor{{"token_embd.weight", []uint64{e, v}, ggmlF16}}
	for i := range spec.BlockCount {
		p := fmt.Sprintf("blk.%d.", i)
		tensors = append(tensors,
			tensor{p + "attn_norm.weight", []uint64{e}, ggmlF32},
			tensor{p + "attn_q.weight", []uint64{e, e}, ggmlF16},
			tensor{p + "attn_k.weight", []uint64{e, ekv}, ggmlF16},
			tensor{p + "attn_v.weight", []uint64{e, ekv}, ggmlF16},
			tensor{p + "attn_output.weight", []uint64{e, e}, ggmlF16},
			tensor{p + "ffn_norm.weight", []uint64{e}, ggmlF32},
			tensor{p + "ffn_gate.weight", []uint64{e, ff}, ggmlF16},
			tensor{p + "ffn_up.weight", []uint64{e, ff}, ggmlF16},
			tensor{p + "ffn_down.weight", []uint64{ff, e}, ggmlF16},
		)
	}
	tensors = append(tensors,
		tensor{"output_norm.weight", []uint64{e}, ggmlF32},
		tensor{"output.weight", []uint64{e, v}, ggmlF16},
	)

	var w ggufWriter
	w.WriteString("GGUF")
	w.u32(3)
	w.u64(uint64(len(tensors)))
	w.u64(uint64(len(kvs)))
	for _, k := range kvs {
		w.str(k.key)
		k.put(&w)
	}
	var offset uint64
	for _, t := range tensors {
		w.str(t.name)
		w.u32(uint32(len(t.dims)))
		for _, d := range t.dims {
			w.u64(d)
		}
		w.u32(t.typ)
		w.u64(offset)
		offset = align(offset + t.size())
	}
	w.Write(make([]byte, align(uint64(w.Len()))-uint64(w.Len())))
	w.Write(make([]byte, offset))
	return w.Bytes()
}

func align(n uint64) uint64 { return (n + alignment - 1) / alignment * alignment }
