package nlp

import (
	"testing"
	"unicode/utf8"
)

func FuzzSegment(f *testing.F) {
	for _, s := range []string{
		"", "U.S. troops. \"We go,\" he said.\n\nNext.", "Kang Kyung-wha's 1,550 (MD) “x”",
		"\u200f\u200dعربي\u200e. עברית!", "\xff\xfe bad \xc3", "a.b.c. ... …", "\"\n\"\n\"", "n't 's '",
		"Terminal High Altitude Area Defense (THAAD) THAAD (Terminal High)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		tx := Segment(body)
		n := utf8.RuneCountInString(body)
		prev := 0
		for i, s := range tx.Sentences {
			if s.Start < prev || s.End <= s.Start || s.End > n {
				t.Fatalf("sentence %d %+v out of order or range (prev end %d, %d runes)", i, s, prev, n)
			}
			toks := tx.Tokens[i]
			if len(toks) == 0 || toks[0].Start != s.Start || toks[len(toks)-1].End != s.End {
				t.Fatalf("sentence %d %+v is not covered by its tokens", i, s)
			}
			for _, k := range toks {
				if k.Start < prev || k.End <= k.Start || k.End > s.End || k.Text == "" {
					t.Fatalf("token %+v out of order in sentence %+v", k, s)
				}
				if utf8.RuneCountInString(k.Text) != k.End-k.Start {
					t.Fatalf("token %q has %d runes but spans %d", k.Text, utf8.RuneCountInString(k.Text), k.End-k.Start)
				}
				prev = k.End
			}
		}
		for _, d := range tx.Acronyms() {
			if tx.Span(d.ShortSpan) != d.Short || tx.Span(d.LongSpan) != d.Long {
				t.Fatalf("acronym spans do not read their text: %+v", d)
			}
		}
		for _, q := range tx.Quotes() {
			if q.Span.Start < 0 || q.Span.End > n || q.Span.End < q.Span.Start || tx.Span(q.Span) != q.Text {
				t.Fatalf("quote span does not read its text: %+v", q)
			}
		}
	})
}
