// Package nlp is detente's text layer: it splits an article's body into
// sentences and tokens, finds acronym definitions and direct quotations
// with their speakers. Everything it returns is measured in Unicode code
// points into the body (detente.Span, detente.Token), the unit every
// annotation in detente uses.
//
// Segment does the one pass over the body that everything else builds on;
// Acronyms and Quotes work on its result, so the body is decoded once.
//
// Tokenization decisions, for the packages that read tokens:
//   - Words keep internal hyphens: "US-led", "Kyung-wha", "Asia-Pacific".
//   - Numbers keep their separators: "1,550", "3.5", "10:30", "10/11/2017";
//     a range of numbers joined by a hyphen or en dash is one token
//     ("10-11", "10–11"), which the time tagger splits itself.
//   - Clitics are split the Penn Treebank way: "China's" → "China" "'s",
//     "don't" → "do" "n't"; other apostrophes stay inside the word
//     ("O'Brien").
//   - Abbreviations keep their period: "U.S.", "a.m.", "Mr.", "Nov.", and an
//     initial "F." in "John F. Kennedy"; "No." keeps it before a number.
//   - Every other punctuation mark, every quote mark, is its own token;
//     a run of dots ("...") or dashes ("--") is one token.
package nlp

import (
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/detente/detente"
)

// Text is a body split into sentences and tokens.
type Text struct {
	// Body is the text the offsets point into.
	Body string
	// Sentences are the sentence spans, in order, not overlapping.
	Sentences []detente.Span
	// Tokens holds each sentence's tokens; Tokens[i] belongs to Sentences[i].
	// The slices share one backing array.
	Tokens [][]detente.Token

	flat  []detente.Token // all tokens in order
	info  []tokInfo       // parallel to flat
	first []int           // index in flat of each sentence's first token, plus len(flat)
}

// tokInfo is what the tokenizer knows about a token beyond its text. A
// token's byte offsets in Body need no room here: its text is a slice of
// Body (tokenByte).
type tokInfo struct {
	flags uint8 // fSpaceBefore, fParaBefore, fAbbrev…
}

const (
	fSpaceBefore uint8 = 1 << iota // whitespace separates it from the previous token
	fParaBefore                    // a line break separates it from the previous token
	fTitle                         // an abbreviation that precedes a name (Mr., Gen.): never ends a sentence
	fAbbrev                        // another abbreviation or an initial ending in a period
)

// Sentences splits a body into sentences. A line break always ends a sentence.
func Sentences(body string) []detente.Span {
	return Segment(body).Sentences
}

// Tokens splits the text of span s of body into tokens, with code-point
// offsets into body. It does not look at sentence boundaries.
func Tokens(body string, s detente.Span) []detente.Token {
	bs, be := byteRange(body, s)
	var tz tokenizer
	tz.run(body[bs:be], s.Start)
	return tz.flat
}

// byteRange converts a code-point span of body to byte offsets, clamped to
// the body.
func byteRange(body string, s detente.Span) (int, int) {
	bs, be := len(body), len(body)
	r := 0
	for i := range body {
		if r == s.Start {
			bs = i
		}
		if r == s.End {
			be = i
			break
		}
		r++
	}
	if s.Start <= 0 {
		bs = 0
	}
	if be < bs {
		be = bs
	}
	return bs, be
}

// Segment splits body into sentences and tokens in one pass.
func Segment(body string) *Text {
	var tz tokenizer
	tz.run(body, 0)
	t := &Text{Body: body, flat: tz.flat, info: tz.info}
	t.split()
	return t
}

// Span returns the text of a span whose ends are token boundaries, as a
// substring of Body (no copy). Other spans fall back to a scan of the body.
func (t *Text) Span(s detente.Span) string {
	if s.End <= s.Start {
		return ""
	}
	a, ok1 := t.tokenStarting(s.Start)
	b, ok2 := t.tokenEnding(s.End)
	if ok1 && ok2 {
		return t.Body[t.tokenByte(a):t.tokenEnd(b)]
	}
	bs, be := byteRange(t.Body, s)
	return t.Body[bs:be]
}

// TokenText returns the text of tokens [start, end) of sentence sent, as
// a substring of Body: what Span returns for their span, without looking
// the tokens up by offset.
func (t *Text) TokenText(sent, start, end int) string {
	if end <= start {
		return ""
	}
	base := t.first[sent]
	return t.Body[t.tokenByte(base+start):t.tokenEnd(base+end-1)]
}

// TokenByte returns the byte offset in Body at which token k of sentence
// sent starts (its Start counts code points).
func (t *Text) TokenByte(sent, k int) int { return t.tokenByte(t.first[sent] + k) }

