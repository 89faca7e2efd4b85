package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
	annot "github.com/detente/detente/annotate"
	"github.com/detente/detente/nlp/ner"
)

// AnnotateFunc finds the entities of one document's text. doc names the
// GUM document, so a cross-validating caller can use a model that was not
// trained on it.
type AnnotateFunc func(doc, text string) []detente.Entity

// GUMDocText is one GUM news document rebuilt as plain text: its tokens
// spaced as the original text spaced them (GUM's SpaceAfter=No: "Lee
// Cheuk-yan", "Scientology's", "Thursday,"), its sentences joined by blank
// lines, with each token's code-point offsets so entities found in the
// text map back to tokens.
type GUMDocText struct {
	Doc       string
	Text      string
	Sentences []ner.GUMSentence
	// Starts and Ends are code-point offsets per sentence and token.
	Starts, Ends [][]int
}

// GUMDocTexts rebuilds every GUM news document in the shared folder.
func GUMDocTexts(shared string) ([]GUMDocText, error) {
	sents, err := ner.LoadGUM(shared)
	if err != nil {
		return nil, err
	}
	return gumDocTexts(sents), nil
}

func gumDocTexts(sents []ner.GUMSentence) []GUMDocText {
	var docs []GUMDocText
	var b strings.Builder
	pos := 0
	for _, s := range sents {
		if len(docs) == 0 || docs[len(docs)-1].Doc != s.Doc {
			if len(docs) > 0 {
				docs[len(docs)-1].Text = b.String()
			}
			docs = append(docs, GUMDocText{Doc: s.Doc})
			b.Reset()
			pos = 0
		}
		d := &docs[len(docs)-1]
		if len(d.Sentences) > 0 {
			b.WriteString("\n\n")
			pos += 2
		}
		st, en := make([]int, len(s.Tokens)), make([]int, len(s.Tokens))
		for i, t := range s.Tokens {
			if i > 0 && !(i-1 < len(s.NoSpaceAfter) && s.NoSpaceAfter[i-1]) {
				b.WriteByte(' ')
				pos++
			}
			st[i] = pos
			b.WriteString(t)
			pos += utf8.RuneCountInString(t)
			en[i] = pos
		}
		d.Sentences = append(d.Sentences, s)
		d.Starts = append(d.Starts, st)
		d.Ends = append(d.Ends, en)
	}
	if len(docs) > 0 {
		docs[len(docs)-1].Text = b.String()
	}
	return docs
}

// Spans maps entities (code-point offsets into Text) to token spans per
// sentence. An entity covers the tokens it overlaps; one that crosses a
// sentence boundary is cut at it.
func (d *GUMDocText) Spans(ents []detente.Entity) [][]ner.Span {
	out := make([][]ner.Span, len(d.Sentences))
	for _, e := range ents {
		for si := range d.Sentences {
			st, en := d.Starts[si], d.Ends[si]
			if len(st) == 0 || e.End <= st[0] || e.Start >= en[len(en)-1] {
				continue
			}
			a, b := -1, -1
			for i := range st {
				if en[i] > e.Start && st[i] < e.End {
					if a < 0 {
						a = i
					}
					b = i + 1
				}
			}
			if a >= 0 {
				out[si] = append(out[si], ner.Span{Start: a, End: b, Type: e.Type})
			}
			break
		}
	}
	return out
}

// NERAnnotator scores what users get, the whole annotator, on the GUM news
// named mentions: each document is rebuilt as text (GUMDocTexts), given to
// annotate, and the entities it returns are mapped back to tokens and
// scored as NERGum scores a tagger. PERSON and ORG count as themselves,
// GPE and LOC as a place; other types (NORP, WEAPON, EVENT) are not among
// GUM's three and are not scored. Only names are scored (annotate.IsName):
// the actor descriptions the annotator composes ("Indonesian military",
// "U.S. officials") are not named mentions in any NER scheme. strict is as
// for NERGum.
func NERAnnotator(shared string, annotate AnnotateFunc, strict bool) (NERReport, error) {
	docs, err := GUMDocTexts(shared)
	if err != nil {
		return NERReport{}, err
	}
	start := time.Now()
	sc := &NERScorer{Types: gumTypes, Fold: FoldPlaces(gumTypes...)}
	tokens := 0
	for i := range docs {
		d := &docs[i]
		names := FlatNames(GUMTypes(annotate(d.Doc, d.Text)), sc.Fold)
		pred := d.Spans(names)
		for si, s := range d.Sentences {
			tokens += len(s.Tokens)
			gold, ignore := GUMGold(s, strict)
			sc.Add(gold, pred[si], ignore)
		}
	}
	r := sc.Report()
	r.Set, r.Method = "GUM news named mentions", "full annotator"
	if strict {
		r.Method += ", strict"
	}
	r.Docs, r.Tokens, r.Elapsed = len(docs), tokens, time.Since(start)
	return r, nil
}

