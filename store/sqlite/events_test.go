package sqlite

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/detente/detente"
)

// report is an event coded from body: source did code to target on date,
// reported by the sentence that holds verb, with the actors' and verb's
// words found in it.
func report(t testing.TB, body, source, target, code, date, srcWords, tgtWords, verb string) detente.Event {
	t.Helper()
	vs, ve := span(t, body, verb, 0)
	ss, se := span(t, body, srcWords, 0)
	ts, te := span(t, body, tgtWords, 0)
	// The sentence is the verb's line.
	rs := []rune(body)
	start, end := vs, ve
	for start > 0 && rs[start-1] != '\n' {
		start--
	}
	for end < len(rs) && rs[end] != '\n' {
		end++
	}
	return detente.Event{Source: source, Target: target, CAMEO: code, Date: date,
		Mentions: []detente.EventMention{{
			Sentence: detente.Span{Start: start, End: end}, SourceSpan: detente.Span{Start: ss, End: se},
			TargetSpan: detente.Span{Start: ts, End: te}, VerbSpan: detente.Span{Start: vs, End: ve},
			RootEvent: start == 0, Confidence: 0.9, Explanation: "verb " + verb + " → " + code,
		}}}
}

// pact is the story() original's event: China signs an agreement with Iran.
func pact(t testing.TB, body string) detente.Event {
	e := report(t, body, "CHN", "IRN", "057", "2021-03-27", "China", "Iran", "signed")
	e.Location = &detente.Location{Name: "Tehran", Country: "IRN", Lat: 35.69439, Lon: 51.42151}
	return e
}

// reuters is another outlet's own article on the same event.
func reuters(t testing.TB) (*detente.Article, detente.Event) {
	a := &detente.Article{ID: "reuters-7", URL: "https://reuters.com/7", Source: "Reuters", Published: "2021-03-27",
		Title: "Iran, China sign pact", Body: "Beijing signed a sweeping pact with Tehran on Saturday, state media said."}
	return a, report(t, a.Body, "chn", "irn", "057", "2021-03-27T10:00:00Z", "Beijing", "Tehran", "signed")
}

func put(t testing.TB, db *DB, items ...detente.PutItem) []detente.PutStatus {
	t.Helper()
	st, err := db.PutBatch(context.Background(), items)
	if err != nil {
		t.Fatalf("PutBatch: %v", err)
	}
	return st
}

