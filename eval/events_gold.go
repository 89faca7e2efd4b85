package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
)

// EventTriple is one coded event as the scoring rule sees it.
type EventTriple struct {
	Source, Target, Code string
}

// PLOVERActor is one actor of a PLOVER gold record: its text, ISO3 (or
// IGO…) code and sector (GOV, MIL, CVL…) when given.
type PLOVERActor struct {
	Text   string `json:"actorText"`
	Code   string `json:"code"`
	Sector string `json:"sector,omitempty"`
}

// PLOVERGold is what a PLOVER gold record adds beyond triples.
type PLOVERGold struct {
	Event     string        `json:"event"`
	Mode      string        `json:"mode,omitempty"`
	Context   string        `json:"context,omitempty"`
	EventText string        `json:"eventText,omitempty"`
	Markup    string        `json:"markup,omitempty"`
	Source    []PLOVERActor `json:"source"`
	Target    []PLOVERActor `json:"target,omitempty"`
	Location  string        `json:"eventLoc,omitempty"`
	Comment   string        `json:"comment,omitempty"`
}

// EventRecord is one gold sentence. Parse trees in the files are ignored:
// detente codes from the raw text.
type EventRecord struct {
	ID, Text, Date string
	// Category is the record's test category (DEMO, AGENT, AFP…).
	Category string
	// Evaluate is false for records the suite itself marks not to score
	// (PETRARCH's valid="false", the GSR's evaluate="false").
	Evaluate bool
	// Gold is the set of expected events; empty when none is expected.
	Gold []EventTriple
	// NoEvents says the record explicitly expects no event.
	NoEvents bool
	// Error is PETRARCH's expected error ("dateline", "sentencediscard"…).
	Error string
	// PLOVER holds the PLOVER-specific gold for PLOVER records.
	PLOVER *PLOVERGold
}

// LoadPetrarchUnitTests reads the PETRARCH-1 unit-test records
// (PETR.UnitTest.records.*.xml): <Sentence date id category valid> holding
// <EventCoding sourcecode targetcode eventcode> (or noevents / error), <Text>
// and a <Parse> that is ignored. Quoted new-actor codes ('"INJURY TOLL"')
// keep their quotes, as PETRARCH writes them.
func LoadPetrarchUnitTests(path string) ([]EventRecord, error) {
	recs, err := loadPetrarchXML(path)
	return uniqueIDs(recs), err
}

// uniqueIDs renames records whose ID an earlier record already has
// ("AGENTS-18" twice in the unit suite) to "ID#2", "ID#3", so every record
// is coded and scored on its own.
func uniqueIDs(recs []EventRecord) []EventRecord {
	seen := map[string]int{}
	for i := range recs {
		id := recs[i].ID
		seen[id]++
		if n := seen[id]; n > 1 {
			recs[i].ID = fmt.Sprintf("%s#%d", id, n)
		}
	}
	return recs
}

// LoadPetrarch2GSR reads PETRARCH-2's gold-standard records
// (PETR2_GSR_validation.*.xml), where <Sentence …/> is an empty element
// followed by its <EventCoding>, <Text> and <Parse> siblings.
func LoadPetrarch2GSR(path string) ([]EventRecord, error) {
	recs, err := loadPetrarchXML(path)
	return uniqueIDs(recs), err
}

