#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler and etcd from source through the Go
# module proxy (no Docker, no binary downloads) and caches them. Idempotent and safe to
# run concurrently: a lock serialises builders, and binaries are moved into place atomically.
# Prints the directory holding the binaries on stdout; with --missing, only the names of those not
# built yet (nothing is built).
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.36.3}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
OUT="$CACHE_ROOT/testenv/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd)

have_all() {
  for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || return 1; done
}

if [ "${1:-}" = --missing ]; then
  for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || echo "$b"; done
  exit 0
fi
if have_all; then echo "$OUT"; exit 0; fi

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if have_all; then echo "$OUT"; exit 0; fi

log() { echo "testenv-build: $*" >&2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0

staging_minor="v0.${K8S_VERSION#v1.}"

build_k8s() {
  local dir="$work/k8s"
  mkdir -p "$dir"
  log "fetching k8s.io/kubernetes@$K8S_VERSION go.mod"
  local gomod
  gomod=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  {
    echo "module kubefoundry.local/testenv/k8s"
    echo "go 1.26"
    echo "require k8s.io/kubernetes $K8S_VERSION"
    # Every staging module k8s.io/kubernetes replaces with ./staging/... gets its published twin.
    grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk -v v="$staging_minor" '{print "replace " $1 " => " $1 " " v}'
  } > "$dir/go.mod"
  # A tools file pins the commands' packages without compiling them into anything.
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n)\n' > "$dir/tools.go"
  local n; n=$(grep -c '^replace' "$dir/go.mod")
  log "wrapper module has $n staging replaces; resolving dependencies"
  (cd "$dir" && for i in 1 2 3; do go mod tidy >&2 && break; log "go mod tidy failed, retry $i"; sleep 2; done)
  local pkg=k8s.io/client-go/pkg/version cb=k8s.io/component-base/version
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local ld="-s -w"
  for p in $pkg $cb; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    [ -x "$OUT/$b" ] && continue
    log "building $b $K8S_VERSION (several minutes on a cold cache)"
    (cd "$dir" && go build -trimpath -ldflags "$ld" -o "$OUT/$b.tmp" "k8s.io/kubernetes/cmd/$b")
    mv "$OUT/$b.tmp" "$OUT/$b"
  done
}

build_etcd() {
  [ -x "$OUT/etcd" ] && return
  local dir="$work/etcd"
  mkdir -p "$dir"
  printf 'module kubefoundry.local/testenv/etcd\ngo 1.26\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > "$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > "$dir/tools.go"
  log "building etcd $ETCD_VERSION"
  (cd "$dir" && for i in 1 2 3; do go mod tidy >&2 && break; sleep 2; done && go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$OUT/etcd.tmp" "$OUT/etcd"
}

build_etcd
build_k8s
have_all
log "binaries ready in $OUT"
echo "$OUT"
