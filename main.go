// Command terraform-provider-kubefoundry serves the KubeFoundry Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/kubefoundry/terraform-provider-kubefoundry/pkg/kubefoundry"
)

// version is set by the release build (goreleaser ldflags).
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	quietSDKLogs()

	err := providerserver.Serve(context.Background(), kubefoundry.New(version), providerserver.ServeOpts{
		Address: kubefoundry.RegistryAddress,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietSDKLogs turns the plugin SDKs' loggers off when Terraform will discard what they
// write: with neither TF_LOG nor TF_LOG_PROVIDER set, Terraform drops a provider's log
// output, yet the SDKs still format every trace line as JSON (about a sixth of the
// provider's CPU in a plan of 50 resources). Any explicit setting wins.
func quietSDKLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, env := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if os.Getenv(env) == "" {
			_ = os.Setenv(env, "off")
		}
	}
}
