#!/usr/bin/env bash
# Starts a throwaway buildkitd (built by buildkitd-build.sh) for manual runs of the GGUF image
# tests and examples: OCI worker, native snapshotter, no runc (builds have no exec steps).
# Must run as root. Prints the address (unix://...) on stdout.
#
#   addr=$(scripts/buildkitd-start.sh)        # start
#   BUILDKIT_HOST=$addr terraform apply
#   scripts/buildkitd-start.sh stop           # stop and remove its state
#
# The Go tests do not need this: internal/gguf/buildkittest starts their own daemon.
set -euo pipefail

STATE="${BUILDKITD_STATE:-/tmp/kubefoundry-buildkitd}"

if [ "${1:-}" = "stop" ]; then
  if [ -f "$STATE/pid" ]; then
    pid=$(cat "$STATE/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$STATE"
  exit 0
fi

[ "$(id -u)" = 0 ] || { echo "buildkitd-start: run as root" >&2; exit 1; }
if [ -f "$STATE/pid" ] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null; then
  echo "unix://$STATE/buildkitd.sock"; exit 0
fi

bin=$("$(dirname "$0")/buildkitd-build.sh")
mkdir -p "$STATE"
printf '#!/bin/sh\necho "exec steps are not supported by this buildkitd" >&2\nexit 1\n' > "$STATE/no-runc"
chmod +x "$STATE/no-runc"
cat > "$STATE/buildkitd.toml" <<TOML
root = "$STATE/root"
[grpc]
  address = ["unix://$STATE/buildkitd.sock"]
[worker.oci]
  enabled = true
  snapshotter = "native"
  binary = "$STATE/no-runc"
[worker.containerd]
  enabled = false
TOML
nohup "$bin" --config "$STATE/buildkitd.toml" > "$STATE/buildkitd.log" 2>&1 &
echo $! > "$STATE/pid"
for _ in $(seq 100); do
  [ -S "$STATE/buildkitd.sock" ] && { echo "unix://$STATE/buildkitd.sock"; exit 0; }
  kill -0 "$(cat "$STATE/pid")" 2>/dev/null || break
  sleep 0.2
done
echo "buildkitd-start: buildkitd did not come up; log:" >&2
tail -20 "$STATE/buildkitd.log" >&2
exit 1
