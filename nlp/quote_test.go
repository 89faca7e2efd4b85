package nlp

import (
	"testing"
)

func TestQuotes(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		text    string // the first quotation
		speaker string
		how     string
		pronoun bool
	}{
		{"speaker after the quote", `"We will normalize ties," the Foreign Ministry said on Tuesday.`,
			"We will normalize ties,", "the Foreign Ministry", "after", false},
		{"a name after the quote with no article", `"Both sides agreed," South Korean Foreign Ministry said.`,
			"Both sides agreed,", "South Korean Foreign Ministry", "after", false},
		{"verb before the speaker after the quote", `"We are ready," said Defense Minister Song Young-moo.`,
			"We are ready,", "Defense Minister Song Young-moo", "after", false},
		{"an appositive is left out", `"Talks went well," Kang Kyung-wha, the foreign minister, told lawmakers.`,
			"Talks went well,", "Kang Kyung-wha", "after", false},
		{"a pronoun speaker is marked", "“It is over,” she said.", "It is over,", "she", "after", true},
		{"speaker before a colon", `The president said: "We will not back down."`,
			"We will not back down.", "The president", "before", false},
		{"speaker before that", `Moon Jae-in said that "peace is possible."`,
			"peace is possible.", "Moon Jae-in", "before", false},
		{"a statement reads", `"Both sides will cooperate," the statement read.`,
			"Both sides will cooperate,", "the statement", "after", false},
		{"a fragment inside a reported statement", `Meanwhile, South Korea's Foreign Ministry said both countries agreed to restore exchanges "expeditiously."`,
			"expeditiously.", "South Korea's Foreign Ministry", "reported", false},
		{"according to", `The deal is "final and binding," according to Vice Minister Li Ming.`,
			"final and binding,", "Vice Minister Li Ming", "according", false},
		{"a scare quote has no speaker", `The so-called "peace dividend" never came.`, "peace dividend", "", "", false},
		{"a fragment with the attribution at the sentence end", `They lack "submersible" equipment, Soelistyo said.`,
			"submersible", "Soelistyo", "reported", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qs := Segment(tc.body).Quotes()
			if len(qs) == 0 {
				t.Fatal("no quote found")
			}
			q := qs[0]
			if q.Text != tc.text || q.SpeakerText != tc.speaker || q.How != tc.how || q.Pronoun != tc.pronoun {
				t.Errorf("got %q by %q (%s, pronoun %v), want %q by %q (%s, pronoun %v)",
					q.Text, q.SpeakerText, q.How, q.Pronoun, tc.text, tc.speaker, tc.how, tc.pronoun)
			}
		})
	}
}

func TestQuotesOverParagraphs(t *testing.T) {
	body := "“We came to talk,” Kang said. “We agreed on much.\n“We will meet again in Hanoi.\n“And we will sign.”\nOthers left."
	qs := Segment(body).Quotes()
	want := []string{"We came to talk,", "We agreed on much.", "We will meet again in Hanoi.", "And we will sign."}
	if len(qs) != len(want) {
		t.Fatalf("got %d quotes, want %d: %+v", len(qs), len(want), qs)
	}
	for i, q := range qs {
		if q.Text != want[i] || q.SpeakerText != "Kang" {
			t.Errorf("quote %d: %q by %q, want %q by Kang", i, q.Text, q.SpeakerText, want[i])
		}
		if q.Continued != (i >= 2) {
			t.Errorf("quote %d: Continued = %v", i, q.Continued)
		}
	}
}

func TestQuotesUnclosedAtParagraphEndAreDropped(t *testing.T) {
	body := "He said \"this never ends\nThe next paragraph is plain."
	if qs := Segment(body).Quotes(); len(qs) != 0 {
		t.Errorf("want no quotes, got %+v", qs)
	}
}

func TestQuoteSpansReadTheirText(t *testing.T) {
	body := "Ünal said: “Ça va très bien.” Then, “yes,” said Ünal."
	runes := []rune(body)
	for _, q := range Segment(body).Quotes() {
		if string(runes[q.Span.Start:q.Span.End]) != q.Text || string(runes[q.Speaker.Start:q.Speaker.End]) != q.SpeakerText {
			t.Errorf("spans of %+v do not read their text", q)
		}
		if q.SpeakerText != "Ünal" {
			t.Errorf("speaker %q, want Ünal", q.SpeakerText)
		}
	}
}
