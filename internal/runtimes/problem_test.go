package runtimes

import "testing"

func TestProblems(t *testing.T) {
	var ps Problems
	if ps.Err() != nil {
		t.Fatal("no problems must be a nil error")
	}
	ps.Add("replicas", "must be between %d and %d, got %d", 1, 10, 0)
	ps.AddKey("engine_args", "max-model-len", "set context_length instead")
	want := "replicas: must be between 1 and 10, got 0\nengine_args[\"max-model-len\"]: set context_length instead"
	if err := ps.Err(); err == nil || err.Error() != want {
		t.Errorf("Err() = %v, want %q", err, want)
	}
	if !ps.Has("engine_args") || ps.Has("gpus") {
		t.Error("Has reports the wrong paths")
	}
}
