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

func TestRunGapIsTheLowerCaseTest(t *testing.T) {
	words := []string{"'s", "'S", "’s", "’S", "former", "Former", "FORMER", "formers", "forme", "s", "'", "’", "’x", "'x",
		"fOrMeR", "f0rmer", "ſ", "'ſ", "’ſ", "former\u212a", "", "the", "\u2019s"}
	for c := 0; c < 256; c++ {
		words = append(words, string([]byte{'\'', byte(c)}), "’"+string([]byte{byte(c)}), "forme"+string([]byte{byte(c)}))
	}
	for _, w := range words {
		low := strings.ToLower(w)
		if want := low == "'s" || low == "’s" || low == "former"; runGap(w) != want {
			t.Errorf("runGap(%q) = %v, want %v", w, runGap(w), want)
		}
	}
}

func TestOfficeNameIsTheFieldsReading(t *testing.T) {
	ref := func(canonical string) bool {
		f := strings.Fields(canonical)
		for len(f) > 1 {
			switch strings.ToLower(f[0]) {
			case "us", "u.s.", "american", "united", "states":
				f = f[1:]
				continue
			}
			break
		}
		if len(f) == 0 {
			return false
		}
		first := strings.ToLower(f[0])
		return roles[first] || first == "vice" && len(f) > 1 && roles[strings.ToLower(f[1])]
	}
	names := []string{"", " ", "President of the United States", "Us Secretary of State", "US", "United States",
		"United States President", "Vice President", "vice", "Vice", "US Vice President Pence", "American Red Cross",
		"U.S. States Department", "  us   secretary ", "Secretary", "SECRETARY of STATE", "Ünited States", "Vice Minister"}
	for r := range roles {
		names = append(names, r, "US "+r, "Vice "+r, "United States "+r+" x", strings.ToUpper(r))
	}
	for _, n := range names {
		if got, want := officeName(n), ref(n); got != want {
			t.Errorf("officeName(%q) = %v, want %v", n, got, want)
		}
	}
}
