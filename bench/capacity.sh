#!/usr/bin/env bash
# Benchmark: kubefoundry_gpu_capacity against 5,000 GPU nodes and 50,000 pods on the local
# API server (etcd + kube-apiserver, no controllers). In one run, same cluster:
#  - `terraform plan` reading the data source with this provider and with the provider
#    built from BASE (default: the commit before the capacity changes), best of 3 each;
#  - the read alone in a fresh process per mode: time and peak RSS for the paged protobuf
#    reader, the round-one reader (JSON, pages of 500, all kept) and one unpaginated list.
#   bash bench/capacity.sh [NODES] [PODS]      (BASE=<commit> to pick the baseline)
set -euo pipefail
NODES="${1:-5000}"
PODS="${2:-50000}"
BASE="${BASE:-8b40fe1}"
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/.tmp/bench-capacity"
rm -rf "$work" && mkdir -p "$work/bin" "$work/base-bin" "$work/base-src"
tf=$(command -v terraform || bash scripts/tofu-build.sh)

bash scripts/testenv-build.sh >/dev/null
go build -o "$work/bin/terraform-provider-kubefoundry" .
go build -o "$work/capacity" ./bench/capacity
git archive "$BASE" | tar -x -C "$work/base-src"
(cd "$work/base-src" && go build -o "$work/base-bin/terraform-provider-kubefoundry" .)

"$work/capacity" serve -dir "$work/cluster" -ready-file "$work/ready" -nodes "$NODES" -pods "$PODS" > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 1200); do [ -s "$work/ready" ] && break; kill -0 $pid 2>/dev/null || { cat "$work/serve.log"; exit 1; }; sleep 0.5; done
kubeconfig=$(cat "$work/ready")
cat "$work/serve.log"

calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
# timed CMD...: prints "wall-seconds cpu-seconds" (CPU of terraform and its provider processes).
timed() {
  local s; s=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu.raw" "$@" >/dev/null
  echo "$(calc "$(date +%s.%N) - $s") $(awk '{ printf "%.2f", $1 + $2 }' "$work/cpu.raw")"
}
best() { sort -n | head -1; }

for v in new base; do
  mkdir -p "$work/tf-$v"
  bindir="$work/bin"; [ "$v" = base ] && bindir="$work/base-bin"
  cat > "$work/tf-$v/terraformrc" <<RC
provider_installation {
  dev_overrides { "kubefoundry/kubefoundry" = "$bindir" }
  direct {}
}
RC
  cat > "$work/tf-$v/main.tf" <<HCL
terraform {
  required_providers {
    kubefoundry = { source = "kubefoundry/kubefoundry" }
  }
}
provider "kubefoundry" { config_path = "$kubeconfig" }
data "kubefoundry_gpu_capacity" "c" {}
output "requested" { value = data.kubefoundry_gpu_capacity.c.requested_gpus }
HCL
done
export TF_IN_AUTOMATION=1
declare -A tfbest tfcpu runs
# Interleaved (base, new, base, new, ...), so load drifting on a shared machine hits both alike.
for _ in 1 2 3; do
  for v in base new; do
    runs[$v]+="$(TF_CLI_CONFIG_FILE="$work/tf-$v/terraformrc" timed "$tf" -chdir="$work/tf-$v" plan -input=false -refresh=true)"$'\n'
  done
done
for v in base new; do
  line=$(printf '%s' "${runs[$v]}" | best)
  tfbest[$v]=$(echo "$line" | awk '{print $1}')
  tfcpu[$v]=$(echo "$line" | awk '{print $2}')
done

declare -A rsec rmem rcpu
for mode in round-one unpaginated paged paged-500 paged-2000; do
  runs=""
  page=5000; case $mode in paged-*) page=${mode#paged-} ;; esac
  for _ in 1 2 3; do runs+="$("$work/capacity" read -kubeconfig "$kubeconfig" -mode "${mode%%-[0-9]*}" -page "$page")"$'\n'; done
  line=$(printf '%s' "$runs" | sort -n | head -1)
  rsec[$mode]=$(echo "$line" | awk '{print $1}')
  rmem[$mode]=$(echo "$line" | awk '{print $2}')
  rcpu[$mode]=$(echo "$line" | awk '{print $4}')
done

printf '\nkubefoundry_gpu_capacity, %d nodes / %d pods, %s (best of 3)\n' "$NODES" "$PODS" "$(TF_CLI_CONFIG_FILE="$work/tf-new/terraformrc" "$tf" version | sed -n 1p)"
printf '%-48s %8s %10s %12s %8s\n' "what" "seconds" "vs base" "peak RSS MiB" "CPU s"
printf '%-48s %8.2f %10s %12s %8.2f\n' "terraform plan, provider at $BASE (baseline)" "${tfbest[base]}" "1.00x" "-" "${tfcpu[base]}"
printf '%-48s %8.2f %9.2fx %12s %8.2f\n' "terraform plan, this provider" "${tfbest[new]}" "$(calc "${tfbest[base]} / ${tfbest[new]}")" "-" "${tfcpu[new]}"
printf '%-48s %8.2f %10s %12.0f %8.2f\n' "read only: round-one reader (baseline)" "${rsec[round-one]}" "1.00x" "${rmem[round-one]}" "${rcpu[round-one]}"
printf '%-48s %8.2f %9.2fx %12.0f %8.2f\n' "read only: one unpaginated JSON list" "${rsec[unpaginated]}" "$(calc "${rsec[round-one]} / ${rsec[unpaginated]}")" "${rmem[unpaginated]}" "${rcpu[unpaginated]}"
printf '%-48s %8.2f %9.2fx %12.0f %8.2f\n' "read only: paged protobuf, 5000 (this provider)" "${rsec[paged]}" "$(calc "${rsec[round-one]} / ${rsec[paged]}")" "${rmem[paged]}" "${rcpu[paged]}"
printf '%-48s %8.2f %9.2fx %12.0f %8.2f\n' "read only: paged protobuf, pages of 500" "${rsec[paged-500]}" "$(calc "${rsec[round-one]} / ${rsec[paged-500]}")" "${rmem[paged-500]}" "${rcpu[paged-500]}"
printf '%-48s %8.2f %9.2fx %12.0f %8.2f\n' "read only: paged protobuf, pages of 2000" "${rsec[paged-2000]}" "$(calc "${rsec[round-one]} / ${rsec[paged-2000]}")" "${rmem[paged-2000]}" "${rcpu[paged-2000]}"
