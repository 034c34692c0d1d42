#!/usr/bin/env bash
# Regenerates the bridged Pulumi provider's committed artefacts from the provider's schema, offline:
#   pulumi/provider/cmd/pulumi-resource-kubefoundry/{schema.json,bridge-metadata.json}
#   pulumi/sdk/{go,nodejs,python}   the language SDKs (pulumi/sdk/go.mod is kept, not generated)
# with pulumi-tfgen-kubefoundry (pulumi/provider/cmd/pulumi-tfgen-kubefoundry). Descriptions come
# from the schema's MarkdownDescriptions (--skip-docs: no upstream markdown or HCL example conversion,
# which would need the network and converter plugins).
# `pulumi-gen.sh check` regenerates into a scratch copy and fails when anything differs from the
# committed files (scripts/check.sh runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode="${1:-write}"
LANGS=(go nodejs python)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log() { echo "pulumi-gen: $*" >&2; }

log "building pulumi-tfgen-kubefoundry"
(cd pulumi && go build -o "$work/pulumi-tfgen-kubefoundry" ./provider/cmd/pulumi-tfgen-kubefoundry)

# tfgen writes into the tree it is given: in check mode, a copy of the committed one.
target="$root/pulumi"
if [ "$mode" = check ]; then
  target="$work/pulumi"
  mkdir -p "$target"
  cp -r pulumi/provider pulumi/sdk "$target/"
fi

gen() { # gen <language> <out dir>
  # tfgen reads the schema from provider/cmd/... relative to its working directory.
  (cd "$target" && PULUMI_SKIP_UPDATE_CHECK=1 PULUMI_HOME="$work/pulumi-home" "$work/pulumi-tfgen-kubefoundry" "$1" \
    --skip-docs --skip-examples --quiet --out "$2" > "$work/tfgen-$1.log" 2>&1) ||
    { cat "$work/tfgen-$1.log" >&2; log "tfgen $1 failed"; exit 1; }
}

# The SDK generators shell out to `pulumi package gen-sdk`: the CLI of scripts/pulumi-build.sh.
PATH="$(bash scripts/pulumi-build.sh):$PATH"
export PATH
gen schema "$target/provider/cmd/pulumi-resource-kubefoundry"
for lang in "${LANGS[@]}"; do
  rm -rf "${target:?}/sdk/$lang"
  gen "$lang" "$target/sdk/$lang"
done
# The Go SDK's files are gofmt-clean as generated except for what tfgen leaves to `go fmt`.
gofmt -s -w "$target/sdk/go"

if [ "$mode" = check ]; then
  if ! diff -r -u "$root/pulumi/provider/cmd/pulumi-resource-kubefoundry" "$target/provider/cmd/pulumi-resource-kubefoundry" > "$work/diff" ||
    ! diff -r -u "$root/pulumi/sdk" "$target/sdk" >> "$work/diff"; then
    head -n 200 "$work/diff"
    log "the committed Pulumi schema or SDKs are stale: run scripts/pulumi-gen.sh and commit pulumi/"
    exit 1
  fi
  log "pulumi/ schema and SDKs up to date"
fi
