package testcluster

import (
	"path/filepath"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// The Dynamo operator authenticates as its service account, as in a real install: its
// webhook lets only that principal (POD_SERVICE_ACCOUNT / POD_NAMESPACE, cmd/main.go
// registerWebhookHandlers) change the replicas of a component that has a scaling adapter,
// which is how the adapter controller applies an HPA's decision
// (internal/webhook/common.go CanModifyDGDReplicas @ 1.4.0). A static token stands in for
// the mounted service-account token; the user is in system:masters (the chart's
// ClusterRole grants the operator cluster-wide access anyway).
const (
	dynamoOperatorSA    = "dynamo-operator-controller-manager"
	dynamoOperatorToken = "kubefoundry-test-dynamo-operator-token"
)

// dynamoOperatorUser is the service-account user name the token authenticates as.
func dynamoOperatorUser() string {
	return "system:serviceaccount:" + DynamoSystemNamespace + ":" + dynamoOperatorSA
}

// dynamoOperatorTokenLine is the operator's line of the API server's static token file.
func dynamoOperatorTokenLine() string {
	return dynamoOperatorToken + "," + dynamoOperatorUser() + ",dynamo-operator-uid,\"system:masters,system:serviceaccounts\"\n"
}

// writeDynamoOperatorKubeconfig writes the kubeconfig the operator runs with.
func (c *Cluster) writeDynamoOperatorKubeconfig(dir string) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kubefoundry-test"] = &clientcmdapi.Cluster{Server: c.Host, CertificateAuthorityData: c.CAData}
	cfg.AuthInfos["dynamo-operator"] = &clientcmdapi.AuthInfo{Token: dynamoOperatorToken}
	cfg.Contexts["kubefoundry-test"] = &clientcmdapi.Context{Cluster: "kubefoundry-test", AuthInfo: "dynamo-operator"}
	cfg.CurrentContext = "kubefoundry-test"
	path := filepath.Join(dir, "kubeconfig")
	return path, clientcmd.WriteToFile(*cfg, path)
}
