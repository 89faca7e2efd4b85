package main

import (
	"strings"
	"testing"
)

func TestCounterSkipsSentenceStarts(t *testing.T) {
	c := counter{}
	// "The", "He" and "Police" open sentences (a line's first word, after
	// a full stop, after a closing quote) and are not counted; punctuation
	// around a word is trimmed ("Paris." and `"Paris` are Paris).
	c.add(strings.Fields(`The minister said in Paris. He said "Paris is calm" Police said so in Paris`))
	c.add([]string{"In", "Paris", ",", "police", "said", "."})
	for w, want := range map[string]count{"paris": {4, 4}, "said": {4, 0}, "police": {1, 0}, "in": {2, 0}, "is": {1, 0}} {
		if got := c[w]; got == nil || *got != want {
			t.Errorf("%s: got %v, want %v", w, got, want)
		}
	}
	for _, w := range []string{"the", "he"} {
		if c[w] != nil {
			t.Errorf("%s opens a sentence but was counted: %v", w, *c[w])
		}
	}
}
