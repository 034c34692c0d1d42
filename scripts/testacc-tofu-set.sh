#!/usr/bin/env bash
# The acceptance tests CI runs under OpenTofu (built from the Go module proxy by scripts/tofu-build.sh)
# as well as under terraform: a set that drives every resource, data source and function, resource
# identity and each write-only attribute through the tofu CLI, chosen to keep the added CI time small.
# `make testacc-tofu` runs the whole suite instead. Extra arguments go to `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=(
  # provider configuration (explicit host and token)
  TestAccProviderExplicitHostAndToken
  # data source kubefoundry_gpu_capacity
  TestAccGPUCapacity
  # functions estimate_gpu_memory, gpus_needed, gguf_quantization
  TestAccFunctions
  # functions gpu_hourly_cost, cost_per_million_tokens
  TestAccCostFunctions
  # data sources kubefoundry_model_catalog, kubefoundry_model
  TestAccModelCatalogCurated
  TestAccModel
  # resource kubefoundry_model_deployment: create, update, replace, import by ID, destroy
  TestAccModelDeploymentDynamoLifecycle
  # resource identity: import { identity = { namespace, name } } (terraform 1.11 skips it)
  TestAccModelDeploymentImportByIdentity
  # write-only hf_token_wo / hf_token_wo_version
  TestAccModelDeploymentWriteOnlyToken
  # provider configuration unknown at plan (a cluster made in the same apply)
  TestAccModelDeploymentUnknownProviderConfig
  # data sources kubefoundry_manifest, kubefoundry_model_deployment
  TestAccManifestDataSource
  TestAccDeploymentDataSourceReadsStatus
  # resource kubefoundry_runtime_install: install, upgrade, drift, import; write-only chart.password_wo
  # (planned); timeouts block over a state written with the old attribute
  TestAccRuntimeInstall_Lifecycle
  TestAccRuntimeInstall_Example
  TestAccRuntimeInstall_TimeoutsUpgrade
  # resource kubefoundry_gguf_image with write-only registry.password_wo
  TestAccGGUFImage
  # resource kubefoundry_gguf_build_infra
  TestAccBuildInfra
  # data sources kubefoundry_performance_estimate, kubefoundry_sizing
  TestAccPerformanceEstimateAggregatedAndDisaggregated
  TestAccSizingRanksConfigurationsWithCost
  # data source kubefoundry_deployment_metrics (through the API server's pods/proxy)
  TestAccDeploymentMetricsDynamoThroughAPIServerProxy
  # resource kubefoundry_deployment_request (plan; its operator-backed tests run under terraform)
  TestAccDeploymentRequestPlansOffline
)
pkgs=(
  ./internal/provider
  ./internal/provider/capacity
  ./internal/provider/functions
  ./internal/provider/catalog
  ./internal/provider/modeldeployment
  ./internal/provider/runtimeinstall
  ./internal/provider/ggufimage
  ./internal/provider/ggufimage/buildinfra
  ./internal/provider/sizing
  ./internal/provider/deploymentmetrics
  ./internal/provider/deploymentrequest
)
# A renamed test would silently drop out of the set: every name must exist.
files=()
for p in "${pkgs[@]}"; do files+=("$p"/*_test.go); done
for t in "${tests[@]}"; do
  grep -q "^func $t(t \*testing.T)" "${files[@]}" || { echo "testacc-tofu-set: no test $t in ${pkgs[*]}" >&2; exit 1; }
done
run="^($(IFS='|'; echo "${tests[*]}"))\$"

tofu=$(bash scripts/tofu-build.sh)
echo "testacc-tofu-set: $(TF_CLI_CONFIG_FILE=/dev/null "$tofu" version 2>/dev/null | head -n 1), ${#tests[@]} tests in ${#pkgs[@]} packages" >&2
export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tofu" TF_ACC_PROVIDER_HOST=registry.opentofu.org
# shellcheck disable=SC2086 # GO_TEST_FLAGS is a list of flags
exec go test ${GO_TEST_FLAGS:--timeout 60m -p 3 -vet=off} -count=1 -run "$run" "$@" "${pkgs[@]}"
