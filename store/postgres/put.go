package postgres

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/events"
	"github.com/jackc/pgx/v5"
)

// PutArticle stores one article in its own transaction: PutBatch of one.
func (db *DB) PutArticle(ctx context.Context, a *detente.Article, fp detente.Fingerprint, dup *detente.Duplicate) (detente.PutStatus, error) {
	st, err := db.PutBatch(ctx, []detente.PutItem{{Article: a, Fingerprint: fp, Duplicate: dup}})
	if err != nil {
		return 0, err
	}
	return st[0], nil
}

// PutBatch stores many articles in one transaction with the SQLite
// store's semantics (see sqlite.DB.PutBatch): an ID already stored is
// PutExisting and changes nothing; an original stores its text, captions,
// tags, fingerprint, bands, annotations and events; a copy adds a copies
// row under its story (an exact copy of a near copy is a near copy of the
// original) and repeats its story's event mentions. An item that cannot
// be stored fails the batch with EINVALID naming it, and nothing of the
// batch is stored.
func (db *DB) PutBatch(ctx context.Context, items []detente.PutItem) ([]detente.PutStatus, error) {
	return db.PutBatchOrdered(ctx, items, nil)
}

// PutBatchOrdered is PutBatch for a writer that stores articles out of
// input order (a queue worker): order[i] is item i's position in the
// input, larger later, comparable across batches and writers. An event
// then keeps the mode and negation of its report earliest in the input
// and the location of the earliest report that has one, whatever order
// the reports are stored in, as a single process storing in input order
// would. nil order is PutBatch.
func (db *DB) PutBatchOrdered(ctx context.Context, items []detente.PutItem, order []int64) ([]detente.PutStatus, error) {
	if order != nil && len(order) != len(items) {
		return nil, fmt.Errorf("postgres: %d input positions for %d items", len(order), len(items))
	}
	if len(items) == 0 {
		return nil, nil
	}
	evs := make([][]detente.Event, len(items))
	for i, it := range items {
		var err error
		if evs[i], err = validItem(it); err != nil {
			return nil, batchErr(i, items, err)
		}
	}
	var out []detente.PutStatus
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		w := newWriter(ctx, db, tx)
		if err := w.lock(items); err != nil {
			return err
		}
		out = make([]detente.PutStatus, len(items))
		for i, it := range items {
			w.ord = nil
			if order != nil {
				w.ord = &order[i]
			}
			s, err := w.put(it, evs[i])
			if err != nil {
				return batchErr(i, items, err)
			}
			out[i] = s
		}
		return w.finish()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// batchErr names the failing item in a batch error, keeping its code.
func batchErr(i int, items []detente.PutItem, err error) error {
	if len(items) == 1 {
		return err
	}
	var de *detente.Error
	if errors.As(err, &de) {
		return detente.Errorf(de.Code, "batch item %d: %s", i, de.Message)
	}
	return fmt.Errorf("batch item %d: %w", i, err)
}

// validItem checks an item and returns its events normalized for storing
// (nil for a copy, whose events are its original's).
func validItem(it detente.PutItem) ([]detente.Event, error) {
	a := it.Article
	if a == nil {
		return nil, detente.Errorf(detente.EINVALID, "no article to store")
	}
	if strings.TrimSpace(a.ID) == "" {
		return nil, detente.Errorf(detente.EINVALID, "article has no ID")
	}
	if d := it.Duplicate; d != nil {
		if d.Of == "" {
			return nil, detente.Errorf(detente.EINVALID, "article %s is a copy of no article", a.ID)
		}
		if d.Kind != detente.CopyExact && d.Kind != detente.CopyNear {
			return nil, detente.Errorf(detente.EINVALID, "article %s: unknown copy kind %q", a.ID, d.Kind)
		}
		return nil, nil
	}
	bodyLen := -1
	if it.Annotations != nil || it.Events != nil {
		bodyLen = utf8.RuneCountInString(a.Body)
	}
	if it.Annotations != nil {
		if err := validAnnotations(it.Annotations, bodyLen); err != nil {
			return nil, detente.Errorf(detente.EINVALID, "article %s: %s", a.ID, err)
		}
	}
	evs, err := validEvents(it.Events, bodyLen)
	if err != nil {
		return nil, detente.Errorf(detente.EINVALID, "article %s: %s", a.ID, err)
	}
	return evs, nil
}

// validAnnotations checks spans inside the body and coordinates on the
// globe, as the SQLite store does.
func validAnnotations(ann *detente.Annotations, bodyLen int) error {
	span := func(what string, i, start, end int) error {
		if start < 0 || end < start || end > bodyLen {
			return fmt.Errorf("%s %d spans [%d, %d), outside the body's %d code points", what, i, start, end, bodyLen)
		}
		return nil
	}
	for i, s := range ann.Sentences {
		if err := span("sentence", i, s.Start, s.End); err != nil {
			return err
		}
	}
	for i, e := range ann.Entities {
		if err := span("entity", i, e.Start, e.End); err != nil {
			return err
		}
		if e.Lat != nil && (math.IsNaN(*e.Lat) || *e.Lat < -90 || *e.Lat > 90) {
			return fmt.Errorf("entity %d has latitude %v", i, *e.Lat)
		}
		if e.Lon != nil && (math.IsNaN(*e.Lon) || *e.Lon < -180 || *e.Lon > 180) {
			return fmt.Errorf("entity %d has longitude %v", i, *e.Lon)
		}
	}
	for i, t := range ann.Times {
		if err := span("time", i, t.Start, t.End); err != nil {
			return err
		}
	}
	for i, q := range ann.Quotes {
		if err := span("quote", i, q.Start, q.End); err != nil {
			return err
		}
	}
	return nil
}

// validEvents normalizes events for storing (events.Normalize) into a new
// slice and checks their offsets are in the body.
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

// writer stores items inside one transaction. Child rows are gathered
// and written by COPY when the batch's articles are in (finish).
type writer struct {
	ctx context.Context
	db  *DB
	tx  pgx.Tx
	now string

	captions, articleTags, bands, entities, mentions [][]any
	// mentionSeen drops a repeated mention (same event, article, sentence
	// and verb), which the SQLite store's INSERT OR IGNORE drops.
	mentionSeen map[mentionKey]bool
	// copyEvents are the copies whose story's mentions they repeat once
	// the batch's own mentions are written.
	copyEvents []copyEvent
	touched    map[int64]bool
	// ord is the input position of the item being stored, nil when the
	// writer stores in input order.
	ord *int64
	// reports are the batch's events, stored by resolveEvents.
	reports []report
}

type mentionKey struct {
	event             int64
	article           string
	sentence, verbPos [2]int
}

type copyEvent struct {
	origSeq            int64
	origID, id, outlet string
}

func newWriter(ctx context.Context, db *DB, tx pgx.Tx) *writer {
	return &writer{ctx: ctx, db: db, tx: tx, now: detente.Now().UTC().Format(time.RFC3339),
		mentionSeen: map[mentionKey]bool{}, touched: map[int64]bool{}}
}

// lock takes the batch's advisory locks, all at once and in key order so
// two writers never wait for each other in a cycle: each article ID (a
// redelivered article stored twice at once is stored once), and with a
// near check each original's exact hash and band keys (two writers
// storing copies of one text take turns, and the second sees the first).
func (w *writer) lock(items []detente.PutItem) error {
	var keys []int64
	for _, it := range items {
		keys = append(keys, lockKey(w.db.lockSpace+"id\x00"+it.Article.ID))
		if w.db.nearCheck == nil || it.Duplicate != nil {
			continue
		}
		if it.Fingerprint.Exact != "" {
			keys = append(keys, lockKey(w.db.lockSpace+"exact\x00"+it.Fingerprint.Exact))
		}
		for _, b := range it.Fingerprint.Bands {
			keys = append(keys, lockKey(fmt.Sprintf("%sband\x00%d", w.db.lockSpace, b)))
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	// unnest yields the sorted keys in order, and each row's lock is
	// taken as the row is produced.
	_, err := w.tx.Exec(w.ctx, "SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) AS k", keys)
	if err != nil {
		return fmt.Errorf("postgres: lock batch: %w", err)
	}
	return nil
}

func (w *writer) put(it detente.PutItem, evs []detente.Event) (detente.PutStatus, error) {
	a := it.Article
	var one int
	switch err := w.tx.QueryRow(w.ctx, `SELECT 1 FROM copies WHERE article_id = $1`, a.ID).Scan(&one); {
	case err == nil:
		return detente.PutExisting, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return 0, fmt.Errorf("postgres: look up %s: %w", a.ID, err)
	}
	dup := it.Duplicate
	if dup == nil && w.db.nearCheck != nil {
		var err error
		if dup, err = w.recheck(it.Fingerprint); err != nil {
			return 0, err
		}
	}
	if dup != nil {
		return w.putCopy(a, it.Fingerprint, dup)
	}
	seq, err := w.putOriginal(a, it.Fingerprint)
	if err != nil {
		return 0, err
	}
	var sentences []detente.Span
	if it.Annotations != nil {
		if err := w.putAnnotations(seq, a.ID, it.Annotations); err != nil {
			return 0, err
		}
		sentences = it.Annotations.Sentences
	}
	if evs != nil {
		info := articleInfo{seq: seq, id: a.ID, outlet: strings.TrimSpace(a.Source),
			docLen: utf8.RuneCountInString(a.Body), sentences: sentences}
		if err := w.putEvents(info, evs); err != nil {
			return 0, err
		}
	}
	return detente.PutNew, nil
}

// recheck looks, under the batch's locks, for a story stored since the
// caller decided this article was an original: one with the same exact
// text, or one near it in both directions (see SetNearCheck).
func (w *writer) recheck(fp detente.Fingerprint) (*detente.Duplicate, error) {
	of, err := exactMatch(w.ctx, w.tx, fp.Exact)
	if err != nil {
		return nil, err
	}
	if of != "" {
		return &detente.Duplicate{Of: of, Kind: detente.CopyExact, Similarity: 1}, nil
	}
	if len(fp.Bands) == 0 || len(fp.Signature) == 0 {
		return nil, nil
	}
	cands, err := nearCandidates(w.ctx, w.tx, fp.Bands)
	if err != nil {
		return nil, err
	}
	var best *detente.Duplicate
	for _, c := range cands {
		ok1, j := w.db.nearCheck(fp.Signature, c.Signature)
		ok2, _ := w.db.nearCheck(c.Signature, fp.Signature)
		if ok1 && ok2 && (best == nil || j > best.Similarity || j == best.Similarity && c.ArticleID < best.Of) {
			best = &detente.Duplicate{Of: c.ArticleID, Kind: detente.CopyNear, Similarity: j}
		}
	}
	return best, nil
}

// putOriginal stores a new story's article and returns its seq.
func (w *writer) putOriginal(a *detente.Article, fp detente.Fingerprint) (int64, error) {
	src := pgText(strings.TrimSpace(a.Source))
	var seq int64
	err := w.tx.QueryRow(w.ctx, `INSERT INTO articles (id, url, source, title, author, published, crawled,
		language, body, text_from, exact_hash, signature, ingested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING seq`,
		pgText(a.ID), pgText(a.URL), src, pgText(a.Title), pgText(a.Author), pgText(a.Published), pgText(a.Crawled),
		pgText(a.Language), pgText(a.Body), pgText(a.TextFrom), fp.Exact, encodeSignature(fp.Signature), w.now).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("postgres: store article %s: %w", a.ID, err)
	}
	if _, err := w.tx.Exec(w.ctx, `INSERT INTO stories (id, created_at) VALUES ($1, $2)`, a.ID, w.now); err != nil {
		return 0, fmt.Errorf("postgres: store story %s: %w", a.ID, err)
	}
	if err := w.insertCopy(a.ID, a.ID, src, a, detente.CopyOriginal, 1, ""); err != nil {
		return 0, err
	}
	if err := w.source(src); err != nil {
		return 0, err
	}
	for i, c := range a.Captions {
		w.captions = append(w.captions, []any{seq, i, pgText(c.Text), pgText(c.Credit)})
	}
	seenTag := map[int64]bool{}
	for i, t := range a.Tags {
		t = pgText(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		id, err := w.tag(t)
		if err != nil {
			return 0, err
		}
		if !seenTag[id] { // the first position of a repeated tag, as INSERT OR IGNORE keeps
			seenTag[id] = true
			w.articleTags = append(w.articleTags, []any{seq, id, i})
		}
	}
	seenBand := map[uint64]bool{}
	for _, b := range fp.Bands {
		if !seenBand[b] {
			seenBand[b] = true
			w.bands = append(w.bands, []any{int64(b), seq})
		}
	}
	return seq, nil
}

func (w *writer) insertCopy(id, story, src string, a *detente.Article, kind string, sim float64, exact string) error {
	if _, err := w.tx.Exec(w.ctx, `INSERT INTO copies (article_id, story_id, source, source_key, url, title,
		published, kind, similarity, exact_hash, ingested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		pgText(id), story, src, asciiLower(src), pgText(a.URL), pgText(a.Title), pgText(a.Published), kind, sim,
		exact, w.now); err != nil {
		return fmt.Errorf("postgres: store copy %s: %w", id, err)
	}
	return nil
}

// tag returns a tag's ID, adding it when new; the first spelling stays.
func (w *writer) tag(name string) (int64, error) {
	var id int64
	err := w.tx.QueryRow(w.ctx, `WITH ins AS (INSERT INTO tags (name, name_key) VALUES ($1, $2)
		ON CONFLICT (name_key) DO NOTHING RETURNING id)
		SELECT id FROM ins UNION ALL SELECT id FROM tags WHERE name_key = $2 LIMIT 1`, name, asciiLower(name)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("postgres: store tag %q: %w", name, err)
	}
	return id, nil
}

func (w *writer) putCopy(a *detente.Article, fp detente.Fingerprint, d *detente.Duplicate) (detente.PutStatus, error) {
	var story, ofKind string
	var ofSim float64
	var origSeq int64
	// FOR SHARE on the original: PutEvents recoding the story waits, so
	// this copy repeats either the old mentions or the new ones, whole.
	err := w.tx.QueryRow(w.ctx, `SELECT c.story_id, c.kind, c.similarity, a.seq FROM copies c
		JOIN articles a ON a.id = c.story_id WHERE c.article_id = $1 FOR SHARE OF a`, d.Of).Scan(&story, &ofKind, &ofSim, &origSeq)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, detente.Errorf(detente.EINVALID, "article %s copies %s, which is not stored", a.ID, d.Of)
	case err != nil:
		return 0, fmt.Errorf("postgres: look up %s: %w", d.Of, err)
	}
	kind, sim, status := detente.CopyNear, clamp01(d.Similarity), detente.PutNearCopy
	if d.Kind == detente.CopyExact {
		kind, sim, status = detente.CopyExact, 1, detente.PutExactCopy
		if ofKind == detente.CopyNear {
			kind, sim, status = detente.CopyNear, ofSim, detente.PutNearCopy
		}
	}
	src := pgText(strings.TrimSpace(a.Source))
	if err := w.insertCopy(a.ID, story, src, a, kind, sim, fp.Exact); err != nil {
		return 0, err
	}
	if err := w.source(src); err != nil {
		return 0, err
	}
	w.copyEvents = append(w.copyEvents, copyEvent{origSeq: origSeq, origID: story, id: pgText(a.ID), outlet: src})
	return status, nil
}

// source registers an outlet; the first spelling seen is kept.
func (w *writer) source(name string) error {
	if name == "" {
		return nil
	}
	if _, err := w.tx.Exec(w.ctx, `INSERT INTO sources (name, name_key, first_seen) VALUES ($1, $2, $3)
		ON CONFLICT (name_key) DO NOTHING`, name, asciiLower(name), w.now); err != nil {
		return fmt.Errorf("postgres: store source %q: %w", name, err)
	}
	return nil
}

// putAnnotations stores an article's annotations: the JSON row now, the
// entity rows with the batch's COPY.
func (w *writer) putAnnotations(seq int64, id string, ann *detente.Annotations) error {
	a := *ann
	if a.Sentences == nil {
		a.Sentences = []detente.Span{}
	}
	if a.Entities == nil {
		a.Entities = []detente.Entity{}
	}
	if a.Acronyms == nil {
		a.Acronyms = []detente.Acronym{}
	}
	if a.Times == nil {
		a.Times = []detente.TimeExpr{}
	}
	if a.Quotes == nil {
		a.Quotes = []detente.Quote{}
	}
	js, err := json.Marshal(&a)
	if err != nil {
		return fmt.Errorf("postgres: annotations of %s: %w", id, err)
	}
	// jsonb refuses \u0000 as text does; the JSON keeps it as the
	// replacement character, one code point for one.
	js = []byte(strings.ReplaceAll(string(js), `\u0000`, `\ufffd`))
	if _, err := w.tx.Exec(w.ctx, `INSERT INTO annotations (article_seq, json, entity_count, time_count,
		quote_count, annotated_at) VALUES ($1, $2, $3, $4, $5, $6)`, seq, string(js), len(a.Entities), len(a.Times),
		len(a.Quotes), w.now); err != nil {
		return fmt.Errorf("postgres: store annotations of %s: %w", id, err)
	}
	// One row per distinct entity, as the SQLite store keeps them (see
	// migration 0003); the JSON keeps every mention.
	type key struct{ name, typ, actor, country string }
	type row struct {
		key
		mentions, first int
	}
	var rows []row
	index := map[key]int{}
	for _, e := range a.Entities {
		k := key{pgText(entityName(e)), pgText(e.Type), pgText(e.Actor), pgText(e.Country)}
		if i, ok := index[k]; ok {
			rows[i].mentions++
			rows[i].first = min(rows[i].first, e.Start)
			continue
		}
		index[k] = len(rows)
		rows = append(rows, row{k, 1, e.Start})
	}
	for i, r := range rows {
		w.entities = append(w.entities, []any{seq, i, r.name, asciiLower(r.name), r.typ, nullable(r.actor),
			nullable(r.country), r.mentions, r.first})
	}
	return nil
}

// nullable is s as a column value, NULL when empty.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// entityName is what search and facets know an entity by: its canonical
// name, else the words of the mention.
func entityName(e detente.Entity) string {
	if c := strings.TrimSpace(e.Canonical); c != "" {
		return c
	}
	return strings.TrimSpace(e.Text)
}

var (
	captionCols    = []string{"article_seq", "pos", "text", "credit"}
	articleTagCols = []string{"article_seq", "tag_id", "pos"}
	bandCols       = []string{"band_key", "article_seq"}
	entityCols     = []string{"article_seq", "pos", "name", "name_key", "type", "actor", "country", "mentions", "first_start"}
)

// flush writes the gathered child rows, one COPY per table.
func (w *writer) flush() error {
	for _, t := range []struct {
		table string
		cols  []string
		rows  *[][]any
	}{
		{"captions", captionCols, &w.captions},
		{"article_tags", articleTagCols, &w.articleTags},
		{"lsh_bands", bandCols, &w.bands},
		{"entities", entityCols, &w.entities},
		{"event_mentions", mentionCols, &w.mentions},
	} {
		if len(*t.rows) == 0 {
			continue
		}
		if _, err := w.tx.CopyFrom(w.ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(*t.rows)); err != nil {
			return fmt.Errorf("postgres: copy into %s: %w", t.table, err)
		}
		*t.rows = (*t.rows)[:0]
	}
	return nil
}

// finish writes what the batch gathered: child rows, copies' mentions,
// then event counts.
func (w *writer) finish() error {
	if err := w.resolveEvents(); err != nil {
		return err
	}
	if err := w.flush(); err != nil {
		return err
	}
	for _, c := range w.copyEvents {
		if err := w.repeatMentions(c); err != nil {
			return err
		}
	}
	return w.recount()
}

func clamp01(x float64) float64 {
	if x != x || x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// encodeSignature stores a MinHash signature as little-endian uint32s, as
// the SQLite store does.
func encodeSignature(sig []uint32) []byte {
	if len(sig) == 0 {
		return nil
	}
	b := make([]byte, 4*len(sig))
	for i, v := range sig {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	return b
}

func decodeSignature(b []byte) []uint32 {
	if len(b) == 0 {
		return nil
	}
	sig := make([]uint32, len(b)/4)
	for i := range sig {
		sig[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return sig
}
