package ner

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/detente/detente/kb"
)

// referenceTag is tagging the straightforward way: the gazetteer's strings,
// the generic float64 Viterbi, no precomputed tables. The fast road must
// agree with it label for label.
func referenceTag(m *Model, tokens []string) []string {
	var s scratch
	var gaz [][]string
	if m.gaz != nil {
		gaz = m.gaz.Features(tokens)
	}
	s.prepare(tokens, gaz)
	out := make([]string, len(tokens))
	for i, l := range viterbi(m.w, m.bits, &m.ls, &s, &vbuf{}, nil) {
		out[i] = m.ls.bio(l)
	}
	return out
}

// sampleSentences gives news-like sentences: a few written here and, when
// the shared folder is present, wikigold's.
func sampleSentences(t *testing.T) [][]string {
	sents := [][]string{
		nil,
		{"."},
		strings.Fields("Chinese President Xi Jinping met South Korean President Moon Jae-in in Beijing on Tuesday , the Foreign Ministry said ."),
		strings.Fields("The deployment of the Terminal High Altitude Area Defense system in Seongju has angered China ."),
		strings.Fields("US-led forces and Kurdish-led fighters clashed near the Turkish border , according to the Pentagon ."),
		strings.Fields("ERDOĞAN told the UN General Assembly that Ankara would not back down"),
	}
	if testing.Short() {
		return sents
	}
	shared := sharedDir(t)
	gold, err := readCoNLLFile(filepath.Join(shared, WikigoldPath), "wikigold")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range gold {
		sents = append(sents, s.Tokens)
	}
	return sents
}

func TestFastTaggingAgreesWithTheReferenceDecoderOnEverySentence(t *testing.T) {
	m := Default()
	matches := kb.Default()
	bad := 0
	for _, toks := range sampleSentences(t) {
		want := referenceTag(m, toks)
		got := m.Tag(toks)
		with := m.TagWithMatches(toks, matches.Match(toks))
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(with, want) {
			bad++
			if bad <= 5 {
				t.Errorf("%q:\n fast %v\n with %v\n want %v", strings.Join(toks, " "), got, with, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d sentences tagged differently", bad)
	}
}

func TestSpansWithMatchesEqualsSpans(t *testing.T) {
	m := Default()
	for _, toks := range sampleSentences(t)[:6] {
		got := m.SpansWithMatches(toks, kb.Default().Match(toks))
		if want := m.Spans(toks); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: SpansWithMatches %v, Spans %v", strings.Join(toks, " "), got, want)
		}
	}
}

func TestFeaturesFromGivesTheGazetteerFeatures(t *testing.T) {
	g := DefaultGazetteer()
	for _, toks := range sampleSentences(t)[:6] {
		if got, want := g.FeaturesFrom(toks, kb.Default().Match(toks)), g.Features(toks); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %v, want %v", strings.Join(toks, " "), got, want)
		}
	}
}
