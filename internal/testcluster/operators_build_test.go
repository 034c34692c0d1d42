package testcluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// operatorsBuild runs scripts/operators-build.sh against the cache under dir.
func operatorsBuild(t *testing.T, cache string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{filepath.Join(root, "scripts", "operators-build.sh")}, args...)...)
	cmd.Env = append(os.Environ(), "KUBEFOUNDRY_CACHE="+cache)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// The script builds the parts it is named (what lets `make demo` and a one-runtime test skip
// KubeRay and KAITO); this checks its bookkeeping on a cache laid out as a build leaves it,
// without compiling anything.
func TestOperatorsBuildNamedParts(t *testing.T) {
	cache := t.TempDir()
	if out, _, code := operatorsBuild(t, cache, "--missing"); code != 0 || out != "kwok\ndynamo\nkuberay\nkaito\n" {
		t.Fatalf("--missing on an empty cache: %q (exit %d), want every part", out, code)
	}
	if out, _, _ := operatorsBuild(t, cache, "--missing", "dynamo", "kwok"); out != "dynamo\nkwok\n" {
		t.Fatalf("--missing dynamo kwok: %q", out)
	}
	if _, errOut, code := operatorsBuild(t, cache, "kwok", "ray"); code != 2 || !strings.Contains(errOut, "unknown part ray (one of: kwok dynamo kuberay kaito)") {
		t.Fatalf("unknown part: exit %d, %q", code, errOut)
	}

	// kwok and Dynamo built (with kwok's stages and the source trees: KAITO, Dynamo and the
	// KubeRay release archive), KubeRay and KAITO not.
	dirOut, _, _ := operatorsBuild(t, cache, "--dir")
	dir := strings.TrimSpace(dirOut)
	if !strings.HasPrefix(dir, cache) {
		t.Fatalf("--dir %q is not under KUBEFOUNDRY_CACHE %s", dir, cache)
	}
	for _, f := range []string{"kwok", "dynamo-operator", "kwok-stages.yaml", "src/kaito/.complete", "src/dynamo/.complete", "src/kuberay-1.7.0/.complete"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if out, errOut, code := operatorsBuild(t, cache, "kwok", "dynamo"); code != 0 || strings.TrimSpace(out) != dir || errOut != "" {
		t.Fatalf("kwok dynamo with both built: exit %d, stdout %q, stderr %q; want the directory and no build", code, out, errOut)
	}
	if out, _, _ := operatorsBuild(t, cache, "--missing"); out != "kuberay\nkaito\n" {
		t.Fatalf("--missing after kwok and Dynamo: %q", out)
	}
	// The kuberay part is both releases: 1.6.2 from the module proxy and 1.7.0 from the archive.
	if err := os.WriteFile(filepath.Join(dir, "kuberay-operator"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := operatorsBuild(t, cache, "--missing", "kuberay"); out != "kuberay\n" {
		t.Fatalf("--missing with only KubeRay 1.6.2 built: %q, want kuberay", out)
	}
	if err := os.WriteFile(filepath.Join(dir, "kuberay-operator-1.7.0"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := operatorsBuild(t, cache, "--missing", "kuberay"); out != "" {
		t.Fatalf("--missing with both KubeRay releases built: %q, want nothing", out)
	}
	// Without its stages kwok counts as missing: a cluster cannot run it.
	if err := os.Remove(filepath.Join(dir, "kwok-stages.yaml")); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := operatorsBuild(t, cache, "--missing", "kwok", "dynamo"); out != "kwok\n" {
		t.Fatalf("--missing with kwok's stages gone: %q", out)
	}
}
