package helminstall

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// LocalCRDDir is the folder of a `path` chart source that may hold the runtime's pinned CRDs
// which no chart bundles (the llm-d router's InferencePool and llm-d.ai CRDs, KAITO's
// Karpenter CRDs): "<path>/crds" when path is a directory of charts. An air-gapped
// install then needs no download; "" when the source is not such a directory.
func LocalCRDDir(src Source) string {
	if src.Path == "" {
		return ""
	}
	if st, err := os.Stat(src.Path); err != nil || !st.IsDir() || fileExists(filepath.Join(src.Path, "Chart.yaml")) {
		return ""
	}
	return filepath.Join(src.Path, "crds")
}

// readCRDDirs reads the CustomResourceDefinitions of every .yaml/.yml/.json file of dirs,
// by name; a missing directory holds none.
func readCRDDirs(dirs []string) (map[string]*unstructured.Unstructured, error) {
	out := map[string]*unstructured.Unstructured{}
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading CRD folder %s: %w", dir, err)
		}
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if e.IsDir() || (ext != ".yaml" && ext != ".yml" && ext != ".json") {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			objs, err := decodeYAML(raw)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Join(dir, e.Name()), err)
			}
			for _, o := range objs {
				if o.GetKind() == "CustomResourceDefinition" {
					out[o.GetName()] = o
				}
			}
		}
	}
	return out, nil
}
