package clean

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"clean ASCII is returned as is", "China and South Korea", "China and South Korea"},
		{"runs of spaces and tabs collapse to one space", "China \t and   Korea", "China and Korea"},
		{"the ends are trimmed", "  \n China\r\n ", "China"},
		{"non-breaking and other Unicode spaces become spaces", "Moon\u00a0Jae-in\u2009said\u3000so", "Moon Jae-in said so"},
		{"line and paragraph separators become spaces", "one\u2028two\u2029three", "one two three"},
		{"zero-width spaces and a BOM are removed", "\ufeffTHA\u200bAD", "THAAD"},
		{"soft hyphens are removed", "Kyung\u00adwha", "Kyungwha"},
		{"control characters are removed", "a\x00b\x07c\u0085d", "abc d"},
		{"invalid UTF-8 bytes are dropped", "Seoul\xff\xfe", "Seoul"},
		{"decomposed letters are composed (NFC)", "Sa\u0303o Paulo", "São Paulo"},
		{"a mark separated from its letter by junk composes", "e\u200b\u0301", "é"},
		{"curly quotes and dashes are kept", "“expeditiously” — ‘normal’", "“expeditiously” — ‘normal’"},
		{"zero-width joiners in emoji are kept", "👩\u200d💻", "👩\u200d💻"},
		{"zero-width non-joiners in Persian are kept", "می\u200cخواهم", "می\u200cخواهم"},
		{"right-to-left marks are kept", "\u200fالعربية", "\u200fالعربية"},
		{"bidi embeddings and isolates are removed", "\u202bשלום\u202c \u2066x\u2069", "שלום x"},
		{"an all-junk text is empty", "\u200b\u00ad \ufeff", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			if got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Text(got); again != got {
				t.Errorf("Text is not idempotent: %q then %q", got, again)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Text(%q) is not valid UTF-8", tt.in)
			}
		})
	}
}

func TestSplitParagraphsDropsEmptyLinesWhateverTheLineBreak(t *testing.T) {
	got := splitParagraphs("one\r\n\r\ntwo\rthree\u2029 \n\t\nfour\u0085five")
	want := []string{"one", "two", "three", "four", "five"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("paragraph %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestIsSpaceCoversZs holds isSpace to its first definition, Unicode white
// space or a space separator, over every code point.
func TestIsSpaceCoversZs(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if want := unicode.IsSpace(r) || unicode.Is(unicode.Zs, r); isSpace(r) != want {
			t.Fatalf("isSpace(%U) = %v, want %v", r, !want, want)
		}
	}
}

// textRef is Text as first written: every rune through the decoder, the
// result always built. Text must agree with it.
func textRef(s string) string {
	if isCleanASCII(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		case isJunk(r):
		default:
			b.WriteRune(r)
		}
	}
	return collapseSpaces(norm.NFC.String(b.String()))
}

func TestTextAgreesWithReference(t *testing.T) {
	cases := []string{"", " ", "a\tb", "x\x7fy", "caf\u00e9", "cafe\u0301 ok", "\u00a0a\u00a0", "a\u200bb", "a\u2028b",
		"\xff\xfeab", "\u201cquoted\u201d text", "e\u200b\u0301", "tab\tand  two", "\x85x", "a\u3000b\u2003c", "end "}
	for _, s := range cases {
		if got, want := Text(s), textRef(s); got != want {
			t.Errorf("Text(%q) = %q, want %q", s, got, want)
		}
	}
	// Random strings over a small alphabet of the interesting bytes.
	alpha := []string{"a", " ", "\t", "\n", "\x01", "\x7f", "\u00a0", "\u0301", "\u00e9", "\u200b", "\u2003", "\u201c", "\xff", "\xc3", "\u0085", "e"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200000; n++ {
		var b strings.Builder
		for k := rng.IntN(12); k >= 0; k-- {
			b.WriteString(alpha[rng.IntN(len(alpha))])
		}
		s := b.String()
		if got, want := Text(s), textRef(s); got != want {
			t.Fatalf("Text(%q) = %q, want %q", s, got, want)
		}
	}
}

// isCleanASCIIRef is isCleanASCII as first written, byte by byte.
func isCleanASCIIRef(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || (c == ' ' && s[i+1] == ' ') {
			return false
		}
	}
	return true
}

func TestIsCleanASCIIAgreesWithReference(t *testing.T) {
	// Every byte at every position of strings up to 24 bytes long over a
	// clean background, and two spaces at every pair of positions.
	for n := 1; n <= 24; n++ {
		base := []byte(strings.Repeat("ab", n)[:n])
		for p := 0; p < n; p++ {
			for c := 0; c < 256; c++ {
				b := append([]byte(nil), base...)
				b[p] = byte(c)
				if s := string(b); isCleanASCII(s) != isCleanASCIIRef(s) {
					t.Fatalf("isCleanASCII(%q) = %v", s, !isCleanASCIIRef(s))
				}
			}
			for q := 0; q < n; q++ {
				b := append([]byte(nil), base...)
				b[p], b[q] = ' ', ' '
				if s := string(b); isCleanASCII(s) != isCleanASCIIRef(s) {
					t.Fatalf("isCleanASCII(%q) = %v", s, !isCleanASCIIRef(s))
				}
			}
		}
	}
}

func FuzzIsCleanASCII(f *testing.F) {
	for _, s := range []string{"China and Korea", "a  b", "abcdefg  hijk", "abcdefgh ijklmno", "x\x7f", "tab\there"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isCleanASCII(s) != isCleanASCIIRef(s) {
			t.Errorf("isCleanASCII(%q) = %v", s, !isCleanASCIIRef(s))
		}
	})
}

