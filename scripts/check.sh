#!/usr/bin/env bash
# Static checks run by CI: Go and Terraform formatting, vet, golangci-lint, docs drift, Pulumi
# schema and SDK drift.
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed on:"; echo "$unformatted"; exit 1; fi
go vet ./...

# Terraform examples are formatted (terraform, else OpenTofu).
tf=$(command -v terraform || command -v tofu || bash scripts/tofu-build.sh)
TF_CLI_CONFIG_FILE=/dev/null "$tf" fmt -check -recursive -diff examples

# golangci-lint v2 (built from the Go module proxy on first use).
bash scripts/lint.sh

# docs/ regenerated from the schemas, examples/ and templates/ must match the committed docs,
# and pass `tfplugindocs validate`.
TERRAFORM="$tf" bash scripts/docs.sh check

# The bridged Pulumi provider (pulumi/, its own module) vets clean, which compiles the Go SDK
# (pulumi/tests uses it; vetting pulumi/sdk as its own module would compile the Pulumi SDK a second
# time with other dependency versions, ~10 min here); the Python SDK parses; the committed
# schema.json and SDKs match a regeneration.
(cd pulumi && go vet ./...)
if command -v python3 >/dev/null; then
  python3 -c 'import ast, sys
for f in sys.argv[1:]:
    ast.parse(open(f).read(), f)' $(git ls-files 'pulumi/sdk/python/*.py')
fi
bash scripts/pulumi-gen.sh check

# GoReleaser configuration, when GoReleaser is cached (its build takes minutes; see .goreleaser.yml).
goreleaser="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}/goreleaser/v2.15.1/goreleaser"
if [ -x "$goreleaser" ]; then
  "$goreleaser" check -q
else
  echo "check: GoReleaser v2.15.1 not cached, skipping goreleaser check" >&2
fi
