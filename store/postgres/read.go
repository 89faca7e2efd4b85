package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/detente/detente"
	"github.com/jackc/pgx/v5"
)

// MaxCandidates caps NearCandidates, as in the SQLite store.
const MaxCandidates = 200

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// scanAll runs a query and calls scan for each row.
func scanAll(ctx context.Context, q querier, query string, args []any, scan func(pgx.Rows) error) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("postgres: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("postgres: scan: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: query: %w", err)
	}
	return nil
}

// HasArticle reports whether an article or copy with this ID is stored.
func (db *DB) HasArticle(ctx context.Context, id string) (bool, error) {
	var one int
	err := db.pool.QueryRow(ctx, `SELECT 1 FROM copies WHERE article_id = $1`, pgText(id)).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: look up %s: %w", id, err)
	}
	return true, nil
}

// ExactMatch returns the ID of a stored article whose normalized body has
// this exact hash: an original first, else the earliest copy with it.
func (db *DB) ExactMatch(ctx context.Context, exact string) (string, error) {
	return exactMatch(ctx, db.pool, exact)
}

func exactMatch(ctx context.Context, q querier, exact string) (string, error) {
	if exact == "" {
		return "", nil
	}
	var id string
	err := q.QueryRow(ctx, `
		SELECT id FROM (
			SELECT id, 0 AS pref, seq FROM articles WHERE exact_hash = $1
			UNION ALL
			SELECT article_id, 1, seq FROM copies WHERE exact_hash = $1
		) m ORDER BY pref, seq LIMIT 1`, exact).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: exact match: %w", err)
	}
	return id, nil
}

// NearCandidates returns stored originals sharing at least one of the LSH
// band keys, with their signatures, those sharing the most first, at most
// MaxCandidates.
func (db *DB) NearCandidates(ctx context.Context, bands []uint64) ([]detente.Candidate, error) {
	return nearCandidates(ctx, db.pool, bands)
}

