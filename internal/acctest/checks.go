package acctest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/testcluster"
)

// TestCase is a terraform acceptance test case against the in-process provider, with the
// given destroy check.
func TestCase(t *testing.T, destroyed func(*terraform.State) error, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: ProtoV6ProviderFactories,
		CheckDestroy:             destroyed,
		Steps:                    steps,
	}
}

// Config is the provider block for the test cluster followed by the given blocks.
func Config(t testing.TB, blocks ...string) string {
	return ProviderBlock(t, "") + strings.Join(blocks, "")
}

// Deployment renders one kubefoundry_model_deployment block.
func Deployment(label, body string) string {
	return fmt.Sprintf("resource \"kubefoundry_model_deployment\" %q {\n%s\n}\n", label, body)
}

// Attr checks one top-level attribute of addr in state.
func Attr(addr, name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

// StateAttr is the flat state value of addr's attribute name ("" when absent).
func StateAttr(s *terraform.State, addr, name string) string {
	if rs, ok := s.RootModule().Resources[addr]; ok {
		return rs.Primary.Attributes[name]
	}
	return ""
}

// StateManifest decodes addr's manifest attribute (the object as the provider rendered it).
func StateManifest(s *terraform.State, addr string) (map[string]any, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return nil, fmt.Errorf("%s not in state", addr)
	}
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(rs.Primary.Attributes["manifest"]), &obj); err != nil {
		return nil, fmt.Errorf("%s manifest: %w", addr, err)
	}
	return obj, nil
}

// NothingLeft is a CheckDestroy: the namespaces hold no object of the custom resources
// given nor any Deployment, StatefulSet, HPA, Service or pod. Deletes are foreground, but
// what the operators' own children hold (their finalizers, the garbage collector's queue)
// can trail the deleted object on a busy machine, so leftovers get nothingLeftWithin to go;
// an orphan never goes and fails the check.
func NothingLeft(c *testcluster.Cluster, namespaces []string, custom ...schema.GroupVersionResource) func(*terraform.State) error {
	return func(*terraform.State) error {
		var left []string
		err := testcluster.Eventually(context.Background(), nothingLeftWithin, func() error {
			var err error
			if left, err = c.Leftovers(context.Background(), namespaces, custom...); err != nil {
				return err
			}
			if len(left) > 0 {
				return fmt.Errorf("left after destroy: %v", left)
			}
			return nil
		})
		if err != nil && len(left) > 0 {
			return fmt.Errorf("left %s after destroy: %v", nothingLeftWithin, left)
		}
		return err
	}
}

// nothingLeftWithin bounds how long NothingLeft waits for the cluster to finish a delete.
const nothingLeftWithin = 90 * time.Second

// Contiguous reports whether want appears in got as one run (a flag and its value).
func Contiguous(got []string, want ...string) bool {
	for i := 0; i+len(want) <= len(got); i++ {
		if slices.Equal(got[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// HasSubsequence reports whether want appears in got in order, other arguments possibly
// between (operators add their own).
func HasSubsequence(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// FailsFast is the two steps that show a create failing with its cause well before the
// 5-minute create timeout the config sets: the apply ends with an error matching want (within
// 2 minutes, terraform's own init and plan included), and the tainted resource plans a
// replacement. what names the failure in the message when it was slow.
func FailsFast(t *testing.T, config string, want *regexp.Regexp, what string) []resource.TestStep {
	var started time.Time
	return []resource.TestStep{
		{
			PreConfig:   func() { started = time.Now() },
			Config:      config,
			ExpectError: want,
		},
		{
			PreConfig: func() {
				if d := time.Since(started); d > 2*time.Minute {
					t.Errorf("the %s took %s; want it well before the 5m timeout", what, d)
				}
			},
			Config:             config,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true, // tainted by the failed create: replaced next apply
		},
	}
}
