#!/usr/bin/env bash
# Benchmark: terraform apply (create, no readiness wait) and terraform plan (refresh, no
# changes) of N model deployments against the local control plane, with API requests per
# deployment counted from the kube-apiserver audit log. Baseline in the same run: the same
# commands on N `terraform_data` resources (terraform's own floor, no Kubernetes at all).
#   bash bench/deployments.sh [N]     (default 50)
set -euo pipefail
N="${1:-50}"
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/.tmp/bench"
rm -rf "$work" && mkdir -p "$work/bin"
tf=$(command -v terraform || bash scripts/tofu-build.sh)

bash scripts/testenv-build.sh >/dev/null
go build -o "$work/bin/terraform-provider-kubefoundry" .
go build -o "$work/bin/devcluster" ./tools/devcluster
"$work/bin/devcluster" -dir "$work/cluster" -ready-file "$work/ready" > "$work/devcluster.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do [ -s "$work/ready" ] && break; sleep 0.5; done
kubeconfig=$(cat "$work/ready")
audit="$work/cluster/logs/audit.log"

cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides { "kubefoundry/kubefoundry" = "$work/bin" }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1

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
timed() { local s; s=$(date +%s.%N); "$@" >/dev/null; calc "$(date +%s.%N) - $s"; }

"$tf" -chdir="$work/base" init -input=false >/dev/null
base_apply=$(timed "$tf" -chdir="$work/base" apply -auto-approve -input=false)
base_plan=$(timed "$tf" -chdir="$work/base" plan -input=false -detailed-exitcode)

r0=$(requests)
kf_apply=$(timed "$tf" -chdir="$work/kf" apply -auto-approve -input=false -parallelism=10)
r1=$(requests)
kf_plan=$(timed "$tf" -chdir="$work/kf" plan -input=false -detailed-exitcode)
r2=$(requests)

printf '\n%d deployments (Dynamo), terraform %s\n' "$N" "$("$tf" version | sed -n 1p)"
printf '%-34s %8s %10s %14s\n' "step" "seconds" "vs base" "API req/depl."
printf '%-34s %8.2f %10s %14s\n' "baseline apply (terraform_data)" "$base_apply" "1.00x" "-"
printf '%-34s %8.2f %9.2fx %14.2f\n' "create (apply, no wait)" "$kf_apply" "$(calc "$kf_apply / $base_apply")" "$(calc "($r1 - $r0) / $N")"
printf '%-34s %8.2f %10s %14s\n' "baseline plan (terraform_data)" "$base_plan" "1.00x" "-"
printf '%-34s %8.2f %9.2fx %14.2f\n' "refresh (plan, no changes)" "$kf_plan" "$(calc "$kf_plan / $base_plan")" "$(calc "($r2 - $r1) / $N")"
printf 'watches opened during create: %s; discovery/OpenAPI requests: %s\n' "$(watches)" \
  "$(grep '"userAgent":"terraform-provider-kubefoundry' "$audit" | grep -c '"requestURI":"/\(api\|apis\|openapi/[^"]*\)"' || true)"
