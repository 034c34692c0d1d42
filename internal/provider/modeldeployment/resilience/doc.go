// Package resilience holds the acceptance tests of kubefoundry_model_deployment under API
// faults (through internal/testcluster/faultproxy), API server restarts and interrupted
// applies. They restart the shared control plane, so they live in their own test binary.
package resilience
