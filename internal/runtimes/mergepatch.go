package runtimes

import (
	"maps"
	"slices"
)

// mergePatch applies patch to doc with JSON merge patch semantics (RFC 7386: objects merge
// key by key, null deletes a key, any other value replaces), with one extension: a list of
// named objects in the patch merges into a list of named objects in doc element by element,
// matched by "name" (patched in place, or appended when new), the way the API server merges
// such lists (listType=map, listMapKey=name) under server-side apply. Without it a patch of
// one Dynamo v1beta1 component or one KubeRay worker group would have to repeat every other
// one. A patch element {"name": x, "$delete": true} removes element x.
func mergePatch(doc, patch map[string]any) map[string]any {
	if doc == nil {
		doc = map[string]any{}
	}
	for _, k := range slices.Sorted(maps.Keys(patch)) {
		pv := patch[k]
		switch pv := pv.(type) {
		case nil:
			delete(doc, k)
		case map[string]any:
			dv, _ := doc[k].(map[string]any)
			doc[k] = mergePatch(dv, pv)
		case []any:
			dv, _ := doc[k].([]any)
			if named(dv) && named(pv) {
				doc[k] = mergeNamed(dv, pv)
			} else {
				doc[k] = dropNulls(pv)
			}
		default:
			doc[k] = pv
		}
	}
	return doc
}

// named reports whether l is a non-empty list whose every element is an object with a
// string "name".
func named(l []any) bool {
	if len(l) == 0 {
		return false
	}
	for _, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := m["name"].(string); !ok {
			return false
		}
	}
	return true
}

func mergeNamed(doc, patch []any) []any {
	out := slices.Clone(doc)
	for _, p := range patch {
		pm, _ := p.(map[string]any) // named() checked every element
		name, _ := pm["name"].(string)
		i := indexByName(out, name)
		if del, _ := pm["$delete"].(bool); del {
			if i >= 0 {
				out = slices.Delete(out, i, i+1)
			}
			continue
		}
		if i < 0 {
			out = append(out, dropNulls(pm))
			continue
		}
		cur, _ := out[i].(map[string]any)
		out[i] = mergePatch(cur, pm)
	}
	return out
}

// indexByName is the index of the object named name in a named() list, or -1.
func indexByName(l []any, name any) int {
	return slices.IndexFunc(l, func(e any) bool {
		m, _ := e.(map[string]any)
		return m["name"] == name
	})
}

// dropNulls removes null members of objects in a value that replaces what was rendered
// (RFC 7386: a null in a new value means "absent").
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if e != nil {
				out[k] = dropNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = dropNulls(e)
		}
		return out
	}
	return v
}
