package helminstall

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/kube"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/runtimes"
)

// CreatedByAnnotation marks namespaces the installer created, so only those are deleted
// on uninstall. It lives on the namespace so it survives state loss and import.
const CreatedByAnnotation = "kubefoundry.io/created-by"

const createdByValue = "runtime-install"

// DefaultTimeout bounds Helm operations when the context has no deadline.
const DefaultTimeout = 10 * time.Minute

// Installer runs Helm actions against one cluster.
type Installer struct {
	Kube *kube.Client
	// Log receives Helm's debug output; nil discards it.
	Log func(format string, args ...any)
}

// Result is what an install or upgrade did.
type Result struct {
	Releases []ReleaseInfo
	// CRDs are the CRDs applied before the charts, sorted.
	CRDs []string
	// Warnings say what was recovered or skipped.
	Warnings []string
}

// ReleaseInfo describes one Helm release.
type ReleaseInfo struct {
	Name      string
	Namespace string
	Chart     string
	Version   string
	Revision  int
	Status    string
	// Config is the user-supplied values of the release (what we passed).
	Config map[string]any
}

func infoOf(r *release.Release) ReleaseInfo {
	ri := ReleaseInfo{Name: r.Name, Namespace: r.Namespace, Revision: r.Version, Config: normalize(r.Config)}
	if r.Info != nil {
		ri.Status = r.Info.Status.String()
	}
	if r.Chart != nil && r.Chart.Metadata != nil {
		ri.Chart, ri.Version = r.Chart.Metadata.Name, r.Chart.Metadata.Version
	}
	return ri
}

