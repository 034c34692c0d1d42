package engineflags

import "testing"

// A window table's flag whose kind changed between the window's commits is "any"
// (tools/engineflags/gen.py merge_flags): present, so not unknown, but its value and
// whether it takes one are not checked.
func TestAnyKindFlagIsKnownButUnchecked(t *testing.T) {
	tab := &Table{Engine: "vllm", Version: "w", Flags: []Flag{{Name: "shifty", Kind: Any}, {Name: "n", Kind: Int}}}
	tab.byName = map[string]Flag{"shifty": tab.Flags[0], "n": tab.Flags[1]}
	p := Parser{Name: "window", Tables: []*Table{tab}, Complete: true}
	for _, v := range []string{"true", "3", "x"} {
		if got := p.Check("shifty", v); got != "" {
			t.Errorf("Check(shifty, %q) = %q, want accepted", v, got)
		}
	}
	if got := p.Check("n", "x"); got == "" {
		t.Error("an int flag took a word")
	}
	if got := p.Check("shifti", "1"); got == "" {
		t.Error("an unknown flag passed a complete parser")
	}
}
