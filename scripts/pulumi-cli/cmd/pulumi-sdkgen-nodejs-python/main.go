// Command pulumi-sdkgen-nodejs-python generates the Node.js (TypeScript) and Python SDKs of the
// bridged provider from its committed schema.json (scripts/pulumi-gen.sh runs it).
//
// tfgen's own SDK path runs `pulumi package gen-sdk`, which hands the schema to the language host
// plugins (pulumi-language-go, -nodejs, -python). Those hosts live in modules of pulumi/pulumi that
// the Go module proxy does not serve (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3 etc.:
// "not available"), so they cannot be built here. Their GeneratePackage is a thin shell around
// Pulumi's code generators (pulumi/pulumi sdk/{go/pulumi-language-go,nodejs/cmd/pulumi-language-nodejs,
// python/cmd/pulumi-language-python}/main.go): bind the schema, call codegen/<lang>.GeneratePackage,
// write the files. This command makes the same calls in-process.
//
// It lives in the scripts/pulumi-cli wrapper module, not in pulumi/, so that it uses the codegen of
// the Pulumi CLI the tests run (pkg/v3 v3.277.0) rather than the bridge's (v3.218.0): under Go 1.26,
// v3.218's nodejs and python generators compute a submodule's path to the package root as "." and
// emit `./utilities` where `../utilities` is meant (v3.277.0 codegen/nodejs/gen.go getRelativePath:
// "On Go >=1.26 filepath.Rel calls filepath.Clean already"). The Go SDK stays with the bridge's
// codegen (pulumi/provider/cmd/pulumi-sdkgen-kubefoundry): v3.277's needs a newer pulumi/sdk/v3.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-sdkgen-nodejs-python"

func main() {
	schemaPath := flag.String("schema", "provider/cmd/pulumi-resource-kubefoundry/schema.json", "the package schema")
	out := flag.String("out", "", "output directory (emptied first)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: %s [-schema schema.json] -out dir nodejs|python\n", tool)
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
	// The schema references no other package (only pulumi.json#/Any, which is built in): the loader
	// refuses every external reference instead of fetching provider plugins.
	loader := noExternalPackages{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return fmt.Errorf("binding %s: %w", schemaPath, err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("binding %s: %w", schemaPath, diags)
	}

	var files map[string][]byte
	switch language {
	case "nodejs":
		files, err = nodejsgen.GeneratePackage(tool, pkg, nil, nil, false, loader)
	case "python":
		files, err = pythongen.GeneratePackage(tool, pkg, nil, loader)
	default:
		return fmt.Errorf("unknown language %q: want nodejs or python (Go: pulumi-sdkgen-kubefoundry)", language)
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

// noExternalPackages is a schema.ReferenceLoader for a self-contained schema: any reference to
// another package is an error naming it, so a schema change that adds one fails loudly here.
type noExternalPackages struct{}

var _ schema.ReferenceLoader = noExternalPackages{}

func refused(name string) error {
	return fmt.Errorf("the schema references package %q: %s loads no external packages", name, tool)
}

func (noExternalPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, refused(pkg)
}

func (noExternalPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, refused(d.Name)
}

func (noExternalPackages) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, refused(pkg)
}

func (noExternalPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, refused(d.Name)
}
