#!/usr/bin/env bash
# make demo: start the local control plane with simulated GPU nodes, build the provider,
# `terraform init` + `terraform apply` examples/quickstart through a dev_overrides CLI
# config (no network), print the outputs, and stop the cluster (KEEP=1 leaves it running).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/.tmp/demo"
mkdir -p "$work"

tf=$(command -v terraform || true)
if [ -z "$tf" ]; then tf=$(bash scripts/tofu-build.sh); fi

echo "==> building control plane binaries (cached after the first run)"
bash scripts/testenv-build.sh >/dev/null
echo "==> building the provider"
go build -o "$work/bin/terraform-provider-kubefoundry" .

echo "==> starting the local control plane"
rm -f "$work/ready"
go build -o "$work/bin/devcluster" ./tools/devcluster
"$work/bin/devcluster" -dir "$work/cluster" -ready-file "$work/ready" > "$work/devcluster.log" 2>&1 &
pid=$!
echo "$pid" > "$work/devcluster.pid"
stop() { kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; rm -f "$work/devcluster.pid"; }
if [ "${KEEP:-0}" != 1 ]; then trap stop EXIT; fi
for _ in $(seq 1 240); do
  [ -s "$work/ready" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/devcluster.log"; exit 1; }
  sleep 0.5
done
[ -s "$work/ready" ] || { echo "control plane did not start"; cat "$work/devcluster.log"; exit 1; }
kubeconfig=$(cat "$work/ready")
cat "$work/devcluster.log"

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
echo "==> outputs"
"$tf" -chdir="$ex" output -no-color
echo "==> terraform plan -detailed-exitcode (no drift expected)"
set +e
"$tf" -chdir="$ex" plan -detailed-exitcode -input=false -no-color -var "kubeconfig=$kubeconfig" >/dev/null
code=$?
set -e
echo "plan exit code: $code (0 = no changes)"
[ "$code" = 0 ] || exit 1
echo "==> the operator stand-in's log"
grep 'operator' "$work/devcluster.log" || true

if [ "${KEEP:-0}" = 1 ]; then
  cat <<MSG

The cluster keeps running (pid $pid).
  export KUBECONFIG=$kubeconfig
  export TF_CLI_CONFIG_FILE=$work/terraformrc
  terraform -chdir=$ex plan -var kubeconfig=\$KUBECONFIG
Stop it with: make demo-stop
MSG
fi
