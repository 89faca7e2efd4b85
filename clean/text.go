package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text normalizes one text (a title, a name, a paragraph): invisible junk is
// removed, every kind of whitespace becomes a single ASCII space, the ends are
// trimmed and the result is in Unicode NFC. It is idempotent.
//
// Removed, because they carry no meaning in stored text and break matching
// and offsets: invalid UTF-8 bytes, control characters (C0 and C1), zero-width
// space U+200B, BOM/zero-width no-break space U+FEFF, word joiner U+2060 and
// the invisible math operators U+2061–U+2064, soft hyphen U+00AD, object
// replacement U+FFFC, interlinear annotation U+FFF9–U+FFFB, and the stateful
// bidi embeddings/overrides/isolates U+202A–U+202E and U+2066–U+2069 (our
// paragraph splitting and snippets would leave them unbalanced, leaking
// direction into whatever text surrounds them).
//
// Kept, because they change how a word is read: curly quotes, dashes and
// every other visible character; zero-width joiner U+200D (emoji sequences,
// Indic conjuncts) and non-joiner U+200C (Persian, Indic); the stateless
// direction marks LRM U+200E, RLM U+200F and ALM U+061C, which RTL news text
// needs to show numbers and punctuation the right way round; variation
// selectors and tag characters (emoji presentation, subdivision flags).
//
// Junk is removed before NFC so that a mark it separated from its base
// composes now rather than on a second call.
func Text(s string) string {
	if isCleanASCII(s) {
		return s
	}
	// Up to the first byte that changes, s is copied as it is; when none
	// does, s goes to NFC (which returns it when it is NFC) unbuilt.
	// inert: every rune kept so far is ASCII or one NFC leaves as it is
	// whatever stands around it (nfcInert); then the text is NFC already
	// and norm need not look its runes up in its tables.
	i, inert := 0, true
	for i < len(s) {
		for i+8 <= len(s) && plainASCII8(s, i) {
			i += 8 // what the byte loop below would step over one by one
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				break // a space to write as ' ', or junk
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || isSpace(r) || isJunk(r) {
			break
		}
		inert = inert && nfcInert(r)
		i += size
	}
	t := s
	if i < len(s) {
		var b strings.Builder
		b.Grow(len(s))
		b.WriteString(s[:i])
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				i++
				switch {
				case c == ' ' || c >= '\t' && c <= '\r':
					b.WriteByte(' ')
				case c < 0x20 || c == 0x7f:
					// junk
				default:
					b.WriteByte(c)
				}
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch {
			case r == utf8.RuneError && size == 1:
				// invalid byte: dropped
			case isSpace(r):
				b.WriteByte(' ')
			case isJunk(r):
			default:
				inert = inert && nfcInert(r)
				b.WriteRune(r)
			}
		}
		t = b.String()
	}
	if !inert {
		t = norm.NFC.String(t)
	}
	return collapseSpaces(t)
}

// nfcInert reports the runes outside ASCII that news text uses most (curly
// quotes, dashes, the ellipsis, the bullet and ©: 98% of those in AllSides
// bodies) when, like ASCII, NFC neither decomposes them nor composes them
// with a rune on either side (TestNFCInertRunes).
func nfcInert(r rune) bool {
	switch r {
	case 0x2019, 0x201c, 0x201d, 0x2014, 0x2013, 0x2026, 0x2018, 0x2022, 0xa9:
		return true
	}
	return false
}

// hiBits are the top bits of eight bytes.
const hiBits = 0x8080808080808080

// plainASCII8 reports whether the eight bytes of s from i are all ASCII
// from 0x20 to 0x7e, the bytes Text's first loop steps over: no top bit,
// no byte below 0x20 (exact once no top bit is set), no 0x7f.
func plainASCII8(s string, i int) bool {
	w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
	return w&hiBits == 0 && (w-0x2020202020202020)&^w&hiBits == 0 && (w+0x0101010101010101)&hiBits == 0
}

// isCleanASCII reports whether s is printable ASCII with single inner spaces
// and no space at either end: then Text has nothing to do (the common case).
func isCleanASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	// Eight bytes at a time: none may have its top bit set, be below
	// 0x20 or be 0x7f, and no two spaces may stand together (within the
	// eight, or across from the last byte of the eight before).
	i := 0
	prevSpace := uint64(0)
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if w&hiBits != 0 || (w-0x2020202020202020)&^w&hiBits != 0 || (w+0x0101010101010101)&hiBits != 0 {
			return false // a top bit, a byte below 0x20 (exact once no top bit is set), or 0x7f
		}
		x := w ^ 0x2020202020202020 // spaces are the zero bytes of x
		sp := ^((x&0x7f7f7f7f7f7f7f7f + 0x7f7f7f7f7f7f7f7f) | x | 0x7f7f7f7f7f7f7f7f)
		if sp&(sp>>8) != 0 || prevSpace&sp != 0 {
			return false
		}
		prevSpace = sp >> 56 // the last byte's mark, moved to the first's
	}
	if i > 0 {
		i-- // the last byte of the last eight is checked again with the next
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || (c == ' ' && s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// isSpace reports whether r separates words: Unicode white space, the
// paragraph/line separators and the ASCII control whitespace. Every space
// separator (Zs) is White_Space, so unicode.IsSpace covers them all
// (TestIsSpaceCoversZs).
func isSpace(r rune) bool {
	return unicode.IsSpace(r)
}

// isJunk reports whether r is invisible junk that Text removes.
func isJunk(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true // controls (whitespace controls were handled before)
	case r == 0xad, r == 0x200b, r == 0xfeff, r == 0xfffc:
		return true
	case r >= 0x2060 && r <= 0x2064:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}

// collapseSpaces turns runs of ASCII spaces into one and trims both ends.
func collapseSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if prev {
				continue
			}
			prev = true
		} else {
			prev = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// splitParagraphs splits a raw body into normalized, non-empty paragraphs.
// Any line break counts: "\n", "\r\n", "\r", NEL, U+2028 and U+2029.
func splitParagraphs(body string) []string {
	out := make([]string, 0, strings.Count(body, "\n")+1)
	start := 0
	emit := func(end int) {
		if p := Text(body[start:end]); p != "" {
			out = append(out, p)
		}
	}
	for i := 0; i < len(body); {
		c := body[i]
		if c == '\n' || c == '\r' {
			emit(i)
			i++
			start = i
			continue
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(body[i:])
		if r == 0x85 || r == 0x2028 || r == 0x2029 {
			emit(i)
			i += size
			start = i
			continue
		}
		i += size
	}
	emit(len(body))
	return out
}
