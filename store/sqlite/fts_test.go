package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/detente/detente"
)

// Every test runs with generations of 100 seqs, so stores of a few
// hundred articles (the crash tests' writers, the contract suite's larger
// cases) are searched across several.
func init() { generationSize = 100 }

// ftsCount counts the articles the full-text index itself (every
// generation) says match an FTS5 query.
func ftsCount(t testing.TB, db *DB, match string) int {
	t.Helper()
	tables, err := FTSTables(context.Background(), db.db)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tb := range tables {
		var c int
		if err := db.db.QueryRow("SELECT count(*) FROM "+tb+" WHERE "+tb+" MATCH ?", match).Scan(&c); err != nil {
			t.Fatal(err)
		}
		n += c
	}
	return n
}

// ftsIntegrity runs FTS5's integrity-check on every generation: each
// index against its content, the articles.
func ftsIntegrity(t testing.TB, db *DB) {
	t.Helper()
	tables, err := FTSTables(context.Background(), db.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if _, err := db.db.Exec("INSERT INTO " + tb + "(" + tb + ", rank) VALUES ('integrity-check', 1)"); err != nil {
			t.Errorf("FTS integrity-check of %s: %v", tb, err)
		}
	}
}

// smallGenerations makes generations of n seqs for the test.
func smallGenerations(t *testing.T, n int64) {
	t.Helper()
	defer func(n int64) { t.Cleanup(func() { generationSize = n }) }(generationSize)
	generationSize = n
}

// harbourStore stores n articles that all mention the harbour, a1 … an in
// order; every third says so in its title as well.
func harbourStore(t *testing.T, db *DB, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		a := &detente.Article{ID: fmt.Sprintf("a%d", i), Source: "Wire", Published: fmt.Sprintf("2020-01-%02d", i),
			Title: "Dock news", Body: fmt.Sprintf("Report %d from the harbour, where cranes stood idle.", i)}
		if i%3 == 0 {
			a.Title = "Harbour news"
			a.Source = "Post"
		}
		mustPut(t, db, a, fingerprint(a.Body), nil)
	}
}

