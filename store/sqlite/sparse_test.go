package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/detente/detente"
)

// sparseItems are articles whose events have and lack targets, PLOVER
// types (01x and 02x codes have none) and location countries, the three
// columns whose indexes are partial from migration 0011.
func sparseItems() []detente.PutItem {
	located := func(e detente.Event, country string) detente.Event {
		e.Location = &detente.Location{Name: "Somewhere", Country: country, Lat: 1, Lon: 2}
		return e
	}
	evs := [][]detente.Event{
		{evt("CHN", "IRN", "057", "2021-03-27"), evt("IRN", "", "010", "2021-03-27")},
		{located(evt("IRNGOV", "CHN", "036", "2021-03-28"), "IRN"), evt("", "IRN", "020", "2021-03-28")},
		{evt("USA", "", "042", "2021-03-29"), located(evt("RUS", "", "012", "2021-03-29"), "IRN")},
		{evt("IRN", "USA", "112", ""), evt("USA", "IRNMIL", "190", "2021-04-02")},
		{located(evt("FRA", "DEU", "040", "2021-04-03"), "KOR"), evt("KOR", "", "023", "2021-04-03")},
	}
	var items []detente.PutItem
	for i, es := range evs {
		a := &detente.Article{ID: fmt.Sprintf("s%d", i), Source: fmt.Sprintf("Outlet %d", i%3),
			Body: "Someone did something to someone."}
		for j := range es {
			es[j].Mentions = []detente.EventMention{{Sentence: detente.Span{Start: 0, End: 33}, Explanation: fmt.Sprintf("event %d.%d", i, j)}}
		}
		items = append(items, detente.PutItem{Article: a, Fingerprint: fingerprint(a.Body + a.ID), Events: es})
	}
	return items
}

// sparseFilters are the filters the partial indexes serve, and filters
// that must still find the events those indexes leave out.
var sparseFilters = map[string]detente.EventFilter{
	"no filter":                {Sort: "date"},
	"a target":                 {Target: "IRN"},
	"a target prefix":          {Target: "irn*", Sort: "-goldstein"},
	"the empty target":         {Target: " "},
	"a source with no targets": {Source: "USA"},
	"a dyad":                   {Between: [2]string{"CHN", "IRN*"}},
	"a dyad's other direction": {Between: [2]string{"IRN*", "*"}},
	"a country":                {Country: "irn"},
	"another country":          {Country: "KOR", Sort: "-first_seen"},
	"a PLOVER type":            {PLOVER: "agree"},
	"a PLOVER type and a date": {PLOVER: "CONSULT", From: "2021-03-28"},
	"a quad class":             {Quad: 1},
}