// TestNFCInertRunes checks what Text relies on to skip NFC: each rune
// nfcInert names is a starter with no decomposition that combines with
// nothing before or after it, and among ASCII it stays as it is.
func TestNFCInertRunes(t *testing.T) {
	n := 0
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if !nfcInert(r) {
			continue
		}
		n++
		p := norm.NFC.PropertiesString(string(r))
		if p.CCC() != 0 || !p.BoundaryBefore() || !p.BoundaryAfter() || len(p.Decomposition()) != 0 {
			t.Errorf("%U: ccc %d, boundary before %v after %v, decomposition %q", r, p.CCC(), p.BoundaryBefore(), p.BoundaryAfter(), p.Decomposition())
		}
		for _, s := range []string{"a" + string(r) + "b", string(r) + "\u0301", "e" + string(r) + "\u0301", string(r) + string(r)} {
			if got := norm.NFC.String(s); got != s {
				t.Errorf("NFC(%q) = %q", s, got)
			}
		}
	}
	if n != 9 {
		t.Errorf("%d runes are inert, want the 9 listed", n)
	}
}

// FuzzTextSkipsNFCOnlyWhenItChangesNothing holds Text to normalizing with
// NFC every time.
func FuzzTextSkipsNFCOnlyWhenItChangesNothing(f *testing.F) {
	for _, s := range []string{"“Quoted” — it’s…", "e\u0301 “x”", "“\u0301", "café “x”", "a\u00a0b ’ \u200b", "\xff’", "‘A’ – © • \u0308"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if !norm.NFC.IsNormalString(got) {
			t.Errorf("Text(%q) = %q, not NFC", s, got)
		}
		if again := collapseSpaces(norm.NFC.String(got)); again != got {
			t.Errorf("Text(%q) = %q, NFC makes it %q", s, got, again)
		}
	})
}

// FuzzPlainASCII8 holds the eight-byte test Text skips with to a test of
// each byte.
func FuzzPlainASCII8(f *testing.F) {
	for _, s := range []string{"abcdefgh", "abc defg", "abc\x7fdefg", "abc\x1fdefg", "abcdefg\x80", "\x20\x20\x20\x20\x20\x20\x20\x7e", "’abcdefg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) < 8 {
			return
		}
		want := true
		for i := 0; i < 8; i++ {
			want = want && s[i] >= 0x20 && s[i] < 0x7f
		}
		if got := plainASCII8(s, 0); got != want {
			t.Errorf("plainASCII8(%q) = %v, want %v", s[:8], got, want)
		}
	})
}
