package annotate

import (
	"strings"
	"testing"
)

// TestIsCapitalizedASCII holds isCapitalized to the test it replaced, which
// upper-cased the first byte alone.
func TestIsCapitalizedASCII(t *testing.T) {
	old := func(s string) bool {
		if s == "" {
			return false
		}
		c := s[0]
		return c >= 'A' && c <= 'Z' || c >= 0x80 && strings.ToUpper(s[:1]) == s[:1]
	}
	words := []string{"", "Ünited", "Éric", "élan", "“Quote", "Ωmega", "İstanbul", "Σ", "ǅ", "Moon", "moon", "X"}
	for c := 0; c < 256; c++ {
		words = append(words, string([]byte{byte(c)}), string([]byte{byte(c)})+"ab")
	}
	for r := rune(0x80); r < 0x3000; r++ {
		words = append(words, string(r)+"x")
	}
	for _, w := range words {
		if got, want := isCapitalized(w), old(w); got != want {
			t.Errorf("isCapitalized(%q) = %v, the old test %v", w, got, want)
		}
	}
}
