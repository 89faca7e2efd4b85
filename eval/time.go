package eval

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
)

// TimeFinder finds time expressions in a text, resolving them against a
// publication date ("YYYY-MM-DD" or "").
type TimeFinder func(text, published string) []detente.TimeExpr

// TimeDoc is one gold document for time expressions: its text rebuilt from
// the corpus tokens, its creation date and its TIMEX3 mentions.
type TimeDoc struct {
	ID        string
	Text      string
	Published string
	Sentences int
	Gold      []TimeGold
	// Annotated is the code point offset where the annotated part of the
	// text ends: MEANTIME annotates only the first sentences of each
	// article, so predictions from there on are not scored.
	Annotated int
}

// TimeGold is one gold TIMEX3 mention with code point offsets into
// TimeDoc.Text.
type TimeGold struct {
	Text       string
	Start, End int
	Type       string
	Value      string
}

// TimeMiss is one disagreement, kept for the report: a gold mention not
// found, a spurious prediction, or a matched span with the wrong value.
type TimeMiss struct {
	Doc       string
	Kind      string // "missed", "spurious", "value"
	Text      string // gold text (missed, value) or predicted text (spurious)
	Gold      string // gold value
	Predicted string // predicted text and value
	Published string
}

// TimeReport is the score of a TimeFinder on a gold set.
type TimeReport struct {
	Corpus    string `json:"corpus"`
	Docs      int    `json:"docs"`
	Sentences int    `json:"sentences"`
	Gold      int    `json:"gold"`
	Predicted int    `json:"predicted"`

	// Exact spans must match to the code point; relaxed spans overlap
	// (one prediction per gold mention).
	ExactTP          int     `json:"exact_tp"`
	ExactPrecision   float64 `json:"exact_precision"`
	ExactRecall      float64 `json:"exact_recall"`
	ExactF1          float64 `json:"exact_f1"`
	RelaxedTP        int     `json:"relaxed_tp"`
	RelaxedPrecision float64 `json:"relaxed_precision"`
	RelaxedRecall    float64 `json:"relaxed_recall"`
	RelaxedF1        float64 `json:"relaxed_f1"`

	// ValueAccuracy is the share of relaxed matches whose value equals the
	// gold TIMEX3 value; TypeAccuracy likewise for the type. ValueF1 is
	// the TempEval-3 style value F1 (correct values over predictions and
	// over gold).
	ValueCorrect  int     `json:"value_correct"`
	ValueAccuracy float64 `json:"value_accuracy"`
	TypeAccuracy  float64 `json:"type_accuracy"`
	ValueF1       float64 `json:"value_f1"`

	Elapsed time.Duration `json:"elapsed_ns"`
	Misses  []TimeMiss    `json:"misses,omitempty"`
}

// Time scores find on the MEANTIME English corpus under dir (the
// corpus_* folders of NAF-style XML). MEANTIME gives no dev/test split, so
// every document is used. It annotates only the title and the first
// sentences of each article (sentences 0–5); the finder sees the whole text
// but only predictions inside that part are scored. The dateline sentence that carries the document
// creation time is left out of the text (it is metadata, passed as the
// publication date); the title and body are kept.
func Time(dir string, find TimeFinder) (TimeReport, error) {
	docs, err := LoadMEANTIME(dir)
	if err != nil {
		return TimeReport{}, err
	}
	rep := ScoreTime(docs, find)
	rep.Corpus = "MEANTIME"
	return rep, nil
}

