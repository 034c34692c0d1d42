package kserve

import (
	"crypto/md5" //nolint:gosec // the controller's naming scheme, not cryptography
	"fmt"
)

// childName is how the KServe controller names what it creates (knative.dev/pkg
// kmeta.ChildName, the version KServe v0.19.0's go.mod pins): "<parent><suffix>", or, past
// 63 characters, the parent cut and joined with the MD5 of the parent before the suffix.
// Only suffixes shorter than 31 characters are used here, so the whole-name hash branch of
// kmeta does not apply.
func childName(parent, suffix string) string {
	const longest, head = 63, 63 - 32
	if len(parent) <= longest-len(suffix) {
		return parent + suffix
	}
	return fmt.Sprintf("%s%x", parent[:head-len(suffix)], md5.Sum([]byte(parent))) + suffix //nolint:gosec
}