// sparseResults is what every reader of the store sees of those events.
func sparseResults(t *testing.T, db *DB) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	for name, f := range sparseFilters {
		evs, total, err := db.Events(ctx, f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = evs
		out[name+" total"] = total
		var each []*detente.StoredEvent
		if err := db.EachEvent(ctx, f, true, func(se *detente.StoredEvent) error {
			each = append(each, se)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		out[name+" each"] = each
	}
	for _, code := range []string{"IRN", "IRN*", "USA", "KOR"} {
		s, err := db.ActorSummary(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		out["actor "+code] = s
	}
	for _, d := range [][2]string{{"IRN*", "*"}, {"CHN", "IRN*"}} {
		pts, err := db.DyadTimeline(ctx, d[0], d[1], "day", "", "")
		if err != nil {
			t.Fatal(err)
		}
		out["timeline "+d[0]+" "+d[1]] = pts
	}
	return out
}

func TestAVersion10StoreKeepsItsEventsWhenTheSparseIndexesBecomePartial(t *testing.T) {
	ctx := context.Background()
	// One clock for both stores below, whose events are compared whole.
	now := detente.Now
	t.Cleanup(func() { detente.Now = now })
	detente.Now = func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }
	file := filepath.Join(t.TempDir(), "v10.db")
	old, err := open(file, 10)
	if err != nil {
		t.Fatal(err)
	}
	put(t, old, sparseItems()...)
	before := sparseResults(t, old)
	beforeAll := allEvents(t, old)
	rows := map[string]int{}
	for _, table := range []string{"events", "event_mentions", "articles", "entities", "annotations"} {
		rows[table] = count(t, old, "SELECT count(*) FROM "+table)
	}
	if rows["events"] != 10 || count(t, old, "SELECT count(*) FROM events WHERE target = ''") != 4 ||
		count(t, old, "SELECT count(*) FROM events WHERE plover = ''") != 4 ||
		count(t, old, "SELECT count(*) FROM events WHERE loc_country = ''") != 7 {
		t.Fatalf("fixture: %d events, not 10 with 4 without a target, 4 without a PLOVER type, 7 without a country", rows["events"])
	}
	old.Close()

	db, err := Open(file)
	if err != nil {
		t.Fatalf("Open of a version 10 file: %v", err)
	}
	defer db.Close()
	if v := count(t, db, "PRAGMA user_version"); v != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
	for table, n := range rows {
		if got := count(t, db, "SELECT count(*) FROM "+table); got != n {
			t.Errorf("%d rows in %s after migrating, want %d", got, table, n)
		}
	}
	checkSparseIndexes(t, db)
	if after := sparseResults(t, db); !reflect.DeepEqual(after, before) {
		t.Errorf("filters after migrating:\n%+v\nwant as before:\n%+v", after, before)
	}
	if after := allEvents(t, db); !reflect.DeepEqual(after, beforeAll) {
		t.Errorf("events after migrating:\n%+v\nwant as before:\n%+v", after, beforeAll)
	}
	if n := count(t, db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"); n != 0 {
		t.Errorf("integrity_check: %d problems", n)
	}
	checkForeignKeysOn(t, ctx, db, "the migration")

	// New events go into the partial indexes as they should: a new
	// store holds the same events and answers the same.
	fresh := openTemp(t)
	put(t, fresh, sparseItems()...)
	checkSparseIndexes(t, fresh)
	if got := sparseResults(t, fresh); !reflect.DeepEqual(got, before) {
		t.Errorf("filters on a new store:\n%+v\nwant as on the old one:\n%+v", got, before)
	}
	// A location filled in later enters the country index.
	late := sparseItems()[0]
	late.Article = &detente.Article{ID: "late", Source: "Outlet 9", Body: late.Article.Body}
	late.Fingerprint = fingerprint("late")
	late.Events = []detente.Event{late.Events[1]}
	late.Events[0].Location = &detente.Location{Name: "Tabriz", Country: "IRN", Lat: 38, Lon: 46}
	put(t, db, late)
	evs, _, err := db.Events(ctx, detente.EventFilter{Country: "IRN", Source: "IRN"})
	if err != nil || len(evs) != 2 || evs[0].CAMEO != "010" && evs[1].CAMEO != "010" {
		t.Errorf("country IRN, source IRN after locating IRN's 010: %q, %v", keys(evs), err)
	}
	if n := count(t, db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"); n != 0 {
		t.Errorf("integrity_check after a located report: %d problems", n)
	}
}

// checkSparseIndexes fails unless the three sparse columns' indexes are
// partial, holding exactly the events whose column is not empty.
func checkSparseIndexes(t *testing.T, db *DB) {
	t.Helper()
	for index, col := range map[string]string{"events_target": "target", "events_plover": "plover", "events_country": "loc_country"} {
		if n := count(t, db, `SELECT count(*) FROM pragma_index_list('events') WHERE name = ? AND partial`, index); n != 1 {
			t.Errorf("%s is not a partial index", index)
		}
		var sql string
		if err := db.db.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = ?`, index).Scan(&sql); err != nil {
			t.Fatal(err)
		}
		if want := "WHERE " + col + " <> ''"; !strings.HasSuffix(sql, want) {
			t.Errorf("%s is %q, want it to end %q", index, sql, want)
		}
		// The index answers a count of its rows alone.
		want := count(t, db, "SELECT count(*) FROM events NOT INDEXED WHERE "+col+" <> ''")
		if got := count(t, db, "SELECT count(*) FROM events INDEXED BY "+index+" WHERE "+col+" <> ''"); got != want {
			t.Errorf("%s holds %d events, want the %d whose %s is not empty", index, got, want, col)
		}
	}
	for _, index := range []string{"events_dyad", "events_root", "events_date"} {
		if n := count(t, db, `SELECT count(*) FROM pragma_index_list('events') WHERE name = ? AND NOT partial`, index); n != 1 {
			t.Errorf("%s is missing or partial", index)
		}
	}
}

// plan is SQLite's query plan for query, its steps' details joined.
func plan(t *testing.T, db *DB, query string, args []any) string {
	t.Helper()
	rows, err := db.db.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(steps, "; ")
}

func TestFiltersOnSparseColumnsUseTheirPartialIndexes(t *testing.T) {
	db := openTemp(t)
	put(t, db, sparseItems()...)
	// The same events at version 10, whose indexes held every event: each
	// plan must be the one the full indexes had.
	old, err := open(filepath.Join(t.TempDir(), "v10.db"), 10)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	put(t, old, sparseItems()...)
	filter := func(f detente.EventFilter) (string, []any) {
		q, err := compileEvents(f)
		if err != nil {
			t.Fatal(err)
		}
		return "SELECT " + eventColumns + " FROM events e" + q.whereSQL() + q.order, q.args
	}
	counted := func(f detente.EventFilter) (string, []any) {
		q, err := compileEvents(f)
		if err != nil {
			t.Fatal(err)
		}
		return "SELECT count(*) FROM events e" + q.whereSQL(), q.args
	}
	actor := func(code string) (string, []any) {
		q := &eventQuery{}
		return actorSides(q, code), q.args
	}
	timeline := func(a, b string) (string, []any) {
		query, args, err := dyadTimelineSQL(a, b, bucketSQL["month"], "", "")
		if err != nil {
			t.Fatal(err)
		}
		return query, args
	}
	type build func() (string, []any)
	cases := []struct {
		name string
		q    build
		want []string // indexes the plan must use
	}{
		{"a target", func() (string, []any) { return filter(detente.EventFilter{Target: "IRN"}) }, []string{"events_target"}},
		{"a target, counted", func() (string, []any) { return counted(detente.EventFilter{Target: "IRN"}) }, []string{"events_target"}},
		{"a target prefix", func() (string, []any) { return filter(detente.EventFilter{Target: "IRN*"}) }, []string{"events_target"}},
		// Either index has both actors first; the planner takes either.
		{"a dyad", func() (string, []any) { return filter(detente.EventFilter{Between: [2]string{"CHN", "IRN"}}) },
			[]string{"events_dyad|events_target"}},
		{"a dyad's other direction", func() (string, []any) { return filter(detente.EventFilter{Between: [2]string{"IRN*", "*"}}) },
			[]string{"events_dyad", "events_target"}},
		{"a dyad's other direction, counted", func() (string, []any) { return counted(detente.EventFilter{Between: [2]string{"IRN*", "*"}}) },
			[]string{"events_dyad", "events_target"}},
		{"a dyad's timeline, both directions", func() (string, []any) { return timeline("IRN*", "*") }, []string{"events_dyad", "events_target"}},
		{"an actor as target", func() (string, []any) { return actor("IRN") }, []string{"events_dyad", "events_target"}},
		{"an actor prefix as target", func() (string, []any) { return actor("IRN*") }, []string{"events_dyad", "events_target"}},
		{"a country", func() (string, []any) { return filter(detente.EventFilter{Country: "IRN"}) },
			[]string{"events_dyad", "events_target", "events_country"}},
		{"a country, counted", func() (string, []any) { return counted(detente.EventFilter{Country: "IRN"}) },
			[]string{"events_dyad", "events_target", "events_country"}},
		{"a PLOVER type", func() (string, []any) { return filter(detente.EventFilter{PLOVER: "AGREE"}) }, []string{"events_plover"}},
		{"a PLOVER type, counted", func() (string, []any) { return counted(detente.EventFilter{PLOVER: "AGREE"}) }, []string{"events_plover"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			query, args := c.q()
			p := plan(t, db, query, args)
			if was := plan(t, old, query, args); p != was {
				t.Errorf("plan %s\nwas %s with full indexes", p, was)
			}
			for _, want := range c.want {
				found := false
				for _, index := range strings.Split(want, "|") {
					found = found || strings.Contains(p, "INDEX "+index+" ")
				}
				if !found {
					t.Errorf("plan does not use %s: %s", want, p)
				}
			}
			if testing.Verbose() {
				t.Log(p)
			}
			for _, step := range strings.Split(p, "; ") {
				if strings.HasPrefix(step, "SCAN e") || strings.HasPrefix(step, "SCAN events") {
					t.Errorf("plan reads every event: %s", p)
				}
			}
		})
	}
}