// LoadMEANTIME reads every *.xml document under dir's corpus_* folders (or
// dir itself).
func LoadMEANTIME(dir string) ([]TimeDoc, error) {
	files, err := filepath.Glob(filepath.Join(dir, "corpus_*", "*.xml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		files, _ = filepath.Glob(filepath.Join(dir, "*.xml"))
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("eval: no MEANTIME documents under %s", dir)
	}
	sort.Strings(files)
	docs := make([]TimeDoc, 0, len(files))
	for _, p := range files {
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		d, err := ParseMEANTIME(fh)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if d.ID == "" {
			d.ID = strings.TrimSuffix(filepath.Base(p), ".xml")
		}
		docs = append(docs, d)
	}
	return docs, nil
}

type meantimeXML struct {
	Name   string `xml:"doc_name,attr"`
	Tokens []struct {
		ID       string `xml:"t_id,attr"`
		Sentence int    `xml:"sentence,attr"`
		Text     string `xml:",chardata"`
	} `xml:"token"`
	Timex []struct {
		Type     string `xml:"type,attr"`
		Value    string `xml:"value,attr"`
		Function string `xml:"functionInDocument,attr"`
		Anchors  []struct {
			ID string `xml:"t_id,attr"`
		} `xml:"token_anchor"`
	} `xml:"Markables>TIMEX3"`
}

// meantimeAnnotatedSentences is how many sentences (title and dateline
// included) MEANTIME annotates in each document.
const meantimeAnnotatedSentences = 6

// noSpaceBefore are tokens written against the previous one when the text
// is rebuilt.
var noSpaceBefore = map[string]bool{",": true, ".": true, ";": true, ":": true, "!": true, "?": true,
	")": true, "%": true, "'s": true, "n't": true, "'": true, "’s": true}

// ParseMEANTIME reads one MEANTIME document: it rebuilds the text from the
// tokens (one line per sentence, punctuation attached), drops the dateline
// sentence holding the creation time, and maps each TIMEX3 with tokens to
// code point offsets.
func ParseMEANTIME(r io.Reader) (TimeDoc, error) {
	var x meantimeXML
	if err := xml.NewDecoder(r).Decode(&x); err != nil {
		return TimeDoc{}, err
	}
	d := TimeDoc{ID: x.Name}
	skipSent := map[int]bool{}
	sentOf := map[string]int{}
	for _, t := range x.Tokens {
		sentOf[t.ID] = t.Sentence
	}
	lastAnnotated := meantimeAnnotatedSentences - 1
	for _, tx := range x.Timex {
		if tx.Function == "CREATION_TIME" {
			d.Published = normDCT(tx.Value)
			for _, a := range tx.Anchors {
				skipSent[sentOf[a.ID]] = true
			}
		}
	}
	type span struct{ s, e int }
	at := map[string]span{}
	var b strings.Builder
	cp := 0
	prevSent := -1
	prevTok := ""
	for _, t := range x.Tokens {
		if skipSent[t.Sentence] {
			continue
		}
		switch {
		case prevSent < 0:
		case t.Sentence != prevSent:
			b.WriteByte('\n')
			cp++
			d.Sentences++
		case !noSpaceBefore[t.Text] && prevTok != "(" && prevTok != "$":
			b.WriteByte(' ')
			cp++
		}
		n := utf8.RuneCountInString(t.Text)
		at[t.ID] = span{cp, cp + n}
		b.WriteString(t.Text)
		cp += n
		if t.Sentence <= lastAnnotated {
			d.Annotated = cp
		}
		prevSent, prevTok = t.Sentence, t.Text
	}
	if prevSent >= 0 {
		d.Sentences++
	}
	d.Text = b.String()
	runes := []rune(d.Text)
	for _, tx := range x.Timex {
		if tx.Function == "CREATION_TIME" || len(tx.Anchors) == 0 {
			continue
		}
		s, e := -1, -1
		for _, a := range tx.Anchors {
			sp, ok := at[a.ID]
			if !ok {
				continue
			}
			if s < 0 || sp.s < s {
				s = sp.s
			}
			if sp.e > e {
				e = sp.e
			}
		}
		if s < 0 {
			continue
		}
		d.Gold = append(d.Gold, TimeGold{Text: string(runes[s:e]), Start: s, End: e, Type: tx.Type, Value: tx.Value})
	}
	sort.Slice(d.Gold, func(i, j int) bool { return d.Gold[i].Start < d.Gold[j].Start })
	return d, nil
}

// normDCT accepts the corpus's creation times, one of which is written
// DD-MM-YYYY.
func normDCT(v string) string {
	if len(v) == 10 && v[2] == '-' && v[5] == '-' {
		return v[6:] + "-" + v[3:5] + "-" + v[:2]
	}
	return v
}

// ScoreTime runs find over docs and scores it.
func ScoreTime(docs []TimeDoc, find TimeFinder) TimeReport {
	var rep TimeReport
	var typeOK int
	start := time.Now()
	preds := make([][]detente.TimeExpr, len(docs))
	for i, d := range docs {
		preds[i] = find(d.Text, d.Published)
	}
	rep.Elapsed = time.Since(start)
	for i, d := range docs {
		rep.Docs++
		rep.Sentences += d.Sentences
		rep.Gold += len(d.Gold)
		var pred []detente.TimeExpr
		for _, p := range preds[i] {
			if p.Start < d.Annotated {
				pred = append(pred, p)
			}
		}
		rep.Predicted += len(pred)
		used := make([]bool, len(pred))
		for _, g := range d.Gold {
			for k, p := range pred {
				if !used[k] && p.Start == g.Start && p.End == g.End {
					rep.ExactTP++
					break
				}
			}
		}
		for _, g := range d.Gold {
			best := -1
			for k, p := range pred {
				if used[k] || p.Start >= g.End || g.Start >= p.End {
					continue
				}
				if best < 0 || (p.Start == g.Start && p.End == g.End) {
					best = k
				}
			}
			if best < 0 {
				rep.Misses = append(rep.Misses, TimeMiss{Doc: d.ID, Kind: "missed", Text: g.Text, Gold: g.Value, Published: d.Published})
				continue
			}
			used[best] = true
			rep.RelaxedTP++
			p := pred[best]
			if p.Value == g.Value {
				rep.ValueCorrect++
			} else {
				rep.Misses = append(rep.Misses, TimeMiss{Doc: d.ID, Kind: "value", Text: g.Text, Gold: g.Value,
					Predicted: p.Text + " = " + p.Value, Published: d.Published})
			}
			if p.Type == g.Type {
				typeOK++
			}
		}
		for k, p := range pred {
			if !used[k] {
				rep.Misses = append(rep.Misses, TimeMiss{Doc: d.ID, Kind: "spurious", Text: p.Text, Predicted: p.Value, Published: d.Published})
			}
		}
	}
	rep.ExactPrecision, rep.ExactRecall, rep.ExactF1 = prf(rep.ExactTP, rep.Predicted, rep.Gold)
	rep.RelaxedPrecision, rep.RelaxedRecall, rep.RelaxedF1 = prf(rep.RelaxedTP, rep.Predicted, rep.Gold)
	_, _, rep.ValueF1 = prf(rep.ValueCorrect, rep.Predicted, rep.Gold)
	if rep.RelaxedTP > 0 {
		rep.ValueAccuracy = float64(rep.ValueCorrect) / float64(rep.RelaxedTP)
		rep.TypeAccuracy = float64(typeOK) / float64(rep.RelaxedTP)
	}
	return rep
}

func prf(tp, pred, gold int) (p, r, f float64) {
	if pred > 0 {
		p = float64(tp) / float64(pred)
	}
	if gold > 0 {
		r = float64(tp) / float64(gold)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// SentencesPerSecond is how fast the finder ran over the gold texts.
func (r TimeReport) SentencesPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Sentences) / r.Elapsed.Seconds()
}

// Write prints the report as a small table; with misses it lists the
// disagreements too (value errors first).
func (r TimeReport) Write(w io.Writer, misses bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d documents, %d sentences, %d gold time expressions, %d predicted\n",
		r.Corpus, r.Docs, r.Sentences, r.Gold, r.Predicted)
	fmt.Fprintf(&b, "%-8s %9s %9s %9s\n", "span", "precision", "recall", "F1")
	fmt.Fprintf(&b, "%-8s %9.3f %9.3f %9.3f\n", "exact", r.ExactPrecision, r.ExactRecall, r.ExactF1)
	fmt.Fprintf(&b, "%-8s %9.3f %9.3f %9.3f\n", "relaxed", r.RelaxedPrecision, r.RelaxedRecall, r.RelaxedF1)
	fmt.Fprintf(&b, "value accuracy on matched spans: %.3f (%d/%d); value F1 %.3f; type accuracy %.3f\n",
		r.ValueAccuracy, r.ValueCorrect, r.RelaxedTP, r.ValueF1, r.TypeAccuracy)
	fmt.Fprintf(&b, "speed: %.0f sentences/s\n", r.SentencesPerSecond())
	if misses {
		order := map[string]int{"value": 0, "missed": 1, "spurious": 2}
		ms := append([]TimeMiss(nil), r.Misses...)
		sort.SliceStable(ms, func(i, j int) bool { return order[ms[i].Kind] < order[ms[j].Kind] })
		for _, m := range ms {
			fmt.Fprintf(&b, "%-8s %s  %q gold=%s pred=%s  (%s)\n", m.Kind, m.Published, m.Text, m.Gold, m.Predicted, m.Doc)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// String is the report without the list of misses.
func (r TimeReport) String() string {
	var b strings.Builder
	_ = r.Write(&b, false)
	return b.String()
}
