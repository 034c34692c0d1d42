package gateway

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Summary describes what the Gateway controllers report about the route and the pool: the
// Accepted and ResolvedRefs conditions per parent (with reason and message when not True).
// A nil object reads "not found"; an object no controller has written status to says so.
func Summary(route, pool *unstructured.Unstructured, routeName, poolName string) string {
	parts := []string{describe("HTTPRoute", routeName, route)}
	if poolName != "" {
		parts = append(parts, describe("InferencePool", poolName, pool))
	}
	return strings.Join(parts, "; ")
}

// Ready reports whether every parent of obj has Accepted and ResolvedRefs True.
func Ready(obj *unstructured.Unstructured) bool {
	parents := parentStatuses(obj)
	if len(parents) == 0 {
		return false
	}
	for _, p := range parents {
		for _, want := range []string{"Accepted", "ResolvedRefs"} {
			if c := condition(p, want); c == nil || c["status"] != "True" {
				return false
			}
		}
	}
	return true
}

func parentStatuses(obj *unstructured.Unstructured) []map[string]any {
	if obj == nil {
		return nil
	}
	raw, _, _ := unstructured.NestedSlice(obj.Object, "status", "parents")
	out := make([]map[string]any, 0, len(raw))
	for _, r := range raw {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func condition(parent map[string]any, typ string) map[string]any {
	conds, _ := parent["conditions"].([]any)
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == typ {
			return m
		}
	}
	return nil
}

func describe(kind, name string, obj *unstructured.Unstructured) string {
	if obj == nil {
		return fmt.Sprintf("%s %s not found", kind, name)
	}
	parents := parentStatuses(obj)
	if len(parents) == 0 {
		return fmt.Sprintf("%s %s: no Gateway controller has reported on it yet", kind, name)
	}
	var per []string
	for _, p := range parents {
		ref, _ := p["parentRef"].(map[string]any)
		where := runtimes.StringAt(ref, "name")
		if ns := runtimes.StringAt(ref, "namespace"); ns != "" {
			where = ns + "/" + where
		}
		var conds []string
		for _, typ := range []string{"Accepted", "ResolvedRefs"} {
			c := condition(p, typ)
			if c == nil {
				conds = append(conds, typ+"=Unknown")
				continue
			}
			s := fmt.Sprintf("%s=%v", typ, c["status"])
			if c["status"] != "True" {
				s += fmt.Sprintf(" (%v: %v)", c["reason"], c["message"])
			}
			conds = append(conds, s)
		}
		per = append(per, fmt.Sprintf("on %s %s", where, strings.Join(conds, ", ")))
	}
	return fmt.Sprintf("%s %s %s", kind, name, strings.Join(per, "; "))
}

// URL is where clients reach the model through the Gateway: scheme and port from the
// listener the route attaches to (its section_name, else the first HTTP or HTTPS listener),
// host from the route's first non-wildcard hostname, else the listener's, else the Gateway's
// first reported address. Empty when no host is known yet. gw may be nil (not readable).
func URL(g *runtimes.Gateway, gw *unstructured.Unstructured) string {
	if g == nil {
		return ""
	}
	host := ""
	for _, h := range g.Hostnames {
		if !strings.HasPrefix(h, "*") {
			host = h
			break
		}
	}
	scheme, port := "http", int64(0)
	if gw != nil {
		section := ""
		if len(g.ParentRefs) > 0 {
			section = g.ParentRefs[0].SectionName
		}
		listeners, _, _ := unstructured.NestedSlice(gw.Object, "spec", "listeners")
		for _, raw := range listeners {
			l, _ := raw.(map[string]any)
			proto := runtimes.StringAt(l, "protocol")
			if (section != "" && l["name"] != section) || (section == "" && proto != "HTTP" && proto != "HTTPS") {
				continue
			}
			if proto == "HTTPS" {
				scheme = "https"
			}
			port, _, _ = unstructured.NestedInt64(l, "port")
			if lh := runtimes.StringAt(l, "hostname"); host == "" && lh != "" && !strings.HasPrefix(lh, "*") {
				host = lh
			}
			break
		}
		if host == "" {
			addrs, _, _ := unstructured.NestedSlice(gw.Object, "status", "addresses")
			if len(addrs) > 0 {
				a, _ := addrs[0].(map[string]any)
				host = runtimes.StringAt(a, "value")
			}
		}
	}
	if host == "" {
		return ""
	}
	if port != 0 && !(scheme == "http" && port == 80) && !(scheme == "https" && port == 443) {
		host = fmt.Sprintf("%s:%d", host, port)
	}
	return scheme + "://" + host + g.PathPrefix()
}