// Apply installs or upgrades every chart of the runtime in order, after applying its CRDs.
// Releases left failed or pending by an interrupted run are recovered, with a warning.
func (in *Installer) Apply(ctx context.Context, req Request) (Result, error) {
	var res Result
	plan := req.Charts()
	workDir, err := os.MkdirTemp("", "kubefoundry-helm-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(workDir)
	f, err := newFetcher(workDir, req.Source, len(plan))
	if err != nil {
		return res, err
	}
	// Fetch everything first: a missing chart must fail before the cluster is touched.
	charts := make([]*chart.Chart, len(plan))
	for i, c := range plan {
		if charts[i], err = f.load(c); err != nil {
			return res, err
		}
	}
	crds, warnings, err := collectCRDs(ctx, req.Runtime.Spec, plan, charts, req.Source.IsSet(), LocalCRDDir(req.Source))
	if err != nil {
		return res, err
	}
	res.Warnings = append(res.Warnings, warnings...)
	res.CRDs, warnings, err = applyCRDs(ctx, in.Kube, crds)
	res.Warnings = append(res.Warnings, warnings...)
	if err != nil {
		return res, err
	}
	for i, c := range plan {
		if c.CreateNamespace {
			if err := in.ensureNamespace(ctx, c.Namespace); err != nil {
				return res, err
			}
		}
		rel, warns, err := in.deploy(ctx, req, c, charts[i])
		res.Warnings = append(res.Warnings, warns...)
		if rel != nil {
			res.Releases = append(res.Releases, infoOf(rel))
		}
		if err == nil && rel != nil {
			err = in.noteSource(ctx, infoOf(rel), req.Source)
		}
		if err != nil {
			// Helm's error already says whether atomic uninstalled or rolled back.
			return res, fmt.Errorf("release %s (chart %s %s) in namespace %s: %w", c.Release, charts[i].Name(), c.Version, c.Namespace, err)
		}
	}
	return res, nil
}

// deploy installs or upgrades one release, first recovering one that an earlier run left
// failed or pending (Helm refuses those with "cannot re-use a name" or "another operation
// is in progress").
func (in *Installer) deploy(ctx context.Context, req Request, c runtimes.Chart, ch *chart.Chart) (*release.Release, []string, error) {
	cfg, err := in.config(c.Namespace)
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	last, err := cfg.Releases.Last(c.Release)
	switch {
	case errors.Is(err, driver.ErrReleaseNotFound):
		rel, err := in.install(ctx, cfg, req, c, ch, false)
		return rel, nil, err
	case err != nil:
		return nil, nil, fmt.Errorf("reading release history: %w", err)
	}
	switch st := last.Info.Status; {
	case st == release.StatusUninstalled:
		rel, err := in.install(ctx, cfg, req, c, ch, true)
		return rel, nil, err
	case st.IsPending():
		// Only a crashed client leaves a pending release; nobody else is working on it.
		last.SetStatus(release.StatusFailed, fmt.Sprintf("marked failed by kubefoundry: left %s by an interrupted operation", st))
		if err := cfg.Releases.Update(last); err != nil {
			return nil, nil, fmt.Errorf("recovering release stuck in %s: %w", st, err)
		}
		warnings = append(warnings, fmt.Sprintf("Helm release %s/%s was stuck in %s at revision %d (an earlier operation was interrupted); it was marked failed and upgraded to chart %s %s.", c.Namespace, c.Release, st, last.Version, ch.Name(), c.Version))
	case st == release.StatusFailed:
		warnings = append(warnings, fmt.Sprintf("Helm release %s/%s was left failed at revision %d by an earlier operation; it was upgraded to chart %s %s.", c.Namespace, c.Release, last.Version, ch.Name(), c.Version))
	}
	rel, err := in.upgrade(ctx, cfg, req, c, ch)
	return rel, warnings, err
}

func (in *Installer) install(ctx context.Context, cfg *action.Configuration, req Request, c runtimes.Chart, ch *chart.Chart, replace bool) (*release.Release, error) {
	act := action.NewInstall(cfg)
	act.ReleaseName = c.Release
	act.Namespace = c.Namespace
	act.Version = c.Version
	act.Replace = replace
	act.SkipCRDs = true // applied by applyCRDs, which also upgrades them
	act.PostRenderer = crdStripper{}
	act.Wait = req.Wait
	act.Atomic = req.Atomic
	act.Timeout = timeout(ctx)
	rel, err := act.RunWithContext(ctx, ch, c.Values)
	if err != nil && rel == nil {
		// A failed non-atomic install still leaves a release; report it.
		rel, _ = cfg.Releases.Last(c.Release)
	}
	return rel, err
}

func (in *Installer) upgrade(ctx context.Context, cfg *action.Configuration, req Request, c runtimes.Chart, ch *chart.Chart) (*release.Release, error) {
	act := action.NewUpgrade(cfg)
	act.Namespace = c.Namespace
	act.Version = c.Version
	act.SkipCRDs = true
	act.PostRenderer = crdStripper{}
	act.Wait = req.Wait
	act.Atomic = req.Atomic
	act.Timeout = timeout(ctx)
	act.ResetValues = true // the values we pass are the whole truth; never reuse old ones
	act.MaxHistory = 10
	rel, err := act.RunWithContext(ctx, c.Release, ch, c.Values)
	if err != nil {
		if last, lerr := cfg.Releases.Last(c.Release); lerr == nil {
			rel = last
		}
	}
	return rel, err
}

func (in *Installer) config(namespace string) (*action.Configuration, error) {
	getter, err := newRESTGetter(in.Kube.REST, namespace)
	if err != nil {
		return nil, err
	}
	cfg := new(action.Configuration)
	logf := in.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if err := cfg.Init(getter, namespace, "secret", action.DebugLog(logf)); err != nil {
		return nil, fmt.Errorf("initializing Helm for namespace %s: %w", namespace, err)
	}
	return cfg, nil
}

func (in *Installer) ensureNamespace(ctx context.Context, name string) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name:        name,
		Annotations: map[string]string{CreatedByAnnotation: createdByValue},
		Labels:      map[string]string{"app.kubernetes.io/managed-by": "kubefoundry"},
	}}
	_, err := in.Kube.Typed.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating namespace %s: %w", name, err)
	}
	return nil
}

// timeout is most of the time left before the context's deadline, which Helm uses for
// its waits; the rest is kept for an atomic rollback.
func timeout(ctx context.Context) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		if left := time.Until(d) * 4 / 5; left > time.Second {
			return left
		}
		return time.Second
	}
	return DefaultTimeout
}

// ActionConfig returns a Helm action configuration for the namespace (tests, tooling).
func (in *Installer) ActionConfig(namespace string) (*action.Configuration, error) {
	return in.config(namespace)
}
