package eval

import (
	"strings"
	"testing"

	"github.com/detente/detente/nlp/ner"

	"github.com/detente/detente/internal/shareddata"
)

// nerShared finds the shared folder holding the NER gold sets, or skips.
func nerShared(t testing.TB) string {
	t.Helper()
	shareddata.Require(t, ner.GUMDir)
	return shareddata.Dir()
}

func sp(start, end int, typ string) ner.Span { return ner.Span{Start: start, End: end, Type: typ} }

func TestNERScorerCountsExactSpanAndTypeMatchesOnly(t *testing.T) {
	gold := []ner.Span{sp(0, 2, "PERSON"), sp(4, 5, "GPE"), sp(7, 9, "ORG")}
	tests := []struct {
		name       string
		pred       []ner.Span
		tp, fp, fn int
	}{
		{"a perfect prediction has no errors", gold, 3, 0, 0},
		{"a span one token short is both a false positive and a false negative",
			[]ner.Span{sp(0, 1, "PERSON"), sp(4, 5, "GPE"), sp(7, 9, "ORG")}, 2, 1, 1},
		{"a right span with the wrong type is wrong",
			[]ner.Span{sp(0, 2, "ORG"), sp(4, 5, "GPE"), sp(7, 9, "ORG")}, 2, 1, 1},
		{"LOC and GPE both count as a place",
			[]ner.Span{sp(0, 2, "PERSON"), sp(4, 5, "LOC"), sp(7, 9, "ORG")}, 3, 0, 0},
		{"types outside the scored set are ignored",
			[]ner.Span{sp(0, 2, "PERSON"), sp(4, 5, "GPE"), sp(7, 9, "ORG"), sp(10, 11, "MISC")}, 3, 0, 0},
		{"nothing predicted misses everything", nil, 0, 0, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := &NERScorer{Types: gumTypes, Fold: FoldPlaces(gumTypes...)}
			sc.Add(gold, tc.pred, nil)
			m := sc.Report().Micro
			if m.TP != tc.tp || m.FP != tc.fp || m.FN != tc.fn {
				t.Errorf("micro = %+v, want tp %d fp %d fn %d", m, tc.tp, tc.fp, tc.fn)
			}
		})
	}
}

func TestNERCountsComputePrecisionRecallAndF1(t *testing.T) {
	c := NERCounts{TP: 3, FP: 1, FN: 2}
	if p, r, f := c.Precision(), c.Recall(), c.F1(); p != 0.75 || r != 0.6 || f < 0.6666 || f > 0.6667 {
		t.Errorf("P/R/F1 = %v %v %v, want 0.75 0.6 0.667", p, r, f)
	}
	if (NERCounts{}).F1() != 0 {
		t.Error("empty counts should score 0, not NaN")
	}
}

func TestNERReportPrintsEachTypeAndTheMicroAverage(t *testing.T) {
	sc := &NERScorer{Types: gumTypes, Fold: FoldPlaces(gumTypes...)}
	sc.Add([]ner.Span{sp(0, 1, "PERSON")}, []ner.Span{sp(0, 1, "PERSON"), sp(2, 3, "ORG")}, nil)
	r := sc.Report()
	r.Set, r.Method = "hand-made", "test"
	out := r.String()
	for _, want := range []string{"PERSON", "ORG", "PLACE", "micro", "hand-made"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if r.Micro.TP != 1 || r.Micro.FP != 1 || r.PerType["ORG"].FP != 1 {
		t.Errorf("counts = %+v", r.PerType)
	}
}

// The evaluations the issue asks for. They print the report so `go test
// -v -run NERShared ./eval` is the evaluation record.
func TestNERSharedGUMAndCrossNER(t *testing.T) {
	shared := nerShared(t)
	m := ner.Default()
	gum, err := NERGum(shared, m, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", gum)
	if gum.Micro.TP+gum.Micro.FN < 500 {
		t.Errorf("GUM has %d gold named mentions; the reader lost some", gum.Micro.TP+gum.Micro.FN)
	}
	cn, err := NERCrossNER(shared, m)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", cn)
	if cn.Sentences < 500 || cn.Micro.F1() < 0.3 {
		t.Errorf("CrossNER test: %d sentences, F1 %.3f: the reader or the model is broken", cn.Sentences, cn.Micro.F1())
	}
}

func TestNERSharedGUMCrossValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 16 models; skipped with -short")
	}
	shared := nerShared(t)
	r, err := NERGumCV(shared, ner.TrainOptions{}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r)
	if r.Docs != 16 || r.Micro.F1() < 0.3 {
		t.Errorf("%d docs, F1 %.3f", r.Docs, r.Micro.F1())
	}
}
