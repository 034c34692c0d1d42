#!/usr/bin/env bash
# Runs golangci-lint (v2, .golangci.yml), built from the Go module proxy on first use and
# cached by version. Extra arguments go to `golangci-lint run` (e.g. --fix, ./internal/...).
set -euo pipefail
cd "$(dirname "$0")/.."
GOLANGCI_LINT_VERSION="${GOLANGCI_LINT_VERSION:-v2.15.0}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
bindir="$CACHE_ROOT/golangci-lint/$GOLANGCI_LINT_VERSION"
bin="$bindir/golangci-lint"
if [ ! -x "$bin" ]; then
  mkdir -p "$bindir"
  exec 9>"$bindir/.lock"
  flock 9
  if [ ! -x "$bin" ]; then
    echo "lint: building golangci-lint $GOLANGCI_LINT_VERSION from the Go module proxy" >&2
    GOBIN="$bindir" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
  fi
  exec 9>&-
fi
# Two CPUs are shared with test builds: keep the linter's parallelism modest.
exec "$bin" run --concurrency "${LINT_CONCURRENCY:-2}" "$@"
