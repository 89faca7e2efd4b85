package eval

import (
	"reflect"
	"strings"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/nlp/ner"
)

func TestGUMDocumentsAreRebuiltAsTextWhoseEntitiesMapBackToTokens(t *testing.T) {
	sents := []ner.GUMSentence{
		{Doc: "a", Tokens: strings.Fields("Xi Jinping visited Zürich .")},
		{Doc: "a", Tokens: strings.Fields("He left .")},
		{Doc: "b", Tokens: strings.Fields("Paris .")},
	}
	docs := gumDocTexts(sents)
	if len(docs) != 2 || docs[0].Text != "Xi Jinping visited Zürich .\n\nHe left ." || docs[1].Text != "Paris ." {
		t.Fatalf("docs = %+v", docs)
	}
	ents := []detente.Entity{
		{Start: 0, End: 10, Type: "PERSON"},  // "Xi Jinping"
		{Start: 19, End: 25, Type: "GPE"},    // "Zürich": code points, not bytes
		{Start: 29, End: 31, Type: "PERSON"}, // "He" in the second sentence
	}
	got := docs[0].Spans(ents)
	want := [][]ner.Span{
		{{Start: 0, End: 2, Type: "PERSON"}, {Start: 3, End: 4, Type: "GPE"}},
		{{Start: 0, End: 1, Type: "PERSON"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Spans = %v, want %v", got, want)
	}
}

func TestTheFullAnnotatorIsScoredOnGUMNamedMentions(t *testing.T) {
	shared := nerShared(t)
	nothing, err := NERAnnotator(shared, func(doc, text string) []detente.Entity { return nil }, false)
	if err != nil {
		t.Fatal(err)
	}
	if nothing.Docs != 16 || nothing.Micro.TP != 0 || nothing.Micro.FN == 0 {
		t.Errorf("an annotator finding nothing scored %+v", nothing.Micro)
	}
}

func TestFlatNamesDropNamesInsideOtherNames(t *testing.T) {
	ents := []detente.Entity{
		{Text: "University of Texas", Start: 0, End: 19, Type: "ORG", Source: "description"},
		{Text: "Texas", Start: 14, End: 19, Type: "GPE", Source: "kb"},
		{Text: "police", Start: 25, End: 31, Type: "ORG", Source: "agent"},
		{Text: "Austin", Start: 35, End: 41, Type: "GPE", Source: "kb"},
		{Text: "Austin Marathon", Start: 35, End: 50, Type: "EVENT", Source: "model"},
	}
	got := FlatNames(ents, FoldPlaces("ORG", "PLACE"))
	// Events are not scored here, so the place inside one is.
	if len(got) != 3 || got[0].Text != "University of Texas" || got[1].Text != "Austin" {
		t.Errorf("FlatNames = %+v", got)
	}
}

func TestGUMGoldLeavesLinkedNamesInsideUnlinkedOnesUnscored(t *testing.T) {
	// "The Andy Warhol Foundation gave": the person is linked, the
	// foundation (an unlinked proper-noun mention) is not.
	s := ner.GUMSentence{
		Tokens: strings.Fields("The Andy Warhol Foundation gave"),
		XPOS:   []string{"DT", "NNP", "NNP", "NNP", "VBD"},
		Mentions: []ner.GUMMention{
			{Start: 0, End: 4, Head: 3, Type: "organization"},
			{Start: 1, End: 3, Head: 2, Type: "person", Identity: "Andy_Warhol"},
		},
	}
	gold, ignore := GUMGold(s, false)
	if len(gold) != 0 || len(ignore) != 2 {
		t.Errorf("gold %v, ignore %v; want no gold, both names ignored", gold, ignore)
	}
	if gold, _ := GUMGold(s, true); len(gold) != 1 {
		t.Errorf("strict gold %v, want the linked person", gold)
	}
}
