# Sourced by scripts/demo.sh and .ci/run: runs independent builds concurrently ("lanes"), each
# logging to its own file, and reports how long each took.
#   LANES_LOG=<dir>; lane <name> <command...>; ...; lanes_wait
# LANES_SERIAL=1 runs each lane to completion before the next (the baseline to compare with).
# On two cores most of a cold build is compiling, which a single `go build` already spreads over
# both cores; what running builds together wins is the time one of them spends downloading modules
# or linking a large binary with one core. lanes_prewarm_std compiles the standard library once
# first: builds started together would each compile it (the Go build cache does not share work
# in progress between processes).

_lane_pids=() _lane_names=()

lanes_prewarm_std() { # the flags every cached build script uses: -trimpath, CGO_ENABLED=0
  CGO_ENABLED=0 go build -trimpath std
}

_lane_run() {
  local name=$1 t; shift
  t=$(date +%s)
  if "$@" > "$LANES_LOG/$name.out" 2> "$LANES_LOG/$name.log"; then
    echo "    $name: done in $(( $(date +%s) - t ))s"
  else
    echo "    $name: FAILED after $(( $(date +%s) - t ))s; last lines of $LANES_LOG/$name.log:"
    tail -n 40 "$LANES_LOG/$name.log" | sed 's/^/      /'
    return 1
  fi
}

lane() { # lane <name> <command...>: stdout to $LANES_LOG/<name>.out, stderr to <name>.log
  mkdir -p "$LANES_LOG"
  if [ "${LANES_SERIAL:-0}" = 1 ]; then
    _lane_run "$@"
  else
    _lane_run "$@" &
    _lane_pids+=($!) _lane_names+=("$1")
  fi
}

lanes_wait() { # waits for every lane; fails if any failed
  local i failed=0
  for i in "${!_lane_pids[@]}"; do wait "${_lane_pids[$i]}" || failed=1; done
  _lane_pids=() _lane_names=()
  return "$failed"
}
