// Package storetest is the contract every detente.Archive keeps: one
// suite of tests that the embedded SQLite store and the PostgreSQL store
// both run, so the same input gives the same results in either (ingest,
// idempotency, copies, search, annotations, events and their merging, dyad
// timelines, actor summaries and exports). Besides its own assertions the
// suite stores the same fixture in a reference SQLite store and compares
// every read, export byte for byte, with the store under test.
package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/events/export"
	"github.com/detente/detente/store/sqlite"
)

// Open opens a fresh, empty store for one test and arranges its cleanup.
type Open func(t *testing.T) detente.Archive

// clock is the fixed time every store sees during the suite, so stored
// timestamps (first seen, added at) compare equal across stores.
var clock = time.Date(2024, 10, 1, 12, 0, 0, 0, time.UTC)

// Run runs the contract suite against the stores open makes. It replaces
// detente.Now while it runs, so its tests must not run in parallel with
// others that depend on the clock.
func Run(t *testing.T, open Open) {
	saved := detente.Now
	detente.Now = func() time.Time { return clock }
	t.Cleanup(func() { detente.Now = saved })
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"Ingest", testIngest},
		{"BadItemFailsTheWholeBatch", testBadBatch},
		{"Idempotent", testIdempotent},
		{"Search", testSearch},
		{"Annotations", testAnnotations},
		{"RepeatedMentions", testRepeatedMentions},
		{"EventsMerge", testEventsMerge},
		{"EventFilters", testEventFilters},
		{"PutEventsReplaces", testPutEvents},
		{"DyadTimeline", testDyadTimeline},
		{"ActorSummary", testActorSummary},
		{"SameAsReference", testSameAsReference},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

var ctx = context.Background()

// fingerprint makes a fingerprint whose exact hash is the body's SHA-256,
// with a signature derived from it and the given band keys.
func fingerprint(body string, bands ...uint64) detente.Fingerprint {
	h := sha256.Sum256([]byte(body))
	sig := make([]uint32, 8)
	for i := range sig {
		sig[i] = uint32(h[i]) | uint32(h[i+8])<<8 | uint32(h[i+16])<<16 | uint32(h[i+24])<<24
	}
	return detente.Fingerprint{Exact: hex.EncodeToString(h[:]), Signature: sig, Bands: bands}
}

// loaded opens a store holding the fixture.
func loaded(t *testing.T, open Open) detente.Archive {
	t.Helper()
	db := open(t)
	if _, err := db.PutBatch(ctx, items()); err != nil {
		t.Fatalf("PutBatch(fixture): %v", err)
	}
	return db
}

// must returns v, failing the test given to the function it returns when
// err is set: must(db.Stats(ctx))(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func testIngest(t *testing.T, open Open) {
	db := open(t)
	sts := must(db.PutBatch(ctx, items()))(t)
	want := []detente.PutStatus{detente.PutNew, detente.PutNew, detente.PutExactCopy, detente.PutNearCopy,
		detente.PutNearCopy, detente.PutNew, detente.PutNew, detente.PutNew, detente.PutNew}
	if !slices.Equal(sts, want) {
		t.Errorf("statuses = %v; want %v", sts, want)
	}
	st := must(db.Stats(ctx))(t)
	if want := (detente.Stats{Articles: 9, Stories: 6, Copies: 3, Exact: 1, Near: 2, Sources: 7, Annotated: 5}); st != want {
		t.Errorf("Stats = %+v; want %+v", st, want)
	}
	s := must(db.Article(ctx, "a5"))(t)
	if s.ID != "a1" || s.Original.Title != "China and Russia sign trade agreement" {
		t.Errorf("Article(a5) = story %s %q; want a1's", s.ID, s.Original.Title)
	}
	var copies []string
	for _, c := range s.Copies {
		copies = append(copies, c.ArticleID+" "+c.Kind)
	}
	// By publication date, undated last; an exact copy of a near copy is
	// a near copy with that copy's similarity.
	if want := []string{"a1 original", "a3 exact", "a5 near", "a4 near"}; !slices.Equal(copies, want) {
		t.Errorf("copies = %v; want %v", copies, want)
	}
	if s.Copies[2].Similarity != 0.8 {
		t.Errorf("a5 similarity = %v; want 0.8 (its near original's)", s.Copies[2].Similarity)
	}
	if !slices.Equal(s.Original.Tags, []string{"trade", "Diplomacy"}) || len(s.Original.Captions) != 1 ||
		s.Original.Captions[0].Credit != "Xinhua Photo" {
		t.Errorf("tags %v captions %+v; want [trade Diplomacy] and the one caption", s.Original.Tags, s.Original.Captions)
	}
	if _, err := db.Article(ctx, "nope"); detente.ErrorCode(err) != detente.ENOTFOUND {
		t.Errorf("Article(nope) error = %v; want not found", err)
	}
	for id, want := range map[string]bool{"a1": true, "a4": true, "a9": true, "zz": false} {
		if has := must(db.HasArticle(ctx, id))(t); has != want {
			t.Errorf("HasArticle(%s) = %v", id, has)
		}
	}
	if id := must(db.ExactMatch(ctx, fingerprint(fixture[0].a.Body).Exact))(t); id != "a1" {
		t.Errorf("ExactMatch(a1's text) = %q; want the original a1", id)
	}
	if id := must(db.ExactMatch(ctx, fingerprint(fixture[3].a.Body).Exact))(t); id != "a4" {
		t.Errorf("ExactMatch(a4's text) = %q; want the near copy a4", id)
	}
	if id := must(db.ExactMatch(ctx, "none"))(t); id != "" {
		t.Errorf("ExactMatch(none) = %q", id)
	}
	var cands []string
	for _, c := range must(db.NearCandidates(ctx, []uint64{11, 12, 99}))(t) {
		cands = append(cands, c.ArticleID)
		if len(c.Signature) != 8 {
			t.Errorf("candidate %s has a %d-hash signature; want 8", c.ArticleID, len(c.Signature))
		}
	}
	if want := []string{"a1", "a7"}; !slices.Equal(cands, want) {
		t.Errorf("NearCandidates = %v; want %v (most shared bands first)", cands, want)
	}
	var outlets []detente.Outlet
	outlets = must(db.Sources(ctx))(t)
	want2 := []detente.Outlet{{Name: "Xinhua", Copies: 2, Stories: 2}, {Name: "AP", Copies: 1, Stories: 1}, {Name: "BBC", Copies: 1, Stories: 1}, {Name: "CGTN", Copies: 1, Stories: 1}, {Name: "Reuters", Copies: 1, Stories: 1}, {Name: "TASS", Copies: 1, Stories: 1}, {Name: "US Daily", Copies: 1, Stories: 1}}
	if !reflect.DeepEqual(outlets, want2) {
		t.Errorf("Sources = %+v; want %+v", outlets, want2)
	}
}

