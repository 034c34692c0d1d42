package helminstall

import (
	"context"
	"errors"
	"fmt"

	"helm.sh/helm/v3/pkg/storage/driver"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// Observed is the live state of an installation.
type Observed struct {
	// Releases holds the releases found, in chart order.
	Releases []ReleaseInfo
	// Missing names the releases that do not exist.
	Missing []string
	// OperatorRunning is true when a Running pod matches the operator selectors.
	OperatorRunning bool
	// Message is a one-line summary.
	Message string
}

// Deployed reports whether every release exists and is deployed.
func (o Observed) Deployed() bool {
	if len(o.Missing) > 0 {
		return false
	}
	for _, r := range o.Releases {
		if r.Status != "deployed" {
			return false
		}
	}
	return true
}

// Inspect reads the releases and the operator pod; it changes nothing.
func (in *Installer) Inspect(ctx context.Context, req Request) (Observed, error) {
	var o Observed
	for _, c := range req.Charts() {
		cfg, err := in.config(c.Namespace)
		if err != nil {
			return o, err
		}
		last, err := cfg.Releases.Last(c.Release)
		if errors.Is(err, driver.ErrReleaseNotFound) {
			o.Missing = append(o.Missing, c.Release)
			continue
		}
		if err != nil {
			return o, fmt.Errorf("reading Helm release %s/%s: %w", c.Namespace, c.Release, err)
		}
		o.Releases = append(o.Releases, infoOf(last))
	}
	spec := req.Runtime.Spec
	spec.OperatorNamespace = req.OperatorNamespace()
	st, err := runtimes.CheckInstallation(ctx, in.Kube.Typed, in.Kube.Dynamic, req.Runtime.DisplayName, spec)
	if err != nil {
		return o, err
	}
	o.OperatorRunning = st.OperatorRunning
	switch {
	case len(o.Missing) > 0:
		o.Message = fmt.Sprintf("%s is not installed: Helm release(s) %v not found", req.Runtime.DisplayName, o.Missing)
	case !o.Deployed():
		o.Message = fmt.Sprintf("%s Helm release(s) are not all deployed", req.Runtime.DisplayName)
	default:
		o.Message = st.Message
	}
	return o, nil
}
