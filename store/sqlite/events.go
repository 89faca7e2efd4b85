package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/events"
)

// Events are merged across articles as package events describes: an
// article's event with the key (source, target, cameo, date) of a stored
// event becomes mentions of that event rather than a new one.
//
// Copies: a copy (exact or near) of a story stores no events of its own
// (its PutItem.Events are ignored, like its annotations); instead, every
// mention the story's original has is repeated for the copy, with the
// copy's article ID and outlet and the original's offsets, so the copy's
// outlet counts in NumSources and the copy in NumArticles and NumMentions
// of each of the story's events. A copy stored before its original was
// coded gets these mentions when PutEvents codes the story.
//
// The counts are recomputed from the mentions at the end of each write
// transaction, so they cannot drift from the rows they count, and storing
// an article already stored (PutExisting) adds nothing. An event the
// transaction creates is stored with its counts (one article, one source,
// its distinct mentions) and recounted only when another report or a copy
// touches it: recounting every new event cost a fifth of storing an
// article, and changing num_mentions rewrites its entries in the two
// indexes that carry it.

// insertEventSQL stores a new event, reported by one article, from one
// source.
const insertEventSQL = `INSERT INTO events (id, source, target, cameo, base, root, quad, goldstein, plover,
	mode, negated, date, loc_name, loc_country, loc_lat, loc_lon, num_mentions, num_articles, num_sources, first_seen)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?)
	ON CONFLICT DO NOTHING`

// eventStatements are the writes of events, prepared when the schema has
// their tables (version 3).
type eventStatements struct {
	findEvent, insertEvent, fillLocation, copyMentions,
	mentionedEvents, recount, deleteUnreported *sql.Stmt
	mentions *rowInsert
}

func (db *DB) prepareEvents(ctx context.Context) error {
	for _, p := range []struct {
		s   **sql.Stmt
		sql string
	}{
		// By the ID, a hash of the key, whose unique index makes the key
		// unique (migration 0009); the key is compared too, so two keys
		// whose IDs collided would fail to store rather than merge.
		{&db.est.findEvent, `SELECT seq FROM events WHERE id = ? AND source = ? AND target = ? AND cameo = ? AND date = ?`},
		// A new event is reported by one article, from one source.
		{&db.est.insertEvent, insertEventSQL},
		{&db.est.fillLocation, `UPDATE events SET loc_name = ?, loc_country = ?, loc_lat = ?, loc_lon = ?
			WHERE seq = ? AND loc_lat IS NULL AND loc_name = ''`},
		// ?1 original's seq, ?2 original's ID, ?3 copy's ID, ?4 its outlet, ?5 now.
		{&db.est.copyMentions, `INSERT OR IGNORE INTO event_mentions (event_seq, article_id, article_seq,
			sentence_start, sentence_end, source_start, source_end, target_start, target_end, verb_start, verb_end,
			root_event, confidence, explanation, outlet, sentence_no, doc_len, added_at)
			SELECT event_seq, ?3, article_seq, sentence_start, sentence_end, source_start, source_end,
				target_start, target_end, verb_start, verb_end, root_event, confidence, explanation, ?4,
				sentence_no, doc_len, ?5
			FROM event_mentions WHERE article_seq = ?1 AND article_id = ?2`},
		{&db.est.deleteUnreported, `DELETE FROM events WHERE seq = ? AND num_mentions = 0`},
		{&db.est.mentionedEvents, `SELECT DISTINCT event_seq FROM event_mentions WHERE article_seq = ?`},
		// The source key is events.SourceKey in SQL.
		{&db.est.recount, `UPDATE events SET
			num_mentions = (SELECT count(*) FROM event_mentions WHERE event_seq = ?1),
			num_articles = (SELECT count(DISTINCT article_id) FROM event_mentions WHERE event_seq = ?1),
			num_sources = (SELECT count(DISTINCT CASE WHEN trim(outlet) <> '' THEN 'o:' || lower(trim(outlet))
				ELSE 'a:' || article_id END) FROM event_mentions WHERE event_seq = ?1)
			WHERE seq = ?1`},
	} {
		s, err := db.db.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("sqlite: prepare %q: %w", p.sql, err)
		}
		*p.s = s
	}
	db.est.mentions = newRowInsert("INSERT OR IGNORE", "event_mentions", "event_seq", "article_id",
		"article_seq", "sentence_start", "sentence_end", "source_start", "source_end", "target_start", "target_end",
		"verb_start", "verb_end", "root_event", "confidence", "explanation", "outlet", "sentence_no", "doc_len",
		"added_at")
	return nil
}

