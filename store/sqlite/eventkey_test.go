package sqlite

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/detente/detente"
)

// allEvents reads every event with all its mentions and reports, and a
// few filtered lists, as a reader of the store sees them.
func allEvents(t *testing.T, db *DB) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	var each []*detente.StoredEvent
	if err := db.EachEvent(ctx, detente.EventFilter{Sort: "date"}, true, func(se *detente.StoredEvent) error {
		each = append(each, se)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out["each"] = each
	for _, se := range each {
		byID, err := db.Event(ctx, se.ID)
		if err != nil {
			t.Fatal(err)
		}
		out["event "+se.ID] = byID
	}
	for name, f := range map[string]detente.EventFilter{
		"all": {}, "source": {Source: "CHN"}, "target": {Target: "IRN"}, "dyad": {Between: [2]string{"IRN", "CHN"}},
		"root": {Root: "05"}, "code": {Code: "05*"}, "plover": {PLOVER: "AGREE"}, "country": {Country: "IRN"},
		"article": {ArticleID: "xinhua-9"}, "dates": {From: "2021-03-27", To: "2021-03-28", Sort: "-goldstein"},
	} {
		evs, total, err := db.Events(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = evs
		out[name+" total"] = total
	}
	return out
}

func TestAVersion8StoreKeepsItsEventsAndMentionsWhenTheKeyIndexGoes(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "v8.db")
	old, err := open(file, 8)
	if err != nil {
		t.Fatal(err)
	}
	orig, exact, _ := story()
	ra, rev := reuters(t)
	talks := report(t, ra.Body, "IRN", "CHN", "036", "2021-03-28", "Tehran", "Beijing", "signed")
	put(t, old,
		detente.PutItem{Article: orig, Fingerprint: fingerprint(orig.Body), Events: []detente.Event{pact(t, orig.Body)}},
		detente.PutItem{Article: exact, Fingerprint: fingerprint(exact.Body), Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact, Similarity: 1}},
		detente.PutItem{Article: ra, Fingerprint: fingerprint(ra.Body), Events: []detente.Event{rev, talks}})
	if n := count(t, old, "SELECT count(*) FROM event_mentions"); n != 4 {
		t.Fatalf("fixture: %d mentions at version 8, want 4", n)
	}
	before := allEvents(t, old)
	old.Close()

	db, err := Open(file)
	if err != nil {
		t.Fatalf("Open of a version 8 file: %v", err)
	}
	defer db.Close()
	if v := count(t, db, "PRAGMA user_version"); v != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
	if after := allEvents(t, db); !reflect.DeepEqual(after, before) {
		t.Errorf("events after migrating:\n%+v\nwant as before:\n%+v", after, before)
	}
	if n := count(t, db, `SELECT count(*) FROM pragma_index_list('events') WHERE "unique"`); n != 1 {
		t.Errorf("events has %d unique indexes, want 1 (the ID's)", n)
	}
	if n := count(t, db, `SELECT count(*) FROM pragma_foreign_key_list('event_mentions') WHERE "table" = 'events' AND "to" = 'seq' AND on_delete = 'CASCADE'`); n != 1 {
		t.Errorf("event_mentions no longer refers to events(seq), cascading")
	}
	// Every connection enforces foreign keys again, the one that migrated too.
	checkForeignKeysOn(t, ctx, db, "the migration")

	// A new report of a migrated event merges into it; a new event is new.
	later := &detente.Article{ID: "ap-3", URL: "https://apnews.com/3", Source: "AP", Body: ra.Body}
	put(t, db, detente.PutItem{Article: later, Fingerprint: fingerprint(later.Body + "ap"),
		Events: []detente.Event{rev, report(t, ra.Body, "CHN", "IRN", "036", "2021-03-28", "Beijing", "Tehran", "signed")}})
	if n := count(t, db, "SELECT count(*) FROM events"); n != 3 {
		t.Errorf("%d events after a new article, want 3", n)
	}
	evs, _, err := db.Events(ctx, detente.EventFilter{Code: "057"})
	if err != nil || len(evs) != 1 {
		t.Fatalf("the pact: %d events, %v", len(evs), err)
	}
	pactEv := evs[0]
	if got := countsOf(pactEv); got != (counts{4, 4, 4}) {
		t.Errorf("the migrated pact reported again: counts %+v, want 4, 4, 4", got)
	}
	// Deleting an event still deletes its mentions.
	if _, err := db.db.ExecContext(ctx, "DELETE FROM events WHERE id = ?", pactEv.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT count(*) FROM event_mentions"); n != 2 {
		t.Errorf("%d mentions after deleting the pact, want the other event's 2", n)
	}
	if err := db.PutEvents(ctx, orig.ID, []detente.Event{pact(t, orig.Body)}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Errorf("%d rows refer to missing rows", n)
	}
	checkEventCounts(t, db)
}
