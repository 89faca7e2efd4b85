package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/events"
	"github.com/jackc/pgx/v5"
)

// Events merge as in the SQLite store (see store/sqlite/events.go): an
// article's event with the key (source, target, cameo, date) of a stored
// event becomes mentions of it; a copy repeats its story's mentions under
// its own ID and outlet; counts are recomputed from the mentions before
// each write transaction commits.
//
// Concurrent writers: a new event is INSERT … ON CONFLICT DO NOTHING on
// its key, so a second writer of the same key waits for the first and
// then finds its row. Before recounting, the transaction locks its
// touched events in seq order and recounts in a new statement, whose
// snapshot then includes every mention committed by a writer that held
// them: counts cannot miss another worker's mentions.

type articleInfo struct {
	seq       int64
	id        string
	outlet    string
	docLen    int
	sentences []detente.Span
}

var mentionCols = []string{"event_seq", "article_id", "article_seq", "sentence_start", "sentence_end",
	"source_start", "source_end", "target_start", "target_end", "verb_start", "verb_end", "root_event",
	"confidence", "explanation", "outlet", "source_key", "sentence_no", "doc_len", "added_at"}

// putEvents queues an original's normalized events; resolveEvents
// stores them, for the whole batch at once.
func (w *writer) putEvents(a articleInfo, evs []detente.Event) error {
	for _, e := range evs {
		r := report{article: a, event: e}
		if w.ord != nil {
			o := *w.ord
			r.ord = &o
		}
		w.reports = append(w.reports, r)
	}
	return nil
}

// repeatMentions gives a copy the mentions of its story's original.
func (w *writer) repeatMentions(c copyEvent) error {
	tag, err := w.tx.Exec(w.ctx, `INSERT INTO event_mentions (event_seq, article_id, article_seq,
		sentence_start, sentence_end, source_start, source_end, target_start, target_end, verb_start, verb_end,
		root_event, confidence, explanation, outlet, source_key, sentence_no, doc_len, added_at)
		SELECT event_seq, $3, article_seq, sentence_start, sentence_end, source_start, source_end,
			target_start, target_end, verb_start, verb_end, root_event, confidence, explanation, $4, $5,
			sentence_no, doc_len, $6
		FROM event_mentions WHERE article_seq = $1 AND article_id = $2
		ON CONFLICT DO NOTHING`, c.origSeq, c.origID, c.id, c.outlet, events.SourceKey(c.outlet, c.id), w.now)
	if err != nil {
		return fmt.Errorf("postgres: store events of copy %s: %w", c.id, err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	return w.touchArticle(c.origSeq)
}

// touchArticle marks for recounting every event a story has mentions in.
func (w *writer) touchArticle(origSeq int64) error {
	rows, err := w.tx.Query(w.ctx, `SELECT DISTINCT event_seq FROM event_mentions WHERE article_seq = $1`, origSeq)
	if err != nil {
		return fmt.Errorf("postgres: events of article %d: %w", origSeq, err)
	}
	seqs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("postgres: events of article %d: %w", origSeq, err)
	}
	for _, s := range seqs {
		w.touched[s] = true
	}
	return nil
}

// recount brings the counts of the touched events up to date and deletes
// those left with no mention (only PutEvents can leave one).
func (w *writer) recount() error {
	if len(w.touched) == 0 {
		return nil
	}
	seqs := make([]int64, 0, len(w.touched))
	for s := range w.touched {
		seqs = append(seqs, s)
	}
	slices.Sort(seqs)
	if _, err := w.tx.Exec(w.ctx, `SELECT 1 FROM events WHERE seq = ANY($1) ORDER BY seq FOR NO KEY UPDATE`, seqs); err != nil {
		return fmt.Errorf("postgres: lock events: %w", err)
	}
	if _, err := w.tx.Exec(w.ctx, `UPDATE events e SET num_mentions = coalesce(c.n, 0),
			num_articles = coalesce(c.articles, 0), num_sources = coalesce(c.sources, 0)
		FROM unnest($1::bigint[]) AS t(seq)
		LEFT JOIN (SELECT event_seq, count(*) AS n, count(DISTINCT article_id) AS articles,
				count(DISTINCT source_key) AS sources
			FROM event_mentions WHERE event_seq = ANY($1) GROUP BY event_seq) c ON c.event_seq = t.seq
		WHERE e.seq = t.seq`, seqs); err != nil {
		return fmt.Errorf("postgres: count mentions: %w", err)
	}
	if _, err := w.tx.Exec(w.ctx, `DELETE FROM events WHERE seq = ANY($1) AND num_mentions = 0`, seqs); err != nil {
		return fmt.Errorf("postgres: remove unreported events: %w", err)
	}
	return nil
}

// sentenceNo is the 1-based number of the sentence that starts at (or
// contains the start of) s, 0 when the sentences are unknown.
func sentenceNo(sentences []detente.Span, s detente.Span) int {
	if len(sentences) == 0 {
		return 0
	}
	i := sort.Search(len(sentences), func(i int) bool { return sentences[i].Start > s.Start }) - 1
	if i < 0 || s.Start >= max(sentences[i].End, sentences[i].Start+1) {
		return 0
	}
	return i + 1
}

// originalSeq resolves an article or copy ID to its story's original: its
// seq and body length in code points, locking the original's row (FOR
// UPDATE) when lock is set. ENOTFOUND for an unknown ID.
func originalSeq(ctx context.Context, tx pgx.Tx, id string, lock bool) (seq int64, bodyLen int, err error) {
	q := `SELECT a.seq, length(a.body) FROM copies c JOIN articles a ON a.id = c.story_id WHERE c.article_id = $1`
	if lock {
		q += ` FOR UPDATE OF a`
	}
	err = tx.QueryRow(ctx, q, id).Scan(&seq, &bodyLen)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, detente.Errorf(detente.ENOTFOUND, "no article %q", id)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: look up %s: %w", id, err)
	}
	return seq, bodyLen, nil
}