// validEvents normalizes an original's events for storing (see
// events.Normalize) into a new slice, and checks that their offsets are in
// the body (bodyLen code points).
func validEvents(evs []detente.Event, bodyLen int) ([]detente.Event, error) {
	if evs == nil {
		return nil, nil
	}
	out := make([]detente.Event, len(evs))
	for i, e := range evs {
		if err := events.Normalize(&e); err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		for j, mn := range e.Mentions {
			for _, sp := range []detente.Span{mn.Sentence, mn.SourceSpan, mn.TargetSpan, mn.VerbSpan} {
				if sp.Start < 0 || sp.End < sp.Start || sp.End > bodyLen {
					return nil, fmt.Errorf("event %d mention %d spans [%d, %d), outside the body's %d code points",
						i, j, sp.Start, sp.End, bodyLen)
				}
			}
		}
		out[i] = e
	}
	return out, nil
}

// articleInfo is what a mention row records of the reporting article.
type articleInfo struct {
	seq       int64  // the story's original
	id        string // the reporting article (the original here)
	outlet    string
	docLen    int
	sentences []detente.Span // for sentence numbers; nil when unknown
}

// putEvents stores an original's (normalized) events as new events or
// mentions of stored ones.
func (w *writer) putEvents(a articleInfo, evs []detente.Event) error {
	args := w.argBuf[:0]
	// Values boxed once for every row, and ints given as int64, the one
	// integer type a driver takes, which database/sql would otherwise box
	// a second time to convert: about 600 allocations an article fewer.
	id, seq0, outlet, docLen, now := any(a.id), any(a.seq), any(a.outlet), any(int64(a.docLen)), w.nowArg()
	for _, e := range evs {
		mentions := e.Mentions
		if len(mentions) == 0 {
			// An event with no mention is still reported once, by the article.
			mentions = []detente.EventMention{{}}
		}
		seq, created, err := w.event(&e, distinctMentions(mentions))
		if err != nil {
			return err
		}
		for _, mn := range mentions {
			args = append(args, seq, id, seq0,
				int64(mn.Sentence.Start), int64(mn.Sentence.End), int64(mn.SourceSpan.Start), int64(mn.SourceSpan.End),
				int64(mn.TargetSpan.Start), int64(mn.TargetSpan.End), int64(mn.VerbSpan.Start), int64(mn.VerbSpan.End),
				mn.RootEvent, clamp01(mn.Confidence), mn.Explanation, outlet,
				int64(sentenceNo(a.sentences, mn.Sentence)), docLen, now)
		}
		if !created {
			w.touch(seq)
		}
	}
	w.argBuf = args
	if err := w.insertRows(w.est.mentions, args); err != nil {
		return fmt.Errorf("sqlite: store event mentions of %s: %w", a.id, err)
	}
	clear(args)
	return nil
}

// distinctMentions counts the mentions one article gives an event as the
// mentions' primary key does: the same sentence and verb once.
func distinctMentions(ms []detente.EventMention) int {
	n := 0
	for i, m := range ms {
		dup := false
		for _, p := range ms[:i] {
			if p.Sentence == m.Sentence && p.VerbSpan == m.VerbSpan {
				dup = true
				break
			}
		}
		if !dup {
			n++
		}
	}
	return n
}

// event returns the seq of the stored event with e's key, storing e with
// mentions as its count when there is none, and whether it stored it.
// Most events an article reports are new, so it tries the insert first: a
// conflict on the ID (a hash of the key) means the event is stored, and
// only then is it looked up.
func (w *writer) event(e *detente.Event, mentions int) (int64, bool, error) {
	var name, country string
	var lat, lon any
	if l := e.Location; l != nil {
		name, country, lat, lon = l.Name, l.Country, l.Lat, l.Lon
	}
	// Not argBuf, which holds the article's mention rows meanwhile.
	args := append(w.eventArgs[:0], e.ID, e.Source, e.Target, e.CAMEO, e.Base, e.Root, int64(e.Quad),
		e.Goldstein, e.PLOVER, e.Mode, e.Negated, e.Date, name, country, lat, lon, int64(mentions), w.nowArg())
	res, err := w.rawExec(insertEventSQL, args)
	clear(args)
	w.eventArgs = args[:0]
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: store event %s: %w", e.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, false, fmt.Errorf("sqlite: store event %s: %w", e.ID, err)
	} else if n == 1 {
		seq, err := res.LastInsertId()
		return seq, true, err
	}
	var seq int64
	if err := w.queryRow(w.est.findEvent, e.ID, e.Source, e.Target, e.CAMEO, e.Date).Scan(&seq); err != nil {
		return 0, false, fmt.Errorf("sqlite: look up event %s: %w", e.ID, err)
	}
	if l := e.Location; l != nil {
		if _, err := w.exec(w.est.fillLocation, l.Name, l.Country, l.Lat, l.Lon, seq); err != nil {
			return 0, false, fmt.Errorf("sqlite: locate event %s: %w", e.ID, err)
		}
	}
	return seq, false, nil
}

