package ggufimage

import (
	"strings"
	"testing"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

func TestKubePodAddress(t *testing.T) {
	dial := kubePodDialer(&providerdata.Data{})
	for addr, wantErr := range map[string]string{
		"kube-pod://buildkitd-0?namespace=kubefoundry-system": "",
		"kube-pod://buildkitd-0":                              "",
		"kube-pod://Bad_Pod?namespace=x":                      "invalid pod or namespace",
		"kube-pod://buildkitd-0?namespace=UPPER":              "invalid pod or namespace",
		"kube-pod://buildkitd-0?context=prod":                 "context parameter is not supported",
	} {
		d, err := dial(addr)
		switch {
		case wantErr == "" && (err != nil || d == nil):
			t.Errorf("%s: %v", addr, err)
		case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
			t.Errorf("%s: want error %q, got %v", addr, wantErr, err)
		}
	}
}
