package eval

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/detente/detente/nlp/ner"
)

// NERTagger finds entities in a tokenized sentence; *ner.Model is one.
type NERTagger interface {
	Spans(tokens []string) []ner.Span
}

// TypePlace is the type NER scoring folds GPE and LOC into: GUM's "place"
// and CrossNER's country/location do not separate them either.
const TypePlace = "PLACE"

// NERCounts are exact-match counts: a predicted span is a true positive
// when a gold span has the same start, end and type (the CoNLL rule).
type NERCounts struct {
	TP, FP, FN int
}

// Precision is TP/(TP+FP), 0 when nothing was predicted.
func (c NERCounts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 0 when there was nothing to find.
func (c NERCounts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall.
func (c NERCounts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (c *NERCounts) add(o NERCounts) { c.TP += o.TP; c.FP += o.FP; c.FN += o.FN }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// NERReport is how a tagger scored on one evaluation set.
type NERReport struct {
	Set       string               `json:"set"`
	Method    string               `json:"method,omitempty"`
	Docs      int                  `json:"docs"`
	Sentences int                  `json:"sentences"`
	Tokens    int                  `json:"tokens"`
	Types     []string             `json:"types"`
	PerType   map[string]NERCounts `json:"per_type"`
	Micro     NERCounts            `json:"micro"`
	Elapsed   time.Duration        `json:"elapsed_ns"`
}

// NERScorer accumulates exact-span scores over sentences. Span types are
// first folded by Fold ("" drops the span on either side), so a set's own
// label scheme and the tagger's can be compared.
type NERScorer struct {
	Types []string
	Fold  func(typ string) string
	rep   NERReport
}

// FoldPlaces keeps the given types and folds GPE and LOC into TypePlace;
// any other type is dropped.
func FoldPlaces(keep ...string) func(string) string {
	set := map[string]bool{}
	for _, k := range keep {
		set[k] = true
	}
	return func(t string) string {
		if t == ner.TypePlace || t == "LOC" {
			t = TypePlace
		}
		if set[t] {
			return t
		}
		return ""
	}
}

// Add scores one sentence's predicted spans against its gold spans.
// A prediction equal in extent to an ignore span (a name the gold set
// leaves out of scoring, such as a GUM name without a Wikipedia link) is
// neither right nor wrong and is dropped.
func (s *NERScorer) Add(gold, pred, ignore []ner.Span) {
	if s.rep.PerType == nil {
		s.rep.PerType = map[string]NERCounts{}
		for _, t := range s.Types {
			s.rep.PerType[t] = NERCounts{}
		}
	}
	s.rep.Sentences++
	key := func(sp ner.Span) ner.Span { sp.Type = s.Fold(sp.Type); return sp }
	goldSet := map[ner.Span]bool{}
	for _, g := range gold {
		if g = key(g); g.Type != "" {
			goldSet[g] = true
		}
	}
	skip := map[[2]int]bool{}
	for _, g := range ignore {
		skip[[2]int{g.Start, g.End}] = true
	}
	predSet := map[ner.Span]bool{}
	for _, p := range pred {
		if p = key(p); p.Type != "" && !skip[[2]int{p.Start, p.End}] {
			predSet[p] = true
		}
	}
	for p := range predSet {
		c := s.rep.PerType[p.Type]
		if goldSet[p] {
			c.TP++
		} else {
			c.FP++
		}
		s.rep.PerType[p.Type] = c
	}
	for g := range goldSet {
		if !predSet[g] {
			c := s.rep.PerType[g.Type]
			c.FN++
			s.rep.PerType[g.Type] = c
		}
	}
}

// Report returns the scores so far with the micro average over types.
func (s *NERScorer) Report() NERReport {
	r := s.rep
	r.Types = append([]string(nil), s.Types...)
	r.Micro = NERCounts{}
	pt := map[string]NERCounts{}
	for t, c := range s.rep.PerType {
		pt[t] = c
		r.Micro.add(c)
	}
	r.PerType = pt
	return r
}

// gumTypes are the GUM named-mention types the goal is stated for.
var gumTypes = []string{ner.TypePerson, ner.TypeOrg, TypePlace}

// NERGum scores a tagger on the GUM news documents in the shared folder:
// gold spans are GUM's named mentions (proper-noun heads GUM links to
// Wikipedia) of type person, place and organization, trimmed to the name
// as ner.GUMSentence.NameSpans describes; the tagger's GPE and LOC both
// count as place, and its other types are ignored. The shipped model is
// trained on these documents, so its score here is not held out: use
// NERGumCV for an honest number.
//
// Names GUM leaves unlinked (proper-noun mentions without a Wikipedia
// link: many people in local news) are not gold, but a tagger that finds
// one is not wrong either; unless strict, such predictions are ignored.
// With strict they count as false positives.
func NERGum(shared string, t NERTagger, strict bool) (NERReport, error) {
	sents, err := ner.LoadGUM(shared)
	if err != nil {
		return NERReport{}, err
	}
	start := time.Now()
	sc := &NERScorer{Types: gumTypes, Fold: FoldPlaces(gumTypes...)}
	docs := map[string]bool{}
	tokens := 0
	for _, s := range sents {
		docs[s.Doc] = true
		tokens += len(s.Tokens)
		gold, ignore := GUMGold(s, strict)
		sc.Add(gold, t.Spans(s.Tokens), ignore)
	}
	r := sc.Report()
	r.Set, r.Method = "GUM news named mentions", "tagger as given"
	if strict {
		r.Method += ", strict"
	}
	r.Docs, r.Tokens, r.Elapsed = len(docs), tokens, time.Since(start)
	return r, nil
}

// NERGumCV scores GUM by leave-one-document-out cross-validation: for each
// GUM news document a model is trained on all the training sets minus
// that document (ner.Corpus.All) and scored on it, so no document is
// scored by a model that saw it. Counts are summed over the documents.
// strict is as for NERGum.
func NERGumCV(shared string, opts ner.TrainOptions, strict bool) (NERReport, error) {
	c, err := ner.LoadCorpus(shared)
	if err != nil {
		return NERReport{}, err
	}
	start := time.Now()
	byDoc := map[string][]ner.GUMSentence{}
	var order []string
	tokens := 0
	for _, s := range c.GUM {
		if _, ok := byDoc[s.Doc]; !ok {
			order = append(order, s.Doc)
		}
		byDoc[s.Doc] = append(byDoc[s.Doc], s)
		tokens += len(s.Tokens)
	}
	sc := &NERScorer{Types: gumTypes, Fold: FoldPlaces(gumTypes...)}
	for _, doc := range order {
		m := ner.Train(c.All(doc), opts)
		for _, s := range byDoc[doc] {
			gold, ignore := GUMGold(s, strict)
			sc.Add(gold, m.Spans(s.Tokens), ignore)
		}
	}
	r := sc.Report()
	r.Set = "GUM news named mentions"
	r.Method = fmt.Sprintf("leave-one-document-out, %d models", len(order))
	if strict {
		r.Method += ", strict"
	}
	r.Docs, r.Tokens, r.Elapsed = len(order), tokens, time.Since(start)
	return r, nil
}

// GUMGold returns a GUM sentence's gold named mentions and, unless
// strict, the names whose prediction is ignored: the names GUM leaves
// unlinked, and a linked name nested in a longer unlinked one ("[Andy
// Warhol] Foundation for the Visual Arts", "[Doctor Who] Society of
// Canada"). A flat tagger marks only the outer name (CoNLL and OntoNotes
// do the same), which GUM does not link, so neither reading is scored.
// An outer "name" joining two with "and" ("Cloud9 and Immortals") is a
// coordination, not a name, and hides nothing.
func GUMGold(s ner.GUMSentence, strict bool) (gold, ignore []ner.Span) {
	linkedSpans := s.NameSpans(true)
	if strict {
		return linkedSpans, nil
	}
	linked := map[[2]int]bool{}
	for _, g := range linkedSpans {
		linked[[2]int{g.Start, g.End}] = true
	}
	var outer []ner.Span
	for _, n := range s.NameSpans(false) {
		if !linked[[2]int{n.Start, n.End}] {
			ignore = append(ignore, n)
			if !slices.Contains(s.Tokens[n.Start:n.End], "and") {
				outer = append(outer, n)
			}
		}
	}
	for _, g := range linkedSpans {
		hidden := false
		for _, o := range outer {
			if o.Start <= g.Start && g.End <= o.End {
				hidden = true
			}
		}
		if hidden {
			ignore = append(ignore, g)
		} else {
			gold = append(gold, g)
		}
	}
	return gold, ignore
}

// crossNERTypes are the types NERCrossNER scores: CrossNER politics'
// labels folded as ner.MapType does (politician → PERSON, political party
// → ORG, country and location → PLACE, election → EVENT).
var crossNERTypes = []string{ner.TypePerson, ner.TypeOrg, TypePlace, ner.TypeEvent, ner.TypeMisc}

// NERCrossNER scores a tagger on the CrossNER politics test split in the
// shared folder, per type after folding both sides' labels.
func NERCrossNER(shared string, t NERTagger) (NERReport, error) {
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
	sc := &NERScorer{Types: crossNERTypes, Fold: FoldPlaces(crossNERTypes...)}
	tokens := 0
	for _, s := range sents {
		tokens += len(s.Tokens)
		sc.Add(ner.SpansFromLabels(s.Labels), t.Spans(s.Tokens), nil)
	}
	r := sc.Report()
	r.Set, r.Method = "CrossNER politics test", "tagger as given"
	r.Docs, r.Tokens, r.Elapsed = 1, tokens, time.Since(start)
	return r, nil
}

// Write prints the report as a table: per type and micro P/R/F1.
func (r NERReport) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %d docs, %d sentences, %d tokens\n", r.Set, r.Method, r.Docs, r.Sentences, r.Tokens)
	fmt.Fprintf(&b, "%-8s %6s %6s %6s %7s %7s %7s\n", "type", "tp", "fp", "fn", "P", "R", "F1")
	types := append([]string(nil), r.Types...)
	for t := range r.PerType {
		if !contains(types, t) {
			types = append(types, t)
		}
	}
	sort.SliceStable(types, func(i, j int) bool { return index(r.Types, types[i]) < index(r.Types, types[j]) })
	row := func(name string, c NERCounts) {
		fmt.Fprintf(&b, "%-8s %6d %6d %6d %7.3f %7.3f %7.3f\n", name, c.TP, c.FP, c.FN, c.Precision(), c.Recall(), c.F1())
	}
	for _, t := range types {
		row(t, r.PerType[t])
	}
	row("micro", r.Micro)
	if r.Elapsed > 0 && r.Sentences > 0 {
		fmt.Fprintf(&b, "%d sentences in %v\n", r.Sentences, r.Elapsed.Round(time.Millisecond))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// String is the printed report.
func (r NERReport) String() string {
	var b strings.Builder
	r.Write(&b)
	return b.String()
}

func contains(xs []string, x string) bool { return index(xs, x) < len(xs) }

func index(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return len(xs)
}
