package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/detente/detente"
)

// summitArticles are articles whose entities are mentioned more than once,
// in different words and letter cases, with the mentions' annotations.
func summitArticles(t *testing.T) []detente.PutItem {
	t.Helper()
	var items []detente.PutItem
	add := func(a *detente.Article, ents ...detente.Entity) {
		ann := &detente.Annotations{Sentences: []detente.Span{}, Acronyms: []detente.Acronym{},
			Times:  []detente.TimeExpr{{Text: "Monday", Value: "2019-02-25", Type: "DATE"}},
			Quotes: []detente.Quote{}, Entities: ents}
		items = append(items, detente.PutItem{Article: a, Fingerprint: fingerprint(a.Body), Annotations: ann})
	}
	m := func(body, text string, from int, typ, canonical, actor, country string) detente.Entity {
		s, e := span(t, body, text, from)
		return detente.Entity{Text: text, Start: s, End: e, Type: typ, Canonical: canonical, Actor: actor, Country: country, Source: "kb"}
	}
	b1 := "Kim Jong Un met Donald Trump in Hanoi. Trump said KIM was a friend. In Hanoi, Kim smiled. HANOI cheered."
	hanoi1 := m(b1, "Hanoi", 0, detente.EntityGPE, "Hanoi", "", "VNM")
	hanoi1.Lat, hanoi1.Lon = ptr(21.03), ptr(105.85)
	hanoi2 := m(b1, "Hanoi", 40, detente.EntityGPE, "Hanoi", "", "VNM")
	hanoi2.Lat, hanoi2.Lon = ptr(21.03), ptr(105.85)
	add(&detente.Article{ID: "hanoi", Source: "Yonhap", Published: "2019-02-28", Title: "Summit in Hanoi", Body: b1},
		m(b1, "Kim Jong Un", 0, detente.EntityPerson, "Kim Jong Un", "PRKGOV", "PRK"),
		m(b1, "Donald Trump", 0, detente.EntityPerson, "Donald Trump", "USAGOV", "USA"),
		hanoi1,
		m(b1, "Trump", 30, detente.EntityPerson, "Donald Trump", "USAGOV", "USA"),
		// The same person, tagged with no actor: a row of its own.
		m(b1, "KIM", 0, detente.EntityPerson, "Kim Jong Un", "", "PRK"),
		hanoi2,
		m(b1, "Kim", 60, detente.EntityPerson, "Kim Jong Un", "PRKGOV", "PRK"),
		// No canonical name: known by its words, in their case.
		m(b1, "HANOI", 0, detente.EntityGPE, "", "", "VNM"))
	b2 := "Donald Trump left Vietnam. Trump flew home."
	add(&detente.Article{ID: "home", Source: "AP", Published: "2019-03-01", Title: "Trump flies home", Body: b2},
		m(b2, "Donald Trump", 0, detente.EntityPerson, "Donald Trump", "USAGOV", "USA"),
		m(b2, "Vietnam", 0, detente.EntityGPE, "Vietnam", "VNM", "VNM"),
		m(b2, "Trump", 20, detente.EntityPerson, "Donald Trump", "USAGOV", "USA"))
	return items
}

type entityRow struct {
	article, name, typ  string
	actor, country      sql.NullString
	pos, mentions, from int
}