func testBadBatch(t *testing.T, open Open) {
	db := open(t)
	its := items()[:2]
	its = append(its, detente.PutItem{Article: &detente.Article{ID: "x", Body: "text"}, Duplicate: &detente.Duplicate{Of: "missing", Kind: detente.CopyExact}})
	if _, err := db.PutBatch(ctx, its); detente.ErrorCode(err) != detente.EINVALID {
		t.Fatalf("PutBatch with a copy of an unknown article: %v; want invalid", err)
	}
	if st := must(db.Stats(ctx))(t); st.Articles != 0 {
		t.Errorf("after a failed batch, %d articles stored; want none", st.Articles)
	}
	bad := items()[:1]
	bad[0].Events[0].CAMEO = "999"
	if _, err := db.PutBatch(ctx, bad); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("an unknown CAMEO code: %v; want invalid", err)
	}
}

func testIdempotent(t *testing.T, open Open) {
	db := loaded(t, open)
	before := exportAll(t, db)
	stats := must(db.Stats(ctx))(t)
	sts := must(db.PutBatch(ctx, items()))(t)
	for i, s := range sts {
		if s != detente.PutExisting {
			t.Errorf("second put of item %d: %v; want existing", i, s)
		}
	}
	for _, it := range items() {
		if s := must(db.PutArticle(ctx, it.Article, it.Fingerprint, it.Duplicate))(t); s != detente.PutExisting {
			t.Errorf("PutArticle(%s) again: %v", it.Article.ID, s)
		}
	}
	if after := must(db.Stats(ctx))(t); after != stats {
		t.Errorf("Stats after re-put = %+v; want %+v", after, stats)
	}
	if after := exportAll(t, db); !reflect.DeepEqual(after, before) {
		t.Errorf("exports changed after re-put")
	}
	// One article per transaction stores the same as one batch.
	one := open(t)
	for _, it := range items() {
		if _, err := one.PutBatch(ctx, []detente.PutItem{it}); err != nil {
			t.Fatal(err)
		}
	}
	if got := exportAll(t, one); !reflect.DeepEqual(got, before) {
		t.Errorf("storing one article at a time exports differently from one batch")
	}
}

// exportAll is every export format of every event.
func exportAll(t *testing.T, db detente.Archive) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, format := range export.Formats {
		var b bytes.Buffer
		if _, err := export.Write(ctx, &b, db, format, detente.EventFilter{Sort: "date"}, export.Options{Header: true}); err != nil {
			t.Fatalf("export %s: %v", format, err)
		}
		out[format] = b.String()
	}
	return out
}

func hitIDs(hits []detente.SearchHit) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ArticleID)
	}
	return ids
}

