#!/usr/bin/env bash
# Builds OpenTofu from the Go module proxy when no terraform binary is available, and caches
# it. Prints the binary path (with --missing: "tofu" if it is not built yet, building nothing).
# Safe to run concurrently.
set -euo pipefail
TOFU_VERSION="${TOFU_VERSION:-v1.12.6}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/tofu/$TOFU_VERSION"
if [ "${1:-}" = --missing ]; then [ -x "$OUT/tofu" ] || echo tofu; exit 0; fi
[ -x "$OUT/tofu" ] && { echo "$OUT/tofu"; exit 0; }
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
[ -x "$OUT/tofu" ] && { echo "$OUT/tofu"; exit 0; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0
echo "tofu-build: building OpenTofu $TOFU_VERSION" >&2
gomod=$(cd "$work" && go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
{
  echo "module kubefoundry.local/tofu"
  echo "go 1.26"
  echo "require github.com/opentofu/opentofu $TOFU_VERSION"
  # Repeat OpenTofu's own replace and godebug directives: a dependency's are ignored.
  awk '/^replace \(/{b=1;print;next} b&&/^\)/{b=0;print;next} b{print;next} /^replace /{print}' "$gomod"
  awk '/^godebug \(/{b=1;print;next} b&&/^\)/{b=0;print;next} b{print;next} /^godebug /{print}' "$gomod"
} > "$work/go.mod"
printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/opentofu/opentofu/cmd/tofu"\n' > "$work/tools.go"
(cd "$work" && for i in 1 2 3; do go mod tidy >&2 && break; sleep 2; done)
(cd "$work" && go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$OUT/tofu.tmp" github.com/opentofu/opentofu/cmd/tofu)
mv "$OUT/tofu.tmp" "$OUT/tofu"
echo "$OUT/tofu"
