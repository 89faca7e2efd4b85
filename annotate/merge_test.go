package annotate

import (
	"slices"
	"strings"
	"testing"

	"github.com/detente/detente/nlp/ner"
)

func TestTaggerSpansAreCheckedAgainstTheLexicon(t *testing.T) {
	country := func(code string) Entry {
		return Entry{Kind: KindCountry, Actor: code, Country: code, Prefix: code}
	}
	cases := []struct {
		name  string
		words string
		lex   map[[2]int]Entry
		span  ner.Span
		want  []string // kept mentions, in order
	}{
		{"a tagged name swallows the one country inside it",
			"the Bank of Ruritania said", map[[2]int]Entry{{3, 4}: country("RUR")},
			ner.Span{Start: 1, End: 4, Type: ner.TypeOrg}, []string{"Bank of Ruritania"}},
		{"two names joined by lower-case words stay two names",
			"warned Ruritania of the Duke of Ostrava", map[[2]int]Entry{{1, 2}: country("RUR"), {4, 7}: country("OST")},
			ner.Span{Start: 1, End: 7, Type: ner.TypeOrg}, []string{"Ruritania", "Duke of Ostrava"}},
		{"a tagged span never ends in a function word",
			"the people of Ostrava of the north", map[[2]int]Entry{},
			ner.Span{Start: 3, End: 5, Type: ner.TypeOrg}, []string{"Ostrava"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := strings.Fields(tc.words)
			d := &document{words: [][]string{w}}
			var ms []*mention
			for k, e := range tc.lex {
				ms = append(ms, &mention{start: k[0], end: k[1], entry: e, source: "kb"})
			}
			var got []string
			for _, m := range d.mergeModel(0, ms, []ner.Span{tc.span}) {
				if !m.dropped {
					got = append(got, strings.Join(w[m.start:m.end], " "))
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
