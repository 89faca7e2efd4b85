package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/detente/detente"
)

// MaxCandidates caps NearCandidates: the articles sharing the most band
// keys with the new one are the likeliest near copies, and comparing more
// than a few hundred signatures per article would slow ingest for little
// gain (a boilerplate band shared by thousands of articles is noise).
const MaxCandidates = 200

// HasArticle reports whether an article or copy with this ID is stored.
func (db *DB) HasArticle(ctx context.Context, id string) (bool, error) {
	var one int
	err := db.st.hasCopy.QueryRowContext(ctx, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: look up %s: %w", id, err)
	}
	return true, nil
}

// ExactMatch returns the ID of a stored article whose normalized body has
// this exact hash, or "" when there is none. An original is preferred; an
// exact hash that only a near copy has returns that copy's ID, which
// PutArticle resolves to its story.
func (db *DB) ExactMatch(ctx context.Context, exact string) (string, error) {
	if exact == "" {
		return "", nil
	}
	var id string
	err := db.st.exactMatch.QueryRowContext(ctx, exact).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: exact match: %w", err)
	}
	return id, nil
}

// nearQuery is NearCandidates' query for n band keys, bound in order.
//
// The limit is written in the query, not bound: with a bound LIMIT,
// SQLite's planner read the parameter's value and marked the statement to
// be prepared again whenever that parameter was bound, even to the same
// value, so the prepared query was parsed and planned again at every call
// (sqlite3Reprepare under every NearCandidates in a profile).
func nearQuery(n int) string {
	return `
		SELECT a.id, a.signature
		FROM (SELECT article_seq, count(*) AS shared FROM lsh_bands
		      WHERE band_key IN (` + placeholders(n) + `)
		      GROUP BY article_seq ORDER BY shared DESC, article_seq LIMIT ` + strconv.Itoa(MaxCandidates) + `) AS b
		JOIN articles a ON a.seq = b.article_seq
		ORDER BY b.shared DESC, a.seq`
}

// maxNearStmts bounds the NearCandidates statements a DB keeps: one per
// number of band keys, which is the same for every fingerprint of one
// hasher configuration.
const maxNearStmts = 4

// nearStmt returns the prepared NearCandidates query for n band keys, nil
// when the DB keeps maxNearStmts others already.
func (db *DB) nearStmt(ctx context.Context, n int) (*sql.Stmt, error) {
	db.near.mu.Lock()
	defer db.near.mu.Unlock()
	if s, ok := db.near.stmts[n]; ok {
		return s, nil
	}
	if len(db.near.stmts) >= maxNearStmts {
		return nil, nil
	}
	s, err := db.db.PrepareContext(ctx, nearQuery(n))
	if err != nil {
		return nil, err
	}
	if db.near.stmts == nil {
		db.near.stmts = map[int]*sql.Stmt{}
	}
	db.near.stmts[n] = s
	return s, nil
}