func onlyEvent(t testing.TB, db *DB) *detente.StoredEvent {
	t.Helper()
	evs, total, err := db.Events(context.Background(), detente.EventFilter{})
	if err != nil || total != 1 || len(evs) != 1 {
		t.Fatalf("Events = %d events (total %d), %v; want exactly one", len(evs), total, err)
	}
	se, err := db.Event(context.Background(), evs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return se
}

type counts struct{ mentions, articles, sources int }

func countsOf(e detente.Event) counts { return counts{e.NumMentions, e.NumArticles, e.NumSources} }

func TestTwoOutletsReportingTheSameEventMakeOneEventWithTwoMentionsAndTwoSources(t *testing.T) {
	db := openTemp(t)
	orig, _, _ := story()
	ra, rev := reuters(t)
	put(t, db, detente.PutItem{Article: orig, Fingerprint: fingerprint(orig.Body), Events: []detente.Event{pact(t, orig.Body)}})
	put(t, db, detente.PutItem{Article: ra, Fingerprint: fingerprint(ra.Body), Events: []detente.Event{rev}})

	se := onlyEvent(t, db)
	if got := countsOf(se.Event); got != (counts{2, 2, 2}) {
		t.Errorf("counts = %+v, want 2 mentions, 2 articles, 2 sources", got)
	}
	e := se.Event
	if e.Source != "CHN" || e.Target != "IRN" || e.CAMEO != "057" || e.Base != "057" || e.Root != "05" ||
		e.Quad != 1 || e.Goldstein != 8 || e.PLOVER == "" || e.Date != "2021-03-27" {
		t.Errorf("event = %+v; want CHN→IRN 057 on 2021-03-27 with its CAMEO fields filled", e)
	}
	if e.Location == nil || e.Location.Name != "Tehran" {
		t.Errorf("location = %+v, want the first report's Tehran", e.Location)
	}
	if len(se.Reports) != 2 || se.Reports[0].ArticleID != orig.ID || se.Reports[1].ArticleID != ra.ID ||
		se.Reports[0].Outlet != "CGTN" || se.Reports[1].URL != ra.URL {
		t.Errorf("reports = %+v; want CGTN's first, then Reuters' with its URL", se.Reports)
	}
	if !se.Reports[0].RootEvent || se.Reports[0].Explanation != "verb signed → 057" {
		t.Errorf("first mention = %+v; want the lead sentence with its explanation", se.Reports[0])
	}
	if se.Seq <= 0 || se.FirstSeen == "" {
		t.Errorf("seq %d, first seen %q; want a GDELT id and a time", se.Seq, se.FirstSeen)
	}
}

func TestTheSameEventTwiceInOneArticleIsTwoMentionsOfOneArticle(t *testing.T) {
	db := openTemp(t)
	orig, _, _ := story()
	first := pact(t, orig.Body)
	second := report(t, orig.Body, "CHN", "IRN", "057", "2021-03-27", "China", "Iran", "pact covers")
	put(t, db, detente.PutItem{Article: orig, Fingerprint: fingerprint(orig.Body), Events: []detente.Event{first, second}})
	if got := countsOf(onlyEvent(t, db).Event); got != (counts{2, 1, 1}) {
		t.Errorf("counts = %+v, want 2 mentions in 1 article from 1 source", got)
	}
}

func TestStoringAnArticleAgainChangesNoEvent(t *testing.T) {
	db := openTemp(t)
	orig, exact, _ := story()
	ra, rev := reuters(t)
	items := []detente.PutItem{
		{Article: orig, Fingerprint: fingerprint(orig.Body), Events: []detente.Event{pact(t, orig.Body)}},
		{Article: exact, Fingerprint: fingerprint(exact.Body), Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact}},
		{Article: ra, Fingerprint: fingerprint(ra.Body), Events: []detente.Event{rev}},
	}
	put(t, db, items...)
	before := onlyEvent(t, db)
	rows := count(t, db, "SELECT count(*) FROM event_mentions")
	for _, st := range put(t, db, items...) {
		if st != detente.PutExisting {
			t.Errorf("second put = %v, want existing", st)
		}
	}
	after := onlyEvent(t, db)
	if !reflect.DeepEqual(after, before) {
		t.Errorf("after storing again:\n%+v\nwant\n%+v", after, before)
	}
	if n := count(t, db, "SELECT count(*) FROM event_mentions"); n != rows {
		t.Errorf("%d mention rows after storing again, want %d", n, rows)
	}
}

func TestACopyOfAStoryAddsItsArticleAndOutletToTheStorysEvents(t *testing.T) {
	orig, exact, near := story()
	sameOutlet := &detente.Article{ID: "cgtn-2", URL: "https://cgtn.com/2", Source: "cgtn", Body: orig.Body}
	cases := []struct {
		name   string
		copies []*detente.Article
		kinds  []string
		want   counts
	}{
		{"an exact copy from another outlet", []*detente.Article{exact}, []string{detente.CopyExact}, counts{2, 2, 2}},
		{"a near copy from another outlet", []*detente.Article{near}, []string{detente.CopyNear}, counts{2, 2, 2}},
		{"a copy from the same outlet, spelled otherwise", []*detente.Article{sameOutlet}, []string{detente.CopyExact}, counts{2, 2, 1}},
		{"two copies", []*detente.Article{exact, near}, []string{detente.CopyExact, detente.CopyNear}, counts{3, 3, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, sameBatch := range []bool{true, false} {
				db := openTemp(t)
				items := []detente.PutItem{{Article: orig, Fingerprint: fingerprint(orig.Body), Events: []detente.Event{pact(t, orig.Body)}}}
				for i, cp := range c.copies {
					// A copy's own events are ignored: the original's stand.
					bogus := report(t, orig.Body, "IRN", "CHN", "112", "2021-03-28", "Iran", "China", "signed")
					items = append(items, detente.PutItem{Article: cp, Fingerprint: fingerprint(cp.Body),
						Duplicate: &detente.Duplicate{Of: orig.ID, Kind: c.kinds[i], Similarity: 0.9}, Events: []detente.Event{bogus}})
				}
				if sameBatch {
					put(t, db, items...)
				} else {
					for _, it := range items {
						put(t, db, it)
					}
				}
				se := onlyEvent(t, db)
				if got := countsOf(se.Event); got != c.want {
					t.Errorf("same batch %v: counts = %+v, want %+v", sameBatch, got, c.want)
				}
				for i, r := range se.Reports[1:] {
					cp := c.copies[i]
					if r.ArticleID != cp.ID || r.URL != cp.URL || r.VerbSpan != se.Reports[0].VerbSpan {
						t.Errorf("copy mention %d = %+v; want %s at the original's offsets", i, r, cp.ID)
					}
				}
			}
		})
	}
}

