// Package operatorstest proves the parts testcluster runs for tests with real operators:
// the real kube-scheduler binding pods to kwok GPU nodes, kwok running them, and the Dynamo,
// KubeRay and KAITO operators reconciling hand-written objects. It has only tests.
package operatorstest
