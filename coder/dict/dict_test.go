package dict

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

// sharedDir finds the shared data folder, skipping the test when it is
// absent.
func sharedDir(t *testing.T) string {
	t.Helper()
	shareddata.Require(t)
	return shareddata.Dir()
}

const p2fixture = `# a PETRARCH-2 style fixture
&CEASEFIRE
+CEASEFIRE
+TRUCE
+ARMISTICE_

&AUXVERB_
+WILL

####### VERB PATTERNS #######
---  MEET   [040]  ---
MEET {MEETS MET MEETING}
CONFER  [040:040]
+SIT_DOWN {+SITS_DOWN +SAT_DOWN +SITTING_DOWN}
- * (WITH +)                      [036]   # meet with
- $ * &CEASEFIRE (IN ^)           [046:046]
- * {NEW TALKS} (WITH)            [043:042]
- * (AT) BROKEN ) [040]
- * &UNDEFINED                   [040]

---  VISIT [042:043] ---
VISIT
FALL (FALLS FELL }
- IN_* [042]
`

func TestReadPetrarchParsesVerbsSynsetsAndPatterns(t *testing.T) {
	d, errs := ReadPetrarch(strings.NewReader(p2fixture), "fx.txt")
	if got := d.Stats(); got.Verbs != 4 || got.Classes != 2 || got.Patterns != 4 || got.Synsets != 2 {
		t.Fatalf("stats = %+v", got)
	}
	if len(errs) != 3 {
		t.Fatalf("errors = %v, want 3 (unbalanced, undefined synset, bad forms)", errs)
	}
	for _, e := range errs {
		if e.File != "fx.txt" || e.Line == 0 {
			t.Errorf("error lacks a position: %v", e)
		}
	}
	meet := d.Verbs[0]
	if meet.Lemma != "meet" || meet.Code != "040" || !reflect.DeepEqual(meet.Forms, []string{"meet", "meets", "met", "meeting"}) {
		t.Errorf("meet = %+v", meet)
	}
	if c := d.Verbs[1]; c.Code != "040" || c.ReverseCode != "040" {
		t.Errorf("confer codes = %q:%q", c.Code, c.ReverseCode)
	}
	if s := d.Verbs[2]; s.Lemma != "sit" || !reflect.DeepEqual(s.Post, []string{"down"}) || !reflect.DeepEqual(s.Forms, []string{"sit", "sits", "sat", "sitting"}) {
		t.Errorf("multi-word verb = %+v", s)
	}
	if got := d.Synsets["CEASEFIRE"]; !reflect.DeepEqual(got, []string{"ceasefire", "ceasefires", "truce", "truces", "armistice"}) {
		t.Errorf("synset members with plurals = %v", got)
	}
	if got := d.Synsets["AUXVERB"]; !reflect.DeepEqual(got, []string{"will"}) {
		t.Errorf("a label ending in _ makes no plurals: %v", got)
	}
	p := meet.Patterns[0]
	want := []Element{{Kind: VerbSlot}, {Kind: Prep, Text: "with", Elems: []Element{{Kind: TargetSlot}}}}
	if !reflect.DeepEqual(p.Elements, want) || p.Code != "036" || p.Source != "fx.txt:15" {
		t.Errorf("pattern = %+v", p)
	}
	p = meet.Patterns[1]
	if p.Code != "046" || p.ReverseCode != "046" || p.Elements[0].Kind != SourceSlot || p.Elements[2].Kind != Synset || p.Elements[3].Elems[0].Kind != Skip {
		t.Errorf("slot pattern = %+v", p)
	}
	if np := meet.Patterns[2].Elements[1]; np.Kind != NounPhrase || len(np.Elems) != 2 || np.Elems[1].Text != "talks" {
		t.Errorf("noun phrase = %+v", np)
	}
	visit := d.Verbs[3]
	if visit.Code != "042" || visit.ReverseCode != "043" {
		t.Errorf("block code with reverse = %+v", visit)
	}
	if els := visit.Patterns[0].Elements; len(els) != 2 || els[0].Text != "in" || !els[1].Joined {
		t.Errorf("underscore joins the verb to its word: %+v", els)
	}
}