func TestPutEventsCodesAStoredStoryWithItsCopiesAndReplacesOldEvents(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	orig, exact, _ := story()
	put(t, db, detente.PutItem{Article: orig, Fingerprint: fingerprint(orig.Body)},
		detente.PutItem{Article: exact, Fingerprint: fingerprint(exact.Body), Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact}})
	wrong := report(t, orig.Body, "CHN", "IRN", "040", "2021-03-27", "China", "Iran", "signed")
	if err := db.PutEvents(ctx, exact.ID, []detente.Event{wrong}); err != nil {
		t.Fatal(err)
	}
	if got := countsOf(onlyEvent(t, db).Event); got != (counts{2, 2, 2}) {
		t.Errorf("after coding a story with one copy, counts = %+v, want 2, 2, 2", got)
	}
	if err := db.PutEvents(ctx, orig.ID, []detente.Event{pact(t, orig.Body)}); err != nil {
		t.Fatal(err)
	}
	se := onlyEvent(t, db)
	if se.CAMEO != "057" || countsOf(se.Event) != (counts{2, 2, 2}) {
		t.Errorf("after recoding, only event = %s %+v; want the new 057 with 2, 2, 2 (040 gone)", se.CAMEO, countsOf(se.Event))
	}
	if err := db.PutEvents(ctx, orig.ID, nil); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT count(*) FROM events") + count(t, db, "SELECT count(*) FROM event_mentions"); n != 0 {
		t.Errorf("%d event rows left after removing the story's events", n)
	}
	if err := db.PutEvents(ctx, "nope", nil); detente.ErrorCode(err) != detente.ENOTFOUND {
		t.Errorf("PutEvents of an unknown article: %v, want ENOTFOUND", err)
	}
}

func TestEventsThatCannotBeStoredFailTheBatch(t *testing.T) {
	orig, _, _ := story()
	good := pact(t, orig.Body)
	bad := func(f func(e *detente.Event)) detente.Event {
		e := pact(t, orig.Body)
		e.Mentions = append([]detente.EventMention(nil), e.Mentions...)
		f(&e)
		return e
	}
	cases := map[string]detente.Event{
		"an unknown CAMEO code":          bad(func(e *detente.Event) { e.CAMEO = "999" }),
		"a date that is not a day":       bad(func(e *detente.Event) { e.Date = "27/03/2021" }),
		"a verb past the body's end":     bad(func(e *detente.Event) { e.Mentions[0].VerbSpan.End = 1000 }),
		"a location off the globe":       bad(func(e *detente.Event) { e.Location = &detente.Location{Lat: 91} }),
		"a sentence ending before start": bad(func(e *detente.Event) { e.Mentions[0].Sentence = detente.Span{Start: 5, End: 2} }),
	}
	for name, e := range cases {
		t.Run(name, func(t *testing.T) {
			db := openTemp(t)
			ra, rev := reuters(t)
			_, err := db.PutBatch(context.Background(), []detente.PutItem{
				{Article: ra, Fingerprint: fingerprint(ra.Body), Events: []detente.Event{rev}},
				{Article: orig, Fingerprint: fingerprint(orig.Body), Events: []detente.Event{good, e}},
			})
			if detente.ErrorCode(err) != detente.EINVALID {
				t.Errorf("PutBatch: %v, want EINVALID", err)
			}
			if n := count(t, db, "SELECT count(*) FROM copies") + count(t, db, "SELECT count(*) FROM events"); n != 0 {
				t.Errorf("%d rows stored from a refused batch", n)
			}
		})
	}
}

