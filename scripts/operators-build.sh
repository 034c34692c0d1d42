#!/usr/bin/env bash
# Builds the parts that put the real operators in the loop of tests and `make demo`, from source, and
# caches them next to the control plane binaries:
#   kwok              sigs.k8s.io/kwok cmd/kwok (simulated nodes and pod lifecycles), Go module proxy
#   kuberay-operator  github.com/ray-project/kuberay/ray-operator, Go module proxy (wrapper module)
#   kaito-workspace   KAITO workspace controller + webhook, source archive in $KUBEFOUNDRY_OPERATOR_SOURCES
#   dynamo-operator   NVIDIA Dynamo operator, source archive in $KUBEFOUNDRY_OPERATOR_SOURCES
#   kuberay-operator-<v>  KubeRay operator releases the module proxy does not serve (1.7.0: it serves the
#                     .mod but refuses the zip), source archive in $KUBEFOUNDRY_OPERATOR_SOURCES; the
#                     extracted tree keeps the release's Helm chart (helm-chart/kuberay-operator)
# The archives (not served by the module proxy) are extracted into the cache, never into the repository;
# the extracted trees stay there (src/) because the clusters read CRDs and chart files from them.
# Idempotent and safe to run concurrently: a lock serialises builders and binaries are moved into
# place atomically. Prints the directory holding the binaries on stdout; build times go to stderr.
set -euo pipefail

KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
KUBERAY_VERSION="${KUBERAY_VERSION:-v1.6.2}"
KAITO_VERSION="${KAITO_VERSION:-0.12.0}"
DYNAMO_VERSION="${DYNAMO_VERSION:-1.4.0}"
KUBERAY_ARCHIVE_VERSION="${KUBERAY_ARCHIVE_VERSION:-1.7.0}"
root=$(cd "$(dirname "$0")/.." && pwd)
SOURCES="${KUBEFOUNDRY_OPERATOR_SOURCES:-$root/../shared/operators}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/operators/kwok-${KWOK_VERSION}-kuberay-${KUBERAY_VERSION}-kaito-${KAITO_VERSION}-dynamo-${DYNAMO_VERSION}"
BINARIES=(kwok kuberay-operator kaito-workspace dynamo-operator "kuberay-operator-${KUBERAY_ARCHIVE_VERSION}")

have_all() {
  for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || return 1; done
  [ -f "$OUT/src/kaito/.complete" ] && [ -f "$OUT/src/dynamo/.complete" ] && [ -f "$OUT/kwok-stages.yaml" ] &&
    [ -f "$OUT/src/kuberay-${KUBERAY_ARCHIVE_VERSION}/.complete" ]
}

if have_all; then echo "$OUT"; exit 0; fi

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if have_all; then echo "$OUT"; exit 0; fi

log() { echo "operators-build: $*" >&2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0

# extract <archive> <name>: unpacks into $OUT/src/<name> atomically.
extract() {
  local archive="$SOURCES/$1" name=$2
  [ -f "$OUT/src/$name/.complete" ] && return
  [ -f "$archive" ] || { log "missing $archive (set KUBEFOUNDRY_OPERATOR_SOURCES)"; exit 1; }
  mkdir -p "$OUT/src"
  rm -rf "$OUT/src/$name.tmp" "$OUT/src/$name"
  mkdir -p "$OUT/src/$name.tmp"
  tar xzf "$archive" -C "$OUT/src/$name.tmp"
  touch "$OUT/src/$name.tmp/.complete"
  mv "$OUT/src/$name.tmp" "$OUT/src/$name"
}

# timed <binary> <dir> <package>: go build in <dir>, then moves the binary into place.
timed() {
  local bin=$1 dir=$2 pkg=$3
  [ -x "$OUT/$bin" ] && return
  local t0; t0=$(date +%s)
  log "building $bin"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$OUT/$bin.tmp" "$pkg")
  mv "$OUT/$bin.tmp" "$OUT/$bin"
  log "built $bin in $(( $(date +%s) - t0 ))s"
}

wrapper() {
  local dir=$1 module=$2 require=$3 pkg=$4
  mkdir -p "$dir"
  printf 'module %s\ngo 1.26\nrequire %s\n' "$module" "$require" > "$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" > "$dir/tools.go"
  (cd "$dir" && for i in 1 2 3; do go mod tidy >&2 && break; log "go mod tidy failed, retry $i"; sleep 2; done)
}

extract "kaito-${KAITO_VERSION}.tar.gz" kaito
extract "dynamo-operator-${DYNAMO_VERSION}.tar.gz" dynamo
extract "kuberay-operator-${KUBERAY_ARCHIVE_VERSION}.tar.gz" "kuberay-${KUBERAY_ARCHIVE_VERSION}"
# The archive holds one top-level folder kuberay-<version>/ with ray-operator/ and helm-chart/.
kuberay_src="$OUT/src/kuberay-${KUBERAY_ARCHIVE_VERSION}/kuberay-${KUBERAY_ARCHIVE_VERSION}"

# Module downloads are network-bound: fetch them for all four in parallel, then compile one after
# another (compiling in parallel on two cores only thrashes).
wrapper "$work/kwok" kubefoundry.local/operators/kwok "sigs.k8s.io/kwok $KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok &
p1=$!
wrapper "$work/kuberay" kubefoundry.local/operators/kuberay "github.com/ray-project/kuberay/ray-operator $KUBERAY_VERSION" github.com/ray-project/kuberay/ray-operator &
p2=$!
(cd "$OUT/src/kaito" && go mod download >&2) &
p3=$!
(cd "$OUT/src/dynamo/deploy/operator" && go mod download >&2) &
p4=$!
(cd "$kuberay_src/ray-operator" && go mod download >&2) &
p5=$!
for p in $p1 $p2 $p3 $p4 $p5; do wait "$p"; done

# kwok runs no stages unless configured (kwokctl adds them): keep kwok's own "fast" node and pod
# stages and the lease heartbeat, verbatim from the module, as its configuration.
kwok_stages() {
  [ -f "$OUT/kwok-stages.yaml" ] && return
  local dir; dir=$(cd "$work/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
  local f first=1
  : > "$OUT/kwok-stages.yaml.tmp"
  for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    [ "$first" = 1 ] || echo "---" >> "$OUT/kwok-stages.yaml.tmp"
    first=0
    cat "$dir/kustomize/stage/$f.yaml" >> "$OUT/kwok-stages.yaml.tmp"
  done
  mv "$OUT/kwok-stages.yaml.tmp" "$OUT/kwok-stages.yaml"
}
kwok_stages

timed kwok "$work/kwok" sigs.k8s.io/kwok/cmd/kwok
timed kuberay-operator "$work/kuberay" github.com/ray-project/kuberay/ray-operator
timed kaito-workspace "$OUT/src/kaito" ./cmd/workspace
timed dynamo-operator "$OUT/src/dynamo/deploy/operator" ./cmd
timed "kuberay-operator-${KUBERAY_ARCHIVE_VERSION}" "$kuberay_src/ray-operator" .

have_all
log "binaries ready in $OUT"
echo "$OUT"