// tokenByte is the byte offset in Body of token k. The tokenizer cut the
// token's text from Body, so the offset is where the text lies in memory;
// a text changed since (the tokens are exported) is found by its code
// point offset instead.
func (t *Text) tokenByte(k int) int {
	s := t.flat[k].Text
	off := int(uintptr(unsafe.Pointer(unsafe.StringData(s))) - uintptr(unsafe.Pointer(unsafe.StringData(t.Body))))
	if len(s) == 0 || off < 0 || off > len(t.Body)-len(s) {
		off, _ = byteRange(t.Body, detente.Span{Start: t.flat[k].Start, End: t.flat[k].Start})
	}
	return off
}

// tokenEnd is the byte offset in Body just after token k.
func (t *Text) tokenEnd(k int) int {
	s := t.flat[k].Text
	off := int(uintptr(unsafe.Pointer(unsafe.StringData(s))) - uintptr(unsafe.Pointer(unsafe.StringData(t.Body))))
	if len(s) == 0 || off < 0 || off > len(t.Body)-len(s) {
		_, end := byteRange(t.Body, detente.Span{Start: t.flat[k].End, End: t.flat[k].End})
		return end
	}
	return off + len(s)
}

// tokenStarting finds the token that starts at code point p.
func (t *Text) tokenStarting(p int) (int, bool) {
	lo, hi := 0, len(t.flat)
	for lo < hi {
		m := (lo + hi) / 2
		if t.flat[m].Start < p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(t.flat) && t.flat[lo].Start == p
}

// tokenEnding finds the token that ends at code point p.
func (t *Text) tokenEnding(p int) (int, bool) {
	lo, hi := 0, len(t.flat)
	for lo < hi {
		m := (lo + hi) / 2
		if t.flat[m].End < p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(t.flat) && t.flat[lo].End == p
}

// tokenizer turns text into tokens; base is the code-point offset of the
// text's first rune in the body.
type tokenizer struct {
	flat []detente.Token
	info []tokInfo
}

func (tz *tokenizer) run(s string, base int) {
	n := len(s)
	est := n/5 + 4
	tz.flat = make([]detente.Token, 0, est)
	tz.info = make([]tokInfo, 0, est)
	i, r := 0, base
	var pend uint8 // flags for the next token
	for i < n {
		c := s[i]
		var ru rune
		size := 1
		if c < utf8.RuneSelf {
			ru = rune(c)
		} else {
			ru, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case ru == '\n' || ru == '\r' || ru == 0x2028 || ru == 0x2029 || ru == 0x85:
			pend |= fSpaceBefore | fParaBefore
			i += size
			r++
			continue
		case isSpace(ru):
			pend |= fSpaceBefore
			i += size
			r++
			continue
		case ru >= 0x80 && unicode.Is(unicode.Cf, ru):
			// RTL marks, zero-width joiners, BOM outside a word: invisible, no token
			i += size
			r++
			continue
		}
		var j, rj int
		var fl uint8
		if len(tz.flat) > 0 && pend&fSpaceBefore == 0 {
			if k := clitic(s, i); k > 0 && tz.info[len(tz.info)-1].flags&(fTitle|fAbbrev) == 0 && isWordRune(lastRune(s[:i])) {
				j, rj = i+k, r+utf8.RuneCountInString(s[i:i+k])
				tz.emit(s, i, j, r, rj, pend)
				i, r, pend = j, rj, 0
				continue
			}
		}
		if isWordRune(ru) {
			j, rj, fl = scanWord(s, i, r)
		} else {
			j, rj = scanPunct(s, i, r, ru, size)
		}
		tz.emit(s, i, j, r, rj, pend|fl)
		i, r, pend = j, rj, 0
	}
}

func (tz *tokenizer) emit(s string, i, j, r, rj int, fl uint8) {
	tz.flat = append(tz.flat, detente.Token{Text: s[i:j], Start: r, End: rj})
	tz.info = append(tz.info, tokInfo{flags: fl})
}

// lastRune is the last rune of s.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || r == '\t' || r == '\v' || r == '\f'
	}
	return unicode.IsSpace(r)
}