func testSearch(t *testing.T, open Open) {
	db := loaded(t, open)
	for _, tc := range []struct {
		f       detente.SearchFilter
		want    []string
		ordered bool // the order is defined (no query: newest first)
	}{
		{f: detente.SearchFilter{Query: "agreement"}, want: []string{"a1", "a7"}},
		{f: detente.SearchFilter{Query: "accord"}, want: []string{"a2"}},
		{f: detente.SearchFilter{Query: "trade agreement"}, want: []string{"a1", "a7"}},
		{f: detente.SearchFilter{Query: `"trade agreement"`}, want: []string{"a1", "a7"}},
		{f: detente.SearchFilter{Query: `"agreement trade"`}, want: nil},
		{f: detente.SearchFilter{Query: "nego*"}, want: []string{"a1"}},
		{f: detente.SearchFilter{Query: "signing"}, want: []string{"a1", "a2", "a7"}}, // stems meet "signed", "sign"
		{f: detente.SearchFilter{Query: "drills OR tariffs"}, want: nil},              // OR is a word, not an operator
		{f: detente.SearchFilter{Query: "navy NEAR("}, want: []string{"a6"}},          // NEAR is a word too
		{f: detente.SearchFilter{Query: "!!! ..."}, want: nil},
		{f: detente.SearchFilter{Query: "the"}, want: []string{"a1", "a2", "a6", "a7", "a8", "a9"}},
		{f: detente.SearchFilter{Query: "agreement", Source: "reuters"}, want: []string{"a1"}},
		{f: detente.SearchFilter{Query: "signed", From: "2024-05-07"}, want: []string{"a2", "a7"}},
		{f: detente.SearchFilter{Query: "signed", To: "2024-05"}, want: []string{"a1", "a2"}},
		{f: detente.SearchFilter{Query: "talks", Entity: "united STATES"}, want: []string{"a7", "a9"}},
		{f: detente.SearchFilter{Query: "talks", Entity: "rusgov"}, want: []string{"a2"}},
		{f: detente.SearchFilter{Country: "twn"}, want: []string{"a6"}, ordered: true},
		{f: detente.SearchFilter{Source: "XINHUA"}, want: []string{"a7", "a1"}, ordered: true},
		{f: detente.SearchFilter{From: "2024"}, want: []string{"a9", "a7", "a6", "a2", "a1"}, ordered: true},
		{f: detente.SearchFilter{To: "2024-06-15", Source: "cgtn"}, want: []string{"a6"}, ordered: true},
	} {
		hits, total := must2(t, db, tc.f)
		got := hitIDs(hits)
		if !tc.ordered {
			sort.Strings(got)
		}
		if !slices.Equal(got, tc.want) || total != len(tc.want) {
			t.Errorf("Search(%+v) = %v (total %d); want %v", tc.f, got, total, tc.want)
		}
	}
	// Pages: the total stays, the page moves, and pages do not overlap.
	p1, total := must2(t, db, detente.SearchFilter{Query: "the", Limit: 4})
	p2, total2 := must2(t, db, detente.SearchFilter{Query: "the", Limit: 4, Offset: 4})
	all := append(hitIDs(p1), hitIDs(p2)...)
	sort.Strings(all)
	if total != 6 || total2 != 6 || len(p1) != 4 || len(p2) != 2 || !slices.Equal(slices.Compact(all), []string{"a1", "a2", "a6", "a7", "a8", "a9"}) {
		t.Errorf("pages %v + %v (totals %d, %d); want 4 + 2 of the 6", hitIDs(p1), hitIDs(p2), total, total2)
	}
	// Hits carry their story's details and a marked snippet; better
	// matches rank first (the title weighs more than the body).
	hits, _ := must2(t, db, detente.SearchFilter{Query: "navy"})
	if len(hits) != 1 || hits[0].Copies != 1 || hits[0].Source != "CGTN" || !bytes.Contains([]byte(hits[0].Snippet), []byte("[")) {
		t.Errorf("Search(navy) = %+v; want a6 with a marked snippet", hits)
	}
	hits, _ = must2(t, db, detente.SearchFilter{Query: "agreement"})
	if len(hits) != 2 || hits[0].ArticleID != "a1" {
		t.Errorf("Search(agreement) ranks %v; want a1 (in its title and twice in its body) first", hitIDs(hits))
	}
	if hits[0].Copies != 4 {
		t.Errorf("a1 has %d copies; want 4", hits[0].Copies)
	}
	if _, _, err := db.Search(ctx, detente.SearchFilter{From: "May"}); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("a bad date: %v; want invalid", err)
	}
}

func must2(t *testing.T, db detente.Archive, f detente.SearchFilter) ([]detente.SearchHit, int) {
	t.Helper()
	hits, total, err := db.Search(ctx, f)
	if err != nil {
		t.Fatalf("Search(%+v): %v", f, err)
	}
	return hits, total
}

