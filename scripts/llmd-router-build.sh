#!/usr/bin/env bash
# Unpacks the llm-d router release archive (../shared/operators/llm-d-router-<v>.tar.gz; the
# module proxy does not serve github.com/llm-d/llm-d-router) and builds its endpoint picker:
#   $OUT/llmd-epp       cmd/epp of the release (the llm-d router's endpoint picker)
#   $OUT/crds/          config/crd/bases (llm-d.ai InferenceObjective, InferenceModelRewrite)
#   $OUT/charts/        config/charts (llm-d-router-standalone, llm-d-router-gateway, routerlib)
# `llmd-router-build.sh charts` stops after the CRDs and charts: no compile. Dependencies come
# from the module proxy (GOFLAGS=-mod=mod, the release's go.sum). Idempotent and safe to run
# concurrently (flock). Prints $OUT on stdout.
set -euo pipefail

LLMD_ROUTER_VERSION="${LLMD_ROUTER_VERSION:-v0.10.0}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/operators/llm-d-router-${LLMD_ROUTER_VERSION}"
root=$(cd "$(dirname "$0")/.." && pwd)
SOURCES="${KUBEFOUNDRY_OPERATOR_SOURCES:-$root/../shared/operators}"
ARCHIVE="$SOURCES/llm-d-router-${LLMD_ROUTER_VERSION#v}.tar.gz"
mode="${1:-all}"

have_charts() { [ -f "$OUT/charts/.complete" ] && [ -f "$OUT/crds/.complete" ]; }
have_all() { have_charts && [ -x "$OUT/llmd-epp" ]; }
ready() { if [ "$mode" = charts ]; then have_charts; else have_all; fi; }

if ready; then echo "$OUT"; exit 0; fi
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if ready; then echo "$OUT"; exit 0; fi

log() { echo "llmd-router-build: $*" >&2; }
[ -f "$ARCHIVE" ] || { log "no archive at $ARCHIVE"; exit 1; }
t0=$(date +%s)
src="$OUT/src"
if [ ! -f "$src/.complete" ]; then
  rm -rf "$src" "$src.tmp"
  mkdir -p "$src.tmp"
  tar xzf "$ARCHIVE" -C "$src.tmp" --strip-components=1
  touch "$src.tmp/.complete"
  mv "$src.tmp" "$src"
fi
if ! have_charts; then
  rm -rf "$OUT/charts" "$OUT/crds"
  cp -r "$src/config/charts" "$OUT/charts.tmp"
  mkdir -p "$OUT/crds.tmp"
  cp "$src"/config/crd/bases/*.yaml "$OUT/crds.tmp/"
  touch "$OUT/charts.tmp/.complete" "$OUT/crds.tmp/.complete"
  mv "$OUT/charts.tmp" "$OUT/charts"
  mv "$OUT/crds.tmp" "$OUT/crds"
fi
if [ "$mode" = charts ]; then echo "$OUT"; exit 0; fi

if [ ! -x "$OUT/llmd-epp" ]; then
  log "building the llm-d endpoint picker $LLMD_ROUTER_VERSION"
  (cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$OUT/llmd-epp.tmp" ./cmd/epp)
  mv "$OUT/llmd-epp.tmp" "$OUT/llmd-epp"
  log "built llmd-epp in $(( $(date +%s) - t0 ))s"
fi
echo "$OUT"