func TestReadPetrarchUnderstandsTabariChoicesAndKeepsOddCodes(t *testing.T) {
	src := "--- ACCORD [---] ---\nACCORD\n- * {PEACE TREATY | ARMISTICE} [057]\n- * DIPLXMATIC [###] # old discard code\n- * WITH % [031]\n"
	d, errs := ReadPetrarch(strings.NewReader(src), "t")
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	pats := d.Verbs[0].Patterns
	if c := pats[0].Elements[1]; c.Kind != Choice || !reflect.DeepEqual(c.Alternatives, []string{"peace treaty", "armistice"}) {
		t.Errorf("choice = %+v", c)
	}
	if pats[1].Code != "###" {
		t.Errorf("code inside brackets is not a comment: %q", pats[1].Code)
	}
	if pats[2].Elements[2].Kind != CompoundSlot {
		t.Errorf("%% is the compound slot: %+v", pats[2].Elements)
	}
}

func TestReadDiscardsMarksStoryLevelAndWholeWords(t *testing.T) {
	ds, errs := ReadDiscards(strings.NewReader("# c\n+World Cup   # sports\nMONTHS LATER\nBOXING_\n"), "d")
	if len(errs) != 0 || len(ds) != 3 {
		t.Fatalf("%v %v", ds, errs)
	}
	if !ds[0].Story || ds[0].Text != "world cup" || ds[1].Story || !ds[2].WholeWord || ds[2].Text != "boxing" {
		t.Errorf("discards = %+v", ds)
	}
}

func TestDetenteFormatRoundTripsTheFixture(t *testing.T) {
	d, _ := ReadPetrarch(strings.NewReader(p2fixture), "fx.txt")
	d.Discards = []Discard{{Text: "world cup", Story: true}, {Text: "boxing", WholeWord: true}}
	assertRoundTrip(t, d)
}

func TestReadDetenteFormatReportsBadLinesAndGoesOn(t *testing.T) {
	src := "synset TALKS = talks | negotiations\nclass MEET\nverb 040 meet (meets met meeting)\nverb 036 hold [talks] extra\n" +
		"036 * (with +target)\n* no code here\n040 * &NOPE\nverb\n036 hold_&TALKS_* (with +TARGET)\n"
	d, errs := Read(strings.NewReader(src), "v.txt")
	if len(errs) != 3 {
		t.Fatalf("errors = %v", errs)
	}
	if len(d.Verbs) != 2 || len(d.Verbs[0].Patterns) != 2 {
		t.Fatalf("verbs = %+v", d.Verbs)
	}
	hold := d.Verbs[1]
	if hold.Lemma != "talks" || !reflect.DeepEqual(hold.Pre, []string{"hold"}) || !reflect.DeepEqual(hold.Post, []string{"extra"}) {
		t.Errorf("head marked with [..] = %+v", hold)
	}
	last := d.Verbs[0].Patterns[1].Elements
	if last[1].Kind != Synset || !last[1].Joined || last[2].Kind != VerbSlot || last[3].Elems[0].Kind != TargetSlot {
		t.Errorf("pattern = %+v", last)
	}
}

func TestPetrarch2DictionaryRoundTripsThroughDetenteFormat(t *testing.T) {
	path := filepath.Join(sharedDir(t), "dictionaries/petrarch2/CAMEO.2.0.txt")
	d, _, err := ReadPetrarchFile(path)
	if err != nil {
		t.Skip(err)
	}
	assertRoundTrip(t, d)
}

func assertRoundTrip(t *testing.T, d *Dictionary) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d, "round trip"); err != nil {
		t.Fatal(err)
	}
	back, errs := Read(bytes.NewReader(buf.Bytes()), "rt")
	if len(errs) != 0 {
		t.Fatalf("reading our own output: %v", errs[:min(5, len(errs))])
	}
	if len(back.Verbs) != len(d.Verbs) {
		t.Fatalf("verbs %d → %d", len(d.Verbs), len(back.Verbs))
	}
	for i, v := range d.Verbs {
		b := back.Verbs[i]
		if v.Phrase() != b.Phrase() || v.Code != b.Code || v.ReverseCode != b.ReverseCode || v.Class != b.Class || !reflect.DeepEqual(v.Forms, b.Forms) {
			t.Fatalf("verb %d: %+v → %+v", i, v, b)
		}
		if len(v.Patterns) != len(b.Patterns) {
			t.Fatalf("%s: %d patterns → %d", v.Phrase(), len(v.Patterns), len(b.Patterns))
		}
		for j, p := range v.Patterns {
			q := b.Patterns[j]
			if !reflect.DeepEqual(p.Elements, q.Elements) || p.Code != q.Code || p.ReverseCode != q.ReverseCode {
				t.Fatalf("%s pattern %d (%s): %+v → %+v", v.Phrase(), j, p.Source, p, q)
			}
		}
	}
	if !reflect.DeepEqual(d.Synsets, back.Synsets) || !reflect.DeepEqual(d.Transformations, stripSources(back.Transformations, d.Transformations)) {
		t.Errorf("synsets or transformations differ")
	}
	if len(d.Discards) != len(back.Discards) {
		t.Errorf("discards %d → %d", len(d.Discards), len(back.Discards))
	}
}

