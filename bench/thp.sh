#!/usr/bin/env bash
# Benchmark: what transparent huge pages do to a cold Go build on this machine. Builds the standard
# library with an empty build cache under the kernel's "madvise" policy (the usual default) and under
# "always", alternating, ROUNDS times each, and prints the CPU seconds (user + sys) and page faults
# of each run and the ratio of the means. Needs root (it switches the policy; the previous one is
# put back on exit). scripts/thp.sh is what .ci/run and `make demo` use.
#   sudo bash bench/thp.sh [ROUNDS]
set -euo pipefail
ROUNDS="${1:-2}"
. "$(dirname "$0")/../scripts/thp.sh"
file=$_thp_file
[ -w "$file" ] || { echo "bench/thp.sh: $file is not writable (run as root)" >&2; exit 1; }
was=$(thp_policy)
work=$(mktemp -d)
trap 'echo "$was" > "$file"; rm -rf "$work"' EXIT

declare -A sum=([madvise]=0 [always]=0)
for r in $(seq 1 "$ROUNDS"); do
  for policy in madvise always; do
    echo "$policy" > "$file"
    rm -rf "$work/cache"
    /usr/bin/time -f "%U %S %R %e" -o "$work/t" env GOCACHE="$work/cache" CGO_ENABLED=0 go build -trimpath std
    read -r user sys faults wall < "$work/t"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
    sum[$policy]=$(awk -v a="${sum[$policy]}" -v b="$cpu" 'BEGIN { print a + b }')
    printf 'round %d  %-8s cpu %7.1f s (user %6.1f, sys %5.1f)  minor faults %9d  wall %6.1f s\n' \
      "$r" "$policy" "$cpu" "$user" "$sys" "$faults" "$wall"
  done
done
awk -v m="${sum[madvise]}" -v a="${sum[always]}" -v n="$ROUNDS" \
  'BEGIN { printf "mean CPU: madvise %.1f s, always %.1f s; always/madvise = %.2f\n", m / n, a / n, a / m }'
