package timex

import (
	"unicode"
	"unicode/utf8"
	"unsafe"
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

// scanInto is scan appending to toks (a reused buffer). A capitalised
// ASCII word's lower-case copy is written into one buffer shared by the
// call's words (one allocation a text, not one a word).
func scanInto(toks []tok, text string) []tok {
	cp := 0 // code point offset of byte i
	sent := 0
	i := 0
	var lows []byte // lower-case copies; never overwritten, so strings may point into it
	lowASCII := func(s string) string {
		if cap(lows)-len(lows) < len(s) {
			lows = make([]byte, 0, max(len(text)/4, len(s), 64))
		}
		k := len(lows)
		for x := 0; x < len(s); x++ {
			c := s[x]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lows = append(lows, c)
		}
		return unsafe.String(&lows[k], len(s))
	}
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
			up := false
			for j < len(text) && (text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z') {
				up = up || text[j] <= 'Z'
				j++
				c++
			}
			s, lo := text[i:j], text[i:j]
			if up {
				lo = lowASCII(s)
			}
			toks = append(toks, tok{s: s, lo: lo, start: cp, end: c, kind: kNum, sent: sent})
			i, cp = j, c
		case unicode.IsLetter(r):
			j, c := i, cp
			up, wide := false, false
			for j < len(text) {
				if q := text[j]; q < utf8.RuneSelf {
					if 'a' <= q && q <= 'z' {
						j++
						c++
						continue
					}
					if 'A' <= q && q <= 'Z' {
						up = true
						j++
						c++
						continue
					}
					// An apostrophe between letters stays inside the word.
					if q == '\'' && j+1 < len(text) && isASCIILetter(text[j+1]) && j > i {
						j++
						c++
						continue
					}
					break
				}
				q, m := utf8.DecodeRuneInString(text[j:])
				if unicode.IsLetter(q) || unicode.IsMark(q) {
					wide = true
					j += m
					c++
					continue
				}
				if q == '’' && j+m < len(text) && isASCIILetter(text[j+m]) && j > i {
					wide = true
					j += m
					c++
					continue
				}
				break
			}
			s, lo := text[i:j], text[i:j]
			switch {
			case wide:
				lo = toLowerSlow(s)
			case up:
				lo = lowASCII(s)
			}
			toks = append(toks, tok{s: s, lo: lo, start: cp, end: c, kind: kWord, sent: sent})
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