func searchAll(t *testing.T, db *DB, f detente.SearchFilter, pageSize int) ([]string, int) {
	t.Helper()
	var ids []string
	total := 0
	for off := 0; ; off += pageSize {
		f.Limit, f.Offset = pageSize, off
		hits, n, err := db.Search(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		total = n
		for _, h := range hits {
			ids = append(ids, h.ArticleID)
		}
		if len(hits) < pageSize {
			return ids, total
		}
	}
}

func TestSearchRanksNewestMatchesAcrossGenerations(t *testing.T) {
	smallGenerations(t, 4)
	defer func(w int) { rankWindow = w }(rankWindow)
	rankWindow = 6
	db := openTemp(t)
	harbourStore(t, db, 13)
	tables, err := FTSTables(context.Background(), db.db)
	if err != nil || len(tables) != 4 {
		t.Fatalf("13 articles in generations of 4 made index tables %v, %v; want 4", tables, err)
	}
	ftsIntegrity(t, db)

	// The 6 newest matches (a8 … a13) are ranked, a title match (a9 or
	// a12) first; their order beyond that depends on each generation's
	// statistics, so only membership is asserted. The older matches
	// follow newest first: a7 … a1.
	for _, f := range []detente.SearchFilter{{Query: "harbour"}, {Query: "harbour", From: "2020"}} {
		for _, size := range []int{1, 4, 5, 20} {
			ids, total := searchAll(t, db, f, size)
			if total != 13 || len(ids) != 13 {
				t.Fatalf("%+v pages of %d: %d hits, total %d; want 13", f, size, len(ids), total)
			}
			ranked := map[string]bool{}
			for _, id := range ids[:6] {
				ranked[id] = true
			}
			for i := 8; i <= 13; i++ {
				if !ranked[fmt.Sprintf("a%d", i)] {
					t.Errorf("%+v pages of %d: ranked %v, want a8 … a13", f, size, ids[:6])
				}
			}
			if want := []string{"a12", "a9"}; ids[0] != want[0] && ids[0] != want[1] {
				t.Errorf("%+v pages of %d: first hit %s, want a title match (a12 or a9)", f, size, ids[0])
			}
			for k, id := range ids[6:] {
				if want := fmt.Sprintf("a%d", 7-k); id != want {
					t.Errorf("%+v pages of %d: hit %d is %s, want %s", f, size, 6+k, id, want)
				}
			}
		}
	}
	// Phrases, prefixes and a filter reach every generation.
	for f, want := range map[detente.SearchFilter]int{
		{Query: `"cranes stood"`}:          13,
		{Query: "harb*"}:                   13,
		{Query: "harbour", Source: "Post"}: 4,
		{Query: "report 11"}:               1,
	} {
		if ids, total := searchAll(t, db, f, 3); total != want || len(ids) != want {
			t.Errorf("%+v: %d hits of %d, want %d", f, len(ids), total, want)
		}
	}
	hits, _, err := db.Search(context.Background(), detente.SearchFilter{Query: "report 2"})
	if err != nil || len(hits) != 1 || !strings.Contains(hits[0].Snippet, "[Report] [2]") {
		t.Errorf("report 2: %+v, %v; want a2 with its snippet", hits, err)
	}
}

func TestChangedAndDeletedArticlesLeaveEveryGenerationRight(t *testing.T) {
	smallGenerations(t, 4)
	db := openTemp(t)
	harbourStore(t, db, 10)
	if _, err := db.db.Exec("UPDATE articles SET body = 'The ferry left the quay.' WHERE id = 'a5'"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec("UPDATE articles SET title = 'Quay closed' WHERE id = 'a2'"); err != nil {
		t.Fatal(err)
	}
	ftsIntegrity(t, db)
	if n := ftsCount(t, db, "harbour"); n != 9 {
		t.Errorf("after a5 lost the word, %d articles match harbour, want 9", n)
	}
	if n := ftsCount(t, db, "quay"); n != 2 {
		t.Errorf("%d articles match quay, want a2 and a5", n)
	}
	conn, err := db.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Foreign keys off: this tests the index triggers alone.
	for _, s := range []string{"PRAGMA foreign_keys = OFF", "DELETE FROM articles WHERE id IN ('a1', 'a5', 'a10')", "PRAGMA foreign_keys = ON"} {
		if _, err := conn.ExecContext(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	ftsIntegrity(t, db)
	if ids, total := searchAll(t, db, detente.SearchFilter{Query: "harbour"}, 4); total != 7 || len(ids) != 7 {
		t.Errorf("after deleting three, harbour finds %v (total %d), want 7", ids, total)
	}
}

func TestMigrationSplitsAnExistingIndex(t *testing.T) {
	file := filepath.Join(t.TempDir(), "old.db")
	old, err := open(file, 9)
	if err != nil {
		t.Fatal(err)
	}
	harbourStore(t, old, 11)
	old.Close()

	// A migration that fails after splitting leaves the old index whole.
	defer func(f func(context.Context, *sql.Tx) error) { migrationSteps[10] = f }(migrationSteps[10])
	migrationSteps[10] = func(ctx context.Context, tx *sql.Tx) error {
		if err := splitIndex(ctx, tx); err != nil {
			return err
		}
		return errors.New("power cut")
	}
	if _, err := Open(file); err == nil || !strings.Contains(err.Error(), "power cut") {
		t.Fatalf("Open with a failing migration: %v", err)
	}
	migrationSteps[10] = splitIndex
	old, err = open(file, 9)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := old.db.QueryRow("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'").Scan(&n); err != nil || n != 11 {
		t.Errorf("after a failed migration the old index finds %d, %v; want 11", n, err)
	}
	old.Close()

	smallGenerations(t, 4)
	{
		db, err := Open(file)
		if err != nil {
			t.Fatal(err)
		}
		ftsIntegrity(t, db)
		if tables, err := FTSTables(context.Background(), db.db); err != nil || len(tables) != 3 {
			t.Errorf("11 articles in generations of 4: tables %v, %v", tables, err)
		}
		if n := count(t, db, "SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts'"); n != 0 {
			t.Error("the migrated store still has articles_fts")
		}
		if ids, total := searchAll(t, db, detente.SearchFilter{Query: "harbour"}, 5); total != 11 || len(ids) != 11 {
			t.Errorf("the migrated store finds %v (total %d), want 11", ids, total)
		}
		// New articles go on into the generations.
		mustPut(t, db, &detente.Article{ID: "late", Title: "Harbour reopens", Body: "Ships returned to the harbour."}, fingerprint("late"), nil)
		if n := ftsCount(t, db, "harbour"); n != 12 {
			t.Errorf("after one more, the index finds %d, want 12", n)
		}
		db.Close()
	}
	db, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ftsIntegrity(t, db)
	if n := ftsCount(t, db, "harbour"); n != 12 {
		t.Errorf("reopened, the index finds %d, want 12", n)
	}
}

func TestANewGenerationTakesTheNewestOnesSettings(t *testing.T) {
	smallGenerations(t, 4)
	db := openTemp(t)
	harbourStore(t, db, 3)
	tables, err := FTSTables(context.Background(), db.db)
	if err != nil || len(tables) != 1 {
		t.Fatalf("tables %v, %v", tables, err)
	}
	if _, err := db.db.Exec("INSERT INTO " + tables[0] + " (" + tables[0] + ", rank) VALUES ('hashsize', 2097152)"); err != nil {
		t.Fatal(err)
	}
	for i := 4; i <= 9; i++ {
		a := &detente.Article{ID: fmt.Sprintf("b%d", i), Title: "Quay", Body: fmt.Sprintf("Quay report %d.", i)}
		mustPut(t, db, a, fingerprint(a.Body), nil)
	}
	if tables, err = FTSTables(context.Background(), db.db); err != nil || len(tables) != 3 {
		t.Fatalf("9 articles in generations of 4: tables %v, %v", tables, err)
	}
	for _, tb := range tables {
		if n := count(t, db, "SELECT coalesce((SELECT v FROM "+tb+"_config WHERE k = 'hashsize'), 0)"); n != 2097152 {
			t.Errorf("%s has hashsize %d, want the first generation's 2097152", tb, n)
		}
	}
}
