package clean

import (
	"testing"
	"unicode/utf8"
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
