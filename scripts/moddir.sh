# shellcheck shell=bash
# Sourced by the build scripts that take a release from the Go module proxy.
# moddir <module@version>: the module's directory in the module cache, downloaded (three
# tries) outside this repository's module. Uses the caller's log(); exits when it fails.
moddir() {
  local dir="" i
  for i in 1 2 3; do
    dir=$(cd / && GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') && [ -n "$dir" ] && break
    log "go mod download $1 failed, retry $i"; sleep 2
  done
  [ -d "$dir" ] || { log "$1 not downloaded"; exit 1; }
  echo "$dir"
}
