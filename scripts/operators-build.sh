#!/usr/bin/env bash
# Builds the parts that put the real operators in the loop of tests and `make demo`, from source, and
# caches them next to the control plane binaries:
#   kwok              sigs.k8s.io/kwok cmd/kwok (simulated nodes and pod lifecycles), Go module proxy
#   kuberay-operator  github.com/ray-project/kuberay/ray-operator, Go module proxy (wrapper module)
#   kaito-workspace   KAITO workspace controller + webhook, source archive in $KUBEFOUNDRY_OPERATOR_SOURCES
#   dynamo-operator   NVIDIA Dynamo operator, source archive in $KUBEFOUNDRY_OPERATOR_SOURCES
#   kuberay-operator-<v>  KubeRay operator releases the module proxy does not serve (1.7.0: it serves the
#                     .mod but refuses the zip), source archive in $KUBEFOUNDRY_OPERATOR_SOURCES; the
#                     extracted tree keeps the release's Helm chart (helm-chart/kuberay-operator). Built
#                     with the `kuberay` part, which thus yields both the current and the previous release.
# The archives (not served by the module proxy) are extracted into the cache, never into the repository;
# the extracted trees stay there (src/) because the clusters read CRDs and chart files from them (both are
# always extracted: a cluster with any operator installs every runtime's current CRDs).
#
#   operators-build.sh [kwok|dynamo|kuberay|kaito]...   builds the named parts (default: all four)
#   operators-build.sh --missing [name]...              prints the named parts not built yet, builds nothing
#   operators-build.sh --dir                            prints the cache directory, builds nothing
#
# `make demo` builds only kwok and Dynamo; a test cluster builds the operators it starts on first use
# (internal/testcluster). Idempotent and safe to run concurrently: a lock serialises builders and
# binaries are moved into place atomically. Prints the directory holding the binaries on stdout; build
# times go to stderr.
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
ALL=(kwok dynamo kuberay kaito)

# binary <name>: the file a part builds.
binary() {
  case $1 in
    kwok) echo kwok ;;
    dynamo) echo dynamo-operator ;;
    kuberay) echo kuberay-operator ;;
    kaito) echo kaito-workspace ;;
  esac
}

# have <name>: the part is built (kwok with its stages, kuberay with its archive release), and the
# source trees are extracted.
have() {
  [ -x "$OUT/$(binary "$1")" ] || return 1
  [ "$1" != kwok ] || [ -f "$OUT/kwok-stages.yaml" ] || return 1
  [ "$1" != kuberay ] || [ -x "$OUT/kuberay-operator-${KUBERAY_ARCHIVE_VERSION}" ] || return 1
  [ -f "$OUT/src/kaito/.complete" ] && [ -f "$OUT/src/dynamo/.complete" ] &&
    [ -f "$OUT/src/kuberay-${KUBERAY_ARCHIVE_VERSION}/.complete" ]
}

if [ "${1:-}" = --dir ]; then echo "$OUT"; exit 0; fi
missing_only=0
if [ "${1:-}" = --missing ]; then missing_only=1; shift; fi
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
for n in "${names[@]}"; do
  [ -n "$(binary "$n")" ] || { echo "operators-build: unknown part $n (one of: ${ALL[*]})" >&2; exit 2; }
done

missing() {
  local n
  for n in "${names[@]}"; do have "$n" || echo "$n"; done
}

if [ "$missing_only" = 1 ]; then missing; exit 0; fi
if [ -z "$(missing)" ]; then echo "$OUT"; exit 0; fi

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
mapfile -t todo < <(missing)
if [ ${#todo[@]} = 0 ]; then echo "$OUT"; exit 0; fi

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

# One pair of functions per part: fetch_<name> downloads its modules, build_<name> compiles it.
fetch_kwok() { wrapper "$work/kwok" kubefoundry.local/operators/kwok "sigs.k8s.io/kwok $KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok; }
build_kwok() {
  kwok_stages
  timed kwok "$work/kwok" sigs.k8s.io/kwok/cmd/kwok
}

fetch_kuberay() {
  wrapper "$work/kuberay" kubefoundry.local/operators/kuberay "github.com/ray-project/kuberay/ray-operator $KUBERAY_VERSION" \
    github.com/ray-project/kuberay/ray-operator
  (cd "$kuberay_src/ray-operator" && go mod download >&2)
}
build_kuberay() {
  timed kuberay-operator "$work/kuberay" github.com/ray-project/kuberay/ray-operator
  timed "kuberay-operator-${KUBERAY_ARCHIVE_VERSION}" "$kuberay_src/ray-operator" .
}

fetch_kaito() { (cd "$OUT/src/kaito" && go mod download >&2); }
build_kaito() { timed kaito-workspace "$OUT/src/kaito" ./cmd/workspace; }

fetch_dynamo() { (cd "$OUT/src/dynamo/deploy/operator" && go mod download >&2); }
build_dynamo() { timed dynamo-operator "$OUT/src/dynamo/deploy/operator" ./cmd; }

extract "kaito-${KAITO_VERSION}.tar.gz" kaito
extract "dynamo-operator-${DYNAMO_VERSION}.tar.gz" dynamo
extract "kuberay-operator-${KUBERAY_ARCHIVE_VERSION}.tar.gz" "kuberay-${KUBERAY_ARCHIVE_VERSION}"
# The archive holds one top-level folder kuberay-<version>/ with ray-operator/ and helm-chart/.
kuberay_src="$OUT/src/kuberay-${KUBERAY_ARCHIVE_VERSION}/kuberay-${KUBERAY_ARCHIVE_VERSION}"

# Module downloads are network-bound: fetch them for every part to build in parallel, then compile one
# after another (compiling in parallel on two cores only thrashes, and a later build reuses the
# packages an earlier one put in the Go build cache).
log "building ${todo[*]}"
pids=()
for n in "${todo[@]}"; do "fetch_$n" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
for n in "${todo[@]}"; do "build_$n"; done

[ -z "$(missing)" ]
log "binaries ready in $OUT"
echo "$OUT"