func entityRows(t *testing.T, db *DB) []entityRow {
	t.Helper()
	var out []entityRow
	err := scanAll(context.Background(), db.db, `SELECT a.id, e.pos, e.name, e.type, e.actor, e.country, e.mentions, e.first_start
		FROM entities e JOIN articles a ON a.seq = e.article_seq ORDER BY a.id, e.pos`, nil, func(r *sql.Rows) error {
		var x entityRow
		err := r.Scan(&x.article, &x.pos, &x.name, &x.typ, &x.actor, &x.country, &x.mentions, &x.from)
		out = append(out, x)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAnArticleHasOneEntityRowPerDistinctEntityWithItsMentionsCounted(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	items := summitArticles(t)
	if _, err := db.PutBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	null := sql.NullString{}
	str := func(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
	body := items[0].Article.Body
	at := func(text string) int { s, _ := span(t, body, text, 0); return s }
	want := []entityRow{
		{"hanoi", "Kim Jong Un", detente.EntityPerson, str("PRKGOV"), str("PRK"), 0, 2, 0},
		{"hanoi", "Donald Trump", detente.EntityPerson, str("USAGOV"), str("USA"), 1, 2, at("Donald Trump")},
		{"hanoi", "Hanoi", detente.EntityGPE, null, str("VNM"), 2, 2, at("Hanoi")},
		{"hanoi", "Kim Jong Un", detente.EntityPerson, null, str("PRK"), 3, 1, at("KIM")},
		{"hanoi", "HANOI", detente.EntityGPE, null, str("VNM"), 4, 1, at("HANOI")},
	}
	if got := entityRows(t, db); !reflect.DeepEqual(got[:min(len(got), len(want))], want) || len(got) != len(want)+2 {
		t.Errorf("entity rows:\n got %+v\nwant %+v and home's 2", got, want)
	}
	// Every mention is still there, read from the annotations.
	for _, it := range items {
		got, err := db.Entities(ctx, it.Article.ID)
		if err != nil || !reflect.DeepEqual(got, it.Annotations.Entities) {
			t.Errorf("Entities(%s) = %+v, %v; want %+v", it.Article.ID, got, err, it.Annotations.Entities)
		}
	}
	top, err := db.TopEntities(ctx, detente.SearchFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantTop := []detente.EntityCount{
		{Name: "Donald Trump", Type: detente.EntityPerson, Actor: "USAGOV", Country: "USA", Articles: 2, Mentions: 4},
		// Hanoi and HANOI are one name to a facet, as to search.
		{Name: top[1].Name, Type: detente.EntityGPE, Country: "VNM", Articles: 1, Mentions: 3},
		{Name: "Kim Jong Un", Type: detente.EntityPerson, Actor: "PRKGOV", Country: "PRK", Articles: 1, Mentions: 3},
		{Name: "Vietnam", Type: detente.EntityGPE, Actor: "VNM", Country: "VNM", Articles: 1, Mentions: 1},
	}
	if !reflect.DeepEqual(top, wantTop) || (top[1].Name != "Hanoi" && top[1].Name != "HANOI") {
		t.Errorf("TopEntities:\n got %+v\nwant %+v", top, wantTop)
	}
	for _, c := range []struct {
		f    detente.SearchFilter
		want []string
	}{
		{detente.SearchFilter{Entity: "kim jong un"}, []string{"hanoi"}},
		{detente.SearchFilter{Entity: "PRKGOV"}, []string{"hanoi"}},
		{detente.SearchFilter{Entity: "hanoi"}, []string{"hanoi"}},
		{detente.SearchFilter{Country: "VNM"}, []string{"home", "hanoi"}},
		{detente.SearchFilter{Entity: "Donald Trump", Country: "PRK"}, []string{"hanoi"}},
		{detente.SearchFilter{Entity: "Vietnam", Query: "home"}, []string{"home"}},
		// An empty actor or country is no code to find.
		{detente.SearchFilter{Country: " "}, []string{"home", "hanoi"}},
	} {
		hits, total, err := db.Search(ctx, c.f)
		if err != nil || !reflect.DeepEqual(ids(hits), c.want) || total != len(c.want) {
			t.Errorf("Search(%+v) = %v (%d), %v; want %v", c.f, ids(hits), total, err, c.want)
		}
	}
	checkAnnotationIntegrity(t, db)
}

// putVersion7Annotations stores annotations as schema version 7 did: the
// JSON, one entities row per mention, and times and quotes rows.
func putVersion7Annotations(t *testing.T, db *DB, id string, ann *detente.Annotations) {
	t.Helper()
	seq := count(t, db, "SELECT seq FROM articles WHERE id = ?", id)
	js, err := packAnnotations(ann)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO annotations (article_seq, json, entity_count, time_count, quote_count, annotated_at)
		VALUES (?, ?, ?, ?, ?, '2019-03-01T00:00:00Z')`, seq, string(js), len(ann.Entities), len(ann.Times), len(ann.Quotes))
	for i, e := range ann.Entities {
		var lat, lon any
		if e.Lat != nil {
			lat, lon = *e.Lat, *e.Lon
		}
		exec(`INSERT INTO entities (article_seq, pos, span_start, span_end, text, type, canonical, name, actor, country,
			lat, lon, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			seq, i, e.Start, e.End, e.Text, e.Type, e.Canonical, entityName(e), e.Actor, e.Country, lat, lon, e.Source)
	}
	for i, x := range ann.Times {
		exec(`INSERT INTO times (article_seq, pos, span_start, span_end, text, value, value_end, type, unresolved)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, seq, i, x.Start, x.End, x.Text, x.Value, x.ValueEnd, x.Type, x.Unresolved)
	}
}

func TestAVersion7StoreIsMigratedToOneEntityRowPerDistinctEntity(t *testing.T) {
	ctx := context.Background()
	items := summitArticles(t)
	fresh := openTemp(t)
	if _, err := fresh.PutBatch(ctx, items); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "v7.db")
	old, err := open(file, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		bare := it
		bare.Annotations = nil
		if _, err := old.PutBatch(ctx, []detente.PutItem{bare}); err != nil {
			t.Fatal(err)
		}
		putVersion7Annotations(t, old, it.Article.ID, it.Annotations)
	}
	if n := count(t, old, "SELECT count(*) FROM entities"); n != 11 {
		t.Fatalf("fixture: %d mention rows at version 7, want 11", n)
	}
	old.Close()

	db, err := Open(file)
	if err != nil {
		t.Fatalf("Open of a version 7 file: %v", err)
	}
	defer db.Close()
	if v := count(t, db, "PRAGMA user_version"); v != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
	if got, want := entityRows(t, db), entityRows(t, fresh); !reflect.DeepEqual(got, want) {
		t.Errorf("migrated entity rows:\n got %+v\nwant as stored now %+v", got, want)
	}
	for _, table := range []string{"times", "quotes"} {
		if n := count(t, db, "SELECT count(*) FROM sqlite_master WHERE name = ?", table); n != 0 {
			t.Errorf("table %s is still there", table)
		}
	}
	for _, it := range items {
		id := it.Article.ID
		if got, err := db.Annotations(ctx, id); err != nil || !reflect.DeepEqual(got, it.Annotations) {
			t.Errorf("Annotations(%s) after migrating = %+v, %v", id, got, err)
		}
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
		if err1 != nil || err2 != nil || !reflect.DeepEqual(ids(gh), ids(wh)) || gn != wn {
			t.Errorf("Search(%+v) after migrating = %v (%d), %v; stored now %v (%d), %v", f, ids(gh), gn, err1, ids(wh), wn, err2)
		}
	}
	checkAnnotationIntegrity(t, db)
}
