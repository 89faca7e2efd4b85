package coder

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestLexicon: every word put in is found with its own info, short and
// long (over 16 bytes) alike, and words left out, including ones sharing
// a prefix or bytes with those put in, are not.
func TestLexicon(t *testing.T) {
	words := map[string]wordInfo{}
	for i, w := range []string{"a", "the", "attack", "attacked", "sixteen-letters!", "seventeen-letters", "a-very-long-hyphenated-word", "n't", "’s"} {
		words[w] = wordInfo{id: int32(i + 1), flags: wordFlags(1 << i)}
	}
	// A word of every length up to 16, so every way packWord loads bytes
	// is tried, and below the same words with one byte changed.
	for n := 1; n <= 16; n++ {
		words["ABCDEFGHIJKLMNOP"[:n]] = wordInfo{id: int32(100 + n)}
	}
	l := newLexicon(words)
	for w, wi := range words {
		e := l.find(w)
		if e.id != wi.id || e.flags != wi.flags || l.infos[e.info].id != wi.id {
			t.Errorf("find(%q) = id %d flags %b, want %d %b", w, e.id, e.flags, wi.id, wi.flags)
		}
	}
	for n := 1; n <= 16; n++ {
		for i := 0; i < n; i++ {
			w := []byte("ABCDEFGHIJKLMNOP"[:n])
			w[i] = 'z'
			if e := l.find(string(w)); e.info != 0 {
				t.Errorf("find(%q) = %+v, want nothing", w, e)
			}
		}
	}
	for _, w := range []string{"", "an", "th", "attacks", "attac", "sixteen-letters?", "seventeen-letter", "a-very-long-hyphenated-wor", "a\x00"} {
		if e := l.find(w); e.info != 0 || e.id != 0 || e.flags != 0 {
			t.Errorf("find(%q) = %+v, want nothing", w, e)
		}
	}
}

// TestWordClasses: the lexicon's class bits say what the maps say.
func TestWordClasses(t *testing.T) {
	for f, m := range closedClasses() {
		for w, in := range m {
			if got := baseLexicon().find(w).flags&f != 0; got != in {
				t.Errorf("%q: class %b is %v, the map says %v", w, f, got, in)
			}
		}
	}
	if baseLexicon().find("'s").flags&(fAux|fBe) != 0 {
		t.Error(`"'s" is false in auxWords and beForms, so no class of either`)
	}
}

func TestJoinedPrefix(t *testing.T) {
	for _, tc := range []struct {
		ws            []string
		p             string
		prefix, exact bool
	}{
		{[]string{"months", "ago"}, "months ago", true, true},
		{[]string{"months", "agony"}, "months ago", true, false},
		{[]string{"month", "ago"}, "months ago", false, false},
		{[]string{"months"}, "months ago", false, false},
		{[]string{"in", "1988"}, "in 19", true, false},
		{[]string{"a", "b"}, "a  b", false, false},
	} {
		joined := strings.Join(tc.ws, " ")
		prefix, exact := joinedPrefix(tc.ws, tc.p)
		if prefix != tc.prefix || exact != tc.exact || prefix != strings.HasPrefix(joined, tc.p) || exact != (prefix && joined == tc.p) {
			t.Errorf("joinedPrefix(%q, %q) = %v %v, want %v %v", tc.ws, tc.p, prefix, exact, tc.prefix, tc.exact)
		}
	}
}

// TestLowerText: lowerText is strings.ToLower, on ASCII, other scripts,
// runes whose lower case is longer or shorter (İ, Ⱥ), and invalid bytes.
func TestLowerText(t *testing.T) {
	for _, s := range []string{"", "abc", "ABC def", "Déjà Vu “Quoted” — ÉCOLE", "İstanbul", "ȺȾ and ⱥ", "ΣΊΣΥΦΟΣ",
		"bad \xff byte", "\xe2\x80", "ok \uFFFD kept", "MiXeD \xc3\x28 UTF-8", "ǅ Ǆ ǆ"} {
		checkLower(t, s)
	}
	// Every ASCII byte at every offset of the eight-byte blocks, alone and
	// before a multi-byte rune.
	var all []byte
	for c := 0; c < 128; c++ {
		all = append(all, byte(c))
	}
	for k := 0; k < 8; k++ {
		s := strings.Repeat("x", k) + string(all) + "@AZ[`az{" + "ÉCOLE" + string(all)
		checkLower(t, s)
		checkLower(t, strings.ToLower(s))
	}
}

// checkLower compares lowerText(s) with strings.ToLower and with
// lowerAligns, which checks alignment after the fact.
func checkLower(t *testing.T, s string) {
	got, ascii, aligned := lowerText(s)
	want := strings.ToLower(s)
	wantASCII, wantAligned := lowerAligns(s, want)
	if got != want || aligned != wantAligned || aligned && ascii != wantASCII {
		t.Errorf("lowerText(%q) = %q %v %v, want %q %v %v", s, got, ascii, aligned, want, wantASCII, wantAligned)
	}
}

func FuzzLowerText(f *testing.F) {
	for _, s := range []string{"Hello World", "Ünïcödé “x”", "\xff\xfe", "İ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkLower(t, s)
	})
}

// lowerAligns is the reference for lowerText's flags: it says whether low, the lower-case form of body, has every
// rune's bytes where body has them, and whether body is all ASCII.
func lowerAligns(body, low string) (ascii, ok bool) {
	if len(low) != len(body) {
		return false, false
	}
	ascii = true
	for i := 0; i < len(body); {
		if body[i] < utf8.RuneSelf {
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRuneInString(body[i:])
		if r == utf8.RuneError && size == 1 || utf8.RuneLen(unicode.ToLower(r)) != size {
			return false, false
		}
		i += size
	}
	return ascii, true
}
