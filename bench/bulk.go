package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/detente/detente/store/sqlite"
)

// bulkLoad makes growing a store by many batches fast without changing
// what the store is. The articles still go in through the store's own
// PutBatch; around it, bulkLoad takes away, for the duration of the
// build, the index work whose cost is random page writes, and puts it
// back sorted at the end, which is a sequential write:
//
//   - lsh_bands (42 rows per article, a WITHOUT ROWID table keyed by a
//     hash) becomes a plain append-only table during the build; its rows
//     then go into the real table in key order. At 100,000 articles the
//     keyed table is 4 million rows in pages all over a 150 MB b-tree,
//     and each batch dirtied most of them: this was most of the build's
//     time (140 articles/s at 100k).
//   - the secondary indexes of articles and copies (dates, hashes,
//     outlets, stories) are dropped and made again by CREATE INDEX,
//     which sorts once. UNIQUE keys stay: PutBatch looks articles up by
//     them.
//   - the FTS5 index keeps 16 times more pending terms in memory
//     before writing a segment (hashsize), so it writes and merges fewer,
//     larger segments, and each of its generations (see store/sqlite's
//     fts.go) is merged into one segment at the end (optimize). The
//     setting is made on the newest generation, from which the store
//     copies it to the generations it makes during the build.
//
// finish restores every table and index with the exact SQL the schema
// had (read from sqlite_master before), and the FTS5 setting, so the
// file is the same store `detente ingest` makes, row for row; only its
// pages were written in a different order. A build stopped midway
// leaves the build-time tables: such a file is for the benchmark only.
type bulkLoad struct {
	db       *sql.DB
	indexes  []string // CREATE INDEX statements to run again
	bandsDDL string
	// hashsize is each FTS5 table's setting before the build (0: the
	// default), by table; newest is the newest table's, which the
	// tables made during the build would have copied.
	hashsize map[string]int
	newest   int
}

// deferredIndexTables are the tables whose secondary indexes a bulk
// load drops and rebuilds.
var deferredIndexTables = []string{"articles", "copies"}

// bulkHashsize is the FTS5 pending-terms budget during a bulk load
// (FTS5's default is 1 MiB).
const bulkHashsize = 16 << 20

func beginBulk(ctx context.Context, path string) (*bulkLoad, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// finish sorts tens of millions of band rows: in temporary files
	// (memory would hold them all), with a page cache large enough for
	// the merge into the keyed table.
	q.Add("_pragma", "temp_store(1)")
	q.Add("_pragma", "cache_size(-65536)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	b := &bulkLoad{db: db}
	fail := func(err error) (*bulkLoad, error) {
		db.Close()
		return nil, fmt.Errorf("bench: bulk load: %w", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lsh_bands'").Scan(&b.bandsDDL); err != nil {
		return fail(err)
	}
	rows, err := db.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('"+
		strings.Join(deferredIndexTables, "','")+"') ORDER BY name")
	if err != nil {
		return fail(err)
	}
	var names []string
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			rows.Close()
			return fail(err)
		}
		names = append(names, name)
		b.indexes = append(b.indexes, ddl)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	tables, err := sqlite.FTSTables(ctx, db)
	if err != nil {
		return fail(err)
	}
	b.hashsize = map[string]int{}
	for i, t := range tables {
		var h int
		if err := db.QueryRowContext(ctx, "SELECT coalesce((SELECT v FROM "+t+"_config WHERE k = 'hashsize'), 0)").Scan(&h); err != nil {
			return fail(err)
		}
		b.hashsize[t] = h
		if i == 0 {
			b.newest = h
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	stmts := []string{
		"ALTER TABLE lsh_bands RENAME TO bench_lsh_bands_keyed",
		"CREATE TABLE lsh_bands (band_key INTEGER NOT NULL, article_seq INTEGER NOT NULL)",
	}
	if len(tables) > 0 {
		stmts = append(stmts, fmt.Sprintf("INSERT INTO %[1]s (%[1]s, rank) VALUES ('hashsize', %d)", tables[0], bulkHashsize))
	}
	for _, n := range names {
		stmts = append(stmts, `DROP INDEX "`+n+`"`)
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fail(fmt.Errorf("%s: %w", s, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return b, nil
}

// finish puts the store back as the schema has it, in one transaction,
// and checkpoints the WAL into the file.
func (b *bulkLoad) finish(ctx context.Context) error {
	defer b.db.Close()
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bench: bulk load: %w", err)
	}
	defer tx.Rollback()
	// The build's rows go into the keyed table in key order; INSERT OR
	// IGNORE drops an article's repeated band key as PutBatch's does.
	// The keyed table is made again from the schema's own DDL (a
	// renamed table's would differ in quoting), the rows it had first, in
	// its key order, no sort needed.
	stmts := []string{
		"ALTER TABLE lsh_bands RENAME TO bench_lsh_bands_new",
		b.bandsDDL,
		"INSERT INTO lsh_bands (band_key, article_seq) SELECT band_key, article_seq FROM bench_lsh_bands_keyed",
		"INSERT OR IGNORE INTO lsh_bands (band_key, article_seq) SELECT band_key, article_seq FROM bench_lsh_bands_new ORDER BY band_key, article_seq",
		"DROP TABLE bench_lsh_bands_keyed",
		"DROP TABLE bench_lsh_bands_new",
	}
	stmts = append(stmts, b.indexes...)
	tables, err := sqlite.FTSTables(ctx, tx)
	if err != nil {
		return fmt.Errorf("bench: bulk load: %w", err)
	}
	for _, t := range tables {
		h, ok := b.hashsize[t]
		if !ok {
			h = b.newest
		}
		if h > 0 {
			stmts = append(stmts, fmt.Sprintf("INSERT INTO %[1]s (%[1]s, rank) VALUES ('hashsize', %d)", t, h))
		} else {
			stmts = append(stmts, "DELETE FROM "+t+"_config WHERE k = 'hashsize'")
		}
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("bench: bulk load: %s: %w", s, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bench: bulk load: %w", err)
	}
	// Each FTS5 generation is merged into one segment, as a maintained
	// store's would be: a query then reads each term's list from one
	// place, and bm25's walk of each term's whole list (its IDF) merges
	// no segments (on 100,000 articles a sixth less CPU a query). A
	// generation already in one segment is left as it is.
	for _, t := range tables {
		if _, err := b.db.ExecContext(ctx, "INSERT INTO "+t+" ("+t+") VALUES ('optimize')"); err != nil {
			return fmt.Errorf("bench: bulk load: optimize %s: %w", t, err)
		}
	}
	if _, err := b.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("bench: bulk load: checkpoint: %w", err)
	}
	return nil
}
