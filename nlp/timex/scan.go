package timex

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds of the scanner.
const (
	kWord  = iota // letters (and apostrophes inside: "o'clock")
	kNum          // digits, with inner "," or "." before more digits and glued letters ("1990s", "10th")
	kPunct        // any other single code point
)

// tok is one scanner token. Offsets are code points into the text; lo is
// the lower-cased text (shared with s when already lower case).
type tok struct {
	s, lo      string
	start, end int
	kind       uint8
	sent       int  // sentence number, for tense cues and time anchoring
	spaceAfter bool // whitespace follows (so "10-11" differs from "10 - 11")
}

// scan splits text into tokens. It is a single pass over the bytes that only
// allocates the token slice (and lower-case copies of capitalised words), so
// the finder can afford to run it over every body.
func scan(text string) []tok { return scanInto(make([]tok, 0, len(text)/5+1), text) }

// scanInto is scan appending to toks (a reused buffer).
func scanInto(toks []tok, text string) []tok {
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

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// lower is strings.ToLower that returns s itself when s has no upper case
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

func toLowerSlow(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = unicode.ToLower(r)
	}
	return string(rs)
}

// endsSentence says whether a full stop just before byte i ends a sentence:
// it needs white space after it and no lower-case word next ("3 p.m. on
// Tuesday" stays one sentence).
func endsSentence(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	if text[i] != ' ' && text[i] != '\n' && text[i] != '\t' {
		return false
	}
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	return i >= len(text) || !(text[i] >= 'a' && text[i] <= 'z')
}
