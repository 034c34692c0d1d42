package tests

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
	"github.com/kubefoundry/terraform-provider-kubefoundry/pulumi/sdk/go/kubefoundry"
)

// goProgram is a Pulumi Go program written against the generated Go SDK (pulumi/sdk/go).
func goProgram(ns string, replicas int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		md, err := kubefoundry.NewModelDeployment(ctx, "qwen", &kubefoundry.ModelDeploymentArgs{
			Name:             pulumi.String("qwen"),
			Namespace:        pulumi.String(ns),
			Runtime:          pulumi.String("dynamo"),
			Model:            pulumi.String("Qwen/Qwen3-0.6B"),
			Replicas:         pulumi.Int(replicas),
			HfTokenWo:        config.RequireSecret(ctx, "hfToken"),
			HfTokenWoVersion: pulumi.Int(1),
		})
		if err != nil {
			return err
		}
		ctx.Export("phase", md.Phase)
		ctx.Export("ready", md.Ready)
		ctx.Export("endpoint", md.Endpoint)
		return nil
	}
}

// The generated Go SDK drives a model deployment through the Automation API: the program runs
// in the test process (an inline program needs no Go language host, which the module proxy does
// not serve), the real Pulumi CLI runs the engine and the plugin, the real Dynamo operator runs
// the graph. up reaches Running, a preview is clean, an update scales it, destroy leaves
// nothing, and the token given as a secret config value is in the state only encrypted, and in
// no file or output in clear.
func TestPulumiGoSDKModelDeployment(t *testing.T) {
	c := testcluster.Get(t)
	c.LogOnFailure(t)
	ctx := context.Background()
	ns := c.ShortNamespace(t, "pgo")
	c.KwokGPUNodes(t, ns, 3, 1, map[string]string{"pool": ns})

	base := t.TempDir()
	state, home, work := filepath.Join(base, "state"), filepath.Join(base, "home"), filepath.Join(base, "project")
	for _, d := range []string{state, home, work} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// NewPulumiCommand runs <Root>/bin/pulumi: give it that layout over the cached CLI.
	if err := os.MkdirAll(filepath.Join(base, "cli"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(cliDir, filepath.Join(base, "cli", "bin")); err != nil {
		t.Fatal(err)
	}
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: filepath.Join(base, "cli"), SkipVersionCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	project := workspace.Project{
		Name:    tokens.PackageName("kfgo"),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{{Name: "kubefoundry", Path: pluginDir}}},
		Backend: &workspace.ProjectBackend{URL: "file://" + state},
	}
	env := map[string]string{
		"PULUMI_CONFIG_PASSPHRASE":                    "kubefoundry-test-passphrase",
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PATH": cliDir + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "test", "kfgo", goProgram(ns, 1),
		auto.WorkDir(work), auto.PulumiHome(home), auto.Pulumi(cli), auto.Project(project),
		auto.SecretsProvider("passphrase"), auto.EnvVars(env))
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.SetConfig(ctx, "kubefoundry:configPath", auto.ConfigValue{Value: c.Kubeconfig}); err != nil {
		t.Fatal(err)
	}
	if err := stack.SetConfig(ctx, "hfToken", auto.ConfigValue{Value: hfToken, Secret: true}); err != nil {
		t.Fatal(err)
	}
	var outputs strings.Builder
	destroyed := false
	defer func() {
		if !destroyed {
			_, _ = stack.Destroy(ctx)
		}
	}()

	up, err := stack.Up(ctx, optup.ProgressStreams(&outputs))
	if err != nil {
		t.Fatalf("up: %v\n%s", err, outputs.String())
	}
	if got := fmt.Sprint(up.Outputs["phase"].Value); got != "Running" {
		t.Fatalf("phase output %q after up, want Running", got)
	}
	if got := fmt.Sprint(up.Outputs["endpoint"].Value); got != "qwen-frontend."+ns+".svc.cluster.local:8000" {
		t.Errorf("endpoint output %q", got)
	}
	secret, err := c.Clientset.CoreV1().Secrets(ns).Get(ctx, "qwen-hf-token", metav1.GetOptions{})
	if err != nil || string(secret.Data["HF_TOKEN"]) != hfToken {
		t.Fatalf("Secret qwen-hf-token does not hold the token given as a Pulumi secret (%v)", err)
	}

	if _, err := stack.Preview(ctx, optpreview.ExpectNoChanges(), optpreview.ProgressStreams(&outputs)); err != nil {
		t.Fatalf("preview after up is not clean: %v\n%s", err, outputs.String())
	}

	// Update: two replicas.
	stack.Workspace().SetProgram(goProgram(ns, 2))
	up, err = stack.Up(ctx, optup.ProgressStreams(&outputs))
	if err != nil {
		t.Fatalf("update: %v\n%s", err, outputs.String())
	}
	if got := fmt.Sprint(up.Outputs["ready"].Value); got != "2" {
		t.Fatalf("ready output %q after scaling to 2, want 2", got)
	}
	if got := workerReplicas(t, c, ns, "qwen"); got != 2 {
		t.Fatalf("worker replicas %d in the cluster after the update, want 2", got)
	}

	exported, err := stack.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The Automation API exports with --show-secrets: the token is there, decrypted, only
	// because the state holds it as a secret (see writeOnlyInputIsSecret).
	writeOnlyInputIsSecret(t, exported.Deployment, hfToken, true)

	if _, err := stack.Destroy(ctx, optdestroy.ProgressStreams(&outputs)); err != nil {
		t.Fatalf("destroy: %v\n%s", err, outputs.String())
	}
	destroyed = true
	if left, err := c.Leftovers(ctx, []string{ns}, dgdGVR, dcdGVR); err != nil || len(left) > 0 {
		t.Errorf("left after destroy: %v %v", left, err)
	}
	if _, err := c.Clientset.CoreV1().Secrets(ns).Get(ctx, "qwen-hf-token", metav1.GetOptions{}); err == nil {
		t.Error("the token's Secret is still there after destroy")
	}
	if strings.Contains(outputs.String(), hfToken) {
		t.Errorf("the engine's output shows the Hugging Face token:\n%s", outputs.String())
	}
	noTokenInFiles(t, base, hfToken)
}
