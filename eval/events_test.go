package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/detente/detente/cameo"

	"github.com/detente/detente/internal/shareddata"
)

// eventsDir finds shared/validation, or skips.
func eventsDir(t *testing.T) string {
	t.Helper()
	return shareddata.Require(t, "validation")
}

// TestPetrarchUnitSuiteRunsFromRawText reports the coder's score on the
// PETRARCH unit suite; it asserts the suite runs and codes records.
func TestPetrarchUnitSuiteRunsFromRawText(t *testing.T) {
	dir := eventsDir(t)
	rep, ev, err := PetrarchUnitSuite(filepath.Join(dir, "petrarch-unittest"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	if os.Getenv("DETENTE_EVENTS_VERBOSE") != "" {
		recs, _ := LoadPetrarchUnitTests(filepath.Join(dir, "petrarch-unittest", "PETR.UnitTest.records.dev.xml"))
		wrong := map[string]bool{}
		for _, id := range rep.Score.Wrong {
			wrong[id] = true
		}
		for _, r := range recs {
			if !wrong[r.ID] {
				continue
			}
			t.Logf("WRONG %s [%s] %s\n  gold %v\n  got  %v", r.ID, r.Category, r.Text, r.Gold, Triples(ev)[r.ID])
			for _, e := range ev[r.ID] {
				t.Logf("    %s→%s %s: %s", e.Source, e.Target, e.CAMEO, e.Mentions[0].Explanation)
			}
		}
	}
	if rep.Score.Records == 0 || rep.Score.TP == 0 {
		t.Fatalf("nothing coded: %v", rep.Score)
	}
}

// TestPLOVERGoldIsScored reports PLOVER type accuracy and country
// agreement with the built-in knowledge.
func TestPLOVERGoldIsScored(t *testing.T) {
	dir := eventsDir(t)
	s, err := PLOVERSuite(filepath.Join(dir, "plover-gsr", "plover_gsr.dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(s)
	t.Log(s.ByType)
	if os.Getenv("DETENTE_EVENTS_VERBOSE") != "" {
		path := filepath.Join(dir, "plover-gsr", "plover_gsr.dev.jsonl")
		recs, _ := LoadPLOVERGold(path)
		an, c, _ := BuiltinKnowledge()
		ev := CodeRecords(recs, an, c)
		// Misses grouped by failure kind, so error analysis starts from the
		// most frequent cause: no event, wrong type, wrong source, wrong target.
		groups := map[string][]string{}
		for _, r := range recs {
			es := ev[r.ID]
			best := -1
			for i, e := range es {
				if best < 0 || conf(e) > conf(es[best]) {
					best = i
				}
			}
			gold, _ := cameo.NormalizePloverType(r.PLOVER.Event)
			srcs, tgts := countries(r.PLOVER.Source), countries(r.PLOVER.Target)
			if len(tgts) == 0 {
				tgts = srcs
			}
			var kinds []string
			switch {
			case best < 0:
				kinds = append(kinds, "missing event")
			default:
				if es[best].PLOVER != gold {
					kinds = append(kinds, "wrong type")
				}
				if !srcs[country(es[best].Source)] {
					kinds = append(kinds, "wrong source")
				}
				if !tgts[country(es[best].Target)] {
					kinds = append(kinds, "wrong target")
				}
			}
			if len(kinds) == 0 {
				continue
			}
			msg := fmt.Sprintf("%s [%s] %s\n  gold src %v tgt %v (%s)", r.ID, gold, r.Text, r.PLOVER.Source, r.PLOVER.Target, r.PLOVER.EventText)
			for _, e := range es {
				msg += fmt.Sprintf("\n    %s→%s %s %s %.2f: %s", e.Source, e.Target, e.CAMEO, e.PLOVER, conf(e), e.Mentions[0].Explanation)
			}
			for _, k := range kinds {
				groups[k] = append(groups[k], msg)
			}
		}
		for _, k := range []string{"missing event", "wrong type", "wrong source", "wrong target"} {
			t.Logf("==== %s: %d", k, len(groups[k]))
			for _, m := range groups[k] {
				t.Logf("%s: %s", k, m)
			}
		}
	}
	if s.Records == 0 || s.Coded == 0 {
		t.Fatalf("nothing coded: %v", s)
	}
}

// TestPetrarch2GSRIsScored reports the PETRARCH-2 GSR dev score.
func TestPetrarch2GSRIsScored(t *testing.T) {
	dir := eventsDir(t)
	rep, err := Petrarch2GSR(filepath.Join(dir, "petrarch2-gsr", "PETR2_GSR_validation.dev.xml"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	if os.Getenv("DETENTE_EVENTS_VERBOSE") != "" {
		path := filepath.Join(dir, "petrarch2-gsr", "PETR2_GSR_validation.dev.xml")
		recs, _ := LoadPetrarch2GSR(path)
		an, c, _ := BuiltinKnowledge()
		ev := CodeRecords(recs, an, c)
		wrong := map[string]bool{}
		for _, id := range rep.Score.Wrong {
			wrong[id] = true
		}
		for _, r := range recs {
			if wrong[r.ID] {
				t.Logf("WRONG %s %s\n  gold %v\n  got  %v", r.ID, r.Text, r.Gold, Triples(ev)[r.ID])
			}
		}
	}
	if rep.Score.Records == 0 {
		t.Fatal("no records")
	}
}