// isWordRune reports whether r can be part of a word: letters, digits and
// combining marks.
func isWordRune(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// asciiWord marks the ASCII bytes that are word runes, except n and N.
var asciiWord = func() (t [256]bool) {
	for c := 0; c < 0x80; c++ {
		t[c] = isWordRune(rune(c)) && c != 'n' && c != 'N'
	}
	return t
}()

func isLetter(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isUpper(r rune) bool {
	if r < 0x80 {
		return r >= 'A' && r <= 'Z'
	}
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

func isLower(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z'
	}
	return unicode.IsLower(r)
}

// runeAt decodes the rune at byte i of s (utf8.RuneError, 0 at the end).
func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return -1, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// clitic returns the byte length of a clitic ('s 'll 're 've 'd 'm n't, with
// a straight or curly apostrophe) at s[i:], or 0. A clitic must end the word.
func clitic(s string, i int) int {
	j := i
	neg := false
	if j < len(s) && (s[j] == 'n' || s[j] == 'N') {
		neg = true
		j++
	}
	r, sz := runeAt(s, j)
	if r != '\'' && r != '’' {
		return 0
	}
	j += sz
	k := j
	for k < len(s) && k-j < 3 && isASCIILetter(s[k]) {
		k++
	}
	if k == j {
		return 0
	}
	if nr, _ := runeAt(s, k); nr >= 0 && isWordRune(nr) {
		return 0
	}
	w := s[j:k]
	if neg {
		if w == "t" || w == "T" {
			return k - i
		}
		return 0
	}
	switch w {
	case "s", "S", "ll", "LL", "re", "RE", "ve", "VE", "d", "D", "m", "M":
		return k - i
	}
	return 0
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// scanWord reads a word, number or abbreviation starting at byte i (rune r).
// It returns the end (bytes, runes) and flags for abbreviations.
func scanWord(s string, i, r int) (int, int, uint8) {
	j, rj := i, r
	seg := 0        // letters since the last internal period
	dotted := false // saw letter.letter (U.S, a.m, J.R.R)
	var prev rune = -1
	n := len(s)
	for j < n {
		// ASCII letters and digits other than n/N (which may open "n't")
		// take the short road.
		if asciiWord[s[j]] {
			// The run of them, then its count and last byte.
			k := j + 1
			for k < n && asciiWord[s[k]] {
				k++
			}
			rj += k - j
			seg += k - j
			prev = rune(s[k-1])
			j = k
			continue
		}
		ru, sz := runeAt(s, j)
		if isWordRune(ru) {
			if (ru == 'n' || ru == 'N') && j > i && clitic(s, j) > 0 {
				break // "do|n't"
			}
			j += sz
			rj++
			seg++
			prev = ru
			continue
		}
		next, _ := runeAt(s, j+sz)
		switch {
		case ru == 0x200C || ru == 0x200D || ru == 0xAD: // ZWNJ, ZWJ, soft hyphen inside a word
			if next >= 0 && isWordRune(next) {
				j += sz
				rj++
				continue
			}
		case ru == '.':
			if isDigit(prev) && isDigit(next) {
				j, rj = j+1, rj+1
				continue
			}
			if isLetter(prev) && isLetter(next) && (seg == 1 || isLower(prev) && isLower(next)) {
				j, rj = j+1, rj+1
				dotted = true
				seg = 0
				continue
			}
			if dotted && seg <= 2 {
				return j + 1, rj + 1, fAbbrev
			}
			if fl := abbrevPeriod(s, i, j); fl != 0 {
				return j + 1, rj + 1, fl
			}
		case ru == ',':
			if isDigit(prev) && isDigit(next) && threeDigits(s, j+1) {
				j, rj = j+1, rj+1
				continue
			}
		case ru == ':' || ru == '/':
			if isDigit(prev) && isDigit(next) {
				j, rj = j+1, rj+1
				continue
			}
		case ru == '-' || ru == 0x2010 || ru == 0x2011:
			if next >= 0 && isWordRune(next) {
				j, rj = j+sz, rj+1
				seg = 0
				continue
			}
		case ru == 0x2013: // en dash: only number ranges
			if isDigit(prev) && isDigit(next) {
				j, rj = j+sz, rj+1
				continue
			}
		case ru == '\'' || ru == '’':
			if isLetter(prev) && next >= 0 && isLetter(next) && clitic(s, j) == 0 {
				j, rj = j+sz, rj+1
				seg = 0
				continue
			}
		}
		break
	}
	return j, rj, 0
}

// threeDigits reports whether s[k:] is exactly three digits then a non-digit
// (the thousands group of "1,550").
func threeDigits(s string, k int) bool {
	if k+3 > len(s) {
		return false
	}
	for m := k; m < k+3; m++ {
		if !isDigit(rune(s[m])) {
			return false
		}
	}
	return k+3 == len(s) || !isDigit(rune(s[k+3]))
}

// abbrevPeriod decides whether the period after word s[i:j] belongs to it.
func abbrevPeriod(s string, i, j int) uint8 {
	w := s[i:j]
	if len(w) == 1 && isUpper(rune(w[0])) {
		return fAbbrev // an initial: "John F. Kennedy"
	}
	if len(w) > 8 {
		return 0
	}
	switch abbrevs[w] {
	case abTitle:
		return fTitle
	case abOther:
		return fAbbrev
	case abNumber:
		// "No. 10": only before a number
		k := j + 1
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k > j+1 && k < len(s) && isDigit(rune(s[k])) {
			return fTitle
		}
	}
	return 0
}

// scanPunct reads a punctuation token: one rune, or a run of dots or dashes.
func scanPunct(s string, i, r int, ru rune, size int) (int, int) {
	j, rj := i+size, r+1
	if ru == '.' || ru == '-' {
		for j < len(s) && rune(s[j]) == ru {
			j++
			rj++
		}
	}
	return j, rj
}
