package helminstall

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// SourceAnnotation records, on the Helm release's storage Secret, which chart source an
// install used (never the password), so an imported resource knows its source and a plan
// right after import is empty.
const SourceAnnotation = "kubefoundry.io/chart-source"

type sourceNote struct {
	Repository string `json:"repository,omitempty"`
	Path       string `json:"path,omitempty"`
	Username   string `json:"username,omitempty"`
	PlainHTTP  bool   `json:"plainHTTP,omitempty"`
}

func releaseSecret(name string, revision int) string {
	return fmt.Sprintf("sh.helm.release.v1.%s.v%d", name, revision)
}

func (in *Installer) noteSource(ctx context.Context, r ReleaseInfo, src Source) error {
	if !src.IsSet() {
		return nil
	}
	raw, err := json.Marshal(sourceNote{Repository: src.Repository, Path: src.Path, Username: src.Username, PlainHTTP: src.PlainHTTP})
	if err != nil {
		return err
	}
	patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{SourceAnnotation: string(raw)}}})
	_, err = in.Kube.Typed.CoreV1().Secrets(r.Namespace).Patch(ctx, releaseSecret(r.Name, r.Revision), types.MergePatchType, patch, metav1.PatchOptions{})
	if err != nil {
		return fmt.Errorf("recording the chart source on release %s: %w", r.Name, err)
	}
	return nil
}

// RecordedSource returns the chart source recorded on a release, if any (no password).
func (in *Installer) RecordedSource(ctx context.Context, r ReleaseInfo) (Source, bool, error) {
	s, err := in.Kube.Typed.CoreV1().Secrets(r.Namespace).Get(ctx, releaseSecret(r.Name, r.Revision), metav1.GetOptions{})
	if err != nil {
		return Source{}, false, fmt.Errorf("reading release %s: %w", r.Name, err)
	}
	raw, ok := s.Annotations[SourceAnnotation]
	if !ok {
		return Source{}, false, nil
	}
	var n sourceNote
	if err := json.Unmarshal([]byte(raw), &n); err != nil {
		return Source{}, false, nil //nolint:nilerr // an unreadable note is treated as no note
	}
	return Source{Repository: n.Repository, Path: n.Path, Username: n.Username, PlainHTTP: n.PlainHTTP}, true, nil
}
