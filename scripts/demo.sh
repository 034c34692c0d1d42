#!/usr/bin/env bash
# make demo: start the local cluster (real control plane and scheduler, kwok-simulated GPU
# nodes, the real Dynamo, KubeRay and KAITO operators), build the provider, `terraform apply`
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

tf=$(command -v terraform || true)
if [ -z "$tf" ]; then tf=$(bash scripts/tofu-build.sh); fi

echo "==> building control plane binaries (cached after the first run)"
bash scripts/testenv-build.sh >/dev/null
took
echo "==> building kwok and the Dynamo, KubeRay and KAITO operators (cached after the first run)"
bash scripts/operators-build.sh >/dev/null
took
echo "==> building the provider"
go build -o "$work/bin/terraform-provider-kubefoundry" .
took

echo "==> starting the local cluster with the real operators"
rm -f "$work/ready"
go build -o "$work/bin/devcluster" ./tools/devcluster && go build -o "$work/bin/inspect" ./tools/devcluster/inspect
"$work/bin/devcluster" -dir "$work/cluster" -ready-file "$work/ready" > "$work/devcluster.log" 2>&1 &
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
