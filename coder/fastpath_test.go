package coder

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente"
)

// titleCaseRef is titleCase without its ASCII shortcut.
func titleCaseRef(s *sentence) bool {
	words, caps := 0, 0
	for _, t := range s.toks {
		if t.Text == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.Text)
		if !unicode.IsLetter(r) {
			continue
		}
		words++
		if unicode.IsUpper(r) {
			caps++
		}
	}
	return words > 0 && 2*caps > words
}

// TestTitleCaseASCII holds titleCase's ASCII shortcut to the rune path
// for tokens starting with every byte, alone and in mixed sentences.
func TestTitleCaseASCII(t *testing.T) {
	var words []string
	for b := 0; b < 256; b++ {
		words = append(words, string([]byte{byte(b)})+"x", string([]byte{byte(b)}))
	}
	words = append(words, "", "Éa", "éa", "Ωx", "ωx", "\xff", "1st", "(", "Zed", "zed")
	check := func(toks []detente.Token) {
		s := &sentence{toks: toks}
		if got, want := titleCase(s), titleCaseRef(s); got != want {
			t.Fatalf("titleCase(%v) = %v, want %v", toks, got, want)
		}
	}
	for _, w := range words {
		check([]detente.Token{{Text: w}})
	}
	for i := range words {
		for j := range words {
			check([]detente.Token{{Text: words[i]}, {Text: words[j]}, {Text: "A"}})
			check([]detente.Token{{Text: words[i]}, {Text: words[j]}, {Text: "a"}})
		}
	}
}

// TestBoundary checks boundary against the five sentence-internal
// boundaries it names.
func TestBoundary(t *testing.T) {
	want := map[string]bool{";": true, ":": true, ".": true, "?": true, "!": true}
	var ws []string
	for b := 0; b < 256; b++ {
		ws = append(ws, string([]byte{byte(b)}), string([]byte{byte(b), '.'}), string([]byte{'.', byte(b)}))
	}
	ws = append(ws, "", "...", "?!")
	for _, w := range ws {
		if boundary(w) != want[w] {
			t.Errorf("boundary(%q) = %v", w, boundary(w))
		}
	}
}

// TestAnaphorStartFlag: the lexicon marks exactly the anaphors' first
// words, so prepare's scan skips only words no anaphor starts with.
func TestAnaphorStartFlag(t *testing.T) {
	_, c := builtin(t)
	for _, lx := range []*lexicon{baseLexicon(), c.lex} {
		checkAnaphorStarts(t, lx)
	}
}

func checkAnaphorStarts(t *testing.T, lx *lexicon) {
	starts := map[string]bool{}
	for _, a := range anaphors {
		starts[a[0]] = true
		if lx.find(a[0]).flags&fAnaphorStart == 0 {
			t.Errorf("%q not marked", a[0])
		}
	}
	for _, a := range anaphors {
		for _, w := range a[1:] {
			if !starts[w] && lx.find(w).flags&fAnaphorStart != 0 {
				t.Errorf("%q marked", w)
			}
		}
	}
	for _, w := range []string{"two", "countries", "they", "then", "bot", "them", ""} {
		if lx.find(w).flags&fAnaphorStart != 0 {
			t.Errorf("%q marked", w)
		}
	}
}
