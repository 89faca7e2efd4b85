package coder

import (
	"reflect"
	"testing"
)

// Skipping the sentences silent names changes no event, in either mode.
func TestSilentSentencesYieldNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	c, arts, anns := corpusAnnotated(t, 300)
	plain := *c
	plain.Plain = true
	defer func() { codeSilent = false }()
	for _, cd := range []*Coder{c, &plain} {
		for i, a := range arts {
			codeSilent = true
			want := cd.Code(a, anns[i])
			codeSilent = false
			if got := cd.Code(a, anns[i]); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s (plain %v): events differ when silent sentences are skipped", a.ID, cd.Plain)
			}
		}
	}
}
