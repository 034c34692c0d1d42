#!/usr/bin/env bash
# Builds metrics-server (sigs.k8s.io/metrics-server, from the Go module proxy) for the tests
# where the real HPA controller scales on CPU usage, and copies from the kwok module the parts
# that make kwok serve that usage as kubelet resource metrics:
#   $OUT/metrics-server                  cmd/metrics-server of the module
#   $OUT/kwok/metrics-resource.yaml      kustomize/metrics/resource of sigs.k8s.io/kwok (a Metric
#                                        serving /metrics/nodes/{nodeName}/metrics/resource)
#   $OUT/kwok/crds/                      kwok's ResourceUsage and ClusterResourceUsage CRDs
# `metrics-server-build.sh kwok` stops after the kwok parts: a module download, no compile.
# The build uses the module's own go.sum (-mod=readonly). Idempotent and safe to run
# concurrently (flock). Prints $OUT on stdout.
set -euo pipefail

METRICS_SERVER_VERSION="${METRICS_SERVER_VERSION:-v0.8.1}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/operators/metrics-server-${METRICS_SERVER_VERSION}-kwok-${KWOK_VERSION}"
mode="${1:-all}"

have_kwok() { [ -f "$OUT/kwok/.complete" ]; }
have_all() { have_kwok && [ -x "$OUT/metrics-server" ]; }
ready() { if [ "$mode" = kwok ]; then have_kwok; else have_all; fi; }

if ready; then echo "$OUT"; exit 0; fi
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if ready; then echo "$OUT"; exit 0; fi

log() { echo "metrics-server-build: $*" >&2; }
# shellcheck source=scripts/moddir.sh
. "$(dirname "${BASH_SOURCE[0]}")/moddir.sh"
t0=$(date +%s)

if ! have_kwok; then
  kdir=$(moddir "sigs.k8s.io/kwok@$KWOK_VERSION")
  rm -rf "$OUT/kwok" "$OUT/kwok.tmp"
  mkdir -p "$OUT/kwok.tmp/crds"
  cp "$kdir/kustomize/metrics/resource/metrics-resource.yaml" "$OUT/kwok.tmp/"
  cp "$kdir"/kustomize/crd/bases/kwok.x-k8s.io_resourceusages.yaml \
     "$kdir"/kustomize/crd/bases/kwok.x-k8s.io_clusterresourceusages.yaml "$OUT/kwok.tmp/crds/"
  chmod -R u+w "$OUT/kwok.tmp" # the module cache is read-only
  touch "$OUT/kwok.tmp/.complete"
  mv "$OUT/kwok.tmp" "$OUT/kwok"
fi
if [ "$mode" = kwok ]; then echo "$OUT"; exit 0; fi

if [ ! -x "$OUT/metrics-server" ]; then
  dir=$(moddir "sigs.k8s.io/metrics-server@$METRICS_SERVER_VERSION")
  log "building metrics-server $METRICS_SERVER_VERSION"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w" -o "$OUT/metrics-server.tmp" ./cmd/metrics-server)
  mv "$OUT/metrics-server.tmp" "$OUT/metrics-server"
  log "built metrics-server in $(( $(date +%s) - t0 ))s"
fi
echo "$OUT"
