package eval

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/cameo"
	"github.com/detente/detente/coder"
	"github.com/detente/detente/coder/dict"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
)

// CodeRecords codes each record's raw text (its parse, if any, is never
// read) and returns the events by record ID.
func CodeRecords(recs []EventRecord, an *annotate.Annotator, c *coder.Coder) map[string][]detente.Event {
	out := make(map[string][]detente.Event, len(recs))
	for _, r := range recs {
		a := &detente.Article{ID: r.ID, Body: r.Text, Published: isoDate(r.Date), Language: "en"}
		out[r.ID] = c.Code(a, an.Annotate(a))
	}
	return out
}

// Triples turns coded events into the (source, target, code) triples the
// PETRARCH rule compares; an event without a target gets PETRARCH's "---".
func Triples(events map[string][]detente.Event) map[string][]EventTriple {
	out := make(map[string][]EventTriple, len(events))
	for id, es := range events {
		for _, e := range es {
			tgt := e.Target
			if tgt == "" {
				tgt = "---"
			}
			out[id] = append(out[id], EventTriple{Source: e.Source, Target: tgt, Code: e.CAMEO})
		}
	}
	return out
}

// isoDate turns "19950101" into "1995-01-01"; other forms pass through.
func isoDate(d string) string {
	if len(d) == 8 && !strings.Contains(d, "-") {
		return d[:4] + "-" + d[4:6] + "-" + d[6:]
	}
	return d
}

// EventReport is a coder's score on one gold set, overall and by record
// category.
type EventReport struct {
	Name       string
	Score      EventScore
	ByCategory map[string]EventScore
}

// String lists the overall score and each category's.
func (r EventReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", r.Name, r.Score)
	cats := make([]string, 0, len(r.ByCategory))
	for c := range r.ByCategory {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		s := r.ByCategory[c]
		fmt.Fprintf(&b, "  %-10s %3d/%3d\n", c, s.RecordsCorrect, s.Records)
	}
	return b.String()
}

func report(name string, recs []EventRecord, pred map[string][]EventTriple) EventReport {
	rep := EventReport{Name: name, Score: ScoreEvents(recs, pred), ByCategory: map[string]EventScore{}}
	byCat := map[string][]EventRecord{}
	for _, r := range recs {
		byCat[r.Category] = append(byCat[r.Category], r)
	}
	for c, rs := range byCat {
		rep.ByCategory[c] = ScoreEvents(rs, pred)
	}
	return rep
}

// PetrarchKnowledge loads the PETRARCH unit suite's own four dictionaries
// from dir: its actors and agents replace the built-in named actors and
// agents (the built-in countries and places stay: the suite's fictional
// countries are added to them), its verbs and discards replace the
// built-in dictionary. The coder runs Plain: PETRARCH-1 writes its modal
// phrasings as patterns and has no modality rules.
func PetrarchKnowledge(dir string) (*annotate.Annotator, *coder.Coder, error) {
	k, err := kb.Open(kb.Options{
		ActorFiles: []string{filepath.Join(dir, "PETR.Validate.actors.txt")},
		AgentFiles: []string{filepath.Join(dir, "PETR.Validate.agents.txt")},
	})
	if err != nil {
		return nil, nil, err
	}
	d, _, err := dict.ReadPetrarchFile(filepath.Join(dir, "PETR.Validate.verbs.txt"))
	if err != nil {
		return nil, nil, err
	}
	ds, _, err := dict.ReadDiscardsFile(filepath.Join(dir, "PETR.Validate.discards.txt"))
	if err != nil {
		return nil, nil, err
	}
	d.Discards = ds
	c := coder.New(d)
	c.Plain = true
	return annotate.New(annotate.NewKBLexicon(k), ner.Default()), c, nil
}

// PetrarchUnitSuite codes the PETRARCH unit-test dev records
// (shared/validation/petrarch-unittest) from their raw text with the
// suite's own dictionaries and scores them by PETRARCH's rule.
func PetrarchUnitSuite(dir string) (EventReport, map[string][]detente.Event, error) {
	recs, err := LoadPetrarchUnitTests(filepath.Join(dir, "PETR.UnitTest.records.dev.xml"))
	if err != nil {
		return EventReport{}, nil, err
	}
	an, c, err := PetrarchKnowledge(dir)
	if err != nil {
		return EventReport{}, nil, err
	}
	ev := CodeRecords(recs, an, c)
	return report("PETRARCH unit suite (dev)", recs, Triples(ev)), ev, nil
}

