package bench

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/detente/detente/store/sqlite"
)

// A bulk-loaded index is the store batches alone make: the same schema,
// word for word, and the same rows, band keys included.
func TestBulkLoadMakesTheSameStore(t *testing.T) {
	corpus := filepath.Join("..", "examples", "wire-stories.jsonl")
	dirs := map[bool]string{}
	for _, plain := range []bool{true, false} {
		dirs[plain] = t.TempDir()
		_, err := Scale(context.Background(), ScaleConfig{Corpus: corpus, Sizes: []int{25, 60}, Cores: 1,
			Dir: dirs[plain], Plain: plain, Batch: 7, NoSearch: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []int{25, 60} {
		plain := describe(t, filepath.Join(dirs[true], fmt.Sprintf("index-%d.db", n)))
		bulk := describe(t, filepath.Join(dirs[false], fmt.Sprintf("index-%d.db", n)))
		if len(plain) == 0 {
			t.Fatalf("nothing described at %d", n)
		}
		for k, v := range plain {
			if bulk[k] != v {
				t.Errorf("at %d articles, %s: bulk %q, batches %q", n, k, bulk[k], v)
			}
		}
		if segs := segments(t, filepath.Join(dirs[false], fmt.Sprintf("index-%d.db", n))); segs != 1 {
			t.Errorf("at %d articles the bulk store's full-text index has %d segments, want 1 (optimized)", n, segs)
		}
		for k := range bulk {
			if _, ok := plain[k]; !ok {
				t.Errorf("at %d articles the bulk store has %s, which batches do not make", n, k)
			}
		}
	}
}

// describe reads a store's schema, row counts, a checksum of its band
// keys, a full-text match count and its integrity checks.
func describe(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	rows, err := db.Query("SELECT type || ' ' || name, coalesce(sql, '') FROM sqlite_master")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	rows.Close()
	for k, q := range map[string]string{
		"articles":      "SELECT count(*) FROM articles",
		"copies":        "SELECT count(*) FROM copies",
		"stories":       "SELECT count(*) FROM stories",
		"bands":         "SELECT count(*) || ' ' || total(band_key % 1000003) || ' ' || total(article_seq) FROM lsh_bands",
		"integrity":     "PRAGMA integrity_check",
		"index on date": "SELECT count(*) FROM articles INDEXED BY articles_published WHERE published > ''",
	} {
		var v string
		if err := db.QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out[k] = v
	}
	tables, err := sqlite.FTSTables(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		for k, q := range map[string]string{
			"fts match":  "SELECT count(*) FROM " + tb + " WHERE " + tb + " MATCH 'the'",
			"fts config": "SELECT group_concat(k || '=' || v) FROM " + tb + "_config",
		} {
			var v string
			if err := db.QueryRow(q).Scan(&v); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			out[k+" "+tb] = v
		}
	}
	return out
}

func segments(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The most any generation has.
	tables, err := sqlite.FTSTables(context.Background(), db)
	if err != nil || len(tables) == 0 {
		t.Fatalf("index tables %v, %v", tables, err)
	}
	most := 0
	for _, tb := range tables {
		var n int
		if err := db.QueryRow("SELECT count(DISTINCT segid) FROM " + tb + "_idx").Scan(&n); err != nil {
			t.Fatal(err)
		}
		most = max(most, n)
	}
	return most
}