func stripSources(got, want []Transformation) []Transformation {
	if len(got) == 0 {
		return nil
	}
	out := make([]Transformation, len(got))
	for i := range got {
		out[i] = got[i]
		if i < len(want) {
			out[i].Source = want[i].Source
		}
	}
	return out
}

func TestBuiltinLoadsEveryRootAndTheHandWrittenPhrasings(t *testing.T) {
	d, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s := d.Stats()
	if s.Verbs < 1800 || s.Patterns < 4700 || s.Synsets < 40 || s.Discards < 500 {
		t.Errorf("stats = %+v", s)
	}
	roots := map[string]bool{}
	for _, c := range d.Codes() {
		roots[c[:2]] = true
	}
	for r := 1; r <= 20; r++ {
		if !roots[fmt.Sprintf("%02d", r)] {
			t.Errorf("root %02d has no verb or pattern", r)
		}
	}
	idx := d.Index()
	found := false
	for _, v := range idx["normalized"] {
		for _, p := range v.Patterns {
			if p.Code == "054" && FormatElements(p.Elements) == "* &RELATIONS (with +target)" {
				found = true
			}
		}
	}
	if !found {
		t.Error(`"normalized relations with" is not in the built-in dictionary`)
	}
	if len(idx["met"]) == 0 || len(idx["said"]) == 0 {
		t.Error("irregular forms of meet/say are missing from the index")
	}
}

func TestInflectFollowsEnglishSpellingRules(t *testing.T) {
	cases := []struct {
		lemma string
		want  []string
	}{
		{"meet", []string{"meet", "meets", "meeted", "meeting"}}, // irregular pasts come from the file
		{"stop", []string{"stop", "stops", "stopped", "stopping"}},
		{"visit", []string{"visit", "visits", "visited", "visiting"}},
		{"admit", []string{"admit", "admits", "admitted", "admitting"}},
		{"carry", []string{"carry", "carries", "carried", "carrying"}},
		{"play", []string{"play", "plays", "played", "playing"}},
		{"agree", []string{"agree", "agrees", "agreed", "agreeing"}},
		{"condemn", []string{"condemn", "condemns", "condemned", "condemning"}},
		{"release", []string{"release", "releases", "released", "releasing"}},
		{"accuse", []string{"accuse", "accuses", "accused", "accusing"}},
		{"push", []string{"push", "pushes", "pushed", "pushing"}},
		{"tie", []string{"tie", "ties", "tied", "tying"}},
		{"veto", []string{"veto", "vetoes", "vetoed", "vetoing"}},
		{"panic", []string{"panic", "panics", "panicked", "panicking"}},
		{"fix", []string{"fix", "fixes", "fixed", "fixing"}},
	}
	for _, c := range cases {
		if got := Inflect(c.lemma); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Inflect(%q) = %v, want %v", c.lemma, got, c.want)
		}
	}
}

func TestPluralOfThePhraseHead(t *testing.T) {
	for in, want := range map[string]string{"ceasefire": "ceasefires", "peace party": "peace parties", "tax": "taxes", "talks": "talks", "day": "days"} {
		if got := Plural(in); got != want {
			t.Errorf("Plural(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCoverageCountsRootsAndCodes(t *testing.T) {
	d := &Dictionary{Verbs: []Verb{{Lemma: "meet", Code: "040", Patterns: []Pattern{{Code: "", ReverseCode: "043"}, {Code: NullCode}}}}}
	cv := d.Coverage([]string{"04", "040", "043", "046", "05", "050"})
	if cv.Roots != 2 || cv.RootsCovered != 1 || cv.Codes != 4 || cv.CodesCovered != 2 ||
		!reflect.DeepEqual(cv.MissingRoots, []string{"05"}) || !reflect.DeepEqual(cv.MissingCodes, []string{"046", "050"}) {
		t.Errorf("coverage = %+v", cv)
	}
}
