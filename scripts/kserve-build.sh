#!/usr/bin/env bash
# Builds KServe's LLMInferenceService controller (github.com/kserve/kserve cmd/llmisvc, from the
# Go module proxy) and copies the module's LLMInferenceService CRDs and charts next to it:
#   $OUT/llmisvc-controller  the controller and its webhooks (cmd/llmisvc of the module)
#   $OUT/crds/               config/crd/full/llmisvc of the module (LLMInferenceService and
#                            LLMInferenceServiceConfig, v1alpha1 + v1alpha2)
#   $OUT/charts/             charts/kserve-llmisvc-{crd,resources} and kserve-runtime-configs
#                            (the preset LLMInferenceServiceConfigs) of the module
# `kserve-build.sh crds` stops after the CRDs and charts: a module download, no compile.
# The build uses the module's own go.sum (-mod=readonly), so the dependency versions are the
# release's. Idempotent and safe to run concurrently (flock). Prints $OUT on stdout.
set -euo pipefail

KSERVE_VERSION="${KSERVE_VERSION:-v0.19.0}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/operators/kserve-${KSERVE_VERSION}"
mode="${1:-all}"

have_crds() { [ -f "$OUT/crds/.complete" ] && [ -f "$OUT/charts/kserve-runtime-configs/Chart.yaml" ]; }
have_all() { have_crds && [ -x "$OUT/llmisvc-controller" ]; }
ready() { if [ "$mode" = crds ]; then have_crds; else have_all; fi; }

if ready; then echo "$OUT"; exit 0; fi
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if ready; then echo "$OUT"; exit 0; fi

log() { echo "kserve-build: $*" >&2; }
t0=$(date +%s)
# shellcheck source=scripts/moddir.sh
. "$(dirname "${BASH_SOURCE[0]}")/moddir.sh"
dir=$(moddir "github.com/kserve/kserve@$KSERVE_VERSION")

if ! have_crds; then
  rm -rf "$OUT/crds" "$OUT/charts" "$OUT/crds.tmp" "$OUT/charts.tmp"
  mkdir -p "$OUT/crds.tmp" "$OUT/charts.tmp"
  cp "$dir"/config/crd/full/llmisvc/serving.kserve.io_*.yaml "$OUT/crds.tmp/"
  for c in kserve-llmisvc-crd kserve-llmisvc-resources kserve-runtime-configs; do cp -r "$dir/charts/$c" "$OUT/charts.tmp/"; done
  chmod -R u+w "$OUT/crds.tmp" "$OUT/charts.tmp" # the module cache is read-only
  touch "$OUT/crds.tmp/.complete" "$OUT/charts.tmp/.complete"
  mv "$OUT/charts.tmp" "$OUT/charts"
  mv "$OUT/crds.tmp" "$OUT/crds"
fi
if [ "$mode" = crds ]; then echo "$OUT"; exit 0; fi

if [ ! -x "$OUT/llmisvc-controller" ]; then
  log "building llmisvc-controller $KSERVE_VERSION"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w" -o "$OUT/llmisvc-controller.tmp" ./cmd/llmisvc)
  mv "$OUT/llmisvc-controller.tmp" "$OUT/llmisvc-controller"
  log "built llmisvc-controller in $(( $(date +%s) - t0 ))s"
fi
echo "$OUT"
