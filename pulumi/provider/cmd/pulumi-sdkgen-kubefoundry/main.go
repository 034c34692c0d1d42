// Command pulumi-sdkgen-kubefoundry generates the Go SDK of the bridged provider from its committed
// schema.json (scripts/pulumi-gen.sh runs it).
//
// tfgen's own SDK path runs `pulumi package gen-sdk`, which hands the schema to the language host
// plugins (pulumi-language-go, -nodejs, -python). Those hosts live in modules of pulumi/pulumi that
// the Go module proxy does not serve (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3 etc.:
// "not available"), so they cannot be built here. Their GeneratePackage is a thin shell around
// Pulumi's code generators (pulumi/pulumi sdk/{go/pulumi-language-go,nodejs/cmd/pulumi-language-nodejs,
// python/cmd/pulumi-language-python}/main.go): bind the schema, call codegen/<lang>.GeneratePackage,
// write the files. This command makes the same calls in-process, with the codegen version the
// bridge's tfgen is built with (this module's github.com/pulumi/pulumi/pkg/v3), so that the Go SDK
// uses only what the bridge's github.com/pulumi/pulumi/sdk/v3 has (newer codegen calls
// Context.ExistsResource, which v3.218.0 lacks).
//
// The TypeScript and Python SDKs come from scripts/pulumi-cli/cmd/pulumi-sdkgen-nodejs-python
// instead: under Go 1.26 this codegen writes `./utilities` where `../utilities` is meant in their
// submodules (fixed in pkg/v3 v3.277.0).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-sdkgen-kubefoundry"

func main() {
	schemaPath := flag.String("schema", "provider/cmd/pulumi-resource-kubefoundry/schema.json", "the package schema")
	out := flag.String("out", "", "output directory (emptied first)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: %s [-schema schema.json] -out dir go\n", tool)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *schemaPath, *out); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", tool, err)
		os.Exit(1)
	}
}

func run(language, schemaPath, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	// schema.json carries no version (tfgen omits it to keep the file stable); the SDKs are
	// versioned when published, as Pulumi's generators expect ("${VERSION}", "0.0.0").
	// The schema references no other package, so binding needs no loader (tfgen binds it the same way).
	pkg, diags, err := schema.BindSpec(spec, nil, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return fmt.Errorf("binding %s: %w", schemaPath, err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("binding %s: %w", schemaPath, diags)
	}

	var files map[string][]byte
	switch language {
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	case "nodejs", "python":
		return fmt.Errorf("%s: generate it with scripts/pulumi-cli/cmd/pulumi-sdkgen-nodejs-python", language)
	default:
		return fmt.Errorf("unknown language %q: want go", language)
	}
	if err != nil {
		return fmt.Errorf("generating the %s SDK: %w", language, err)
	}
	if len(files) == 0 {
		return errors.New("the generator returned no files")
	}
	return write(out, files)
}

// write replaces out with exactly the generated files, so that a file the generator no longer
// emits does not linger in the committed SDK.
func write(out string, files map[string][]byte) error {
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
