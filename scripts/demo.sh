#!/usr/bin/env bash
# make demo: start the local cluster (real control plane and scheduler, kwok-simulated GPU
# nodes, the real Dynamo operator; DEMO_OPERATORS adds KubeRay and KAITO), build the provider, `terraform apply`
# examples/quickstart through a dev_overrides CLI config (no network), print the outputs, and
# stop the cluster (KEEP=1 leaves it running). Prints how long each step took: the first run
# builds and caches the binaries (cold), later runs reuse them (warm).
set -euo pipefail
t0=$(date +%s)
step_start=$t0
took() { local now; now=$(date +%s); echo "    ($(( now - step_start ))s)"; step_start=$now; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/.tmp/demo"
mkdir -p "$work"

# The operators the demo runs: the quick start deploys with Dynamo only. DEMO_OPERATORS=dynamo,kuberay,kaito
# runs (and first builds) the others too, e.g. to try them with KEEP=1.
operators="${DEMO_OPERATORS:-dynamo}"
read -r -a op_names <<< "${operators//,/ }"

tf=$(command -v terraform || true)
missing_cp=$(bash scripts/testenv-build.sh --missing | tr '\n' ' ')
missing_ops=$(bash scripts/operators-build.sh --missing kwok "${op_names[@]}" | tr '\n' ' ')
missing_tofu=""
[ -n "$tf" ] || missing_tofu=$(bash scripts/tofu-build.sh --missing)

# An honest estimate before a cold build: each part's cold build time measured one after another on a
# fresh 2-core machine (issue 21; OpenTofu: derived from CPU time, see cold_seconds). The parts build concurrently here, which
# overlaps module downloads and links with compiling, so the sum is an upper estimate.
cold_seconds() {
  case $1 in
    control-plane) echo 719 ;; kwok) echo 152 ;; dynamo) echo 218 ;; kuberay) echo 309 ;; kaito) echo 240 ;;
    provider) echo 160 ;;
    tofu) echo 540 ;; # 996 CPU-s with empty Go caches (devex, busy machine) over 2 cores, + downloads
  esac
}
estimate=0 parts=()
add_part() { estimate=$(( estimate + $(cold_seconds "$1") )); parts+=("$1 ~$(( ($(cold_seconds "$1") + 30) / 60 )) min"); }
[ -z "$missing_cp" ] || add_part control-plane
for n in $missing_ops $missing_tofu; do add_part "$n"; done
if [ ${#parts[@]} -gt 0 ]; then
  add_part provider # cold too on a fresh machine (empty Go build cache)
  echo "==> first run: building from source (cached under ${KUBEFOUNDRY_CACHE:-~/.cache/kubefoundry} afterwards)"
  . scripts/thp.sh
  thp_always
  trap thp_restore EXIT
  # The parts' times were measured one after another (round five). Scaled to what the whole cold demo's builds
  # took on 2026-12-06 (fresh clone, empty Go and kubefoundry caches, Dynamo only, idle two-core machine, same
  # commit): 1528 s and 3035 CPU-s with transparent huge pages "madvise", 878 s and 1749 CPU-s with "always".
  scale=122 cpu_min=51
  if [ "$(thp_policy)" = always ]; then scale=70 cpu_min=29; fi
  echo "    estimate on a fresh 2-core machine: about $(( (estimate * scale / 100 + 59) / 60 )) min for the builds (transparent huge pages \"$(thp_policy)\"; each part alone: $(IFS=,; echo "${parts[*]}" | sed 's/,/, /g'))"
  echo "    (a full cold build uses ~$cpu_min CPU-minutes; longer on a busy machine)"
else
  echo "==> everything is built and cached; rebuilding the provider if it changed"
fi

# Independent builds run concurrently (LANES_SERIAL=1: one after another); see scripts/lanes.sh.
. scripts/lanes.sh
LANES_LOG="$work/build-logs"
rm -rf "$LANES_LOG"
[ ${#parts[@]} = 0 ] || lanes_prewarm_std
lane control-plane bash scripts/testenv-build.sh
lane operators bash scripts/operators-build.sh kwok "${op_names[@]}"
[ -n "$tf" ] || lane opentofu bash scripts/tofu-build.sh
# Same flags as the cached builds (scripts/lanes.sh): the standard library compiled once is shared, and
# without cgo, paths or DWARF the three links are cheaper (the demo never debugs these binaries).
lane provider env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/bin/" . ./tools/devcluster ./tools/devcluster/inspect
lanes_wait
! declare -F thp_restore > /dev/null || thp_restore
[ -n "$tf" ] || tf=$(cat "$LANES_LOG/opentofu.out")
took

echo "==> starting the local cluster with the real operators"
rm -f "$work/ready"
"$work/bin/devcluster" -dir "$work/cluster" -runtimes "$operators" -ready-file "$work/ready" > "$work/devcluster.log" 2>&1 &
pid=$!
echo "$pid" > "$work/devcluster.pid"
stop() { kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; rm -f "$work/devcluster.pid"; }
if [ "${KEEP:-0}" != 1 ]; then trap stop EXIT; fi
for _ in $(seq 1 600); do
  [ -s "$work/ready" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/devcluster.log"; exit 1; }
  sleep 0.5
done
[ -s "$work/ready" ] || { echo "control plane did not start"; cat "$work/devcluster.log"; exit 1; }
kubeconfig=$(cat "$work/ready")
cat "$work/devcluster.log"
took

cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "kubefoundry/kubefoundry" = "$work/bin"
  }
  direct {}
}
disable_checkpoint = true
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1
ex="$work/quickstart"
rm -rf "$ex" && cp -r examples/quickstart "$ex"
echo "==> terraform apply (examples/quickstart)"
"$tf" -chdir="$ex" apply -auto-approve -input=false -no-color -var "kubeconfig=$kubeconfig"
took
# The capacity data source was read before the workers existed: refresh it so the outputs
# show the GPUs the operator's pods now hold.
echo "==> terraform apply -refresh-only (GPU capacity after the deployment)"
"$tf" -chdir="$ex" apply -refresh-only -auto-approve -input=false -no-color -var "kubeconfig=$kubeconfig" >/dev/null
echo "==> outputs"
"$tf" -chdir="$ex" output -no-color
echo "==> terraform plan -detailed-exitcode (no drift expected)"
set +e
"$tf" -chdir="$ex" plan -detailed-exitcode -input=false -no-color -var "kubeconfig=$kubeconfig" >/dev/null
code=$?
set -e
echo "plan exit code: $code (0 = no changes)"
[ "$code" = 0 ] || exit 1
echo "==> what the real Dynamo operator made (pods run on kwok nodes; no engine runs)"
"$work/bin/inspect" -kubeconfig "$kubeconfig" -namespace default || true
echo "==> demo took $(( $(date +%s) - t0 ))s"

if [ "${KEEP:-0}" = 1 ]; then
  cat <<MSG

The cluster keeps running (pid $pid).
  export KUBECONFIG=$kubeconfig
  export TF_CLI_CONFIG_FILE=$work/terraformrc
  terraform -chdir=$ex plan -var kubeconfig=\$KUBECONFIG
Stop it with: make demo-stop
MSG
fi
