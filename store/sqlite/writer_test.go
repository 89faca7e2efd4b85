package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/detente/detente"
)

// PutBatch writes every batch on one kept connection, while the rest of
// the pool still serves as many readers at once as before, and Close gives
// the kept connection back, so the last close checkpoints the WAL into the
// file.
func TestPutBatchKeepsItsConnectionAndGivesItBackAtClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "detente.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var first *sql.Conn
	for b := range 3 {
		if _, err := db.PutBatch(ctx, generatedItems("keep", b*10, 10)); err != nil {
			t.Fatal(err)
		}
		db.writer.mu.Lock()
		conn := db.writer.conn
		db.writer.mu.Unlock()
		if conn == nil {
			t.Fatalf("batch %d kept no connection", b)
		}
		if first == nil {
			first = conn
		} else if conn != first {
			t.Errorf("batch %d wrote on another connection", b)
		}
		// A read between batches sees what the batch stored.
		if ok, err := db.HasArticle(ctx, generated("keep", b*10+9).ID); err != nil || !ok {
			t.Errorf("after batch %d: HasArticle = %v, %v", b, ok, err)
		}
	}
	// Four readers at once, beside the kept connection.
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var readers []*sql.Conn
	for range 4 {
		c, err := db.db.Conn(wait)
		if err != nil {
			t.Fatalf("reader %d: %v (the kept connection left the pool short)", len(readers)+1, err)
		}
		readers = append(readers, c)
	}
	for _, c := range readers {
		var n int
		if err := c.QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&n); err != nil || n != 30 {
			t.Errorf("a reader counts %d articles (%v), want 30", n, err)
		}
		c.Close()
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// The last connection to close checkpoints and removes the WAL; a
	// connection left open would keep it.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("the WAL holds %d bytes after Close: a connection was left open", fi.Size())
	}
	again, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if n := count(t, again, "SELECT count(*) FROM articles"); n != 30 {
		t.Errorf("%d articles after reopening, want 30", n)
	}
}

// The statements PutBatch runs on its kept connection's driver connection
// outlive a failed batch, which rolls back what it wrote through them, and
// Close closes them before the connection.
func TestPutBatchDriverStatementsAcrossBatchesAndClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "detente.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := db.PutBatch(ctx, generatedItems("raw", 0, 5)); err != nil {
		t.Fatal(err)
	}
	db.writer.mu.Lock()
	prepared := len(db.writer.raw)
	db.writer.mu.Unlock()
	if prepared == 0 {
		t.Fatal("the batch prepared no statement on its connection")
	}
	// The second item copies an article that is not stored: the batch
	// fails after the first item's rows went in, and none of them stays.
	bad := generatedItems("raw", 5, 2)
	bad[1].Duplicate = &detente.Duplicate{Of: "nowhere", Kind: detente.CopyExact}
	if _, err := db.PutBatch(ctx, bad); err == nil {
		t.Fatal("a batch copying an unknown article was stored")
	}
	if _, err := db.PutBatch(ctx, generatedItems("raw", 7, 5)); err != nil {
		t.Fatal(err)
	}
	var articles, bands int
	if err := db.db.QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&articles); err != nil {
		t.Fatal(err)
	}
	if err := db.db.QueryRowContext(ctx, "SELECT count(DISTINCT article_seq) FROM lsh_bands").Scan(&bands); err != nil {
		t.Fatal(err)
	}
	if articles != 10 || bands != 10 {
		t.Errorf("%d articles and bands of %d, want 10 and 10", articles, bands)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db.writer.raw != nil {
		t.Errorf("Close left %d statements open", len(db.writer.raw))
	}
}

// The kept connection has the writer's page cache (writerCacheKiB), the
// pool's readers a reader's, and a kept connection given back to the pool
// when a batch cannot go on has a reader's again.
func TestPutBatchWriterCacheSize(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	cacheOf := func(c *sql.Conn) int {
		t.Helper()
		var n int
		if err := c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := db.PutBatch(ctx, generatedItems("cache", 0, 3)); err != nil {
		t.Fatal(err)
	}
	db.writer.mu.Lock()
	kept := db.writer.conn
	db.writer.mu.Unlock()
	if got := cacheOf(kept); got != -writerCacheKiB {
		t.Errorf("the kept connection's cache_size is %d, want %d", got, -writerCacheKiB)
	}
	// poolHasReaderCaches takes n connections from the pool at once and
	// checks each has a reader's cache.
	poolHasReaderCaches := func(n int, what string) {
		t.Helper()
		var conns []*sql.Conn
		for range n {
			c, err := db.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			if got := cacheOf(c); got != -cacheKiB {
				t.Errorf("%s cache_size is %d, want %d", what, got, -cacheKiB)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	}
	poolHasReaderCaches(4, "a reader's")
	// What drop does after a failure: the connection goes back to the
	// pool, which now has five, every one with a reader's cache.
	db.writer.mu.Lock()
	closeRaw(kept, &db.writer.raw)
	releaseWriter(kept)
	db.writer.conn = nil
	db.writer.mu.Unlock()
	poolHasReaderCaches(5, "a pooled connection's")
	// The next batch takes a connection and gives it the writer's cache.
	if _, err := db.PutBatch(ctx, generatedItems("cache", 3, 3)); err != nil {
		t.Fatal(err)
	}
	db.writer.mu.Lock()
	kept = db.writer.conn
	db.writer.mu.Unlock()
	if got := cacheOf(kept); got != -writerCacheKiB {
		t.Errorf("the next kept connection's cache_size is %d, want %d", got, -writerCacheKiB)
	}
}