// eventStore holds events for the filter tests: one article per event,
// each from its own outlet.
func eventStore(t testing.TB, evs ...detente.Event) *DB {
	t.Helper()
	db := openTemp(t)
	var items []detente.PutItem
	for i, e := range evs {
		a := &detente.Article{ID: fmt.Sprintf("a%d", i), Source: fmt.Sprintf("Outlet %d", i), Body: "Someone did something to someone."}
		e.Mentions = []detente.EventMention{{Sentence: detente.Span{Start: 0, End: 33}, Explanation: fmt.Sprintf("event %d", i)}}
		items = append(items, detente.PutItem{Article: a, Fingerprint: fingerprint(a.Body + a.ID), Events: []detente.Event{e}})
	}
	put(t, db, items...)
	return db
}

func evt(source, target, code, date string) detente.Event {
	return detente.Event{Source: source, Target: target, CAMEO: code, Date: date}
}

func keys(evs []detente.Event) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Source+">"+e.Target+" "+e.CAMEO+" "+e.Date)
	}
	return out
}

func TestEventFiltersSelectAndOrderEvents(t *testing.T) {
	db := eventStore(t,
		evt("CHNGOV", "KORGOV", "036", "2024-05-06"),
		evt("KORGOV", "CHNGOV", "040", "2024-05-07"),
		evt("USA", "CHN", "112", "2024-04-30"),
		evt("CHN", "USA", "0311", "2024-06-01"),
		evt("RUSMIL", "UKR", "190", "2024-05-06"),
		evt("USA", "", "010", ""),
	)
	fr := evt("FRA", "DEU", "042", "2024-05-06")
	fr.Location = &detente.Location{Name: "Seoul", Country: "KOR", Lat: 37.5, Lon: 127}
	if err := db.PutEvents(context.Background(), "a5", nil); err != nil { // keeps the article, drops its event
		t.Fatal(err)
	}
	put(t, db, detente.PutItem{Article: &detente.Article{ID: "fr", Body: "x"}, Fingerprint: fingerprint("fr"), Events: []detente.Event{fr}})
	cases := []struct {
		name string
		f    detente.EventFilter
		want []string
	}{
		{"no filter lists the newest first, undated last", detente.EventFilter{}, []string{
			"CHN>USA 0311 2024-06-01", "KORGOV>CHNGOV 040 2024-05-07", "FRA>DEU 042 2024-05-06", "RUSMIL>UKR 190 2024-05-06",
			"CHNGOV>KORGOV 036 2024-05-06", "USA>CHN 112 2024-04-30"}},
		{"a dyad in either direction", detente.EventFilter{Between: [2]string{"chn*", "KOR*"}, Sort: "date"}, []string{
			"CHNGOV>KORGOV 036 2024-05-06", "KORGOV>CHNGOV 040 2024-05-07"}},
		{"an exact source", detente.EventFilter{Source: "CHN"}, []string{"CHN>USA 0311 2024-06-01"}},
		{"a source prefix", detente.EventFilter{Source: "CHN*", Sort: "date"}, []string{"CHNGOV>KORGOV 036 2024-05-06", "CHN>USA 0311 2024-06-01"}},
		{"a target", detente.EventFilter{Target: "CHN"}, []string{"USA>CHN 112 2024-04-30"}},
		{"a code prefix", detente.EventFilter{Code: "03*", Sort: "date"}, []string{"CHNGOV>KORGOV 036 2024-05-06", "CHN>USA 0311 2024-06-01"}},
		{"a three-digit prefix", detente.EventFilter{Code: "031*"}, []string{"CHN>USA 0311 2024-06-01"}},
		{"an exact code", detente.EventFilter{Code: "036"}, []string{"CHNGOV>KORGOV 036 2024-05-06"}},
		{"a root", detente.EventFilter{Root: "04"}, []string{"KORGOV>CHNGOV 040 2024-05-07", "FRA>DEU 042 2024-05-06"}},
		{"a quad class", detente.EventFilter{Quad: 4}, []string{"RUSMIL>UKR 190 2024-05-06"}},
		{"a PLOVER type", detente.EventFilter{PLOVER: "consult", Sort: "date"}, []string{"FRA>DEU 042 2024-05-06", "KORGOV>CHNGOV 040 2024-05-07"}},
		{"a month", detente.EventFilter{From: "2024-05", To: "2024-05", Sort: "date"}, []string{
			"CHNGOV>KORGOV 036 2024-05-06", "RUSMIL>UKR 190 2024-05-06", "FRA>DEU 042 2024-05-06", "KORGOV>CHNGOV 040 2024-05-07"}},
		{"from a day", detente.EventFilter{From: "2024-05-07"}, []string{"CHN>USA 0311 2024-06-01", "KORGOV>CHNGOV 040 2024-05-07"}},
		{"to a day", detente.EventFilter{To: "2024-05-01"}, []string{"USA>CHN 112 2024-04-30"}},
		{"a country as actor or place", detente.EventFilter{Country: "kor", Sort: "date"}, []string{
			"CHNGOV>KORGOV 036 2024-05-06", "FRA>DEU 042 2024-05-06", "KORGOV>CHNGOV 040 2024-05-07"}},
		{"a page", detente.EventFilter{Sort: "date", Limit: 2, Offset: 1}, []string{"CHNGOV>KORGOV 036 2024-05-06", "RUSMIL>UKR 190 2024-05-06"}},
		{"filters together", detente.EventFilter{Between: [2]string{"USA", "CHN"}, Quad: 3}, []string{"USA>CHN 112 2024-04-30"}},
		{"a dyad with no events", detente.EventFilter{Between: [2]string{"USA", "RUS*"}}, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, total, err := db.Events(context.Background(), c.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(keys(got), c.want) {
				t.Errorf("Events = %q, want %q", keys(got), c.want)
			}
			if c.f.Limit == 0 && total != len(c.want) {
				t.Errorf("total = %d, want %d", total, len(c.want))
			}
		})
	}
	if _, total, _ := db.Events(context.Background(), detente.EventFilter{Sort: "date", Limit: 2, Offset: 1}); total != 6 {
		t.Errorf("a page's total = %d, want all 6 events", total)
	}
}

