package runtimes

import "k8s.io/apimachinery/pkg/runtime/schema"

// CRD identifies the custom resource a runtime manages.
type CRD struct {
	Group   string
	Version string
	Kind    string
	Plural  string
}

// GVK is the group/version/kind of the custom resource.
func (c CRD) GVK() schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: c.Group, Version: c.Version, Kind: c.Kind}
}

// GVR is the group/version/resource used with the dynamic client.
func (c CRD) GVR() schema.GroupVersionResource {
	return schema.GroupVersionResource{Group: c.Group, Version: c.Version, Resource: c.Plural}
}

// APIVersion is "<group>/<version>".
func (c CRD) APIVersion() string { return c.Group + "/" + c.Version }

// Name is the CustomResourceDefinition's name, "<plural>.<group>".
func (c CRD) Name() string { return c.Plural + "." + c.Group }
