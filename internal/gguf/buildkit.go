package gguf
import "context"

func buildBuildKit(ctx context.Context, spec *Spec, info *ModelInfo) (string, error) { return "", nil }
