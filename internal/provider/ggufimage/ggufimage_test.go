package ggufimage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/acctest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf/buildkittest"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf/gguftest"
)

const (
	resName   = "kubefoundry_gguf_image.test"
	testModel = "kubefoundry/tiny-GGUF"
	testFile  = "tiny-1B-Instruct-Q4_K_M.gguf"
	password  = "s3cret-registry-password"
	hfToken   = "hf_acceptance_token"
)

var (
	daemonOnce sync.Once
	daemon     *buildkittest.Daemon
	daemonErr  error
)

func builder(t *testing.T) string {
	daemonOnce.Do(func() { daemon, daemonErr = buildkittest.Start(context.Background()) })
	if daemonErr != nil {
		t.Fatal(daemonErr)
	}
	return daemon.Address
}

func TestMain(m *testing.M) {
	if err := acctest.Setup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if daemon != nil {
		_ = daemon.Close()
	}
	os.Exit(code)
}

type env struct {
	hub   *gguftest.Hub
	reg   string
	base  string
	model *gguftest.Model
}

func newEnv(t *testing.T) *env {
	e := &env{hub: gguftest.NewHub(t), reg: gguftest.NewRegistry(t)}
	e.hub.Token = hfToken // a gated model: the provider's huggingface token must be sent
	e.base = gguftest.PushBase(t, e.reg)
	e.model = gguftest.NewModel(1<<20+7, 1)
	e.hub.Add(testModel, "main", testFile, e.model)
	return e
}

func (e *env) config(method, revision, extra string) string {
	return fmt.Sprintf(`
provider "kubefoundry" {
  huggingface {
    endpoint = %q
    token    = %q
  }
}

resource "kubefoundry_gguf_image" "test" {
  model      = %q
  file       = %q
  revision   = %q
  repository = "%s/models/tiny"
  base_image = %q
  method     = %q
  registry = {
    insecure            = true
    username            = "robot"
    password_wo         = %q
    password_wo_version = 1
  }
  %s
}
`, e.hub.URL, hfToken, testModel, testFile, revision, e.reg, e.base, method, password, extra)
}

// noSecretInState fails if the registry password or the Hub token appear anywhere in state.
type noSecretInState struct{}

func (noSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	for _, s := range []string{password, hfToken} {
		if strings.Contains(string(b), s) {
			resp.Error = fmt.Errorf("secret %q found in state", s)
		}
	}
}

func TestAccGGUFImage(t *testing.T) {
	e := newEnv(t)
	repo := e.reg + "/models/tiny"
	var firstDigest string
	e.hub.Add(testModel, "v2", testFile, gguftest.NewModel(1<<20+9, 2))
	bk := fmt.Sprintf("builder = { address = %q }", builder(t))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy: func(s *terraform.State) error {
			if firstDigest == "" {
				return nil
			}
			ok, err := gguf.Registry{}.TagExists(context.Background(), repo, "Q4_K_M")
			if err != nil || ok {
				return fmt.Errorf("tag still present after destroy (exists=%v, err=%v)", ok, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: e.config("direct", "main", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("image"), knownvalue.StringExact(repo+":Q4_K_M")),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("tag"), knownvalue.StringExact("Q4_K_M")),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("method"), knownvalue.StringExact("direct")),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("platform"), knownvalue.StringExact("linux/amd64")),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("revision"), knownvalue.StringExact("main")),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("model_sha256"), knownvalue.StringExact(e.model.SHA256())),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("digest"), knownvalue.StringRegexp(regexp.MustCompile(`^sha256:[0-9a-f]{64}$`))),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("image_by_digest"), knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(repo)+`@sha256:[0-9a-f]{64}$`))),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("size_bytes"), knownvalue.Int64Func(func(v int64) error {
						if v < e.model.Size/2 {
							return fmt.Errorf("size_bytes %d is smaller than the model", v)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("registry"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"address":             knownvalue.Null(),
						"insecure":            knownvalue.Bool(true),
						"username":            knownvalue.StringExact("robot"),
						"password_wo":         knownvalue.Null(),
						"password_wo_version": knownvalue.Int64Exact(1),
					})),
					statecheck.CompareValuePairs(resName, tfjsonpath.New("id"), resName, tfjsonpath.New("image_by_digest"), compare.ValuesSame()),
					noSecretInState{},
				},
				Check: func(s *terraform.State) error {
					firstDigest = s.RootModule().Resources[resName].Primary.Attributes["digest"]
					return nil
				},
			},
			{
				// The image vanished from the registry: refresh drops it, the plan rebuilds it,
				// and the rebuild is bit-for-bit the same image.
				PreConfig: func() {
					if err := (gguf.Registry{}).DeleteTag(context.Background(), repo, "Q4_K_M", firstDigest); err != nil {
						t.Fatal(err)
					}
				},
				Config: e.config("direct", "main", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resName, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("digest"), knownvalue.StringFunc(func(v string) error {
						if v != firstDigest {
							return fmt.Errorf("rebuild digest %s differs from %s", v, firstDigest)
						}
						return nil
					})),
				},
			},
			{
				// Import by tag recovers everything but the registry block from the image's labels.
				ResourceName:            resName,
				ImportState:             true,
				ImportStateId:           repo + ":Q4_K_M",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"registry", "timeouts"},
			},
			{
				// A new revision replaces the image.
				Config: e.config("direct", "v2", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resName, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("revision"), knownvalue.StringExact("v2")),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("digest"), knownvalue.StringFunc(func(v string) error {
						if v == firstDigest {
							return fmt.Errorf("new revision kept digest %s", v)
						}
						return nil
					})),
					noSecretInState{},
				},
			},
			{
				// Switching to BuildKit rebuilds there.
				Config: e.config("buildkit", "v2", bk),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resName, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("method"), knownvalue.StringExact("buildkit")),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("builder"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"address": knownvalue.StringExact(builder(t)),
					})),
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("image"), knownvalue.StringExact(repo+":Q4_K_M")),
					noSecretInState{},
				},
			},
			{
				// Only the password version changes: updated in place, no rebuild.
				Config: strings.Replace(e.config("buildkit", "v2", bk), "password_wo_version = 1", "password_wo_version = 2", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resName, tfjsonpath.New("registry").AtMapKey("password_wo_version"), knownvalue.Int64Exact(2)),
					noSecretInState{},
				},
			},
		},
	})
}

func TestAccGGUFImageChecksumMismatch(t *testing.T) {
	e := newEnv(t)
	e.hub.Advertise(testModel, "main", testFile, strings.Repeat("0f", 32))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{{
			Config:      e.config("direct", "main", ""),
			ExpectError: regexp.MustCompile(`Model checksum mismatch`),
		}},
	})
}

func TestAccGGUFImageNeedsBuilder(t *testing.T) {
	t.Setenv("BUILDKIT_HOST", "")
	e := newEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{{
			Config:      strings.Replace(e.config("buildkit", "main", ""), `method     = "buildkit"`, "", 1),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`BuildKit address missing`),
		}},
	})
}
