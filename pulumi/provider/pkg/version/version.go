// Package version holds the bridged provider's version, set at link time by scripts/pulumi-gen.sh
// and the tests (-X .../pulumi/provider/pkg/version.Version=...).
package version

// Version is the provider version the plugin reports to Pulumi; "0.0.1-dev" when not set at link time.
var Version = "0.0.1-dev"