// NearCandidates returns stored original articles that share at least one
// of the given LSH band keys, with their signatures, those sharing the
// most keys first, at most MaxCandidates of them.
//
// The query is prepared once per number of keys (see nearStmt): parsing
// and planning it took a third of the ingester's look-ups.
func (db *DB) NearCandidates(ctx context.Context, bands []uint64) ([]detente.Candidate, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	// IN matches a band row once however often its key is listed, so a
	// repeated key needs no removing, and every fingerprint of a hasher
	// binds the same number of keys: one statement serves them all.
	args := make([]any, 0, len(bands))
	for _, b := range bands {
		args = append(args, int64(b))
	}
	n := len(bands)
	s, err := db.nearStmt(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("sqlite: near candidates: %w", err)
	}
	var rows *sql.Rows
	if s != nil {
		rows, err = s.QueryContext(ctx, args...)
	} else {
		rows, err = db.db.QueryContext(ctx, nearQuery(n), args...)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: near candidates: %w", err)
	}
	defer rows.Close()
	var out []detente.Candidate
	for rows.Next() {
		var c detente.Candidate
		var sig []byte
		if err := rows.Scan(&c.ArticleID, &sig); err != nil {
			return nil, fmt.Errorf("sqlite: near candidates: %w", err)
		}
		c.Signature = decodeSignature(sig)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: near candidates: %w", err)
	}
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// Article returns the story an article ID belongs to: its original article
// with captions and tags, and every copy (the original included) ordered
// by publication date, undated last, then by when they were stored. It
// returns ENOTFOUND for an unknown ID.
func (db *DB) Article(ctx context.Context, id string) (*detente.Story, error) {
	// One read transaction so the story and its copies are one snapshot.
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer tx.Rollback()

	var storyID string
	err = tx.QueryRowContext(ctx, `SELECT story_id FROM copies WHERE article_id = ?`, id).Scan(&storyID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, detente.Errorf(detente.ENOTFOUND, "no article %q", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: look up %s: %w", id, err)
	}

	s := &detente.Story{ID: storyID, Copies: []detente.Copy{}}
	a := &s.Original
	var seq int64
	err = tx.QueryRowContext(ctx, `
		SELECT seq, id, url, source, title, author, published, crawled, language, body, text_from
		FROM articles WHERE id = ?`, storyID).Scan(&seq, &a.ID, &a.URL, &a.Source, &a.Title,
		&a.Author, &a.Published, &a.Crawled, &a.Language, &a.Body, &a.TextFrom)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read article %s: %w", storyID, err)
	}

	a.Captions = []detente.Caption{}
	if err := scanAll(ctx, tx, `SELECT text, credit FROM captions WHERE article_seq = ? ORDER BY pos`,
		[]any{seq}, func(r *sql.Rows) error {
			var c detente.Caption
			err := r.Scan(&c.Text, &c.Credit)
			a.Captions = append(a.Captions, c)
			return err
		}); err != nil {
		return nil, err
	}
	a.Tags = []string{}
	if err := scanAll(ctx, tx, `SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_seq = ? ORDER BY at.pos`, []any{seq}, func(r *sql.Rows) error {
		var t string
		err := r.Scan(&t)
		a.Tags = append(a.Tags, t)
		return err
	}); err != nil {
		return nil, err
	}
	if err := scanAll(ctx, tx, `
		SELECT article_id, source, url, title, published, kind, similarity FROM copies
		WHERE story_id = ? ORDER BY published = '', published, seq`, []any{storyID},
		func(r *sql.Rows) error {
			var c detente.Copy
			err := r.Scan(&c.ArticleID, &c.Source, &c.URL, &c.Title, &c.Published, &c.Kind, &c.Similarity)
			s.Copies = append(s.Copies, c)
			return err
		}); err != nil {
		return nil, err
	}
	return s, nil
}

// scanAll runs a query and calls scan for each row.
func scanAll(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlite: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("sqlite: scan: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: query: %w", err)
	}
	return nil
}

// Stats returns counts for a summary.
func (db *DB) Stats(ctx context.Context) (detente.Stats, error) {
	var s detente.Stats
	err := db.db.QueryRowContext(ctx, `
		SELECT
			(SELECT count(*) FROM copies),
			(SELECT count(*) FROM stories),
			(SELECT count(*) FROM copies WHERE kind = 'exact'),
			(SELECT count(*) FROM copies WHERE kind = 'near'),
			(SELECT count(*) FROM sources),
			(SELECT count(*) FROM annotations)`).Scan(&s.Articles, &s.Stories, &s.Exact, &s.Near, &s.Sources, &s.Annotated)
	if err != nil {
		return detente.Stats{}, fmt.Errorf("sqlite: stats: %w", err)
	}
	s.Copies = s.Exact + s.Near
	return s, nil
}

// Sources returns every outlet seen, most prolific first.
func (db *DB) Sources(ctx context.Context) ([]detente.Outlet, error) {
	out := []detente.Outlet{}
	err := scanAll(ctx, db.db, `
		SELECT s.name, count(c.seq), count(DISTINCT c.story_id)
		FROM sources s LEFT JOIN copies c ON c.source = s.name
		GROUP BY s.id ORDER BY count(c.seq) DESC, s.name`, nil, func(r *sql.Rows) error {
		var s detente.Outlet
		err := r.Scan(&s.Name, &s.Copies, &s.Stories)
		out = append(out, s)
		return err
	})
	return out, err
}
