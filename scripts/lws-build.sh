#!/usr/bin/env bash
# Builds the LeaderWorkerSet controller (sigs.k8s.io/lws, from the Go module proxy) that vLLM
# multi-node deployments need, and copies the module's CRDs and Helm chart next to it:
#   $OUT/lws-controller   the controller and its webhooks (cmd/ of the module)
#   $OUT/crds/            charts/lws/crds of the module (LeaderWorkerSet, DisaggregatedSet)
#   $OUT/chart/           charts/lws of the module (webhook registrations, for the tests)
# `lws-build.sh crds` stops after the CRDs and the chart: a module download, no compile.
# The build uses the module's own go.sum (-mod=readonly), so the dependency versions are the
# release's. Idempotent and safe to run concurrently (flock). Prints $OUT on stdout.
set -euo pipefail

LWS_VERSION="${LWS_VERSION:-v0.9.0}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/operators/lws-${LWS_VERSION}"
mode="${1:-all}"

have_crds() { [ -f "$OUT/crds/.complete" ] && [ -f "$OUT/chart/Chart.yaml" ]; }
have_all() { have_crds && [ -x "$OUT/lws-controller" ]; }
ready() { if [ "$mode" = crds ]; then have_crds; else have_all; fi; }

if ready; then echo "$OUT"; exit 0; fi
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if ready; then echo "$OUT"; exit 0; fi

log() { echo "lws-build: $*" >&2; }
t0=$(date +%s)
# shellcheck source=scripts/moddir.sh
. "$(dirname "${BASH_SOURCE[0]}")/moddir.sh"
dir=$(moddir "sigs.k8s.io/lws@$LWS_VERSION")

if ! have_crds; then
  rm -rf "$OUT/crds" "$OUT/chart" "$OUT/crds.tmp" "$OUT/chart.tmp"
  mkdir -p "$OUT/crds.tmp"
  cp "$dir"/charts/lws/crds/*.yaml "$OUT/crds.tmp/"
  cp -r "$dir/charts/lws" "$OUT/chart.tmp"
  chmod -R u+w "$OUT/crds.tmp" "$OUT/chart.tmp" # the module cache is read-only
  touch "$OUT/crds.tmp/.complete"
  mv "$OUT/chart.tmp" "$OUT/chart"
  mv "$OUT/crds.tmp" "$OUT/crds"
fi
if [ "$mode" = crds ]; then echo "$OUT"; exit 0; fi

if [ ! -x "$OUT/lws-controller" ]; then
  log "building lws-controller $LWS_VERSION"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w" -o "$OUT/lws-controller.tmp" ./cmd)
  mv "$OUT/lws-controller.tmp" "$OUT/lws-controller"
  log "built lws-controller in $(( $(date +%s) - t0 ))s"
fi
echo "$OUT"
