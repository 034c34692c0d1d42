package gateway

import (
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Support says what a runtime offers behind a route.
type Support struct {
	// Pool: the runtime can serve through an InferencePool and endpoint picker.
	Pool bool
	// NoPool explains why not, and what to do instead (shown with gateway.inference_pool).
	NoPool string
	// EPPImage: the provider renders the picker, so gateway.epp_image applies.
	EPPImage bool
}

// durationRE is the Gateway API Duration format (GEP-2257: 1-4 groups of up to five digits
// and a unit h, m, s or ms), enforced by the HTTPRoute CRD's schema.
var durationRE = regexp.MustCompile(`^([0-9]{1,5}(h|m|s|ms)){1,4}$`)

// Validate checks cfg.Gateway offline, with the attribute paths of the `gateway` block.
func Validate(ps *runtimes.Problems, cfg runtimes.DeploymentConfig, s Support) {
	g := cfg.Gateway
	if g == nil {
		return
	}
	if len(g.ParentRefs) == 0 {
		ps.Add("gateway.parent_refs", "name at least one Gateway the route attaches to, e.g. parent_refs = [{ name = \"inference-gateway\", namespace = \"gateway-system\" }]")
	}
	for _, p := range g.ParentRefs {
		if msgs := validation.IsDNS1123Subdomain(p.Name); len(msgs) > 0 {
			ps.Add("gateway.parent_refs", "Gateway name %q is invalid: %s", p.Name, strings.Join(msgs, "; "))
		}
		if p.Namespace != "" {
			if msgs := validation.IsDNS1123Label(p.Namespace); len(msgs) > 0 {
				ps.Add("gateway.parent_refs", "Gateway namespace %q is invalid: %s", p.Namespace, strings.Join(msgs, "; "))
			}
		}
		if p.SectionName != "" {
			if msgs := validation.IsDNS1123Subdomain(p.SectionName); len(msgs) > 0 {
				ps.Add("gateway.parent_refs", "listener (section_name) %q is invalid: %s", p.SectionName, strings.Join(msgs, "; "))
			}
		}
	}
	for _, h := range g.Hostnames {
		// Gateway API hostnames: a DNS name, optionally with one leading "*." wildcard label; no IPs.
		name := strings.TrimPrefix(h, "*.")
		if msgs := validation.IsDNS1123Subdomain(name); len(msgs) > 0 || len(validation.IsValidIP(nil, h)) == 0 {
			ps.Add("gateway.hostnames", "%q is not a host name the Gateway API accepts (a DNS name such as \"models.example.com\" or \"*.example.com\"; no IP address, port or scheme)", h)
		}
	}
	if !strings.HasPrefix(g.PathPrefix(), "/") {
		ps.Add("gateway.path", "%q must start with \"/\" (a path prefix such as \"/\" or \"/qwen\")", g.Path)
	}
	if !durationRE.MatchString(g.Timeout()) {
		ps.Add("gateway.request_timeout", "%q is not a Gateway API duration: one to four groups of a number and a unit h, m, s or ms, e.g. \"300s\" or \"1h30m\"", g.RequestTimeout)
	}
	if g.PoolEnabled() && !s.Pool {
		ps.Add("gateway.inference_pool", "%s", s.NoPool)
	}
	if g.EPPImage != "" && (!s.EPPImage || !g.PoolEnabled()) {
		ps.Add("gateway.epp_image", "only applies when the provider renders the endpoint picker: runtime kuberay with inference_pool on; remove it")
	}
	// The picker's objects are "<name>-epp" (a Service name: DNS-1035, at most 63).
	if s.EPPImage && g.PoolEnabled() && len(validation.IsDNS1035Label(EPPName(cfg.Name))) > 0 && cfg.Name != "" {
		ps.Add("name", "%q is too long for the endpoint picker's Service %q (at most 63 characters): shorten the name or set gateway.inference_pool = false", cfg.Name, EPPName(cfg.Name))
	}
}
