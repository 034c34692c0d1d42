#!/usr/bin/env bash
# Builds the Pulumi CLI and the Pulumi YAML language host from the Go module proxy and caches them:
#   $OUT/pulumi                 github.com/pulumi/pulumi/pkg/v3/cmd/pulumi, through the wrapper module
#                               scripts/pulumi-cli (the CLI's module has replace directives, so
#                               `go install ...@version` is refused); its version is the one that
#                               module requires
#   $OUT/pulumi-language-yaml   github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml, built in the
#                               module's own directory with its own go.sum (it has no replace)
# The Pulumi acceptance tests (pulumi/tests) put $OUT on PATH. Idempotent and safe to run
# concurrently (flock). Prints $OUT on stdout; with --missing, the names not built yet (builds nothing).
set -euo pipefail
cd "$(dirname "$0")"

PULUMI_VERSION=$(sed -n 's/^\(require\)\{0,1\}[[:space:]]*github.com\/pulumi\/pulumi\/pkg\/v3 \(v[^ ]*\).*/\2/p' pulumi-cli/go.mod | head -n 1)
[ -n "$PULUMI_VERSION" ] || { echo "pulumi-build: no github.com/pulumi/pulumi/pkg/v3 requirement in scripts/pulumi-cli/go.mod" >&2; exit 1; }
PULUMI_YAML_VERSION="${PULUMI_YAML_VERSION:-v1.25.0}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/pulumi-${PULUMI_VERSION}-yaml-${PULUMI_YAML_VERSION}"
BINARIES=(pulumi pulumi-language-yaml)

have_all() { for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || return 1; done; }
if [ "${1:-}" = --missing ]; then
  for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || echo "$b"; done
  exit 0
fi
if have_all; then echo "$OUT"; exit 0; fi
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if have_all; then echo "$OUT"; exit 0; fi

log() { echo "pulumi-build: $*" >&2; }
# shellcheck source=scripts/moddir.sh
. "$(dirname "${BASH_SOURCE[0]}")/moddir.sh"
export CGO_ENABLED=0
retry() { local i; for i in 1 2 3; do "$@" && return 0; log "retry $i: $*"; sleep 2; done; return 1; }

if [ ! -x "$OUT/pulumi" ]; then
  t0=$(date +%s)
  log "building pulumi $PULUMI_VERSION"
  (cd pulumi-cli && retry env GOFLAGS=-mod=readonly go mod download)
  # Without -X the CLI reports an empty version, and plugins that check it refuse to run.
  (cd pulumi-cli && GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o "$OUT/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$OUT/pulumi.tmp" "$OUT/pulumi"
  log "built pulumi in $(( $(date +%s) - t0 ))s"
fi

if [ ! -x "$OUT/pulumi-language-yaml" ]; then
  t0=$(date +%s)
  log "building pulumi-language-yaml $PULUMI_YAML_VERSION"
  dir=$(moddir "github.com/pulumi/pulumi-yaml@$PULUMI_YAML_VERSION")
  (cd "$dir" && GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$PULUMI_YAML_VERSION" \
    -o "$OUT/pulumi-language-yaml.tmp" ./cmd/pulumi-language-yaml)
  mv "$OUT/pulumi-language-yaml.tmp" "$OUT/pulumi-language-yaml"
  log "built pulumi-language-yaml in $(( $(date +%s) - t0 ))s"
fi
echo "$OUT"
