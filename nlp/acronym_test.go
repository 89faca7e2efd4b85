package nlp

import (
	"reflect"
	"testing"
)

func TestAcronyms(t *testing.T) {
	tests := []struct {
		name string
		body string
		want [][2]string // short, long
	}{
		{"a capitalized long form before its acronym", "They deployed the Terminal High Altitude Area Defense (THAAD) system.",
			[][2]string{{"THAAD", "Terminal High Altitude Area Defense"}}},
		{"a lowercase long form whose initials match", "Seoul will not join the US-led missile defense (MD) networks.",
			[][2]string{{"MD", "missile defense"}}},
		{"a hyphenated long form", "A summit of Asia-Pacific Economic Cooperation (APEC) countries.",
			[][2]string{{"APEC", "Asia-Pacific Economic Cooperation"}}},
		{"a leading article is not part of the long form", "Members of the Association of Southeast Asian Nations (ASEAN) met.",
			[][2]string{{"ASEAN", "Association of Southeast Asian Nations"}}},
		{"the reverse order", "The THAAD (Terminal High Altitude Area Defense) battery arrived.",
			[][2]string{{"THAAD", "Terminal High Altitude Area Defense"}}},
		{"a possessive inside the long form", "The Democratic People's Republic of Korea (DPRK) tested a missile.",
			[][2]string{{"DPRK", "Democratic People's Republic of Korea"}}},
		{"a parenthetical that is not an acronym is ignored", "The minister (who spoke first) left (Reuters).", nil},
		{"an acronym whose letters do not match is ignored", "The new rules (NATO) apply.", nil},
		{"a year in parentheses is ignored", "The treaty (1987) lapsed.", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][2]string
			tx := Segment(tc.body)
			for _, d := range tx.Acronyms() {
				got = append(got, [2]string{d.Short, d.Long})
				if tx.Span(d.ShortSpan) != d.Short || tx.Span(d.LongSpan) != d.Long {
					t.Errorf("spans %v %v do not read %q %q", d.ShortSpan, d.LongSpan, d.Short, d.Long)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
