package tests

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// project is a Pulumi YAML project in a temporary directory with its own PULUMI_HOME and a local
// file backend; every command's output is kept so that a test can check a secret never shows.
type project struct {
	t       *testing.T
	dir     string
	env     []string
	outputs []string
}

func newProject(t *testing.T) *project {
	t.Helper()
	base := t.TempDir()
	p := &project{t: t, dir: filepath.Join(base, "project")}
	for _, d := range []string{p.dir, filepath.Join(base, "state"), filepath.Join(base, "home")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	p.env = append(os.Environ(),
		"PATH="+cliDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PULUMI_HOME="+filepath.Join(base, "home"),
		"PULUMI_BACKEND_URL=file://"+filepath.Join(base, "state"),
		"PULUMI_CONFIG_PASSPHRASE=kubefoundry-test-passphrase",
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
		"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true",
		"NO_COLOR=1",
	)
	return p
}

// program writes Pulumi.yaml: the YAML program body, with the plugin taken from pluginDir.
func (p *project) program(body string) {
	p.t.Helper()
	y := "name: kf\nruntime: yaml\nplugins:\n  providers:\n    - name: kubefoundry\n      path: " + pluginDir + "\n" + body
	if err := os.WriteFile(filepath.Join(p.dir, "Pulumi.yaml"), []byte(y), 0o600); err != nil {
		p.t.Fatal(err)
	}
}

// run runs the pulumi CLI and returns its combined output and error.
func (p *project) run(args ...string) (string, error) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, filepath.Join(cliDir, "pulumi"), append(args, "--non-interactive")...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = p.dir, p.env, &out, &out
	start := time.Now()
	err := cmd.Run()
	p.t.Logf("pulumi %s (%s)", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	p.outputs = append(p.outputs, out.String())
	return out.String(), err
}

// must runs the pulumi CLI and fails the test when it fails.
func (p *project) must(args ...string) string {
	p.t.Helper()
	out, err := p.run(args...)
	if err != nil {
		p.t.Fatalf("pulumi %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}
