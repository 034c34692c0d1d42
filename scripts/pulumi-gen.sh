#!/usr/bin/env bash
# Regenerates the bridged Pulumi provider's committed artefacts from the provider's schema, offline:
#   pulumi/provider/cmd/pulumi-resource-kubefoundry/{schema.json,bridge-metadata.json}
#       with pulumi-tfgen-kubefoundry (the bridge's tfgen; descriptions come from the schema's
#       MarkdownDescriptions: --skip-docs, no upstream markdown or HCL example conversion, which
#       would need the network and converter plugins)
#   pulumi/sdk/{go,nodejs,python}
#       with Pulumi's code generators called in-process, as the language hosts behind
#       `pulumi package gen-sdk` call them (those hosts are not on the Go module proxy):
#       go with pulumi/provider/cmd/pulumi-sdkgen-kubefoundry (the bridge's codegen, matching the
#       pulumi/sdk/v3 the Go SDK builds with), nodejs and python with
#       scripts/pulumi-cli/cmd/pulumi-sdkgen-nodejs-python (the Pulumi CLI's newer codegen: the
#       bridge's writes wrong relative imports in their submodules under Go 1.26).
#       pulumi/sdk/go.mod is kept, not generated.
# `pulumi-gen.sh check` regenerates into a scratch copy and fails when anything differs from the
# committed files (scripts/check.sh runs it). Needs only the Go toolchain and the module cache.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode="${1:-write}"
LANGS=(go nodejs python)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log() { echo "pulumi-gen: $*" >&2; }

log "building pulumi-tfgen-kubefoundry and the SDK generators"
(cd pulumi && go build -o "$work/" ./provider/cmd/pulumi-tfgen-kubefoundry ./provider/cmd/pulumi-sdkgen-kubefoundry)
# Same flags as scripts/pulumi-build.sh's CLI build, so that the build cache it left is reused
# (821 of this command's 826 packages are the CLI's).
(cd scripts/pulumi-cli && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -o "$work/" ./cmd/pulumi-sdkgen-nodejs-python)
declare -A SDKGEN=([go]=pulumi-sdkgen-kubefoundry [nodejs]=pulumi-sdkgen-nodejs-python [python]=pulumi-sdkgen-nodejs-python)

# The generators write into the tree they are given: in check mode, a copy of the committed one.
target="$root/pulumi"
if [ "$mode" = check ]; then
  target="$work/pulumi"
  mkdir -p "$target"
  cp -r pulumi/provider pulumi/sdk "$target/"
fi

schema_dir="$target/provider/cmd/pulumi-resource-kubefoundry"
# tfgen reads nothing from the tree but writes Pulumi.yaml next to its output; its own plugin
# host must not look for plugins on the network.
(cd "$target" && PULUMI_SKIP_UPDATE_CHECK=1 PULUMI_HOME="$work/pulumi-home" "$work/pulumi-tfgen-kubefoundry" schema \
  --skip-docs --skip-examples --quiet --out "$schema_dir" > "$work/tfgen.log" 2>&1) ||
  { cat "$work/tfgen.log" >&2; log "tfgen schema failed"; exit 1; }

for lang in "${LANGS[@]}"; do
  "$work/${SDKGEN[$lang]}" -schema "$schema_dir/schema.json" -out "$target/sdk/$lang" "$lang" ||
    { log "sdkgen $lang failed"; exit 1; }
done
# `make fmt` runs gofmt -s over the whole tree: keep the Go SDK as it would leave it.
gofmt -s -w "$target/sdk/go"

if [ "$mode" = check ]; then
  if ! diff -r -u "$root/pulumi/provider/cmd/pulumi-resource-kubefoundry" "$schema_dir" > "$work/diff" ||
    ! diff -r -u "$root/pulumi/sdk" "$target/sdk" >> "$work/diff"; then
    head -n 200 "$work/diff"
    log "the committed Pulumi schema or SDKs are stale: run scripts/pulumi-gen.sh (make pulumi-gen) and commit pulumi/"
    exit 1
  fi
  # The Python SDK's modules must import (its submodules' relative imports are codegen's weak spot).
  if command -v python3 > /dev/null; then
    PYTHONDONTWRITEBYTECODE=1 python3 scripts/pulumi-sdk-pycheck.py "$target/sdk/python" pulumi_kubefoundry ||
      { log "the generated Python SDK does not import"; exit 1; }
  else
    log "python3 not found: Python SDK import check not run"
  fi
  log "pulumi/ schema and SDKs up to date"
fi
