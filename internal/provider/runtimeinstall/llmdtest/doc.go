// Package llmdtest drives kubefoundry_runtime_install with runtime = "llmd" through terraform
// against a test cluster with the scheduler and kwok GPU nodes: the llm-d router v0.10.0
// standalone chart (packaged from the release archive in ../shared/operators as its release
// tooling publishes it) and the router's CRDs from a `path` source, then an llm-d model
// deployment on top of it. The router's pods run on kwok nodes (no picker or proxy process
// runs: kwok reports them Running and Ready).
package llmdtest
