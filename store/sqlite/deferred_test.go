package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"math"
	"reflect"
	"testing"

	"github.com/detente/detente"
)

// compareNoCase, by which PutBatch orders a batch's entity rows, orders
// names as SQLite's NOCASE collation (the name index's) does, and so do
// their noCaseKeys where they differ.
func TestCompareNoCaseOrdersAsSQLiteNOCASE(t *testing.T) {
	db := openTemp(t)
	names := []string{"", "a", "A", "ab", "aB", "Ab", "abc", "b", "B", "Z", "z", "[", "_", "`", "{", "@",
		"Kim Jong Un", "KIM", "kim jong un", "Kim", "Kiev", "Kyiv", "Hanoi", "HANOI", "hanoi!", "Ärzte", "ärzte",
		"Zürich", "Zurich", "東京", "Москва", "москва", "a\x00b", "a b", "a-b", "9", "10",
		"a\x00", "Kim Jong-un", "KIM JONG UN", "Kim Jong", "Kim Jon", "Kim Jong Un Jr", "abcdefgh", "ABCDEFGHI"}
	for _, a := range names {
		for _, b := range names {
			var want int
			if err := db.db.QueryRow(`SELECT CASE WHEN ?1 = ?2 COLLATE NOCASE THEN 0
				WHEN ?1 < ?2 COLLATE NOCASE THEN -1 ELSE 1 END`, a, b).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if got := compareNoCase(a, b); sign(got) != want {
				t.Errorf("compareNoCase(%q, %q) = %d, SQLite's NOCASE says %d", a, b, got, want)
			}
			if ka, kb := noCaseKey(a), noCaseKey(b); ka != kb && cmp.Compare(ka, kb) != want {
				t.Errorf("noCaseKey(%q) = %#x, noCaseKey(%q) = %#x, SQLite's NOCASE says %d", a, ka, b, kb, want)
			}
		}
	}
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// PutBatch inserts a batch's band and entity rows at the end of its
// transaction, sorted by key; the rows are those each article brings, as
// PutAnnotations (which inserts them at once) stores them.
func TestPutBatchStoresDeferredBandAndEntityRowsOfEveryArticle(t *testing.T) {
	ctx := context.Background()
	items := summitArticles(t)
	more := generatedItems("batch", 0, 40)
	for i := range more {
		// Bands shared between articles, some negative as int64.
		more[i].Fingerprint.Bands = append(more[i].Fingerprint.Bands, 1000+uint64(i%5), math.MaxUint64-uint64(i%3))
		more[i].Annotations = &detente.Annotations{Entities: []detente.Entity{
			{Text: "Delegations", Start: 0, End: 11, Type: detente.EntityOrg},
			{Text: "round", Start: 19, End: 24, Canonical: []string{"Zeta", "alpha", "ALPHA", "Beta"}[i%4], Type: detente.EntityPerson,
				Actor: "USAGOV", Country: "USA"},
		}}
	}
	items = append(items, more...)

	batched := openTemp(t)
	if _, err := batched.PutBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	one := openTemp(t)
	for _, it := range items {
		plain := it
		plain.Annotations = nil
		if _, err := one.PutBatch(ctx, []detente.PutItem{plain}); err != nil {
			t.Fatal(err)
		}
		if err := one.PutAnnotations(ctx, it.Article.ID, it.Annotations); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := entityRows(t, batched), entityRows(t, one); !reflect.DeepEqual(got, want) {
		t.Errorf("entity rows of a batch:\n%v\nstored one article at a time:\n%v", got, want)
	}
	bands := func(db *DB) [][2]any {
		var out [][2]any
		if err := scanAll(ctx, db.db, `SELECT b.band_key, a.id FROM lsh_bands b JOIN articles a ON a.seq = b.article_seq
			ORDER BY b.band_key, a.id`, nil, func(r *sql.Rows) error {
			var k int64
			var id string
			err := r.Scan(&k, &id)
			out = append(out, [2]any{k, id})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := 0
	for _, it := range items {
		want += len(it.Fingerprint.Bands)
	}
	got := bands(batched)
	if len(got) != want {
		t.Errorf("%d band rows, want one per article and band, %d", len(got), want)
	}
	if w := bands(one); !reflect.DeepEqual(got, w) {
		t.Errorf("band rows of a batch differ from those stored one article at a time")
	}
	// The bands find the articles.
	cands, err := batched.NearCandidates(ctx, []uint64{math.MaxUint64})
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 14 {
		t.Errorf("band MaxUint64: %d candidates, want the 14 articles that have it", len(cands))
	}
	checkForeignKeysOn(t, ctx, batched, "a batch")
}