func nearCandidates(ctx context.Context, q querier, bands []uint64) ([]detente.Candidate, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	keys := make([]int64, 0, len(bands))
	seen := make(map[uint64]bool, len(bands))
	for _, b := range bands {
		if !seen[b] {
			seen[b] = true
			keys = append(keys, int64(b))
		}
	}
	var out []detente.Candidate
	err := scanAll(ctx, q, `
		SELECT a.id, a.signature
		FROM (SELECT article_seq, count(*) AS shared FROM lsh_bands WHERE band_key = ANY($1)
		      GROUP BY article_seq ORDER BY shared DESC, article_seq LIMIT $2) AS b
		JOIN articles a ON a.seq = b.article_seq
		ORDER BY b.shared DESC, a.seq`, []any{keys, MaxCandidates}, func(r pgx.Rows) error {
		var c detente.Candidate
		var sig []byte
		err := r.Scan(&c.ArticleID, &sig)
		c.Signature = decodeSignature(sig)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: near candidates: %w", err)
	}
	return out, nil
}

// Article returns the story an article ID belongs to: its original with
// captions and tags, and every copy by publication date (undated last),
// then by when stored. ENOTFOUND for an unknown ID.
func (db *DB) Article(ctx context.Context, id string) (*detente.Story, error) {
	var s *detente.Story
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		var storyID string
		err := tx.QueryRow(ctx, `SELECT story_id FROM copies WHERE article_id = $1`, pgText(id)).Scan(&storyID)
		if errors.Is(err, pgx.ErrNoRows) {
			return detente.Errorf(detente.ENOTFOUND, "no article %q", id)
		}
		if err != nil {
			return fmt.Errorf("postgres: look up %s: %w", id, err)
		}
		s = &detente.Story{ID: storyID, Copies: []detente.Copy{}}
		a := &s.Original
		var seq int64
		if err := tx.QueryRow(ctx, `SELECT seq, id, url, source, title, author, published, crawled, language, body, text_from
			FROM articles WHERE id = $1`, storyID).Scan(&seq, &a.ID, &a.URL, &a.Source, &a.Title,
			&a.Author, &a.Published, &a.Crawled, &a.Language, &a.Body, &a.TextFrom); err != nil {
			return fmt.Errorf("postgres: read article %s: %w", storyID, err)
		}
		a.Captions = []detente.Caption{}
		if err := scanAll(ctx, tx, `SELECT text, credit FROM captions WHERE article_seq = $1 ORDER BY pos`,
			[]any{seq}, func(r pgx.Rows) error {
				var c detente.Caption
				err := r.Scan(&c.Text, &c.Credit)
				a.Captions = append(a.Captions, c)
				return err
			}); err != nil {
			return err
		}
		a.Tags = []string{}
		if err := scanAll(ctx, tx, `SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
			WHERE at.article_seq = $1 ORDER BY at.pos`, []any{seq}, func(r pgx.Rows) error {
			var t string
			err := r.Scan(&t)
			a.Tags = append(a.Tags, t)
			return err
		}); err != nil {
			return err
		}
		return scanAll(ctx, tx, `SELECT article_id, source, url, title, published, kind, similarity FROM copies
			WHERE story_id = $1 ORDER BY published = '', published, seq`, []any{storyID}, func(r pgx.Rows) error {
			var c detente.Copy
			err := r.Scan(&c.ArticleID, &c.Source, &c.URL, &c.Title, &c.Published, &c.Kind, &c.Similarity)
			s.Copies = append(s.Copies, c)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Stats counts what the store holds.
func (db *DB) Stats(ctx context.Context) (detente.Stats, error) {
	var s detente.Stats
	err := db.pool.QueryRow(ctx, `
		SELECT
			(SELECT count(*) FROM copies),
			(SELECT count(*) FROM stories),
			(SELECT count(*) FROM copies WHERE kind = 'exact'),
			(SELECT count(*) FROM copies WHERE kind = 'near'),
			(SELECT count(*) FROM sources),
			(SELECT count(*) FROM annotations)`).Scan(&s.Articles, &s.Stories, &s.Exact, &s.Near, &s.Sources, &s.Annotated)
	if err != nil {
		return detente.Stats{}, fmt.Errorf("postgres: stats: %w", err)
	}
	s.Copies = s.Exact + s.Near
	return s, nil
}

// Sources returns every outlet seen, most prolific first, then by name
// without ASCII case.
func (db *DB) Sources(ctx context.Context) ([]detente.Outlet, error) {
	out := []detente.Outlet{}
	err := scanAll(ctx, db.pool, `
		SELECT s.name, count(c.seq), count(DISTINCT c.story_id)
		FROM sources s LEFT JOIN copies c ON c.source_key = s.name_key
		GROUP BY s.id ORDER BY count(c.seq) DESC, s.name_key`, nil, func(r pgx.Rows) error {
		var s detente.Outlet
		err := r.Scan(&s.Name, &s.Copies, &s.Stories)
		out = append(out, s)
		return err
	})
	return out, err
}

// PutAnnotations replaces the annotations of a stored article (by its ID
// or any copy's); nil removes them. ENOTFOUND for an unknown ID, EINVALID
// for annotations PutBatch would refuse.
func (db *DB) PutAnnotations(ctx context.Context, articleID string, ann *detente.Annotations) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		seq, bodyLen, err := originalSeq(ctx, tx, pgText(articleID), true)
		if err != nil {
			return err
		}
		if ann != nil {
			if err := validAnnotations(ann, bodyLen); err != nil {
				return detente.Errorf(detente.EINVALID, "article %s: %s", articleID, err)
			}
		}
		for _, table := range []string{"annotations", "entities"} {
			// table is one of the names above, never input.
			if _, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE article_seq = $1", seq); err != nil {
				return fmt.Errorf("postgres: remove annotations of %s: %w", articleID, err)
			}
		}
		if ann == nil {
			return nil
		}
		w := newWriter(ctx, db, tx)
		if err := w.putAnnotations(seq, articleID, ann); err != nil {
			return err
		}
		return w.flush()
	})
}

// Annotations returns the stored annotations of an article (its
// original's, for a copy); nil without error when it was stored without
// them, ENOTFOUND for an unknown ID.
func (db *DB) Annotations(ctx context.Context, articleID string) (*detente.Annotations, error) {
	var js []byte
	err := db.pool.QueryRow(ctx, `
		SELECT an.json FROM copies c
		JOIN articles a ON a.id = c.story_id
		LEFT JOIN annotations an ON an.article_seq = a.seq
		WHERE c.article_id = $1`, pgText(articleID)).Scan(&js)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, detente.Errorf(detente.ENOTFOUND, "no article %q", articleID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: read annotations of %s: %w", articleID, err)
	}
	if js == nil {
		return nil, nil
	}
	var ann detente.Annotations
	if err := json.Unmarshal(js, &ann); err != nil {
		return nil, fmt.Errorf("postgres: read annotations of %s: %w", articleID, err)
	}
	return &ann, nil
}

// Entities returns an article's (or its original's) entity mentions in
// the order annotated, read from its annotations; empty when not
// annotated, ENOTFOUND when unknown.
func (db *DB) Entities(ctx context.Context, articleID string) ([]detente.Entity, error) {
	ann, err := db.Annotations(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if ann == nil || ann.Entities == nil {
		return []detente.Entity{}, nil
	}
	return ann.Entities, nil
}

// leadSnippet is the snippet of a hit found without a query: the body's
// first words.
func leadSnippet(body string, words int) string {
	f := strings.Fields(body)
	if len(f) <= words {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:words], " ") + "…"
}
