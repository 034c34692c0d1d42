#!/usr/bin/env bash
# Benchmark: terraform apply (create, no readiness wait), terraform plan (refresh, no
# changes) and terraform destroy of N model deployments against the local control plane
# at -parallelism=P, with API requests per deployment, conflicts (HTTP 409) and objects
# left behind counted from the kube-apiserver audit log and the cluster. Baseline in the
# same run: the same commands on N `terraform_data` resources (terraform's own floor).
#   bash bench/deployments.sh [N] [P]     (default 50 20)
set -euo pipefail
N="${1:-50}"
P="${2:-20}"
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/.tmp/bench"
rm -rf "$work" && mkdir -p "$work/bin"
tf=$(command -v terraform || bash scripts/tofu-build.sh)

bash scripts/testenv-build.sh >/dev/null
go build -o "$work/bin/terraform-provider-kubefoundry" .
go build -o "$work/bin/devcluster" ./tools/devcluster
go build -o "$work/bin/terraform-provider-floor" ./bench/floorprovider
"$work/bin/devcluster" -dir "$work/cluster" -runtimes dynamo -ready-file "$work/ready" > "$work/devcluster.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do [ -s "$work/ready" ] && break; sleep 0.5; done
kubeconfig=$(cat "$work/ready")
audit="$work/cluster/logs/audit.log"

rc() {
  cat > "$work/terraformrc-$1" <<RC
provider_installation {
  dev_overrides {
    "kubefoundry/kubefoundry" = "$2"
    "bench/floor"             = "$work/bin"
  }
  direct {}
}
RC
}
rc new "$work/bin"
export TF_CLI_CONFIG_FILE="$work/terraformrc-new" TF_IN_AUTOMATION=1
# BASE=<commit>: also measure the provider built from that commit, in this same run.
if [ -n "${BASE:-}" ]; then
  mkdir -p "$work/base-src" "$work/base-bin"
  git archive "$BASE" | tar -x -C "$work/base-src"
  (cd "$work/base-src" && go build -o "$work/base-bin/terraform-provider-kubefoundry" .)
  rc base "$work/base-bin"
fi

mkdir -p "$work/kf" "$work/base"
{
  echo 'terraform {'
  echo '  required_providers {'
  echo '    kubefoundry = { source = "kubefoundry/kubefoundry" }'
  echo '  }'
  echo '}'
  echo "provider \"kubefoundry\" { config_path = \"$kubeconfig\" }"
  for i in $(seq 1 "$N"); do
    cat <<HCL
resource "kubefoundry_model_deployment" "m$i" {
  name           = "bench-$i"
  namespace      = "default"
  runtime        = "dynamo"
  model          = "Qwen/Qwen3-0.6B"
  wait_for_ready = false
  gpu_fit_check  = "off"
}
HCL
  done
} > "$work/kf/main.tf"
for i in $(seq 1 "$N"); do echo "resource \"terraform_data\" \"d$i\" { input = $i }"; done > "$work/base/main.tf"

requests() { grep -c '"stage":"ResponseComplete".*"userAgent":"terraform-provider-kubefoundry' "$audit" 2>/dev/null || true; }
watches() { grep '"stage":"ResponseStarted"' "$audit" | grep -c '"verb":"watch".*"userAgent":"terraform-provider-kubefoundry' || true; }
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
# timed CMD...: wall seconds of CMD; its CPU seconds (user+sys, terraform and its provider
# processes) go to $work/cpu. Both are reported: on a shared machine CPU is the steadier one.
timed() {
  local s; s=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu.raw" "$@" >/dev/null
  awk '{ printf "%.2f", $1 + $2 }' "$work/cpu.raw" > "$work/cpu"
  calc "$(date +%s.%N) - $s"
}
cpu() { cat "$work/cpu"; }

