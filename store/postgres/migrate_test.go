package postgres_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/store/postgres"
	"github.com/detente/detente/store/storetest"
	"github.com/jackc/pgx/v5"
)

// entityRows lists a store's entities rows by article ID and position.
func entityRows(t *testing.T, db *postgres.DB) [][]any {
	t.Helper()
	rows, err := db.Pool().Query(context.Background(), `SELECT a.id, e.pos, e.name, e.name_key, e.type, e.actor,
		e.country, e.mentions, e.first_start FROM entities e JOIN articles a ON a.seq = e.article_seq ORDER BY a.id, e.pos`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAVersion2SchemaIsMigratedToOneEntityRowPerDistinctEntity(t *testing.T) {
	ctx := context.Background()
	items := storetest.MentionItems()
	fresh := openTest(t)
	if _, err := fresh.PutBatch(ctx, items); err != nil {
		t.Fatal(err)
	}

	url := testURL(t)
	old, err := postgres.OpenAt(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { old.DropSchema(ctx); old.Close() })
	// Version 2 kept a row per mention, and times.
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := old.Pool().Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, it := range items {
		bare := it
		bare.Annotations = nil
		if _, err := old.PutBatch(ctx, []detente.PutItem{bare}); err != nil {
			t.Fatal(err)
		}
		var seq int64
		if err := old.Pool().QueryRow(ctx, "SELECT seq FROM articles WHERE id = $1", it.Article.ID).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(it.Annotations)
		exec(`INSERT INTO annotations (article_seq, json, entity_count, time_count, quote_count, annotated_at)
			VALUES ($1, $2, $3, 1, 0, '2019-03-01T00:00:00Z')`, seq, string(js), len(it.Annotations.Entities))
		for i, e := range it.Annotations.Entities {
			name := e.Canonical
			if name == "" {
				name = e.Text
			}
			exec(`INSERT INTO entities (article_seq, pos, span_start, span_end, text, type, canonical, name, name_key,
				actor, country, lat, lon, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, lower($8), $9, $10, $11, $12, $13)`,
				seq, i, e.Start, e.End, e.Text, e.Type, e.Canonical, name, e.Actor, e.Country, e.Lat, e.Lon, e.Source)
		}
		exec(`INSERT INTO times (article_seq, pos, span_start, span_end, text, value) VALUES ($1, 0, 0, 3, 'Kim', '2019')`, seq)
	}
	old.Close()

	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("Open of a version 2 schema: %v", err)
	}
	defer db.Close()
	if got, want := entityRows(t, db), entityRows(t, fresh); !reflect.DeepEqual(got, want) {
		t.Errorf("migrated entity rows:\n got %v\nwant as stored now %v", got, want)
	}
	var tables int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = $1 AND table_name IN ('times', 'quotes')`, db.Schema()).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("%d of the times and quotes tables are left (%v)", tables, err)
	}
	for _, it := range items {
		id := it.Article.ID
		if got, err := db.Entities(ctx, id); err != nil || !reflect.DeepEqual(got, it.Annotations.Entities) {
			t.Errorf("Entities(%s) after migrating = %+v, %v", id, got, err)
		}
	}
	for _, f := range []detente.SearchFilter{{}, {Entity: "Kim Jong Un"}, {Entity: "usagov"}, {Country: "VNM"}, {Query: "home"}} {
		gt, err1 := db.TopEntities(ctx, f, 10)
		wt, err2 := fresh.TopEntities(ctx, f, 10)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(gt, wt) {
			t.Errorf("TopEntities(%+v) after migrating = %+v, %v; stored now %+v, %v", f, gt, err1, wt, err2)
		}
		gh, gn, err1 := db.Search(ctx, f)
		wh, wn, err2 := fresh.Search(ctx, f)
		ids := func(hs []detente.SearchHit) (out []string) {
			for _, h := range hs {
				out = append(out, h.ArticleID)
			}
			return out
		}
		if err1 != nil || err2 != nil || !reflect.DeepEqual(ids(gh), ids(wh)) || gn != wn {
			t.Errorf("Search(%+v) after migrating = %v (%d), %v; stored now %v (%d), %v", f, ids(gh), gn, err1, ids(wh), wn, err2)
		}
	}
}
