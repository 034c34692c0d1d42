package huggingface

import (
	"context"
	"encoding/json"
	"fmt"
)

// File downloads a small file (e.g. config.json) of model at revision. Large
// files should be streamed from FileURL instead.
func (c *Client) File(ctx context.Context, model, revision, name string) ([]byte, error) {
	if err := validateModelID(model); err != nil {
		return nil, err
	}
	resp, err := c.get(ctx, c.FileURL(model, revision, name), model)
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}

// contextKeys are the config.json fields transformers models use for their
// maximum sequence length, in order of preference.
var contextKeys = []string{"max_position_embeddings", "n_positions", "max_sequence_length", "seq_length", "n_ctx"}

// ContextLength reads the maximum context length from the model's
// config.json (also inside "text_config" for multimodal models); 0 if absent.
func (c *Client) ContextLength(ctx context.Context, model, revision string) (int64, error) {
	b, err := c.File(ctx, model, revision, "config.json")
	if err != nil {
		return 0, err
	}
	var cfg map[string]json.RawMessage
	if err := json.Unmarshal(b, &cfg); err != nil {
		return 0, fmt.Errorf("config.json of %s: %w", model, err)
	}
	if n := firstInt(cfg); n > 0 {
		return n, nil
	}
	var text map[string]json.RawMessage
	if raw, ok := cfg["text_config"]; ok && json.Unmarshal(raw, &text) == nil {
		return firstInt(text), nil
	}
	return 0, nil
}

func firstInt(m map[string]json.RawMessage) int64 {
	for _, k := range contextKeys {
		var n int64
		if raw, ok := m[k]; ok && json.Unmarshal(raw, &n) == nil && n > 0 {
			return n
		}
	}
	return 0
}