// GUMTypes maps the annotator's types onto GUM's where they differ: a
// plural nationality or group used as a noun ("Muslims", "Afghans",
// "Bangladeshis") is a group of people, which GUM types person; NORP
// adjectives ("Chinese officials") name nothing in GUM and stay NORP,
// which is not scored.
func GUMTypes(ents []detente.Entity) []detente.Entity {
	out := make([]detente.Entity, len(ents))
	for i, e := range ents {
		if e.Type == detente.EntityNORP && pluralNoun(e.Text) {
			e.Type = detente.EntityPerson
		}
		out[i] = e
	}
	return out
}

// pluralNoun says whether a nationality word is a plural noun: it ends in
// "s" after a vowel or consonant other than "s" ("Afghans", not "Swiss").
func pluralNoun(w string) bool {
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "ese")
}

// FlatNames keeps the names among an annotator's entities
// (annotate.IsName) that lie inside no other name of a scored type (one
// fold keeps): the annotator keeps a country inside a description
// ("University of [Texas]") or an event ("the [US] presidential
// election") for event coding, but flat NER, as every gold set here,
// marks only the outer name — where the scheme has the outer name's type.
func FlatNames(ents []detente.Entity, fold func(string) string) []detente.Entity {
	var names []detente.Entity
	for _, e := range ents {
		if annot.IsName(e) {
			names = append(names, e)
		}
	}
	var out []detente.Entity
	for i, e := range names {
		inside := false
		for j, o := range names {
			if j != i && fold(o.Type) != "" && o.Start <= e.Start && e.End <= o.End && o.End-o.Start > e.End-e.Start {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, e)
		}
	}
	return out
}

// NERGumCVModels trains the leave-one-document-out models of NERGumCV and
// returns them by GUM document, for scoring a pipeline that embeds the
// tagger (NERAnnotator) without letting it see the document it annotates.
func NERGumCVModels(shared string, opts ner.TrainOptions) (map[string]*ner.Model, error) {
	c, err := ner.LoadCorpus(shared)
	if err != nil {
		return nil, err
	}
	models := map[string]*ner.Model{}
	for _, s := range c.GUM {
		if _, ok := models[s.Doc]; !ok {
			models[s.Doc] = ner.Train(c.All(s.Doc), opts)
		}
	}
	if len(models) == 0 {
		return nil, fmt.Errorf("eval: no GUM documents")
	}
	return models, nil
}

// crossNERNames are the types CrossNER marks among the annotator's: a name
// inside one of them is not a name of its own there.
var crossNERNames = FoldPlaces(ner.TypePerson, ner.TypeOrg, TypePlace, ner.TypeEvent)

// NERAnnotatorCrossNER scores the full annotator on the CrossNER politics
// test split, which no part of detente was built or trained on: each
// sentence is given to annotate as its own text (its tokens joined by
// spaces), and the names it returns (FlatNames) are scored on person,
// organization and place as NERAnnotator scores GUM, so the numbers of
// the two sets compare.
func NERAnnotatorCrossNER(shared string, annotate func(text string) []detente.Entity) (NERReport, error) {
	path := filepath.Join(shared, ner.CrossNERDir, "test.txt")
	f, err := os.Open(path)
	if err != nil {
		return NERReport{}, err
	}
	defer f.Close()
	sents, err := ner.ReadCoNLL(f, "crossner-test", nil)
	if err != nil {
		return NERReport{}, err
	}
	start := time.Now()
	as := make([]ner.GUMSentence, len(sents))
	for i, s := range sents {
		as[i] = ner.GUMSentence{Doc: strconv.Itoa(i), Tokens: s.Tokens}
	}
	sc := &NERScorer{Types: gumTypes, Fold: FoldPlaces(gumTypes...)}
	tokens := 0
	for i, d := range gumDocTexts(as) {
		pred := d.Spans(FlatNames(annotate(d.Text), crossNERNames))
		tokens += len(sents[i].Tokens)
		sc.Add(ner.SpansFromLabels(sents[i].Labels), pred[0], nil)
	}
	r := sc.Report()
	r.Set, r.Method = "CrossNER politics test", "full annotator"
	r.Docs, r.Tokens, r.Elapsed = len(sents), tokens, time.Since(start)
	return r, nil
}
