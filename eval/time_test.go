package eval

import (
	"os"
	"strings"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/nlp/timex"

	"github.com/detente/detente/internal/shareddata"
)

// A MEANTIME-shaped fixture we wrote: a title, the dateline carrying the
// creation time, and a body sentence with two time expressions.
const meantimeFixture = `<?xml version="1.0" ?><Document doc_id="1" doc_name="1_fixture" lang="en">
<token number="0" sentence="0" t_id="1">Talks</token>
<token number="1" sentence="0" t_id="2">resume</token>
<token number="2" sentence="1" t_id="3">June</token>
<token number="3" sentence="1" t_id="4">9</token>
<token number="4" sentence="1" t_id="5">,</token>
<token number="5" sentence="1" t_id="6">2008</token>
<token number="6" sentence="2" t_id="7">Talks</token>
<token number="7" sentence="2" t_id="8">resumed</token>
<token number="8" sentence="2" t_id="9">today</token>
<token number="9" sentence="2" t_id="10">after</token>
<token number="10" sentence="2" t_id="11">two</token>
<token number="11" sentence="2" t_id="12">years</token>
<token number="12" sentence="2" t_id="13">.</token>
<Markables>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="1" type="DATE" value="2008-06-09"><token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/></TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="2" type="DATE" value="2008-06-09"><token_anchor t_id="9"/></TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="3" type="DURATION" value="P2Y"><token_anchor t_id="11"/><token_anchor t_id="12"/></TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="4" type="DATE" value="2006"></TIMEX3>
</Markables>
</Document>`

func TestParseMEANTIMERebuildsTextWithoutTheDateline(t *testing.T) {
	d, err := ParseMEANTIME(strings.NewReader(meantimeFixture))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Talks resume\nTalks resumed today after two years."; d.Text != want {
		t.Errorf("text = %q, want %q", d.Text, want)
	}
	if d.Annotated != len([]rune(d.Text)) {
		t.Errorf("annotated part ends at %d, want the whole %d code points", d.Annotated, len([]rune(d.Text)))
	}
	if d.Published != "2008-06-09" || d.Sentences != 2 {
		t.Errorf("published %q, %d sentences; want 2008-06-09 and 2", d.Published, d.Sentences)
	}
	want := []TimeGold{
		{Text: "today", Start: 27, End: 32, Type: "DATE", Value: "2008-06-09"},
		{Text: "two years", Start: 39, End: 48, Type: "DURATION", Value: "P2Y"},
	}
	if len(d.Gold) != len(want) {
		t.Fatalf("gold = %+v, want %+v (mentions without tokens are dropped)", d.Gold, want)
	}
	for i := range want {
		if d.Gold[i] != want[i] {
			t.Errorf("gold[%d] = %+v, want %+v", i, d.Gold[i], want[i])
		}
	}
}

func TestNormDCTReadsDayFirstCreationTimes(t *testing.T) {
	for in, want := range map[string]string{"03-02-2009": "2009-02-03", "2009-02-03": "2009-02-03"} {
		if got := normDCT(in); got != want {
			t.Errorf("normDCT(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScoreTimeCountsSpansAndValues(t *testing.T) {
	docs := []TimeDoc{{ID: "d", Text: "Talks resumed today after two years. Next year.", Published: "2008-06-09", Sentences: 2, Annotated: 36,
		Gold: []TimeGold{
			{Text: "today", Start: 14, End: 19, Type: "DATE", Value: "2008-06-09"},
			{Text: "two years", Start: 26, End: 35, Type: "DURATION", Value: "P2Y"},
		}}}
	find := func(text, published string) []detente.TimeExpr {
		return []detente.TimeExpr{
			{Text: "today", Start: 14, End: 19, Value: "2008-06-09", Type: "DATE"},        // exact, right value
			{Text: "after two years", Start: 20, End: 35, Value: "P3Y", Type: "DURATION"}, // overlap, wrong value
			{Text: "Talks", Start: 0, End: 5, Value: "X", Type: "DATE"},                   // spurious
		}
	}
	r := ScoreTime(docs, find)
	if r.ExactTP != 1 || r.RelaxedTP != 2 || r.ValueCorrect != 1 || r.Predicted != 3 || r.Gold != 2 {
		t.Fatalf("report = %+v", r)
	}
	if !near(r.ExactPrecision, 1.0/3) || !near(r.RelaxedRecall, 1) || !near(r.ValueAccuracy, 0.5) || !near(r.TypeAccuracy, 1) {
		t.Errorf("exact P %v, relaxed R %v, value acc %v, type acc %v", r.ExactPrecision, r.RelaxedRecall, r.ValueAccuracy, r.TypeAccuracy)
	}
	kinds := map[string]int{}
	for _, m := range r.Misses {
		kinds[m.Kind]++
	}
	if kinds["value"] != 1 || kinds["spurious"] != 1 || kinds["missed"] != 0 {
		t.Errorf("misses = %+v", r.Misses)
	}
}

// meantimeDir finds shared/gold/meantime, or skips.
func meantimeDir(t *testing.T) string {
	t.Helper()
	return shareddata.Require(t, "gold", "meantime")
}

func TestTimeScoresMEANTIME(t *testing.T) {
	dir := meantimeDir(t)
	rep, err := Time(dir, timex.Find)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_ = rep.Write(&b, testing.Verbose() && os.Getenv("TIMEX_MISSES") != "")
	t.Logf("\n%s", b.String())
	if rep.Docs < 80 || rep.Gold < 200 {
		t.Errorf("read %d documents with %d gold mentions; want the 82 English documents", rep.Docs, rep.Gold)
	}
	for name, v := range map[string]float64{"relaxed F1": rep.RelaxedF1, "value accuracy": rep.ValueAccuracy} {
		if v < 0 || v > 1 {
			t.Errorf("%s = %v, outside [0,1]", name, v)
		}
	}
}
