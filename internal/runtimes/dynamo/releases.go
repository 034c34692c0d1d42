package dynamo

// operatorRelease is one Dynamo operator release the default (v1beta1) renderer targets, and
// how what we know about it was established.
type operatorRelease struct {
	Versions []string
	// Verified: the operator of this release reconciles our objects in the tests
	// (internal/testcluster, built from source). Otherwise the facts below come only from
	// the release notes and deprecation ledgers: no 1.5+ source is reachable here.
	Verified bool
	// Changes that touch what we render, and what the renderer does about each.
	Changes []string
}

// operatorReleases lists 1.4 through 1.7 (1.5.0 Sep, 1.6.0 Oct, 1.6.2 Nov 5, 1.7.0 Nov 23
// 2026). The renderer emits one object that is right on all of them; the tests in
// releases_test.go check each rule on every rendered case.
var operatorReleases = []operatorRelease{
	{Versions: []string{"1.4.0"}, Verified: true, Changes: []string{
		// deploy/operator/internal/webhook/validation/shared_v1beta1.go @ 1.4.0 (e147ceea)
		"admission refuses a component whose main image tag is not a semantic version unless runtimeVersionOverride is set: " +
			"we set it to the pinned release (setRuntimeVersion)",
		"v1beta1 is the storage version; v1alpha1 is served (deprecated) and converted by the operator's webhook",
		"spec.backendFramework and the component topology are immutable: engine and mode changes replace the graph",
	}},
	// What the 1.5-1.7 notes say, without naming for each fact the release that brought it.
	{Versions: []string{"1.5.0", "1.6.0", "1.6.2", "1.7.0"}, Changes: []string{
		"runtimeVersionOverride is still required for a main image tag that is not a semantic version: unchanged rule",
		"DYN_ROUTER_USE_KV_EVENTS replaces DYN_USE_KV_EVENTS: we render neither (the router's default is used on every " +
			"release; KV events come from the worker flags we render)",
		"a component's componentType (v1beta1 type) is immutable: component names fix their type, and the changes that " +
			"would rename a component (engine, mode) already replace the graph",
		"v1alpha1 admission removed, v1beta1 the storage version: v1beta1 is the default api_version",
	}},
}

// kvEventsEnv are the router's KV-events switch before and after 1.5 (release notes): the
// renderer sets neither, so no release reads a name it does not know.
var kvEventsEnv = []string{"DYN_USE_KV_EVENTS", "DYN_ROUTER_USE_KV_EVENTS"}
