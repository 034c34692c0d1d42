// Command docschema prepares `terraform providers schema -json` output for tfplugindocs:
// it keys the provider's schema by its bare name (what tfplugindocs looks up) and adds
// the resource identity schemas, read from the provider in-process, when the CLI did not
// include them (Terraform before 1.12, OpenTofu).
//
//	go run ./tools/docschema <terraform-schema.json> <out.json>
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kubefoundry/terraform-provider-kubefoundry/pkg/kubefoundry"
)

const name = "kubefoundry"

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: docschema <terraform-schema.json> <out.json>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "docschema:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	schemas, ok := doc["provider_schemas"].(map[string]any)
	if !ok {
		return fmt.Errorf("%s: no provider_schemas", in)
	}
	var ps map[string]any
	for key, v := range schemas {
		if key == name || strings.HasSuffix(key, "/"+name+"/"+name) {
			ps, _ = v.(map[string]any)
			delete(schemas, key)
		}
	}
	if ps == nil {
		return fmt.Errorf("%s: no schema of provider %s", in, name)
	}
	schemas[name] = ps

	if _, done := ps["resource_identity_schemas"]; !done {
		ids, err := identitySchemas()
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			ps["resource_identity_schemas"] = ids
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o600)
}

// identitySchemas returns the identity schemas in the CLI's JSON form.
func identitySchemas() (map[string]any, error) {
	srv := providerserver.NewProtocol6(kubefoundry.New("docs")())()
	resp, err := srv.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return nil, fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	out := map[string]any{}
	for typeName, s := range resp.IdentitySchemas {
		attrs := map[string]any{}
		for _, a := range s.IdentityAttributes {
			t, err := typeJSON(a.Type)
			if err != nil {
				return nil, fmt.Errorf("identity of %s, attribute %s: %w", typeName, a.Name, err)
			}
			attr := map[string]any{"type": t}
			if a.Description != "" {
				attr["description"] = a.Description
			}
			if a.RequiredForImport {
				attr["required_for_import"] = true
			}
			if a.OptionalForImport {
				attr["optional_for_import"] = true
			}
			attrs[a.Name] = attr
		}
		out[typeName] = map[string]any{"version": s.Version, "attributes": attrs}
	}
	return out, nil
}

// typeJSON renders an identity attribute type the way the CLI does (cty's JSON form).
// Identity attributes are primitives or lists of primitives.
func typeJSON(t tftypes.Type) (any, error) {
	switch {
	case t.Is(tftypes.String):
		return "string", nil
	case t.Is(tftypes.Number):
		return "number", nil
	case t.Is(tftypes.Bool):
		return "bool", nil
	}
	if l, ok := t.(tftypes.List); ok {
		e, err := typeJSON(l.ElementType)
		if err != nil {
			return nil, err
		}
		return []any{"list", e}, nil
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}
