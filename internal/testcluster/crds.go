package testcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// ReadCRDs parses every *.yaml file directly in dir (not subdirectories) as a CRD.
func ReadCRDs(dir string) ([]*apiextensionsv1.CustomResourceDefinition, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []*apiextensionsv1.CustomResourceDefinition
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(raw, crd); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", f, err)
		}
		if crd.Kind != "CustomResourceDefinition" {
			continue
		}
		out = append(out, crd)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no CRDs found in %s", dir)
	}
	return out, nil
}

// InstallCRDs creates the CRDs found in dir and waits until each is Established.
func InstallCRDs(ctx context.Context, cfg *rest.Config, dir string) error {
	crds, err := ReadCRDs(dir)
	if err != nil {
		return err
	}
	cs, err := apiextensions.NewForConfig(cfg)
	if err != nil {
		return err
	}
	for _, crd := range crds {
		if err := CreateCRD(ctx, cs, crd); err != nil {
			return err
		}
	}
	return nil
}

// CreateCRD creates one CRD (an existing one is left as is) and waits until it is Established.
func CreateCRD(ctx context.Context, cs apiextensions.Interface, crd *apiextensionsv1.CustomResourceDefinition) error {
	crd = crd.DeepCopy()
	crd.ResourceVersion = ""
	if _, err := cs.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, crd, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating CRD %s: %w", crd.Name, err)
	}
	// Generous: on a loaded two-core machine the API server can take minutes to establish the
	// hundred-odd CRDs an operator-backed cluster installs.
	return waitEstablished(ctx, cs, crd.Name, 100*time.Millisecond, 3*time.Minute)
}

// waitEstablished polls CRD name every interval until it is Established, up to timeout.
func waitEstablished(ctx context.Context, cs apiextensions.Interface, name string, interval, timeout time.Duration) error {
	err := wait.PollUntilContextTimeout(ctx, interval, timeout, true, func(ctx context.Context) (bool, error) {
		got, err := cs.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil //nolint:nilerr // poll again until the timeout
		}
		for _, c := range got.Status.Conditions {
			if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("CRD %s not Established: %w", name, err)
	}
	return nil
}

// CRDByName reads one CRD file of dir by its metadata.name, e.g. "workspaces.kaito.sh".
func CRDByName(dir, name string) (*apiextensionsv1.CustomResourceDefinition, error) {
	crds, err := ReadCRDs(dir)
	if err != nil {
		return nil, err
	}
	for _, c := range crds {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("CRD %s not in %s", name, dir)
}

// CRDSet selects the runtime releases whose CRDs a test cluster gets.
type CRDSet string

const (
	// CurrentCRDs are the current releases (Dynamo 1.4.0, KAITO 0.12.0, KubeRay 1.7.0): the
	// folders CurrentCRDFolders under CRDDir.
	CurrentCRDs CRDSet = "current"
	// PreviousCRDs are the previous pins (Dynamo 0.7-era v1alpha1, KAITO 0.8.0, KubeRay
	// 1.5.1): the files directly in CRDDir.
	PreviousCRDs CRDSet = "previous"
)

// CurrentCRDFolders are the per-release folders of the current CRD set.
var CurrentCRDFolders = []string{"dynamo-1.4.0", "kaito-0.12.0", "kuberay-1.7.0"}

// DefaultCRDSet is CurrentCRDs unless $KUBEFOUNDRY_CRD_SET=previous asks for the previous
// releases (for a whole test binary, e.g. to run the v1alpha1 Dynamo suite).
func DefaultCRDSet() CRDSet {
	if CRDSet(os.Getenv("KUBEFOUNDRY_CRD_SET")) == PreviousCRDs {
		return PreviousCRDs
	}
	return CurrentCRDs
}

// CRDDirs lists the directories holding a CRD set.
func CRDDirs(set CRDSet) ([]string, error) {
	root, err := CRDDir()
	if err != nil {
		return nil, err
	}
	if set == PreviousCRDs {
		return []string{root}, nil
	}
	out := make([]string, 0, len(CurrentCRDFolders))
	for _, f := range CurrentCRDFolders {
		out = append(out, filepath.Join(root, f))
	}
	return out, nil
}

// InstallCRDSet installs every CRD of a set and waits until each is Established. One API
// server holds one CRD per group/kind, so a cluster gets exactly one set.
func InstallCRDSet(ctx context.Context, cfg *rest.Config, set CRDSet) error {
	dirs, err := CRDDirs(set)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if err := InstallCRDs(ctx, cfg, d); err != nil {
			return err
		}
	}
	return nil
}

// FindCRD reads one CRD of a set by name, e.g. "workspaces.kaito.sh".
func FindCRD(set CRDSet, name string) (*apiextensionsv1.CustomResourceDefinition, error) {
	dirs, err := CRDDirs(set)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if crd, err := CRDByName(d, name); err == nil {
			return crd, nil
		}
	}
	return nil, fmt.Errorf("CRD %s not in the %s CRD set (%v)", name, set, dirs)
}
