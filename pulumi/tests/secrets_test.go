package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Pulumi's marker of a secret value in a state file: {"4dabf18193072939515e22adb298388d":
// "1b47061264138c4ac30d75fd1eb44270", "ciphertext": ...} (pulumi/pulumi sdk/go/common/resource/
// sig.Secret; "plaintext" instead of "ciphertext" in `stack export --show-secrets`).
const (
	secretSigKey   = "4dabf18193072939515e22adb298388d"
	secretSigValue = "1b47061264138c4ac30d75fd1eb44270"
)

// writeOnlyInputIsSecret checks how the state records the write-only hfTokenWo input. Terraform
// keeps a write-only attribute out of its state; the Pulumi engine records every input of a
// resource, and the bridge (v3.120.0) keeps the write-only one there as a secret, encrypted
// with the stack's secrets provider (pulumi/pulumi-terraform-bridge#3201, open: "write-only
// fields: Do not write to state"). So the token must be there only as a secret: ciphertext in a
// plain export (decrypted is whether the export was made with --show-secrets).
func writeOnlyInputIsSecret(t *testing.T, export []byte, token string, decrypted bool) {
	t.Helper()
	var doc struct {
		Deployment *struct {
			Resources []struct {
				Type   string                     `json:"type"`
				Inputs map[string]json.RawMessage `json:"inputs"`
			} `json:"resources"`
		} `json:"deployment"`
		Resources []struct {
			Type   string                     `json:"type"`
			Inputs map[string]json.RawMessage `json:"inputs"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(export[strings.Index(string(export), "{"):], &doc); err != nil {
		t.Fatalf("reading the exported state: %v", err)
	}
	resources := doc.Resources
	if doc.Deployment != nil {
		resources = doc.Deployment.Resources
	}
	found := false
	for _, r := range resources {
		if r.Type != modelDeploymentToken {
			continue
		}
		found = true
		raw, ok := r.Inputs["hfTokenWo"]
		if !ok {
			continue // not recorded at all: better than required
		}
		var v map[string]string
		if err := json.Unmarshal(raw, &v); err != nil || v[secretSigKey] != secretSigValue {
			t.Fatalf("the state records hfTokenWo as %s, not as a Pulumi secret", raw)
		}
		want := "ciphertext"
		if decrypted {
			want = "plaintext"
			if v["plaintext"] != fmt.Sprintf("%q", token) {
				t.Errorf("hfTokenWo decrypted from the state is %s, want the token given", v["plaintext"])
			}
		}
		if _, ok := v[want]; !ok {
			t.Errorf("hfTokenWo in the state has no %s: %s", want, raw)
		}
	}
	if !found {
		t.Fatalf("the exported state has no %s", modelDeploymentToken)
	}
	if !decrypted && strings.Contains(string(export), token) {
		t.Fatal("`pulumi stack export` shows the Hugging Face token")
	}
}

// noTokenInFiles fails when any file under dir (the backend's state, its history and backups,
// the stack's config, PULUMI_HOME) holds the Hugging Face token in clear.
func noTokenInFiles(t *testing.T, dir, token string) {
	t.Helper()
	_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Mode()&os.ModeSymlink != 0 {
			return nil
		}
		b, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(b), token) {
			t.Errorf("%s holds the Hugging Face token in clear", path)
		}
		return nil
	})
}
