package eval

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

func writeFixture(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const unitFixture = `<Validation>
<!-- header comment with <Stop> inside -->
<Sentences>
<Sentence date="19950101" id="T-01" category="DEMO" valid="true">
<!-- note -->
<Skip></Skip>
    <EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<EventCoding sourcecode='"INJURY TOLL"' targetcode="OSG" eventcode="223"></EventCoding>
<Text>
Arnor is about to restore
full diplomatic ties with Gondor.
</Text>
<Parse> (ROOT (S (NP (NNP Arnor)) (VP (VBZ is)))) </Parse>
</Sentence>
<Sentence date = "19950102" id ="T-02" category="DEMO" valid="false">
<EventCoding noevents = "True"></EventCoding>
<Text>Nothing here.</Text>
</Sentence>
<Sentence date="19950103" id="T-03" category="ERROR" valid="true">
<EventCoding error="dateline"></EventCoding>
<Text>GONDOR, Jan 3 --</Text>
</Sentence>
</Sentences>
</Validation>`

func TestLoadPetrarchUnitTestsReadsRecordsTriplesAndFlags(t *testing.T) {
	recs, err := LoadPetrarchUnitTests(writeFixture(t, "u.xml", unitFixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("records = %d", len(recs))
	}
	r := recs[0]
	if r.ID != "T-01" || r.Date != "19950101" || r.Category != "DEMO" || !r.Evaluate ||
		r.Text != "Arnor is about to restore full diplomatic ties with Gondor." {
		t.Errorf("record = %+v", r)
	}
	want := []EventTriple{{"ARN", "GON", "064"}, {`"INJURY TOLL"`, "OSG", "223"}}
	if !reflect.DeepEqual(r.Gold, want) {
		t.Errorf("gold = %v", r.Gold)
	}
	if recs[1].Evaluate || !recs[1].NoEvents || len(recs[1].Gold) != 0 || recs[1].ID != "T-02" {
		t.Errorf("no-event record = %+v", recs[1])
	}
	if recs[2].Error != "dateline" {
		t.Errorf("error record = %+v", recs[2])
	}
}

const gsrFixture = `<?xml version='1.0' encoding='utf-8'?>
<Validation>
#### free text header
<Sentences>
<Sentence category="AFP" date="20080806" id="A1" evaluate="true"/>
<EventCoding eventcode="046" sourcecode="LBNGOV" targetcode="USAMIL" />
<EventCoding eventcode="046" sourcecode="USAMIL" targetcode="LBNGOV" />
<Text>
Lebanese officials met US commanders.
</Text>
<Parse>
1	Lebanese	lebanese	ADJ	JJ	_	2	amod	_	_
</Parse>
<Sentence category="TEST" date="20080807" id="A2" evaluate="true"/>
<EventCoding noevents="True" />
<Text>Rain fell.</Text>
</Sentences>
</Validation>`

func TestLoadPetrarch2GSRAttachesSiblingsToTheEmptySentence(t *testing.T) {
	recs, err := LoadPetrarch2GSR(writeFixture(t, "g.xml", gsrFixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || len(recs[0].Gold) != 2 || recs[0].Text != "Lebanese officials met US commanders." {
		t.Fatalf("records = %+v", recs)
	}
	if !recs[1].NoEvents || recs[1].Text != "Rain fell." {
		t.Errorf("second = %+v", recs[1])
	}
}

const ploverFixture = `{"id": "P-1", "date": "2000-01-01", "source": [{"actorText": "Hungarian", "code": "HUN", "sector": "GOV"}, {"actorText": "Romanian", "code": "ROU", "sector": "GOV"}], "event": "AGREE", "eventText": "agreed", "context": "refugees", "text": "Hungarian and Romanian officials agreed.", "textInfo": {"markup": "(SRC: Hungarian) ..."}}

{"id": "P-2", "date": "2000-01-01", "source": [{"actorText": "Taiwan", "code": "TWN"}], "target": [{"actorText": "Russia", "code": "RUS"}], "event": "CONSULT", "mode": "visit", "eventLoc": "Moscow", "text": "Taiwan's minister visited Russia.", "textInfo": {"markup": "x"}}
{"id": "P-3", "date": "2000-01-01", "source": [{"actorText": "Iraq", "code": "IRQ"}], "target": "", "event": "THREATEN", "text": "Iraq threatened.", "textInfo": {}}
`

func TestLoadPLOVERGoldKeepsActorsModeAndContext(t *testing.T) {
	recs, err := LoadPLOVERGold(writeFixture(t, "p.jsonl", ploverFixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("records = %d", len(recs))
	}
	if want := []EventTriple{{"HUN+GOV", "", "AGREE"}, {"ROU+GOV", "", "AGREE"}}; !reflect.DeepEqual(recs[0].Gold, want) {
		t.Errorf("compound source = %v", recs[0].Gold)
	}
	if g := recs[0].PLOVER; g.Context != "refugees" || len(g.Source) != 2 || g.Source[1].Sector != "GOV" {
		t.Errorf("plover gold = %+v", g)
	}
	p2 := recs[1].PLOVER
	if p2.Mode != "visit" || p2.Location != "Moscow" || recs[1].Gold[0] != (EventTriple{"TWN", "RUS", "CONSULT"}) {
		t.Errorf("record 2 = %+v %+v", recs[1], p2)
	}
	if len(recs[2].PLOVER.Target) != 0 || recs[2].Gold[0].Target != "" {
		t.Errorf("empty-string target = %+v", recs[2])
	}
}

func TestScoreEventsUsesSetEqualityTriplesAndRoots(t *testing.T) {
	recs := []EventRecord{
		{ID: "a", Evaluate: true, Gold: []EventTriple{{"ARN", "GON", "042"}, {"GON", "ARN", "043"}}},
		{ID: "b", Evaluate: true, Gold: []EventTriple{{"ARN", "GON", "112"}}},
		{ID: "c", Evaluate: true, NoEvents: true},
		{ID: "d", Evaluate: false, Gold: []EventTriple{{"X", "Y", "010"}}},
	}
	pred := map[string][]EventTriple{
		"a": {{"GON", "ARN", "043"}, {"ARN", "GON", "042"}, {"ARN", "GON", "042"}}, // order and duplicates do not matter
		"b": {{"ARN", "GON", "111"}},                                               // same root, wrong code
	}
	s := ScoreEvents(recs, pred)
	if s.Records != 3 || s.RecordsCorrect != 2 || !reflect.DeepEqual(s.Wrong, []string{"b"}) {
		t.Errorf("records = %+v", s)
	}
	if s.TP != 2 || s.FP != 1 || s.FN != 1 {
		t.Errorf("triples = %d/%d/%d", s.TP, s.FP, s.FN)
	}
	if s.RootTP != 3 || s.RootFP != 0 || s.RootFN != 0 || s.RootPrecision() != 1 {
		t.Errorf("roots = %d/%d/%d", s.RootTP, s.RootFP, s.RootFN)
	}
	if !near(s.Precision(), 2.0/3) || !near(s.Recall(), 2.0/3) || !near(s.RecordAccuracy(), 2.0/3) {
		t.Errorf("rates = %v", s)
	}
}

func TestSharedEventGoldSetsLoad(t *testing.T) {
	dir := shareddata.Dir()
	cases := []struct {
		path string
		load func(string) ([]EventRecord, error)
		want int
	}{
		{"validation/petrarch-unittest/PETR.UnitTest.records.dev.xml", LoadPetrarchUnitTests, 207},
		{"validation/petrarch2-gsr/PETR2_GSR_validation.dev.xml", LoadPetrarch2GSR, 30},
		{"validation/plover-gsr/plover_gsr.dev.jsonl", LoadPLOVERGold, 185},
	}
	for _, c := range cases {
		p := filepath.Join(dir, c.path)
		if _, err := os.Stat(p); err != nil {
			t.Skipf("shared gold not found at %s (set DETENTE_SHARED)", p)
		}
		recs, err := c.load(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != c.want {
			t.Errorf("%s: %d records, want %d", c.path, len(recs), c.want)
		}
		for _, r := range recs {
			if r.ID == "" || r.Text == "" {
				t.Errorf("%s: record without id or text: %+v", c.path, r)
				break
			}
		}
	}
}

func TestRecordsSharingAnIDAreScoredApart(t *testing.T) {
	recs := uniqueIDs([]EventRecord{{ID: "A-1"}, {ID: "A-2"}, {ID: "A-1"}, {ID: "A-1"}})
	got := []string{recs[0].ID, recs[1].ID, recs[2].ID, recs[3].ID}
	want := []string{"A-1", "A-2", "A-1#2", "A-1#3"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ids = %v, want %v", got, want)
		}
	}
}
