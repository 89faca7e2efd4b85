// Package ner is detente's statistical named-entity tagger: a structured
// averaged perceptron over BIO labels with Viterbi decoding, which detente
// trains itself on the open gold sets in the shared folder (see
// TrainFromShared), compiled into the binary as a compact quantized model.
//
// The model knows five types: PERSON, ORG, GPE (every place: the training
// sets do not separate countries and cities from regions and seas, so the
// annotator refines GPE to LOC with the gazetteer), EVENT and MISC (works,
// products, nationalities and anything else the sets call miscellaneous).
package ner

import (
	"bytes"
	_ "embed"
	"sync"

	detente "github.com/detente/detente"
)

// Entity types the model emits. TypeMisc has no detente constant: the
// annotator keeps it only where the knowledge base says what it is.
const (
	TypePerson = detente.EntityPerson
	TypeOrg    = detente.EntityOrg
	TypePlace  = detente.EntityGPE
	TypeEvent  = detente.EntityEvent
	TypeMisc   = "MISC"
)

// Types lists the entity types of the shipped label set, in label order.
var Types = []string{TypePerson, TypeOrg, TypePlace, TypeEvent, TypeMisc}

// Sentence is one tokenized sentence with its gold BIO labels ("O",
// "B-PERSON", "I-PERSON", ...). Doc names the document it came from, so
// evaluation can hold documents out.
type Sentence struct {
	Tokens []string
	Labels []string
	Doc    string
}

// Span is an entity found in a token sequence: tokens [Start, End).
type Span struct {
	Start int
	End   int
	Type  string
}

// Gazetteer adds dictionary features to each token (for example "kb:GPE"
// when the knowledge base matches a country there). It is optional: a
// model trained without one ignores unknown feature strings, and one
// trained with one must be given the same gazetteer at tagging time.
type Gazetteer interface {
	Features(tokens []string) [][]string
}

//go:embed model.bin.gz
var shipped []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the shipped model with the knowledge-base gazetteer it
// was trained with, decoded on first use (it is a few MB in memory, so a
// program that never tags never pays for it). It panics only if the
// embedded model is corrupt, which a test guards.
func Default() *Model {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = Load(bytes.NewReader(shipped))
		if defaultErr == nil {
			defaultModel = defaultModel.WithGazetteer(DefaultGazetteer())
		}
	})
	if defaultErr != nil {
		panic("ner: embedded model: " + defaultErr.Error())
	}
	return defaultModel
}

// SpansFromLabels reads BIO labels as spans. An I- label that does not
// continue a span of its type starts a new one (the CoNLL reading of
// ill-formed sequences).
func SpansFromLabels(labels []string) []Span {
	var spans []Span
	cur := -1
	for i, l := range labels {
		if l == "" || l == "O" || len(l) < 2 || l[1] != '-' {
			cur = -1
			continue
		}
		typ := l[2:]
		if l[0] == 'I' && cur >= 0 && spans[cur].Type == typ && spans[cur].End == i {
			spans[cur].End = i + 1
			continue
		}
		spans = append(spans, Span{Start: i, End: i + 1, Type: typ})
		cur = len(spans) - 1
	}
	return spans
}

// LabelsFromSpans writes spans as BIO labels for n tokens; a span that
// overlaps an earlier one is dropped.
func LabelsFromSpans(n int, spans []Span) []string {
	labels := make([]string, n)
	for i := range labels {
		labels[i] = "O"
	}
	for _, s := range spans {
		if s.Start < 0 || s.End > n || s.Start >= s.End {
			continue
		}
		free := true
		for i := s.Start; i < s.End; i++ {
			if labels[i] != "O" {
				free = false
			}
		}
		if !free {
			continue
		}
		labels[s.Start] = "B-" + s.Type
		for i := s.Start + 1; i < s.End; i++ {
			labels[i] = "I-" + s.Type
		}
	}
	return labels
}
