package coder

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/nlp"
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

// TestVerbClauseBoundaries holds findVerbs's clause bounds, found once per
// boundary-free run, to the scan out from each hit (h.lo from h.start,
// h.hi from h.end), on sentences with boundaries inside and on AllSides.
func TestVerbClauseBoundaries(t *testing.T) {
	check := func(c *Coder, body string, ents []detente.Entity) int {
		text := nlp.Segment(body)
		n := 0
		for si, span := range text.Sentences {
			s := prepare(si, span, text.Tokens[si], ents, nil, c.lex, false, nil)
			c.findVerbs(s)
			for _, h := range s.verbs {
				lo, hi := h.start, h.end
				for lo > 0 && !boundary(s.low[lo-1]) {
					lo--
				}
				for hi < len(s.low) && !boundary(s.low[hi]) {
					hi++
				}
				if h.lo != lo || h.hi != hi {
					t.Fatalf("%q: hit %q [%d,%d) clause [%d,%d), want [%d,%d)", body[span.Start:span.End], s.low[h.head], h.start, h.end, h.lo, h.hi, lo, hi)
				}
				n++
			}
		}
		return n
	}
	_, c := builtin(t)
	for _, body := range []string{
		"China said: Russia attacked Ukraine; Japan will provide aid, and France condemned the attack.",
		"Iran warned; Israel struck; Syria protested: Turkey mediated, Egypt hosted talks.",
		"They met. They agreed! They signed? They left.",
		benchBody,
	} {
		check(c, body, nil)
	}
	c, arts, anns := corpusAnnotated(t, 300)
	n := 0
	for k, a := range arts {
		n += check(c, a.Body, anns[k].Entities)
	}
	t.Logf("%d verb hits", n)
}
