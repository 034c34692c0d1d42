// Package operatorstest runs kubefoundry_model_deployment acceptance tests (the real
// terraform CLI through terraform-plugin-testing) against the real Dynamo 1.4, KubeRay 1.7.0
// and KAITO 0.12 operators, the real kube-scheduler and kwok-simulated GPU nodes
// (internal/testcluster with AllOperators). It has only tests.
//
// What is real: the operators reconcile our objects, create their Deployments,
// StatefulSets, RayClusters and Services, the scheduler binds the pods to kwok nodes and the
// operators write the status we report. What is simulated: kwok marks pods Running and Ready
// without running a container, so no engine, Ray dashboard or model server exists. A
// RayService therefore never becomes Ready here, and an engine crash or OOM cannot happen;
// those states are covered with the named stand-in operator in the modeldeployment package.
//
// GPU-using tests run one after another (Dynamo and KubeRay pods carry no node selector, so
// parallel tests would take each other's GPUs); plan-time and fail-fast tests run in parallel.
package operatorstest
