// Package clustertest holds the runtime tests that need a real kube-apiserver with the real
// CRDs (internal/testcluster): strict server-side dry-run applies of every generated
// manifest, and status mapping of statuses written through the status subresource.
package clustertest
