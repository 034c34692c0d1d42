#!/usr/bin/env bash
# Builds buildkitd from the Go module proxy (no Docker, no binary downloads) and caches it.
# `go install` refuses buildkit's go.mod `exclude` directives, so the module is copied out of
# the module cache and built in place. Idempotent and safe to run concurrently: a lock
# serialises builders and the binary is moved into place atomically.
# Prints the path of the buildkitd binary on stdout.
set -euo pipefail

BUILDKIT_VERSION="${BUILDKIT_VERSION:-v0.34.2}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/buildkit/$BUILDKIT_VERSION"
BIN="$OUT/buildkitd"

if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi

log() { echo "buildkitd-build: $*" >&2; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

log "fetching github.com/moby/buildkit@$BUILDKIT_VERSION"
dir=$(cd "$work" && GOFLAGS= go mod download -json "github.com/moby/buildkit@$BUILDKIT_VERSION" |
  sed -n 's/.*"Dir": "\(.*\)",*/\1/p')
[ -d "$dir" ] || { log "module dir not found"; exit 1; }
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"

log "building buildkitd $BUILDKIT_VERSION (a few minutes on a cold cache)"
(cd "$work/src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
  -ldflags "-s -w -X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" \
  -o "$BIN.tmp" ./cmd/buildkitd) >&2
mv "$BIN.tmp" "$BIN"
log "built $BIN"
echo "$BIN"
