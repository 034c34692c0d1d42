package testcluster

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// RepoRoot finds the module root by walking up from the working directory to go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// CRDDir is where the runtime CRDs are read from: $KUBEFOUNDRY_CRD_DIR, else ../shared/crds
// next to the repository.
func CRDDir() (string, error) {
	if d := os.Getenv("KUBEFOUNDRY_CRD_DIR"); d != "" {
		return d, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	d := filepath.Join(root, "..", "shared", "crds")
	if _, err := os.Stat(d); err != nil {
		return "", fmt.Errorf("CRD directory %s not found; set KUBEFOUNDRY_CRD_DIR: %w", d, err)
	}
	return d, nil
}

// BinDir returns the directory holding etcd, kube-apiserver and kube-controller-manager:
// $KUBEFOUNDRY_TESTENV_BIN if set, else the cache filled by scripts/testenv-build.sh
// (which builds them on first use and is safe to call concurrently).
func BinDir() (string, error) {
	return scriptDir("KUBEFOUNDRY_TESTENV_BIN", "the control plane binaries", "testenv-build.sh")
}

// scriptDir returns $envVar when set, else runs scripts/<script> (which builds what into its
// cache on first use, with a lock, and prints the directory) and returns what it printed.
func scriptDir(envVar, what, script string, args ...string) (string, error) {
	if d := os.Getenv(envVar); d != "" {
		return d, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("bash", append([]string{filepath.Join(root, "scripts", script)}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building %s: %w\n%s", what, err, tail(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// buildLogTail keeps the end of a build's stderr for an error message.
const buildLogTail = 4000

func tail(s string) string {
	if n := buildLogTail; len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