// PutEvents replaces the events coded from a stored story (by its
// original's or any copy's ID), as the SQLite store does: the story's
// copies get the new mentions too, and events left with no mention are
// deleted. ENOTFOUND for an unknown ID, EINVALID for events PutBatch
// would refuse.
func (db *DB) PutEvents(ctx context.Context, articleID string, evs []detente.Event) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		seq, bodyLen, err := originalSeq(ctx, tx, articleID, true)
		if err != nil {
			return err
		}
		norm, err := validEvents(evs, bodyLen)
		if err != nil {
			return detente.Errorf(detente.EINVALID, "article %s: %s", articleID, err)
		}
		w := newWriter(ctx, db, tx)
		if err := w.touchArticle(seq); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_mentions WHERE article_seq = $1`, seq); err != nil {
			return fmt.Errorf("postgres: remove events of %s: %w", articleID, err)
		}
		a := articleInfo{seq: seq, docLen: bodyLen}
		var js []byte
		if err := tx.QueryRow(ctx, `SELECT a.id, a.source, an.json FROM articles a
			LEFT JOIN annotations an ON an.article_seq = a.seq WHERE a.seq = $1`, seq).Scan(&a.id, &a.outlet, &js); err != nil {
			return fmt.Errorf("postgres: read article %s: %w", articleID, err)
		}
		if js != nil {
			var ann struct {
				Sentences []detente.Span `json:"sentences"`
			}
			if err := json.Unmarshal(js, &ann); err == nil {
				a.sentences = ann.Sentences
			}
		}
		if err := w.putEvents(a, norm); err != nil {
			return err
		}
		if err := w.resolveEvents(); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT article_id, source FROM copies WHERE story_id = $1 AND kind <> 'original' ORDER BY seq`, a.id)
		if err != nil {
			return fmt.Errorf("postgres: copies of %s: %w", a.id, err)
		}
		copies, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (copyEvent, error) {
			c := copyEvent{origSeq: seq, origID: a.id}
			err := r.Scan(&c.id, &c.outlet)
			return c, err
		})
		if err != nil {
			return fmt.Errorf("postgres: copies of %s: %w", a.id, err)
		}
		for _, c := range copies {
			c.outlet = strings.TrimSpace(c.outlet)
			if err := w.repeatMentions(c); err != nil {
				return err
			}
		}
		return w.recount()
	})
}