// copyEvents gives a copy the mentions of its story's original (see the
// comment at the top of this file).
func (w *writer) copyEvents(origSeq int64, origID, copyID, outlet string) error {
	res, err := w.exec(w.est.copyMentions, origSeq, origID, copyID, outlet, w.now)
	if err != nil {
		return fmt.Errorf("sqlite: store events of copy %s: %w", copyID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return w.touchArticle(origSeq)
}

// touchArticle marks for recounting every event a story has mentions in.
func (w *writer) touchArticle(origSeq int64) error {
	rows, err := w.stmt(w.est.mentionedEvents).QueryContext(w.ctx, origSeq)
	if err != nil {
		return fmt.Errorf("sqlite: events of article %d: %w", origSeq, err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return fmt.Errorf("sqlite: events of article %d: %w", origSeq, err)
		}
		w.touch(seq)
	}
	return rows.Err()
}

func (w *writer) touch(seq int64) {
	if w.touched == nil {
		w.touched = map[int64]bool{}
	}
	w.touched[seq] = true
}

// recount brings the counts of every event the transaction touched up to
// date with its mentions, in seq order so two writers lock pages alike.
func (w *writer) recount() error {
	if len(w.touched) == 0 {
		return nil
	}
	seqs := make([]int64, 0, len(w.touched))
	for s := range w.touched {
		seqs = append(seqs, s)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	for _, s := range seqs {
		if _, err := w.exec(w.est.recount, s); err != nil {
			return fmt.Errorf("sqlite: count mentions of event %d: %w", s, err)
		}
		// Only PutEvents can leave an event unreported.
		if _, err := w.exec(w.est.deleteUnreported, s); err != nil {
			return fmt.Errorf("sqlite: remove unreported event %d: %w", s, err)
		}
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

// PutEvents replaces the events coded from a stored story (given by its
// original's or any copy's ID), for coding a store after the fact or again
// with a better coder; nil removes them. Offsets are into the original's
// body. The story's copies get the new events' mentions too; events left
// with no mention are deleted. It returns ENOTFOUND for an unknown ID and
// EINVALID for events PutBatch would refuse.
func (db *DB) PutEvents(ctx context.Context, articleID string, evs []detente.Event) error {
	if db.est.insertEvent == nil {
		return fmt.Errorf("sqlite: schema too old to store events")
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer tx.Rollback()
	seq, bodyLen, err := originalSeq(ctx, tx, articleID)
	if err != nil {
		return err
	}
	evs, err = validEvents(evs, bodyLen)
	if err != nil {
		return detente.Errorf(detente.EINVALID, "article %s: %s", articleID, err)
	}
	w := writer{ctx: ctx, tx: tx, st: &db.st, est: &db.est, now: detente.Now().UTC().Format(time.RFC3339)}
	if err := w.touchArticle(seq); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_mentions WHERE article_seq = ?`, seq); err != nil {
		return fmt.Errorf("sqlite: remove events of %s: %w", articleID, err)
	}
	a := articleInfo{seq: seq, docLen: bodyLen}
	var js sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT a.id, a.source, an.json FROM articles a
		LEFT JOIN annotations an ON an.article_seq = a.seq WHERE a.seq = ?`, seq).Scan(&a.id, &a.outlet, &js); err != nil {
		return fmt.Errorf("sqlite: read article %s: %w", articleID, err)
	}
	if js.Valid {
		if ann, err := unpackAnnotations([]byte(js.String)); err == nil {
			a.sentences = ann.Sentences
		}
	}
	if err := w.putEvents(a, evs); err != nil {
		return err
	}
	var copies [][2]string
	if err := scanAll(ctx, tx, `SELECT article_id, source FROM copies WHERE story_id = ? AND kind <> 'original' ORDER BY seq`,
		[]any{a.id}, func(r *sql.Rows) error {
			var c [2]string
			err := r.Scan(&c[0], &c[1])
			copies = append(copies, c)
			return err
		}); err != nil {
		return err
	}
	for _, c := range copies {
		if err := w.copyEvents(seq, a.id, c[0], c[1]); err != nil {
			return err
		}
	}
	if err := w.recount(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}