func TestEventListsCarryTheirFirstMentions(t *testing.T) {
	orig, exact, near := story()
	db := openTemp(t)
	sameOutlet := &detente.Article{ID: "cgtn-2", Source: "CGTN", Body: orig.Body}
	put(t, db, detente.PutItem{Article: orig, Fingerprint: fingerprint(orig.Body), Events: []detente.Event{pact(t, orig.Body)}})
	for _, cp := range []*detente.Article{exact, near, sameOutlet} {
		put(t, db, detente.PutItem{Article: cp, Fingerprint: fingerprint(cp.Body), Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyNear}})
	}
	evs, _, err := db.Events(context.Background(), detente.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].NumMentions != 4 || len(evs[0].Mentions) != ListMentions || evs[0].Mentions[0].ArticleID != orig.ID {
		t.Errorf("Events = %+v; want the one event with 4 mentions, its first %d listed, the original's first", evs, ListMentions)
	}
}

func TestBadEventFiltersAreInvalid(t *testing.T) {
	db := openTemp(t)
	for name, f := range map[string]detente.EventFilter{
		"half a dyad":       {Between: [2]string{"CHN", ""}},
		"an unknown code":   {Code: "999"},
		"a quad of 5":       {Quad: 5},
		"a date in words":   {From: "last May"},
		"an unknown sort":   {Sort: "title"},
		"SQL in the sort":   {Sort: "date; DROP TABLE events"},
		"a bad date for To": {To: "2024-5-1"},
	} {
		if _, _, err := db.Events(context.Background(), f); detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
	// Hostile strings are only values.
	evs, _, err := db.Events(context.Background(), detente.EventFilter{Source: "'; DROP TABLE events; --", PLOVER: `" OR 1=1`})
	if err != nil || len(evs) != 0 {
		t.Errorf("hostile filter = %v, %v; want no events, no error", evs, err)
	}
}

func TestDyadTimelineCountsEachBucketAndFillsTheGaps(t *testing.T) {
	db := eventStore(t,
		evt("CHN", "KOR", "036", "2024-05-06"), // Monday
		evt("KOR", "CHN", "040", "2024-05-06"),
		evt("CHN", "KOR", "112", "2024-05-12"), // Sunday: same ISO week
		evt("KORGOV", "CHN", "190", "2024-05-20"),
		evt("CHN", "USA", "036", "2024-05-07"), // another dyad
		evt("CHN", "KOR", "036", ""),           // undated
	)
	ctx := context.Background()
	week, err := db.DyadTimeline(ctx, "CHN", "KOR*", "week", "", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []detente.TimelinePoint{
		{Bucket: "2024-05-06", Quad: [4]int{2, 0, 1, 0}, N: 3, Mentions: 3, AToB: 2, BToA: 1, MeanGoldstein: (4 + 1 - 2) / 3.0},
		{Bucket: "2024-05-13"},
		{Bucket: "2024-05-20", Quad: [4]int{0, 0, 0, 1}, N: 1, Mentions: 1, BToA: 1, MeanGoldstein: -10},
	}
	if !reflect.DeepEqual(week, want) {
		t.Errorf("weekly timeline =\n%+v\nwant\n%+v", week, want)
	}
	day, err := db.DyadTimeline(ctx, "KOR*", "CHN", "day", "2024-05-06", "2024-05-12")
	if err != nil {
		t.Fatal(err)
	}
	if len(day) != 7 || day[0].Bucket != "2024-05-06" || day[0].N != 2 || day[0].AToB != 1 || day[6].N != 1 || day[3].N != 0 {
		t.Errorf("daily timeline = %+v; want 7 days from 05-06 (2 events) to 05-12 (1)", day)
	}
	month, err := db.DyadTimeline(ctx, "CHN", "*", "month", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(month) != 1 || month[0].Bucket != "2024-05" || month[0].N != 5 {
		t.Errorf("China's monthly timeline = %+v; want one month of 5 dated events", month)
	}
	for _, b := range []string{"hour", ""} {
		if _, err := db.DyadTimeline(ctx, "CHN", "KOR", b, "", ""); detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("bucket %q: %v, want EINVALID", b, err)
		}
	}
}

func TestActorSummaryCountsPartnersAndRoots(t *testing.T) {
	db := eventStore(t,
		evt("CHN", "KOR", "036", "2024-05-06"),
		evt("KOR", "CHN", "040", "2024-05-07"),
		evt("CHN", "USA", "112", "2024-05-08"),
		evt("CHN", "KOR", "042", "2024-05-09"),
		evt("USA", "RUS", "190", "2024-05-10"),
	)
	s, err := db.ActorSummary(context.Background(), "chn")
	if err != nil {
		t.Fatal(err)
	}
	want := &detente.ActorSummary{Code: "CHN", Events: 4, AsSource: 3, AsTarget: 1, Mentions: 4, Quad: [4]int{3, 0, 1, 0},
		MeanGoldstein: (4 + 1 - 2 + 1.9) / 4, First: "2024-05-06", Last: "2024-05-09",
		Partners: []detente.Partner{
			{Code: "KOR", Events: 3, AsSource: 2, AsTarget: 1, Mentions: 3, MeanGoldstein: (4 + 1 + 1.9) / 3},
			{Code: "USA", Events: 1, AsSource: 1, Mentions: 1, MeanGoldstein: -2},
		},
		Roots: []detente.CodeCount{{Code: "04", Events: 2}, {Code: "03", Events: 1}, {Code: "11", Events: 1}}}
	// Means compare to 1e-9.
	round := func(x *float64) { *x = math.Round(*x*1e9) / 1e9 }
	for _, x := range []*detente.ActorSummary{s, want} {
		round(&x.MeanGoldstein)
		for i := range x.Partners {
			round(&x.Partners[i].MeanGoldstein)
		}
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("ActorSummary =\n%+v\nwant\n%+v", s, want)
	}
	if s, err := db.ActorSummary(context.Background(), "FRA"); err != nil || s.Events != 0 {
		t.Errorf("an actor with no events: %+v, %v", s, err)
	}
}

func TestEachEventStreamsEveryMatchWithItsReports(t *testing.T) {
	db := eventStore(t,
		evt("CHN", "KOR", "036", "2024-05-06"),
		evt("KOR", "CHN", "040", "2024-05-07"),
		evt("USA", "RUS", "190", "2024-05-10"),
	)
	var got []string
	err := db.EachEvent(context.Background(), detente.EventFilter{Between: [2]string{"CHN", "KOR"}, Sort: "date"}, true, func(se *detente.StoredEvent) error {
		if len(se.Reports) != 1 || se.Reports[0].Outlet == "" || se.Seq == 0 {
			t.Errorf("event %s has reports %+v", se.ID, se.Reports)
		}
		got = append(got, se.Source+">"+se.Target)
		return nil
	})
	if err != nil || !reflect.DeepEqual(got, []string{"CHN>KOR", "KOR>CHN"}) {
		t.Errorf("EachEvent = %v, %v", got, err)
	}
	for _, mentions := range []bool{true, false} {
		got = nil
		err := db.EachEvent(context.Background(), detente.EventFilter{Sort: "date", Limit: 1, Offset: 1}, mentions, func(se *detente.StoredEvent) error {
			got = append(got, fmt.Sprintf("%s>%s %d reports", se.Source, se.Target, len(se.Reports)))
			return nil
		})
		want := "KOR>CHN 0 reports"
		if mentions {
			want = "KOR>CHN 1 reports"
		}
		if err != nil || !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("EachEvent of the second event, mentions %v = %v, %v; want %s", mentions, got, err, want)
		}
	}
	// An event is found by its GDELT number too.
	byNumber, err := db.Event(context.Background(), "2")
	if err != nil || byNumber.Source != "KOR" || len(byNumber.Mentions) != 1 {
		t.Errorf("Event(\"2\") = %+v, %v", byNumber, err)
	}
	if _, err := db.Event(context.Background(), "e0"); detente.ErrorCode(err) != detente.ENOTFOUND {
		t.Errorf("Event of an unknown ID: %v, want ENOTFOUND", err)
	}
}

func TestOlderDatabasesAreMigratedToHoldEvents(t *testing.T) {
	for _, version := range []int{1, 2} {
		t.Run(fmt.Sprintf("version %d", version), func(t *testing.T) {
			ctx := context.Background()
			file := filepath.Join(t.TempDir(), "old.db")
			old, err := open(file, version)
			if err != nil {
				t.Fatal(err)
			}
			orig, exact, _ := story()
			mustPut(t, old, orig, fingerprint(orig.Body, 7), nil)
			mustPut(t, old, exact, fingerprint(exact.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact, Similarity: 1})
			if _, err := old.PutBatch(ctx, []detente.PutItem{{Article: generated("old", 1), Events: []detente.Event{}}}); err == nil {
				t.Error("an old store accepted events")
			}
			before, err := old.Article(ctx, exact.ID)
			if err != nil {
				t.Fatal(err)
			}
			old.Close()

			db, err := Open(file)
			if err != nil {
				t.Fatalf("Open of a version %d file: %v", version, err)
			}
			defer db.Close()
			if v := count(t, db, "PRAGMA user_version"); v != SchemaVersion() {
				t.Errorf("user_version = %d, want %d", v, SchemaVersion())
			}
			if after, err := db.Article(ctx, exact.ID); err != nil || !reflect.DeepEqual(after, before) {
				t.Errorf("after upgrade Article = %+v, %v; want %+v", after, err, before)
			}
			if err := db.PutEvents(ctx, orig.ID, []detente.Event{pact(t, orig.Body)}); err != nil {
				t.Fatal(err)
			}
			ra, rev := reuters(t)
			put(t, db, detente.PutItem{Article: ra, Fingerprint: fingerprint(ra.Body), Events: []detente.Event{rev}})
			if got := countsOf(onlyEvent(t, db).Event); got != (counts{3, 3, 3}) {
				t.Errorf("the old story, its old copy and a new article: counts %+v, want 3, 3, 3", got)
			}
		})
	}
}