// BuiltinKnowledge is detente's shipped annotator and coder.
func BuiltinKnowledge() (*annotate.Annotator, *coder.Coder, error) {
	d, err := dict.Builtin()
	if err != nil {
		return nil, nil, err
	}
	return annotate.New(annotate.NewKBLexicon(kb.Default()), ner.Default()), coder.New(d), nil
}

// Petrarch2GSR codes the PETRARCH-2 gold-standard dev records with the
// built-in knowledge and scores them by PETRARCH's rule.
func Petrarch2GSR(path string) (EventReport, error) {
	recs, err := LoadPetrarch2GSR(path)
	if err != nil {
		return EventReport{}, err
	}
	an, c, err := BuiltinKnowledge()
	if err != nil {
		return EventReport{}, err
	}
	return report("PETRARCH-2 GSR (dev)", recs, Triples(CodeRecords(recs, an, c))), nil
}

// PLOVERScore is how the coder did on the PLOVER gold records: the event
// type of its most confident event per record, and whether that event's
// source and target countries are among the gold actors'.
type PLOVERScore struct {
	Records int
	// Coded counts records with at least one event.
	Coded int
	// TypeCorrect: the most confident event has the gold PLOVER type;
	// AnyTypeCorrect: some event of the record has it.
	TypeCorrect, AnyTypeCorrect int
	// SourceAgree, TargetAgree: the most confident event's source (target)
	// country is one of the gold source (target) countries. A gold record
	// without a target (a compound acting on itself) takes its sources.
	SourceAgree, TargetAgree int
	// ByType counts records and correct types per gold type.
	ByType map[string][2]int
}

// String is a summary.
func (s PLOVERScore) String() string {
	pct := func(n int) float64 { return 100 * ratio(n, s.Records) }
	return fmt.Sprintf("PLOVER gold (dev): %d records, %d coded; type accuracy %.1f%% (any event %.1f%%); source country %.1f%%, target country %.1f%%",
		s.Records, s.Coded, pct(s.TypeCorrect), pct(s.AnyTypeCorrect), pct(s.SourceAgree), pct(s.TargetAgree))
}

// PLOVERSuite codes the PLOVER gold records with the built-in knowledge.
func PLOVERSuite(path string) (PLOVERScore, error) {
	recs, err := LoadPLOVERGold(path)
	if err != nil {
		return PLOVERScore{}, err
	}
	an, c, err := BuiltinKnowledge()
	if err != nil {
		return PLOVERScore{}, err
	}
	return ScorePLOVER(recs, CodeRecords(recs, an, c)), nil
}

// ScorePLOVER scores coded events against PLOVER gold records.
func ScorePLOVER(recs []EventRecord, events map[string][]detente.Event) PLOVERScore {
	s := PLOVERScore{ByType: map[string][2]int{}}
	for _, r := range recs {
		if r.PLOVER == nil {
			continue
		}
		s.Records++
		gold, _ := cameo.NormalizePloverType(r.PLOVER.Event)
		bt := s.ByType[gold]
		bt[0]++
		es := events[r.ID]
		if len(es) == 0 {
			s.ByType[gold] = bt
			continue
		}
		s.Coded++
		best := 0
		for i, e := range es {
			if e.PLOVER == gold {
				s.AnyTypeCorrect++
				break
			}
			_ = i
		}
		for i, e := range es {
			if conf(e) > conf(es[best]) {
				best = i
			}
		}
		e := es[best]
		if e.PLOVER == gold {
			s.TypeCorrect++
			bt[1]++
		}
		s.ByType[gold] = bt
		srcs, tgts := countries(r.PLOVER.Source), countries(r.PLOVER.Target)
		if len(tgts) == 0 {
			tgts = srcs
		}
		if srcs[country(e.Source)] {
			s.SourceAgree++
		}
		if tgts[country(e.Target)] {
			s.TargetAgree++
		}
	}
	return s
}

func conf(e detente.Event) float64 {
	if len(e.Mentions) == 0 {
		return 0
	}
	return e.Mentions[0].Confidence
}

func countries(as []PLOVERActor) map[string]bool {
	m := map[string]bool{}
	for _, a := range as {
		if a.Code != "" {
			m[country(a.Code)] = true
		}
	}
	return m
}

// country is the first three letters of an actor code ("CHNGOV" → "CHN").
func country(code string) string {
	if len(code) > 3 {
		return code[:3]
	}
	return code
}