func testAnnotations(t *testing.T, open Open) {
	db := loaded(t, open)
	ann := must(db.Annotations(ctx, "a3"))(t)
	if ann == nil || len(ann.Entities) != 3 || ann.Entities[2].Canonical != "Beijing" || len(ann.Sentences) != 3 {
		t.Fatalf("Annotations(a3, a copy) = %+v; want a1's", ann)
	}
	if ann := must(db.Annotations(ctx, "a8"))(t); ann != nil {
		t.Errorf("Annotations(a8, never annotated) = %+v; want nil", ann)
	}
	if _, err := db.Annotations(ctx, "zz"); detente.ErrorCode(err) != detente.ENOTFOUND {
		t.Errorf("Annotations(zz) error = %v; want not found", err)
	}
	ents := must(db.Entities(ctx, "a6"))(t)
	var names []string
	for _, e := range ents {
		names = append(names, e.Text)
	}
	if !slices.Equal(names, []string{"Chinese navy", "Taiwan", "Taipei", "Taiwan Strait"}) || ents[1].Lat == nil || *ents[1].Lat != 23.7 || ents[0].Lat != nil {
		t.Errorf("Entities(a6) = %+v", ents)
	}
	top := must(db.TopEntities(ctx, detente.SearchFilter{}, 3))(t)
	want := []detente.EntityCount{{Name: "China", Type: "GPE", Actor: "CHN", Country: "CHN", Articles: 4, Mentions: 4}, {Name: "Russia", Type: "GPE", Actor: "RUS", Country: "RUS", Articles: 2, Mentions: 2},
		{Name: "United States", Type: "NORP", Actor: "USA", Country: "USA", Articles: 2, Mentions: 2}}
	if !reflect.DeepEqual(top, want) {
		t.Errorf("TopEntities = %+v; want %+v", top, want)
	}
	top = must(db.TopEntities(ctx, detente.SearchFilter{Query: "signed", To: "2024-05"}, 10, detente.EntityGPE))(t)
	want = []detente.EntityCount{{Name: "China", Type: "GPE", Actor: "CHN", Country: "CHN", Articles: 2, Mentions: 2}, {Name: "Russia", Type: "GPE", Actor: "RUS", Country: "RUS", Articles: 2, Mentions: 2},
		{Name: "Beijing", Type: "GPE", Actor: "", Country: "CHN", Articles: 1, Mentions: 1}}
	if !reflect.DeepEqual(top, want) {
		t.Errorf("TopEntities(signed, GPE) = %+v; want %+v", top, want)
	}
	// Replacing: a8 gains annotations, then loses them.
	body := fixture[7].a.Body
	snow := spanOf(body, "north")
	if err := db.PutAnnotations(ctx, "a8", &detente.Annotations{Entities: []detente.Entity{{Text: "north", Start: snow.Start, End: snow.End, Type: "LOC"}}}); err != nil {
		t.Fatal(err)
	}
	if st := must(db.Stats(ctx))(t); st.Annotated != 6 {
		t.Errorf("Annotated = %d after PutAnnotations; want 6", st.Annotated)
	}
	if hits, _ := must2(t, db, detente.SearchFilter{Entity: "NORTH"}); !slices.Equal(hitIDs(hits), []string{"a8"}) {
		t.Errorf("Search(entity north) = %v; want a8", hitIDs(hits))
	}
	if err := db.PutAnnotations(ctx, "a8", nil); err != nil {
		t.Fatal(err)
	}
	if ents := must(db.Entities(ctx, "a8"))(t); len(ents) != 0 {
		t.Errorf("Entities after removing = %+v", ents)
	}
	if err := db.PutAnnotations(ctx, "a8", &detente.Annotations{Sentences: []detente.Span{{Start: 0, End: 999}}}); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("a sentence past the body: %v; want invalid", err)
	}
	if err := db.PutAnnotations(ctx, "zz", &detente.Annotations{}); detente.ErrorCode(err) != detente.ENOTFOUND {
		t.Errorf("PutAnnotations(zz): %v; want not found", err)
	}
}

// key names an event for messages and comparisons.
func key(e detente.Event) string {
	return e.Source + ">" + e.Target + " " + e.CAMEO + " " + e.Date
}

func eventKeys(evs []detente.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, key(e))
	}
	return out
}

