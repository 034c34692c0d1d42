package llmd

import "github.com/kubefoundry/terraform-provider-kubefoundry/internal/gateway"

// baselineEPPConfig is the optimized baseline's scheduler: the llm-d router chart's default
// plugins (queue depth, KV-cache utilisation and prefix-cache scoring; routerlib
// templates/_config.yaml @ v0.10.0), which the optimized-baseline guide deploys unchanged.
const baselineEPPConfig = gateway.DefaultEPPConfig

// pdEPPConfig is the P/D scheduler of llm-d-router v0.10.0 deploy/config/pd-epp-config.yaml:
// the disagg profile handler runs the "decode" profile, and the "prefill" profile too when the
// prefix-based decider finds more than nonCachedTokens uncached prompt tokens on the chosen
// decode pod; prefill-filter and decode-filter select pods by the llm-d.ai/role label
// (pkg/epp/framework/plugins/scheduling/filter/bylabel/roles.go). The metrics data source and
// extractor of the chart's defaults feed the queue scorer from the engines' /metrics.
const pdEPPConfig = `apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: approx-prefix-cache-producer
  parameters:
    maxPrefixTokensToMatch: 16384
    lruCapacityPerServer: 31250
- type: prefix-cache-scorer
- type: queue-scorer
- type: prefill-filter
- type: decode-filter
- type: max-score-picker
- type: disagg-profile-handler
  parameters:
    deciders:
      prefill: prefix-based-pd-decider
- type: prefix-based-pd-decider
  parameters:
    nonCachedTokens: 16
- type: metrics-data-source
  parameters:
    scheme: "http"
    path: "/metrics"
    insecureSkipVerify: true
- type: core-metrics-extractor
schedulingProfiles:
- name: prefill
  plugins:
  - pluginRef: prefill-filter
  - pluginRef: max-score-picker
  - pluginRef: prefix-cache-scorer
    weight: 2
  - pluginRef: queue-scorer
    weight: 1
- name: decode
  plugins:
  - pluginRef: decode-filter
  - pluginRef: max-score-picker
  - pluginRef: prefix-cache-scorer
    weight: 2
  - pluginRef: queue-scorer
    weight: 1
`
