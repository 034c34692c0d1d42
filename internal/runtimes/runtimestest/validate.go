package runtimestest

import (
	"strings"
	"testing"

	rt "github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// InvalidCase breaks one thing in a valid config and names the problem it must produce.
type InvalidCase struct {
	Name   string
	Mutate func(cfg *rt.DeploymentConfig)
	// Path is where the problem must point (Problem.Where: `path` or `path["key"]`);
	// Message a substring of its text.
	Path    string
	Message string
}

// CheckInvalid applies each mutation to a copy of base, runs Defaults and Validate, and
// requires a problem at the expected path with the expected text. Manifests must refuse too.
func CheckInvalid(t *testing.T, r rt.Runtime, base rt.DeploymentConfig, cases []InvalidCase) {
	seen := map[string]string{}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			cfg := Clone(t, base)
			c.Mutate(&cfg)
			r.Defaults(&cfg)
			ps := r.Validate(cfg)
			var found *rt.Problem
			for i := range ps {
				if ps[i].Where() == c.Path && strings.Contains(ps[i].Message, c.Message) {
					found = &ps[i]
				}
			}
			if found == nil {
				t.Fatalf("want a problem at %q containing %q, got:\n%s", c.Path, c.Message, ps.Error())
			}
			if prev, dup := seen[found.String()]; dup {
				t.Errorf("case %s gives the same message as case %s: %s", c.Name, prev, found)
			}
			seen[found.String()] = c.Name
			if _, err := r.Manifests(cfg); err == nil {
				t.Error("Manifests accepted an invalid config")
			}
		})
	}
}

// WantProblem runs Defaults and Validate on cfg and requires a problem at path (Problem.Path,
// the attribute even for a map element) whose message contains msg.
func WantProblem(t *testing.T, r rt.Runtime, cfg rt.DeploymentConfig, path, msg string) {
	t.Helper()
	r.Defaults(&cfg)
	ps := r.Validate(cfg)
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, msg) {
			return
		}
	}
	t.Errorf("want a problem at %s containing %q, got:\n%v", path, msg, ps.Error())
}