// loadPetrarchXML walks the token stream so both layouts (children inside
// <Sentence> or following an empty one) read alike: every EventCoding and
// Text belongs to the latest Sentence.
func loadPetrarchXML(path string) ([]EventRecord, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// Some GSR records mix empty <Sentence/> elements with stray
	// </Sentence> closers; records are delimited by their start tags, so
	// the closers carry nothing and are dropped before decoding.
	data = bytes.ReplaceAll(data, []byte("</Sentence>"), nil)
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	var recs []EventRecord
	var cur *EventRecord
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return recs, fmt.Errorf("%s: %w", path, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "Sentence":
			recs = append(recs, EventRecord{Evaluate: true})
			cur = &recs[len(recs)-1]
			for _, a := range se.Attr {
				v := strings.TrimSpace(a.Value)
				switch a.Name.Local {
				case "id":
					cur.ID = v
				case "date":
					cur.Date = v
				case "category":
					cur.Category = v
				case "valid", "evaluate":
					cur.Evaluate = !strings.EqualFold(v, "false")
				}
			}
		case "EventCoding":
			if cur == nil {
				continue
			}
			var tr EventTriple
			for _, a := range se.Attr {
				v := strings.TrimSpace(a.Value)
				switch a.Name.Local {
				case "sourcecode":
					tr.Source = v
				case "targetcode":
					tr.Target = v
				case "eventcode":
					tr.Code = v
				case "noevents":
					cur.NoEvents = strings.EqualFold(v, "true")
				case "error":
					cur.Error = v
				}
			}
			if tr.Code != "" {
				cur.Gold = append(cur.Gold, tr)
			}
		case "Text":
			if cur == nil {
				continue
			}
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				return recs, fmt.Errorf("%s: record %s: %w", path, cur.ID, err)
			}
			cur.Text = strings.Join(strings.Fields(s), " ")
		case "Parse":
			if cur == nil || cur.Text != "" {
				continue
			}
			// One GSR record has an empty <Text>; its words survive only in
			// the CoNLL-U parse, so the sentence is rebuilt from the FORM column.
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				return recs, fmt.Errorf("%s: record %s: %w", path, cur.ID, err)
			}
			cur.Text = conllText(s)
		}
	}
	return recs, nil
}

