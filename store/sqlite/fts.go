package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The full-text index is split by article seq into generations, one FTS5
// table each (articles_fts_N, listed in fts_generations with the seq
// range [lo, hi) it indexes), as a search engine splits its index into
// segments. FTS5's bm25() walks each query phrase's whole document list
// in the table it ranks from to find the phrase's IDF, once per
// statement, whatever rows are ranked: in one table of a million
// articles that walk was over half of a query's time. A query ranks its
// newest matches generation by generation, so that walk is bounded by
// the size of a generation, not of the store.
//
// Each generation has its own delete and update triggers on articles,
// limited to its range; new articles are indexed by indexSince at the end
// of each write transaction, which makes the next generation when the
// seqs pass the newest one's hi.

// generationSize is how many seqs a new generation covers: 2^17, so a
// million articles make eight and a term's document list in one is at
// most 131,072 long. A variable so tests can make generations of a few
// articles; a store keeps the ranges it was given.
var generationSize int64 = 1 << 17

// ftsSettings are the FTS5 configuration options a new generation takes
// from the newest one, so that tuning the index (as the benchmark's bulk
// load does) holds for the generations made after.
var ftsSettings = []string{"automerge", "crisismerge", "hashsize", "usermerge", "pgsz", "deletemerge", "secure-delete"}

// generation is one FTS5 table, indexing the articles with seq in
// [lo, hi), whose content is the view articles_fts_N_content.
type generation struct {
	n, lo, hi int64
}

// table is the generation's FTS5 table.
func (g generation) table() string { return "articles_fts_" + strconv.FormatInt(g.n, 10) }

// FTSTables lists the full-text index's FTS5 tables, newest first; for
// tools and tests that inspect the index. db is a *sql.DB, *sql.Conn or
// *sql.Tx on the store's file.
func FTSTables(ctx context.Context, db interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}) ([]string, error) {
	gens, err := loadGenerations(ctx, db)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(gens))
	for i, g := range gens {
		names[i] = g.table()
	}
	return names, nil
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadGenerations reads the generations, newest (highest seqs) first.
func loadGenerations(ctx context.Context, q queryer) ([]generation, error) {
	rows, err := q.QueryContext(ctx, "SELECT gen, lo, hi FROM fts_generations ORDER BY lo DESC")
	if err != nil {
		return nil, fmt.Errorf("sqlite: read index generations: %w", err)
	}
	defer rows.Close()
	var gens []generation
	for rows.Next() {
		var g generation
		if err := rows.Scan(&g.n, &g.lo, &g.hi); err != nil {
			return nil, fmt.Errorf("sqlite: read index generations: %w", err)
		}
		gens = append(gens, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: read index generations: %w", err)
	}
	return gens, nil
}

// generationOf finds the generation (in gens, newest first) indexing seq.
func generationOf(gens []generation, seq int64) (generation, bool) {
	i := sort.Search(len(gens), func(i int) bool { return gens[i].lo <= seq })
	if i < len(gens) && seq < gens[i].hi {
		return gens[i], true
	}
	return generation{}, false
}

// indexSince indexes the articles with seq >= first, which the write
// transaction tx inserted, making generations for seqs none covers.
func indexSince(ctx context.Context, tx *sql.Tx, first int64) error {
	gens, err := loadGenerations(ctx, tx)
	if err != nil {
		return err
	}
	for s := first; ; {
		// The next seq to index: none left ends it.
		var next sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT min(seq) FROM articles WHERE seq >= ?", s).Scan(&next); err != nil {
			return err
		}
		if !next.Valid {
			return nil
		}
		s = next.Int64
		g, ok := generationOf(gens, s)
		if !ok {
			if g, err = addGeneration(ctx, tx, gens, s); err != nil {
				return err
			}
			gens = append(gens, g)
			sort.Slice(gens, func(i, j int) bool { return gens[i].lo > gens[j].lo })
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+g.table()+" (rowid, title, body) SELECT seq, title, body FROM articles WHERE seq >= ? AND seq < ?",
			s, g.hi); err != nil {
			return err
		}
		s = g.hi
	}
}

// addGeneration makes the generation starting at seq lo, which no
// generation in gens covers: generationSize seqs long, or up to the next
// generation above it.
func addGeneration(ctx context.Context, tx *sql.Tx, gens []generation, lo int64) (generation, error) {
	g := generation{n: 1, lo: lo, hi: lo + generationSize}
	for _, o := range gens {
		g.n = max(g.n, o.n+1)
		if o.lo > lo {
			g.hi = min(g.hi, o.lo)
		}
	}
	t := g.table()
	span := fmt.Sprintf("old.seq >= %d AND old.seq < %d", g.lo, g.hi)
	del := fmt.Sprintf("INSERT INTO %[1]s (%[1]s, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);", t)
	stmts := []string{
		// The same index the schema's first articles_fts was, over title
		// and body, its external content the generation's articles: a
		// view, so that FTS5's integrity-check and 'rebuild' see the
		// rows this generation indexes and no others.
		fmt.Sprintf("CREATE VIEW %s_content AS SELECT seq, title, body FROM articles WHERE seq >= %d AND seq < %d", t, g.lo, g.hi),
		"CREATE VIRTUAL TABLE " + t + " USING fts5(title, body, content = '" + t + "_content', content_rowid = 'seq', " +
			"tokenize = 'porter unicode61 remove_diacritics 2')",
		"CREATE TRIGGER " + t + "_delete AFTER DELETE ON articles WHEN " + span + " BEGIN " + del + " END",
		"CREATE TRIGGER " + t + "_update AFTER UPDATE OF title, body ON articles WHEN " + span + " BEGIN " + del +
			" INSERT INTO " + t + " (rowid, title, body) VALUES (new.seq, new.title, new.body); END",
	}
	if len(gens) > 0 {
		newest := gens[0]
		rows, err := tx.QueryContext(ctx, "SELECT k, v FROM "+newest.table()+"_config WHERE k IN ('"+strings.Join(ftsSettings, "','")+"')")
		if err != nil {
			return g, err
		}
		for rows.Next() {
			var k string
			var v int64
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return g, err
			}
			stmts = append(stmts, fmt.Sprintf("INSERT INTO %[1]s (%[1]s, rank) VALUES ('%s', %d)", t, k, v))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return g, err
		}
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return g, fmt.Errorf("make index generation %d: %w", g.n, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO fts_generations (gen, lo, hi) VALUES (?, ?, ?)", g.n, g.lo, g.hi); err != nil {
		return g, err
	}
	return g, nil
}

// splitIndex is migration 0010's step after its SQL: the articles the
// single articles_fts indexed are indexed again by generation, and the
// old index goes. It runs in the migration's transaction, so a crash
// leaves the store at version 9 with its index whole, and the migration
// runs again on the next open.
func splitIndex(ctx context.Context, tx *sql.Tx) error {
	if err := indexSince(ctx, tx, 0); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DROP TABLE articles_fts")
	return err
}

// indexNew indexes the articles w's transaction inserted, by generation
// or, below schema version 10, in the one articles_fts.
func (db *DB) indexNew(w *writer) error {
	if db.st.indexSince != nil {
		_, err := w.exec(db.st.indexSince, w.firstSeq)
		return err
	}
	return indexSince(w.ctx, w.tx, w.firstSeq)
}
