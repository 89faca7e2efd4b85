package timex

import (
	"bufio"
	"encoding/json"
	"math/rand"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente/internal/shareddata"
)

// scanInto is scan appending to toks (a reused buffer).
func scanIntoOld(toks []tok, text string) []tok {
	cp := 0 // code point offset of byte i
	sent := 0
	i := 0
	for i < len(text) {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r == '\n' || r == '\r':
			if len(toks) > 0 {
				toks[len(toks)-1].spaceAfter = true
				if r == '\n' {
					sent++
				}
			}
			i += n
			cp++
		case unicode.IsSpace(r) || r == '\u200b' || r == '\u200d' || r == '\u200c' || r == '\ufeff':
			if len(toks) > 0 {
				toks[len(toks)-1].spaceAfter = true
			}
			i += n
			cp++
		case r >= '0' && r <= '9':
			j, c := i, cp
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
				c++
			}
			// "2,000" and "2.5" stay one number; "2017." does not.
			for j+1 < len(text) && (text[j] == ',' || text[j] == '.') && text[j+1] >= '0' && text[j+1] <= '9' {
				j++
				c++
				for j < len(text) && text[j] >= '0' && text[j] <= '9' {
					j++
					c++
				}
			}
			for j < len(text) && (text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z') {
				j++
				c++
			}
			s := text[i:j]
			toks = append(toks, tok{s: s, lo: lower(s), start: cp, end: c, kind: kNum, sent: sent})
			i, cp = j, c
		case unicode.IsLetter(r):
			j, c := i, cp
			for j < len(text) {
				q, m := rune(text[j]), 1
				if q >= utf8.RuneSelf {
					q, m = utf8.DecodeRuneInString(text[j:])
				}
				if unicode.IsLetter(q) || unicode.IsMark(q) {
					j += m
					c++
					continue
				}
				// An apostrophe between letters stays inside the word.
				if (q == '\'' || q == '’') && j+m < len(text) && isASCIILetter(text[j+m]) && j > i {
					j += m
					c++
					continue
				}
				break
			}
			s := text[i:j]
			toks = append(toks, tok{s: s, lo: lower(s), start: cp, end: c, kind: kWord, sent: sent})
			i, cp = j, c
		default:
			s := text[i : i+n]
			toks = append(toks, tok{s: s, lo: s, start: cp, end: cp + 1, kind: kPunct, sent: sent})
			i += n
			cp++
			// A full stop, question or exclamation mark followed by space
			// ends a sentence; abbreviations like "p.m." glue to the next
			// letter so they do not.
			if (r == '.' || r == '!' || r == '?') && endsSentence(text, i) {
				sent++
			}
		}
	}
	return toks
}

// lower (the old scanner's) is strings.ToLower that returns s itself when s has no upper case
// ASCII and no non-ASCII bytes (the common case), avoiding an allocation.
func lower(s string) string {
	up := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return toLowerSlow(s)
		}
		if c >= 'A' && c <= 'Z' {
			up = true
		}
	}
	if !up {
		return s
	}
	var b strings.Builder // one allocation, where a byte slice and its string took two
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

func corpusBodies(t testing.TB, n int) []string {
	fh, err := os.Open(shareddata.Require(t, "corpora", "allsides-intl-5720.jsonl"))
	if err != nil {
		t.Skip(err)
	}
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() && len(out) < n {
		var a article
		if json.Unmarshal(sc.Bytes(), &a) == nil {
			out = append(out, a.Body)
		}
	}
	return out
}

func TestScanMatchesOld(t *testing.T) {
	texts := corpusBodies(t, 6000)
	rng := rand.New(rand.NewSource(1))
	alpha := []string{"a", "B", "z", "Z", "'", "’", "é", "É", "\u0301", " ", "\n", ".", "1", "0", ",", "ß", "İ", "\xff", "o'", "Q", "-", "\u200b"}
	for n := 0; n < 50000; n++ {
		var s []byte
		for k := rng.Intn(30); k > 0; k-- {
			s = append(s, alpha[rng.Intn(len(alpha))]...)
		}
		texts = append(texts, string(s))
	}
	for _, x := range texts {
		a, b := scanIntoOld(nil, x), scanInto(nil, x)
		if len(a) != len(b) {
			t.Fatalf("%q: %d tokens, want %d", x, len(b), len(a))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%q: token %d %+v, want %+v", x, i, b[i], a[i])
			}
		}
	}
}

func BenchmarkScanInto(b *testing.B) {
	texts := corpusBodies(b, 200)
	buf := make([]tok, 0, 1<<16)
	for _, v := range []struct {
		name string
		scan func([]tok, string) []tok
	}{{"old", scanIntoOld}, {"new", scanInto}} {
		b.Run(v.name, func(b *testing.B) {
			for b.Loop() {
				for _, x := range texts {
					buf = v.scan(buf[:0], x)
				}
			}
		})
	}
}
