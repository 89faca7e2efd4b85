package annotate

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// A word starts with a capital when its first letter is upper or title case
// in any script; lower case, punctuation, digits and broken UTF-8 do not.
func TestIsCapitalized(t *testing.T) {
	for w, want := range map[string]bool{
		"Moon": true, "X": true, "Éric": true, "Ángela": true, "Šefčovič": true, "İlham": true,
		"Öcalan": true, "Ωmega": true, "Володимир": true, "ǅemal": true,
		"": false, "moon": false, "élan": false, "ßtraße": false, "“Quote": false, "1999": false,
		"\xc3": false, "\xff\xfeAb": false, "'Abdullah": false,
	} {
		if got := isCapitalized(w); got != want {
			t.Errorf("isCapitalized(%q) = %v, want %v", w, got, want)
		}
	}
	// The ASCII fast path agrees with the unicode tables on every byte.
	for c := 0; c < utf8.RuneSelf; c++ {
		s := string(rune(c)) + "ab"
		if got, want := isCapitalized(s), unicode.IsUpper(rune(c)); got != want {
			t.Errorf("isCapitalized(%q) = %v, unicode.IsUpper %v", s, got, want)
		}
	}
}

func TestNextFieldIsFields(t *testing.T) {
	for _, s := range []string{"", " ", "Xi Jinping", "  Moon  Jae-in ", "a\tb\nc", "Émile\u00a0Zola", "x\u2003y\u3000", "Recep Tayyip Erdoğan"} {
		var got []string
		for f, k := nextField(s, 0); f != ""; f, k = nextField(s, k) {
			got = append(got, f)
		}
		if want := strings.Fields(s); !slices.Equal(got, want) {
			t.Errorf("fields of %q: %q, want %q", s, got, want)
		}
		if severalFields(s) != (len(strings.Fields(s)) > 1) {
			t.Errorf("severalFields(%q) = %v", s, severalFields(s))
		}
	}
}