func testEventsMerge(t *testing.T, open Open) {
	db := loaded(t, open)
	evs, total, err := db.Events(ctx, detente.EventFilter{Sort: "date", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CHN>RUS 057 2024-05-06", "RUSGOV>CHN 051 2024-05-07", "CHNMIL>TWN 150 2024-06-15",
		"TWNGOV>CHNMIL 111 2024-06-15", "CHN>USA 043 2024-07-03", "USA>CHN 036 2024-09-10", "USA>CHN 111 2024-09-12"}
	if total != 7 || !slices.Equal(eventKeys(evs), want) {
		t.Fatalf("events = %v (total %d); want %v", eventKeys(evs), total, want)
	}
	e := evs[0]
	// a1, a2, a7 report it, and the copies a3, a4, a5 repeat a1's
	// mention; Xinhua (a1) and "xinhua " (a7) are one source.
	if e.NumMentions != 6 || e.NumArticles != 6 || e.NumSources != 5 {
		t.Errorf("CHN>RUS counts = %d mentions, %d articles, %d sources; want 6, 6, 5", e.NumMentions, e.NumArticles, e.NumSources)
	}
	if e.Location == nil || e.Location.Name != "Beijing" {
		t.Errorf("CHN>RUS location = %+v; want Beijing, filled from a later report", e.Location)
	}
	if len(e.Mentions) != 3 || e.Mentions[0].ArticleID != "a1" {
		t.Errorf("listed mentions = %+v; want the first 3, a1's first", e.Mentions)
	}
	if e.Base != "057" || e.Root != "05" || e.Quad != 1 || e.PLOVER == "" {
		t.Errorf("CAMEO fields = %+v; want filled from the code", e)
	}
	if evs[5].Mode != "future" || evs[5].NumMentions != 2 || evs[5].NumSources != 2 {
		t.Errorf("USA>CHN 036 = %+v; want the first report's mode and 2 mentions from 2 outlets", evs[5])
	}
	se := must(db.Event(ctx, e.ID))(t)
	bySeq := must(db.Event(ctx, itoa(se.Seq)))(t)
	if !reflect.DeepEqual(se, bySeq) {
		t.Errorf("Event by ID and by GDELT ID differ")
	}
	var reps []string
	for _, r := range se.Reports {
		reps = append(reps, r.ArticleID+"@"+r.Outlet)
	}
	if want := []string{"a1@Xinhua", "a2@TASS", "a3@Reuters", "a4@AP", "a5@BBC", "a7@xinhua"}; !slices.Equal(reps, want) {
		t.Errorf("reports = %v; want %v in the order stored", reps, want)
	}
	if se.SourceURL != "https://xinhua.example/1" || se.Reports[0].SentenceNo != 1 || se.Reports[0].DocLen == 0 || se.FirstSeen != clock.Format(time.RFC3339) {
		t.Errorf("event = url %q, first report %+v, first seen %q", se.SourceURL, se.Reports[0], se.FirstSeen)
	}
	if _, err := db.Event(ctx, "nope"); detente.ErrorCode(err) != detente.ENOTFOUND {
		t.Errorf("Event(nope) = %v; want not found", err)
	}
	n, mentions := 0, 0
	if err := db.EachEvent(ctx, detente.EventFilter{}, true, func(se *detente.StoredEvent) error {
		n++
		mentions += len(se.Reports)
		if len(se.Reports) != se.NumMentions {
			t.Errorf("EachEvent %s: %d reports, %d mentions", key(se.Event), len(se.Reports), se.NumMentions)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 7 || mentions != 6+1+1+1+1+2+1 {
		t.Errorf("EachEvent = %d events, %d mentions; want 7, 13", n, mentions)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func testEventFilters(t *testing.T, open Open) {
	db := loaded(t, open)
	for _, tc := range []struct {
		f    detente.EventFilter
		want []string
	}{
		{detente.EventFilter{Source: "CHN*"}, []string{"CHN>USA 043 2024-07-03", "CHNMIL>TWN 150 2024-06-15", "CHN>RUS 057 2024-05-06"}},
		{detente.EventFilter{Source: "chn"}, []string{"CHN>USA 043 2024-07-03", "CHN>RUS 057 2024-05-06"}},
		{detente.EventFilter{Target: "CHN*", Sort: "date"}, []string{"RUSGOV>CHN 051 2024-05-07", "TWNGOV>CHNMIL 111 2024-06-15", "USA>CHN 036 2024-09-10", "USA>CHN 111 2024-09-12"}},
		{detente.EventFilter{Between: [2]string{"USA", "CHN*"}, Sort: "date"}, []string{"CHN>USA 043 2024-07-03", "USA>CHN 036 2024-09-10", "USA>CHN 111 2024-09-12"}},
		{detente.EventFilter{Code: "05*", Sort: "date"}, []string{"CHN>RUS 057 2024-05-06", "RUSGOV>CHN 051 2024-05-07"}},
		{detente.EventFilter{Code: "111", Sort: "date"}, []string{"TWNGOV>CHNMIL 111 2024-06-15", "USA>CHN 111 2024-09-12"}},
		{detente.EventFilter{Root: "15"}, []string{"CHNMIL>TWN 150 2024-06-15"}},
		{detente.EventFilter{Quad: 3, Sort: "date"}, []string{"TWNGOV>CHNMIL 111 2024-06-15", "USA>CHN 111 2024-09-12"}},
		{detente.EventFilter{From: "2024-09"}, []string{"USA>CHN 111 2024-09-12", "USA>CHN 036 2024-09-10"}},
		{detente.EventFilter{To: "2024-05", Sort: "date"}, []string{"CHN>RUS 057 2024-05-06", "RUSGOV>CHN 051 2024-05-07"}},
		{detente.EventFilter{From: "2024-06-15", To: "2024-06-15", Sort: "date"}, []string{"CHNMIL>TWN 150 2024-06-15", "TWNGOV>CHNMIL 111 2024-06-15"}},
		{detente.EventFilter{Country: "twn", Sort: "date"}, []string{"CHNMIL>TWN 150 2024-06-15", "TWNGOV>CHNMIL 111 2024-06-15"}},
		{detente.EventFilter{Sort: "-mentions", Limit: 2}, []string{"CHN>RUS 057 2024-05-06", "USA>CHN 036 2024-09-10"}},
		{detente.EventFilter{Sort: "date", Limit: 2, Offset: 5}, []string{"USA>CHN 036 2024-09-10", "USA>CHN 111 2024-09-12"}},
		{detente.EventFilter{Sort: "goldstein", Limit: 1}, []string{"CHNMIL>TWN 150 2024-06-15"}},
		{detente.EventFilter{ArticleID: "a2", Sort: "date"}, []string{"CHN>RUS 057 2024-05-06", "RUSGOV>CHN 051 2024-05-07"}},
		{detente.EventFilter{ArticleID: "no-such-article"}, nil},
	} {
		evs, total, err := db.Events(ctx, tc.f)
		if err != nil {
			t.Errorf("Events(%+v): %v", tc.f, err)
			continue
		}
		if got := eventKeys(evs); !slices.Equal(got, tc.want) || (tc.f.Limit == 0 && total != len(tc.want)) {
			t.Errorf("Events(%+v) = %v (total %d); want %v", tc.f, got, total, tc.want)
		}
	}
	// An article's events in the order it mentions them: "signed" comes
	// before "praised" in a2.
	evs, err := detente.ArticleEvents(ctx, db, "a2")
	if err != nil || len(evs) != 2 || evs[0].CAMEO != "057" || evs[1].CAMEO != "051" {
		t.Errorf("ArticleEvents(a2) = %d events, %v; want 057 then 051", len(evs), err)
	}
	// The same events with a2's own mentions alone: the agreement has six
	// reports, a2's page reads one.
	own, err := detente.ArticleOwnEvents(ctx, db, "a2")
	if err != nil || len(own) != len(evs) {
		t.Fatalf("ArticleOwnEvents(a2) = %d events, %v; want %d", len(own), err, len(evs))
	}
	if len(evs[0].Reports) != 6 {
		t.Errorf("ArticleEvents(a2): the agreement has %d reports; want all 6", len(evs[0].Reports))
	}
	for i, se := range own {
		var want []detente.EventReport
		for _, r := range evs[i].Reports {
			if r.ArticleID == "a2" {
				want = append(want, r)
			}
		}
		if se.Seq != evs[i].Seq || se.NumMentions != evs[i].NumMentions || se.NumSources != evs[i].NumSources {
			t.Errorf("ArticleOwnEvents(a2)[%d] = event %d (%d mentions, %d sources); want %d (%d, %d)", i,
				se.Seq, se.NumMentions, se.NumSources, evs[i].Seq, evs[i].NumMentions, evs[i].NumSources)
		}
		if len(want) == 0 || !reflect.DeepEqual(se.Reports, want) {
			t.Errorf("ArticleOwnEvents(a2)[%d] reports = %+v; want a2's %+v", i, se.Reports, want)
		}
	}
	for _, f := range []detente.EventFilter{{Sort: "size"}, {Quad: 5}, {Code: "999"}, {From: "last week"}, {Between: [2]string{"CHN", ""}}} {
		if _, _, err := db.Events(ctx, f); detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("Events(%+v) error = %v; want invalid", f, err)
		}
	}
}

func testPutEvents(t *testing.T, open Open) {
	db := loaded(t, open)
	// Recode a2 with only the agreement: its praise event goes.
	evs := items()[1].Events[:1]
	if err := db.PutEvents(ctx, "a2", evs); err != nil {
		t.Fatal(err)
	}
	_, total, _ := db.Events(ctx, detente.EventFilter{})
	if total != 6 {
		t.Errorf("after recoding a2, %d events; want 6 (RUSGOV>CHN 051 had no other report)", total)
	}
	// Removing a1's events through a copy's ID takes its copies' mentions too.
	if err := db.PutEvents(ctx, "a3", nil); err != nil {
		t.Fatal(err)
	}
	got, _, _ := db.Events(ctx, detente.EventFilter{Source: "CHN", Target: "RUS"})
	if len(got) != 1 || got[0].NumMentions != 2 || got[0].NumSources != 2 || got[0].NumArticles != 2 {
		t.Errorf("CHN>RUS after removing a1's = %+v; want a2's and a7's mentions only", got)
	}
	// And coding a1 again gives its copies their mentions back.
	if err := db.PutEvents(ctx, "a1", items()[0].Events); err != nil {
		t.Fatal(err)
	}
	got, _, _ = db.Events(ctx, detente.EventFilter{Source: "CHN", Target: "RUS"})
	if len(got) != 1 || got[0].NumMentions != 6 || got[0].NumSources != 5 {
		t.Errorf("CHN>RUS after recoding a1 = %+v; want 6 mentions from 5 sources again", got)
	}
	if err := db.PutEvents(ctx, "zz", nil); detente.ErrorCode(err) != detente.ENOTFOUND {
		t.Errorf("PutEvents(zz) = %v; want not found", err)
	}
	bad := items()[0].Events
	bad[0].Mentions[0].VerbSpan.End = 10000
	if err := db.PutEvents(ctx, "a1", bad); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("a mention past the body: %v; want invalid", err)
	}
}

func testDyadTimeline(t *testing.T, open Open) {
	db := loaded(t, open)
	pts := must(db.DyadTimeline(ctx, "CHN", "USA", "month", "", ""))(t)
	want := []detente.TimelinePoint{
		{Bucket: "2024-07", Quad: [4]int{1, 0, 0, 0}, MeanGoldstein: pts[0].MeanGoldstein, N: 1, Mentions: 1, AToB: 1},
		{Bucket: "2024-08"},
		{Bucket: "2024-09", Quad: [4]int{1, 0, 1, 0}, MeanGoldstein: pts[len(pts)-1].MeanGoldstein, N: 2, Mentions: 3, BToA: 2},
	}
	if !reflect.DeepEqual(pts, want) {
		t.Errorf("month timeline = %+v; want %+v", pts, want)
	}
	weeks := must(db.DyadTimeline(ctx, "CHN*", "USA", "week", "", ""))(t)
	// 3 July 2024 is a Wednesday; its week starts on Monday 1 July.
	if len(weeks) != 11 || weeks[0].Bucket != "2024-07-01" || weeks[10].Bucket != "2024-09-09" || weeks[10].N != 2 {
		t.Errorf("week timeline = %+v; want 11 weeks from 2024-07-01 to 2024-09-09", weeks)
	}
	days := must(db.DyadTimeline(ctx, "USA", "CHN", "day", "2024-09-11", ""))(t)
	if len(days) != 1 || days[0].Bucket != "2024-09-12" || days[0].AToB != 1 {
		t.Errorf("day timeline from 2024-09-11 = %+v; want only 2024-09-12", days)
	}
	years := must(db.DyadTimeline(ctx, "CHN*", "*", "year", "", ""))(t)
	if len(years) != 1 || years[0].Bucket != "2024" || years[0].N != 7 || years[0].AToB != 3 {
		t.Errorf("CHN* with anyone per year = %+v; want all 7 events in 2024, 3 with CHN* as source", years)
	}
	if _, err := db.DyadTimeline(ctx, "CHN", "USA", "decade", "", ""); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("bucket decade: %v; want invalid", err)
	}
}

func testActorSummary(t *testing.T, open Open) {
	db := loaded(t, open)
	s := must(db.ActorSummary(ctx, "chn"))(t)
	if s.Code != "CHN" || s.Events != 5 || s.AsSource != 2 || s.AsTarget != 3 || s.Mentions != 6+1+1+2+1 ||
		s.First != "2024-05-06" || s.Last != "2024-09-12" {
		t.Errorf("ActorSummary(CHN) = %+v", s)
	}
	if len(s.Partners) != 3 || s.Partners[0].Code != "USA" || s.Partners[0].Events != 3 || s.Partners[1].Code != "RUS" {
		t.Errorf("partners = %+v; want USA (3 events), RUS, RUSGOV", s.Partners)
	}
	s = must(db.ActorSummary(ctx, "CHN*"))(t)
	if s.Events != 7 || s.AsSource != 3 || s.Quad[0]+s.Quad[1]+s.Quad[2]+s.Quad[3] != 7 {
		t.Errorf("ActorSummary(CHN*) = %+v; want 7 events, 3 as source", s)
	}
	if s := must(db.ActorSummary(ctx, "FRA"))(t); s.Events != 0 || s.Partners == nil {
		t.Errorf("ActorSummary(FRA) = %+v; want zero counts", s)
	}
	if _, err := db.ActorSummary(ctx, " "); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("no code: %v; want invalid", err)
	}
}

// testSameAsReference stores the fixture in the store under test and in a
// reference SQLite store, and compares what both answer: exports byte for
// byte, and every query whose answer the contract fixes.
func testSameAsReference(t *testing.T, open Open) {
	db := loaded(t, open)
	ref, err := sqlite.Open(filepath.Join(t.TempDir(), "reference.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	if _, err := ref.PutBatch(ctx, items()); err != nil {
		t.Fatal(err)
	}
	got, want := exportAll(t, db), exportAll(t, ref)
	for _, format := range export.Formats {
		if got[format] != want[format] {
			t.Errorf("export %s differs from SQLite's:\n got %q\nwant %q", format, got[format], want[format])
		}
	}
	same := func(what string, g, w any) {
		t.Helper()
		if !reflect.DeepEqual(roundFloats(g), roundFloats(w)) {
			t.Errorf("%s differs from SQLite's:\n got %+v\nwant %+v", what, g, w)
		}
	}
	for _, id := range []string{"a1", "a3", "a5", "a6", "a8"} {
		same("Article("+id+")", must(db.Article(ctx, id))(t), must(ref.Article(ctx, id))(t))
		same("Annotations("+id+")", must(db.Annotations(ctx, id))(t), must(ref.Annotations(ctx, id))(t))
		same("Entities("+id+")", must(db.Entities(ctx, id))(t), must(ref.Entities(ctx, id))(t))
	}
	same("Stats", must(db.Stats(ctx))(t), must(ref.Stats(ctx))(t))
	same("Sources", must(db.Sources(ctx))(t), must(ref.Sources(ctx))(t))
	for _, f := range []detente.EventFilter{{}, {Sort: "mentions"}, {Sort: "-first_seen"}, {Source: "USA"}, {Country: "CHN", Limit: 3, Offset: 1}} {
		ge, gt, err1 := db.Events(ctx, f)
		we, wt, err2 := ref.Events(ctx, f)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		same("Events total", gt, wt)
		same("Events", ge, we)
	}
	for _, d := range [][3]string{{"CHN", "USA", "day"}, {"CHN*", "*", "week"}, {"USA", "CHN*", "month"}, {"RUS*", "CHN", "year"}} {
		same("DyadTimeline", must(db.DyadTimeline(ctx, d[0], d[1], d[2], "", ""))(t), must(ref.DyadTimeline(ctx, d[0], d[1], d[2], "", ""))(t))
	}
	for _, code := range []string{"CHN", "CHN*", "USA", "TWN*"} {
		same("ActorSummary("+code+")", must(db.ActorSummary(ctx, code))(t), must(ref.ActorSummary(ctx, code))(t))
	}
	for _, f := range []detente.SearchFilter{{}, {Query: "talks"}, {Country: "USA"}} {
		same("TopEntities", must(db.TopEntities(ctx, f, 20))(t), must(ref.TopEntities(ctx, f, 20))(t))
	}
	// Search: the same matches and totals; ranking scores are each
	// engine's own, so hits compare without them, as sets.
	for _, f := range []detente.SearchFilter{{Query: "agreement"}, {Query: "china"}, {Query: "officials", Source: "tass"}, {Source: "Xinhua"}, {}} {
		gh, gt := must2(t, db, f)
		wh, wt := must2(t, ref, f)
		norm := func(hs []detente.SearchHit) []detente.SearchHit {
			out := make([]detente.SearchHit, len(hs))
			for i, h := range hs {
				h.Score, h.Snippet = 0, ""
				out[i] = h
			}
			if f.Query != "" {
				sort.Slice(out, func(i, j int) bool { return out[i].ArticleID < out[j].ArticleID })
			}
			return out
		}
		same("Search total", gt, wt)
		same("Search", norm(gh), norm(wh))
	}
}

// roundFloats rounds the float fields that both stores compute by summing
// in their own order, so they compare equal to 1e-9.
func roundFloats(v any) any {
	r := func(x float64) float64 { return math.Round(x*1e9) / 1e9 }
	switch x := v.(type) {
	case []detente.TimelinePoint:
		out := slices.Clone(x)
		for i := range out {
			out[i].MeanGoldstein = r(out[i].MeanGoldstein)
		}
		return out
	case *detente.ActorSummary:
		c := *x
		c.MeanGoldstein = r(c.MeanGoldstein)
		c.Partners = slices.Clone(c.Partners)
		for i := range c.Partners {
			c.Partners[i].MeanGoldstein = r(c.Partners[i].MeanGoldstein)
		}
		return &c
	}
	return v
}