"$tf" -chdir="$work/base" init -input=false >/dev/null
base_apply=$(timed "$tf" -chdir="$work/base" apply -auto-approve -input=false)
base_plan=$(timed "$tf" -chdir="$work/base" plan -input=false -detailed-exitcode); base_plan_cpu=$(cpu)
base_destroy=$(timed "$tf" -chdir="$work/base" destroy -auto-approve -input=false)
# Second floor: the smallest plugin-framework provider, for what any provider costs.
mkdir -p "$work/floor"
for i in $(seq 1 "$N"); do echo "resource \"floor_thing\" \"f$i\" { input = \"$i\" }"; done > "$work/floor/main.tf"
printf 'terraform {\n  required_providers {\n    floor = { source = "bench/floor" }\n  }\n}\n' >> "$work/floor/main.tf"
"$tf" -chdir="$work/floor" apply -auto-approve -input=false -parallelism="$P" >/dev/null
floor_plan=$(timed "$tf" -chdir="$work/floor" plan -input=false -detailed-exitcode -parallelism="$P"); floor_plan_cpu=$(cpu)

conflicts() { grep '"userAgent":"terraform-provider-kubefoundry' "$audit" | grep -c '"code":409' || true; }
host=$(awk '/server:/ {print $2; exit}' "$kubeconfig")
token=$(awk '/token:/ {print $2; exit}' "$kubeconfig")
left() {
  curl -sk -H "Authorization: Bearer $token" "$host/apis/nvidia.com/v1beta1/namespaces/default/dynamographdeployments" |
    { grep -o '"name":"bench-[0-9]*"' || true; } | wc -l
}

# run_kf LABEL: create, refresh and destroy the N deployments with that provider build.
run_kf() {
  local label=$1 r0 r1 r2 r3 c0 apply plan destroy
  export TF_CLI_CONFIG_FILE="$work/terraformrc-$label"
  rm -rf "$work/kf/terraform.tfstate"*
  c0=$(conflicts); r0=$(requests)
  apply=$(timed "$tf" -chdir="$work/kf" apply -auto-approve -input=false -parallelism="$P")
  # the operator reports Running within seconds of a create; refresh a serving
  # fleet (a deployment that is not Running costs two more reads for its cause, by design).
  sleep 4; r1=$(requests)
  plan=$(timed "$tf" -chdir="$work/kf" plan -input=false -detailed-exitcode -parallelism="$P"); r2=$(requests); plan_cpu=$(cpu)
  destroy=$(timed "$tf" -chdir="$work/kf" destroy -auto-approve -input=false -parallelism="$P"); r3=$(requests)
  printf '%-34s %8.2f %9.2fx %14.2f\n' "create ($label, no wait)" "$apply" "$(calc "$apply / $base_apply")" "$(calc "($r1 - $r0) / $N")"
  printf '%-34s %8.2f %9.2fx %14.2f   CPU %.2f s (%.2fx the framework floor)\n' "refresh ($label, plan)" "$plan" "$(calc "$plan / $base_plan")" "$(calc "($r2 - $r1) / $N")" "$plan_cpu" "$(calc "$plan_cpu / $floor_plan_cpu")"
  printf '%-34s %8.2f %9.2fx %14.2f\n' "destroy ($label, until gone)" "$destroy" "$(calc "$destroy / $base_destroy")" "$(calc "($r3 - $r2) / $N")"
  printf '  %s: conflicts (HTTP 409) %s, deployments left after destroy %s\n' "$label" "$(( $(conflicts) - c0 ))" "$(left)"
}

printf '\n%d deployments (Dynamo), -parallelism=%d, terraform %s\n' "$N" "$P" "$("$tf" version | sed -n 1p)"
printf '%-34s %8s %10s %14s\n' "step" "seconds" "vs floor" "API req/depl."
printf '%-34s %8.2f %10s %14s\n' "floor apply (terraform_data)" "$base_apply" "1.00x" "-"
printf '%-34s %8.2f %10s %14s   CPU %.2f s\n' "floor plan (terraform_data)" "$base_plan" "1.00x" "-" "$base_plan_cpu"
printf '%-34s %8.2f %9.2fx %14s   CPU %.2f s\n' "framework floor plan (floor_thing)" "$floor_plan" "$(calc "$floor_plan / $base_plan")" "-" "$floor_plan_cpu"
printf '%-34s %8.2f %10s %14s\n' "floor destroy (terraform_data)" "$base_destroy" "1.00x" "-"
[ -n "${BASE:-}" ] && run_kf base
run_kf new
printf 'watches opened: %s; discovery/OpenAPI requests: %s\n' "$(watches)" \
  "$(grep '"userAgent":"terraform-provider-kubefoundry' "$audit" | grep -c '"requestURI":"/\(api\|apis\|openapi/[^"]*\)"' || true)"
