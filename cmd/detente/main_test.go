package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/detente/detente"

	"github.com/detente/detente/internal/shareddata"
)

// run runs the detente command line in-process and returns its output.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out, stderr bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&stderr) // progress and summaries, kept out of the machine-readable output
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// shared returns the shared data directory or skips the test.
func shared(t *testing.T) string {
	t.Helper()
	shareddata.Require(t, "seed")
	return shareddata.Dir()
}

func TestIngestExamplesThenSearchAndShow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	out, err := run(t, "ingest", "--db", db, "--json", filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	var sum struct {
		Read, New, Duplicate int
		NearDuplicate        int `json:"near_duplicate"`
		Failed               int
		Failures             []struct{ Origin, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("summary is not JSON: %v\n%s", err, out)
	}
	if sum.Failed != 1 || !strings.Contains(sum.Failures[0].Origin+sum.Failures[0].Reason, "wire-stories.jsonl") {
		t.Errorf("want exactly the broken example line to fail, got %+v", sum)
	}
	if sum.New < 5 || sum.NearDuplicate+sum.Duplicate < 1 {
		t.Errorf("want every example stored and the syndicated copy found, got %+v", sum)
	}

	out, err = run(t, "ingest", "--db", db, "--json", filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"new": 0`) {
		t.Errorf("second ingest stored something again:\n%s", out)
	}

	out, err = run(t, "search", "--db", db, "--json", "Paris climate")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total int
		Hits  []detente.SearchHit
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search output is not JSON: %v\n%s", err, out)
	}
	if res.Total != 1 || res.Hits[0].Copies != 2 {
		t.Fatalf("want the Paris story once, carried by two outlets; got %+v", res)
	}

	out, err = run(t, "show", "--db", db, res.Hits[0].ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Example Wire", "Example Daily", "195 countries"} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q:\n%s", want, out)
		}
	}
}

func TestAnnotateSeedGivesCleanArticle(t *testing.T) {
	dir := shared(t)
	out, err := run(t, "annotate", "--published", "2017-10-31", filepath.Join(dir, "seed", "cgtn-2017-beijing-seoul-thaad.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var a detente.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("annotate output is not one JSON document: %v\n%s", err, out)
	}
	if a.Title != "Beijing and Seoul agree to 'normalize' ties after THAAD" || a.Source != "CGTN" || a.Published != "2017-10-31" {
		t.Errorf("metadata = %q / %q / %q", a.Title, a.Source, a.Published)
	}
	if len(a.Tags) != 1 || a.Tags[0] != "china" {
		t.Errorf("tags = %v, want [china]", a.Tags)
	}
	if len(a.Captions) != 1 || a.Captions[0].Credit != "Reuters Photo" {
		t.Errorf("captions = %+v, want one with credit Reuters Photo", a.Captions)
	}
	paras := strings.Split(a.Body, "\n")
	if len(paras) != 9 {
		t.Errorf("body has %d paragraphs, want 9", len(paras))
	}
	if strings.Contains(a.Body, "Share") || strings.Contains(a.Body, "Copied") || strings.Contains(a.Body, "/Reuters Photo") {
		t.Errorf("body still has junk or the caption:\n%s", a.Body)
	}
	if a.Language != "en" {
		t.Errorf("language = %q, want en", a.Language)
	}
}

func TestIngestExitsNonZeroOnlyWhenNothingCouldBeRead(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "ingest", "--db", filepath.Join(dir, "x.db"), bad); err == nil {
		t.Error("ingest of only broken input succeeded")
	}
	if _, err := run(t, "ingest", "--db", filepath.Join(dir, "x.db"), "--published", "not a date", bad); err == nil {
		t.Error("a bad --published was accepted")
	}
}

func TestSeedEventsCanBeQueriedAndExported(t *testing.T) {
	dir := shared(t)
	db := filepath.Join(t.TempDir(), "x.db")
	if out, err := run(t, "ingest", "--db", db, "--published", "2017-10-31", filepath.Join(dir, "seed", "cgtn-2017-beijing-seoul-thaad.txt")); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	out, err := run(t, "events", "--db", db, "--between", "CHNGOV,KORGOV", "--code", "036", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total  int
		Events []detente.Event
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("events output is not JSON: %v\n%s", err, out)
	}
	if res.Total != 1 || res.Events[0].Date != "2017-11-10" || res.Events[0].Location == nil || res.Events[0].Location.Country != "VNM" {
		t.Fatalf("want the planned Xi–Moon meeting in Vietnam on 2017-11-10, got %s", out)
	}
	if res.Events[0].Mentions[0].Explanation == "" {
		t.Error("event has no explanation")
	}

	out, err = run(t, "export", "--db", db, "--format", "gdelt-events")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 6 {
		t.Fatalf("export has %d events, want at least the seed's six:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if n := len(strings.Split(l, "\t")); n != 61 {
			t.Fatalf("GDELT event row has %d columns, want 61: %q", n, l)
		}
	}
	out, err = run(t, "export", "--db", db, "--format", "gdelt-mentions")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if n := len(strings.Split(l, "\t")); n != 16 {
			t.Fatalf("GDELT mention row has %d columns, want 16: %q", n, l)
		}
	}
}

func TestCodePrintsEventsWithExplanations(t *testing.T) {
	out, err := run(t, "code", "--date", "2017-10-31", "Chinese President Xi Jinping will meet his South Korean counterpart Moon Jae-in in Vietnam next month.")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "CHNGOV → KORGOV") || !strings.Contains(out, "036") || !strings.Contains(out, "pattern") && !strings.Contains(out, "verb") {
		t.Errorf("code output lacks the coded meeting and its explanation:\n%s", out)
	}
}