// conllText joins the FORM column of CoNLL-U lines, without a space before
// punctuation and clitics; "" when the parse is not CoNLL-U (a Treebank tree).
func conllText(parse string) string {
	var b strings.Builder
	for _, line := range strings.Split(parse, "\n") {
		cols := strings.Split(strings.TrimSpace(line), "\t")
		if len(cols) < 2 {
			continue
		}
		w := cols[1]
		if b.Len() > 0 && !strings.ContainsAny(w[:1], ".,;:!?%)'") && !strings.HasPrefix(w, "n't") {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// LoadPLOVERGold reads the PLOVER gold records (plover_gsr.*.jsonl). Gold
// triples pair every source with every target (compound actors); a record
// without a target has triples with an empty Target. Code is the PLOVER
// event type; actors are "ISO3" or "ISO3+SECTOR" strings in the triples,
// with the full detail kept in PLOVER.
func LoadPLOVERGold(path string) ([]EventRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	var recs []EventRecord
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var raw struct {
			ID       string          `json:"id"`
			Date     string          `json:"date"`
			Text     string          `json:"text"`
			Event    string          `json:"event"`
			Mode     string          `json:"mode"`
			Context  string          `json:"context"`
			EvText   string          `json:"eventText"`
			Source   json.RawMessage `json:"source"`
			Target   json.RawMessage `json:"target"`
			Loc      json.RawMessage `json:"eventLoc"`
			Comment  string          `json:"comment"`
			TextInfo json.RawMessage `json:"textInfo"`
		}
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			return recs, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		src, err := ploverActors(raw.Source)
		if err != nil {
			return recs, fmt.Errorf("%s:%d: source: %w", path, line, err)
		}
		tgt, err := ploverActors(raw.Target)
		if err != nil {
			return recs, fmt.Errorf("%s:%d: target: %w", path, line, err)
		}
		g := &PLOVERGold{Event: raw.Event, Mode: raw.Mode, Context: raw.Context, EventText: raw.EvText,
			Markup: ploverMarkup(raw.TextInfo), Source: src, Target: tgt, Comment: raw.Comment}
		if len(raw.Loc) > 0 && string(raw.Loc) != "null" {
			g.Location = strings.Trim(string(raw.Loc), `"`)
		}
		rec := EventRecord{ID: raw.ID, Text: raw.Text, Date: raw.Date, Category: raw.Event, Evaluate: true, PLOVER: g}
		targets := tgt
		if len(targets) == 0 {
			targets = []PLOVERActor{{}}
		}
		for _, s := range src {
			for _, t := range targets {
				rec.Gold = append(rec.Gold, EventTriple{Source: s.key(), Target: t.key(), Code: raw.Event})
			}
		}
		recs = append(recs, rec)
	}
	return recs, sc.Err()
}

// ploverMarkup reads textInfo, an object with "markup" in most records and
// the markup string itself in a few.
func ploverMarkup(m json.RawMessage) string {
	var obj struct {
		Markup string `json:"markup"`
	}
	if json.Unmarshal(m, &obj) == nil {
		return obj.Markup
	}
	var s string
	if json.Unmarshal(m, &s) == nil {
		return s
	}
	return ""
}

func (a PLOVERActor) key() string {
	if a.Sector == "" {
		return a.Code
	}
	return a.Code + "+" + a.Sector
}

// ploverActors reads a source/target field: a list of actors, an empty
// string or null.
func ploverActors(m json.RawMessage) ([]PLOVERActor, error) {
	s := strings.TrimSpace(string(m))
	if s == "" || s == "null" || s == `""` {
		return nil, nil
	}
	if strings.HasPrefix(s, `"`) {
		var one string
		if err := json.Unmarshal(m, &one); err != nil {
			return nil, err
		}
		return []PLOVERActor{{Text: one}}, nil
	}
	var list []PLOVERActor
	err := json.Unmarshal(m, &list)
	return list, err
}

// EventScore is how a coder did on a gold set, by PETRARCH's rule and at
// the triple and root-code levels.
type EventScore struct {
	Records        int `json:"records"`
	RecordsCorrect int `json:"records_correct"`
	// Triples: TP, FP, FN over exact (source, target, code) triples.
	TP, FP, FN int
	// Root-code counts compare (source, target, root) triples, the root
	// being the code's first two digits.
	RootTP, RootFP, RootFN int
	// Wrong lists the IDs of records not coded correctly, in order.
	Wrong []string `json:"wrong,omitempty"`
}

// RecordAccuracy is the share of records whose triple set equals gold.
func (s EventScore) RecordAccuracy() float64 { return ratio(s.RecordsCorrect, s.Records) }

// Precision is triple precision.
func (s EventScore) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }

// Recall is triple recall.
func (s EventScore) Recall() float64 { return ratio(s.TP, s.TP+s.FN) }

// F1 is the triple F1.
func (s EventScore) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// RootPrecision is precision at the CAMEO root level.
func (s EventScore) RootPrecision() float64 { return ratio(s.RootTP, s.RootTP+s.RootFP) }

// RootRecall is recall at the CAMEO root level.
func (s EventScore) RootRecall() float64 { return ratio(s.RootTP, s.RootTP+s.RootFN) }

// ScoreEvents scores predictions (by record ID) against gold records,
// skipping records marked not to evaluate. A record is correct when its set
// of predicted triples equals the gold set (duplicates do not count twice);
// a record expecting no event is correct when nothing is predicted.
func ScoreEvents(records []EventRecord, predicted map[string][]EventTriple) EventScore {
	var s EventScore
	for _, r := range records {
		if !r.Evaluate {
			continue
		}
		s.Records++
		gold, pred := tripleSet(r.Gold, false), tripleSet(predicted[r.ID], false)
		if equalSets(gold, pred) {
			s.RecordsCorrect++
		} else {
			s.Wrong = append(s.Wrong, r.ID)
		}
		tp, fp, fn := overlap(gold, pred)
		s.TP += tp
		s.FP += fp
		s.FN += fn
		tp, fp, fn = overlap(tripleSet(r.Gold, true), tripleSet(predicted[r.ID], true))
		s.RootTP += tp
		s.RootFP += fp
		s.RootFN += fn
	}
	return s
}

func tripleSet(ts []EventTriple, root bool) map[EventTriple]bool {
	m := make(map[EventTriple]bool, len(ts))
	for _, t := range ts {
		if root && len(t.Code) > 2 {
			t.Code = t.Code[:2]
		}
		m[t] = true
	}
	return m
}

func equalSets(a, b map[EventTriple]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func overlap(gold, pred map[EventTriple]bool) (tp, fp, fn int) {
	for k := range pred {
		if gold[k] {
			tp++
		} else {
			fp++
		}
	}
	return tp, fp, len(gold) - tp
}

// String is a one-line summary.
func (s EventScore) String() string {
	return fmt.Sprintf("records %d/%d correct (%.1f%%); triples P %.3f R %.3f F1 %.3f; root P %.3f R %.3f",
		s.RecordsCorrect, s.Records, 100*s.RecordAccuracy(), s.Precision(), s.Recall(), s.F1(), s.RootPrecision(), s.RootRecall())
}
