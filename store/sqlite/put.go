package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/detente/detente"
)

// PutArticle stores one article in its own transaction. See PutBatch for
// what storing does; PutArticle is PutBatch of one.
func (db *DB) PutArticle(ctx context.Context, a *detente.Article, fp detente.Fingerprint, dup *detente.Duplicate) (detente.PutStatus, error) {
	st, err := db.PutBatch(ctx, []detente.PutItem{{Article: a, Fingerprint: fp, Duplicate: dup}})
	if err != nil {
		return 0, err
	}
	return st[0], nil
}

// PutBatch stores many articles in one transaction, which is much faster
// than one transaction each and just as safe: the batch is atomic, so a
// crash loses the whole batch or nothing, and a rerun of the same items
// stores what was lost and reports the rest PutExisting.
//
// For each item: an article ID already stored (as original or copy) is
// left alone (PutExisting). Without a Duplicate the article becomes a new
// story with itself as original: its text, captions, tags, fingerprint,
// LSH bands and full-text entry are stored (PutNew), its Annotations
// when it has them (see PutAnnotations), and its Events when it has them,
// merged with stored events (see events.go). With a Duplicate only
// a copies row is added to the story of Duplicate.Of (which may be the
// original or any copy of it, stored earlier or earlier in this batch) and
// the copy's outlet is registered; its body is not stored again
// (PutExactCopy or PutNearCopy), and it becomes a mention of each of its
// story's events. An exact copy of a near copy is recorded
// as a near copy of the original with that copy's similarity. A copy's
// Annotations and Events are ignored: its original's stand. A PutExisting item's
// Annotations are ignored too; PutAnnotations replaces stored ones.
//
// An item that cannot be stored (no ID, unknown Duplicate.Of, unknown
// kind, annotations with impossible spans or coordinates) fails the whole batch with an EINVALID error naming it, and
// nothing of the batch is stored.
func (db *DB) PutBatch(ctx context.Context, items []detente.PutItem) ([]detente.PutStatus, error) {
	if len(items) == 0 {
		return nil, nil
	}
	// Validate first so a bad item costs no write lock.
	evs := make([][]detente.Event, len(items))
	for i, it := range items {
		var err error
		if evs[i], err = validItem(it); err != nil {
			return nil, batchErr(i, items, err)
		}
	}
	if db.st.insertAnnotations == nil {
		for i, it := range items {
			if it.Annotations != nil {
				return nil, batchErr(i, items, fmt.Errorf("sqlite: schema too old to store annotations"))
			}
		}
	}
	if db.est.insertEvent == nil {
		for i, it := range items {
			if it.Events != nil {
				return nil, batchErr(i, items, fmt.Errorf("sqlite: schema too old to store events"))
			}
		}
	}
	// Batches run on one connection kept for the purpose (taken from the
	// pool at the first batch, given back at Close). SQLite empties a
	// connection's page cache when another connection has written since it
	// last read, so a batch on whichever pooled connection was free began
	// with a cold cache (reading again the index pages the previous batch
	// had just written), and the connection that had written the previous
	// batch, when next used for a read, threw away and freed its whole
	// cache, up to 32 MB, page by page. The kept connection keeps its cache
	// from batch to batch; the readers' caches hold only what they read.
	// Its foreign keys are off during the batch (see putBatch) and on
	// otherwise.
	db.writer.mu.Lock()
	defer db.writer.mu.Unlock()
	conn := db.writer.conn
	if conn == nil {
		var err error
		if conn, err = db.db.Conn(ctx); err != nil {
			return nil, fmt.Errorf("sqlite: begin: %w", err)
		}
		// The writer's larger cache (see writerCacheKiB), set back
		// before the connection returns to the pool (drop, Close).
		if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -"+strconv.Itoa(writerCacheKiB)); err != nil {
			conn.Close()
			return nil, fmt.Errorf("sqlite: begin: %w", err)
		}
		db.writer.conn = conn
	}
	// drop gives up the kept connection after a failure that may have left
	// it unusable; the next batch takes another from the pool.
	drop := func() {
		closeRaw(conn, &db.writer.raw)
		releaseWriter(conn)
		db.writer.conn = nil
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		drop()
		return nil, fmt.Errorf("sqlite: begin: %w", err)
	}
	out, err := db.putBatch(ctx, conn, items, evs)
	if _, ferr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); ferr != nil {
		// Never keep, or hand back to the pool, a connection without them.
		// Its statements are closed first, while the connection still runs
		// them.
		closeRaw(conn, &db.writer.raw)
		conn.Raw(func(any) error { return driver.ErrBadConn })
		drop()
	}
	return out, err
}

// releaseWriter hands the kept connection back to the pool with a
// reader's page cache, or discards it when that cannot be set.
func releaseWriter(conn *sql.Conn) {
	if _, err := conn.ExecContext(context.Background(), "PRAGMA cache_size = -"+strconv.Itoa(cacheKiB)); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	conn.Close()
}

// putBatch is PutBatch's transaction on conn, whose foreign keys are off.
//
// Why off: a statement that writes many rows (a multi-row insert) into a
// table with an immediate foreign key makes SQLite keep a statement
// journal, a copy of every page the statement changes, so that a failed
// check can undo the statement alone; the entity rows, spread over three
// indexes, made that copy 10% of storing an article. The writer inserts
// only rows whose parents it has just inserted or looked up in the same
// transaction (see put, putOriginal, putCopy, event), and deletes only
// events left without mentions (recount), so the keys hold by
// construction, as the tests check with PRAGMA foreign_key_check; every
// other write keeps the checks and the cascades. The inserts say OR FAIL
// or OR IGNORE so that no other constraint needs the journal either: any
// failure fails the whole batch, which rolls back.
func (db *DB) putBatch(ctx context.Context, conn *sql.Conn, items []detente.PutItem, evs [][]detente.Event) ([]detente.PutStatus, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin: %w", err)
	}
	defer tx.Rollback() // no-op after Commit
	// The statements run without ctx's cancellation: with it, the driver
	// starts a goroutine to watch ctx for each of the few thousand
	// statements of a batch (3% of its time). Cancelling ctx still stops
	// the batch: the loop below checks it between articles, and database/sql
	// rolls the transaction back when ctx is done.
	w := writer{ctx: context.WithoutCancel(ctx), tx: tx, st: &db.st, est: &db.est, now: detente.Now().UTC().Format(time.RFC3339),
		deferRows: true, conn: conn, raw: &db.writer.raw}
	out := make([]detente.PutStatus, len(items))
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s, err := w.put(it, evs[i])
		if err != nil {
			return nil, batchErr(i, items, err)
		}
		out[i] = s
	}
	if err := w.flushRows(); err != nil {
		return nil, err
	}
	if w.firstSeq > 0 {
		// Index the batch's new articles in one statement (see the schema
		// for why not a trigger). Holding the write lock, every row with
		// seq >= firstSeq was inserted by this transaction.
		if err := db.indexNew(&w); err != nil {
			return nil, fmt.Errorf("sqlite: index articles: %w", err)
		}
	}
	if err := w.recount(); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlite: commit: %w", err)
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
		bodyLen = runeLen(a.Body)
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

// writer stores items inside one transaction.
type writer struct {
	ctx context.Context
	tx  *sql.Tx
	st  *statements
	now string
	// firstSeq is the seq of the first article this transaction inserted,
	// 0 before it inserts one.
	firstSeq int64
	est      *eventStatements
	// touched are the events whose mentions this transaction changed,
	// recounted before it commits.
	touched map[int64]bool
	// bound holds each statement bound to tx once: Tx.StmtContext makes a
	// new handle on every call, which a batch of articles with dozens of
	// entities each would otherwise do thousands of times.
	bound map[*sql.Stmt]*sql.Stmt
	// conn is PutBatch's kept connection, whose statements raw holds (see
	// rawExec); nil in other writes, whose statements are txStmts.
	conn    *sql.Conn
	raw     *rawStmts
	nv      []driver.NamedValue
	txStmts map[string]*sql.Stmt
	// Scratch space reused from one article to the next.
	entityBuf   []distinctEntity
	entityIndex map[entityKey]int
	argBuf      []any
	eventArgs   []any  // one event's values
	nowBox      any    // nowArg
	jsonBuf     []byte // an article's annotation JSON
	// bandRows (always) and, with deferRows, entityRows are the band and
	// entity rows of the batch's new articles, left by putOriginal and
	// putAnnotations for flushRows to insert in key order.
	deferRows  bool
	bandRows   [][2]int64
	entityRows []pendingEntity
}

// nowArg is w.now as a statement argument, boxed once.
func (w *writer) nowArg() any {
	if w.nowBox == nil {
		w.nowBox = w.now
	}
	return w.nowBox
}

// stmt returns s bound to the writer's transaction.
func (w *writer) stmt(s *sql.Stmt) *sql.Stmt {
	if b, ok := w.bound[s]; ok {
		return b
	}
	if w.bound == nil {
		w.bound = make(map[*sql.Stmt]*sql.Stmt)
	}
	b := w.tx.StmtContext(w.ctx, s)
	w.bound[s] = b
	return b
}

func (w *writer) exec(s *sql.Stmt, args ...any) (sql.Result, error) {
	return w.stmt(s).ExecContext(w.ctx, args...)
}

func (w *writer) queryRow(s *sql.Stmt, args ...any) *sql.Row {
	return w.stmt(s).QueryRowContext(w.ctx, args...)
}

func (w *writer) put(it detente.PutItem, evs []detente.Event) (detente.PutStatus, error) {
	a := it.Article
	var one int
	switch err := w.queryRow(w.st.hasCopy, a.ID).Scan(&one); {
	case err == nil:
		return detente.PutExisting, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("sqlite: look up %s: %w", a.ID, err)
	}
	if it.Duplicate != nil {
		// A copy's annotations are its original's: nothing to store.
		return w.putCopy(a, it.Fingerprint, it.Duplicate)
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
		info := articleInfo{seq: seq, id: a.ID, outlet: strings.TrimSpace(a.Source), docLen: runeLen(a.Body), sentences: sentences}
		if err := w.putEvents(info, evs); err != nil {
			return 0, err
		}
	}
	return detente.PutNew, nil
}

// putOriginal stores a new story's article and returns its seq.
func (w *writer) putOriginal(a *detente.Article, fp detente.Fingerprint) (int64, error) {
	src := strings.TrimSpace(a.Source)
	res, err := w.exec(w.st.insertArticle, a.ID, a.URL, src, a.Title, a.Author,
		a.Published, a.Crawled, a.Language, a.Body, a.TextFrom, fp.Exact,
		encodeSignature(fp.Signature), w.now)
	if err != nil {
		return 0, fmt.Errorf("sqlite: store article %s: %w", a.ID, err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("sqlite: store article %s: %w", a.ID, err)
	}
	if w.firstSeq == 0 {
		w.firstSeq = seq
	}
	if _, err := w.exec(w.st.insertStory, a.ID, w.now); err != nil {
		return 0, fmt.Errorf("sqlite: store story %s: %w", a.ID, err)
	}
	if _, err := w.exec(w.st.insertCopy, a.ID, a.ID, src, a.URL, a.Title, a.Published,
		detente.CopyOriginal, 1.0, "", w.now); err != nil {
		return 0, fmt.Errorf("sqlite: store copy %s: %w", a.ID, err)
	}
	if err := w.source(src); err != nil {
		return 0, err
	}
	for i, c := range a.Captions {
		if _, err := w.exec(w.st.insertCaption, seq, i, c.Text, c.Credit); err != nil {
			return 0, fmt.Errorf("sqlite: store caption of %s: %w", a.ID, err)
		}
	}
	for i, t := range a.Tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if _, err := w.exec(w.st.insertTag, t); err != nil {
			return 0, fmt.Errorf("sqlite: store tag %q: %w", t, err)
		}
		var tagID int64
		if err := w.queryRow(w.st.tagID, t).Scan(&tagID); err != nil {
			return 0, fmt.Errorf("sqlite: store tag %q: %w", t, err)
		}
		if _, err := w.exec(w.st.insertArticleTag, seq, tagID, i); err != nil {
			return 0, fmt.Errorf("sqlite: tag %s: %w", a.ID, err)
		}
	}
	// Inserted with the batch's other bands by flushRows.
	for _, b := range fp.Bands {
		w.bandRows = append(w.bandRows, [2]int64{int64(b), seq})
	}
	return seq, nil
}

func (w *writer) putCopy(a *detente.Article, fp detente.Fingerprint, d *detente.Duplicate) (detente.PutStatus, error) {
	var story, ofKind string
	var ofSim float64
	switch err := w.queryRow(w.st.copyInfo, d.Of).Scan(&story, &ofKind, &ofSim); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, detente.Errorf(detente.EINVALID, "article %s copies %s, which is not stored", a.ID, d.Of)
	case err != nil:
		return 0, fmt.Errorf("sqlite: look up %s: %w", d.Of, err)
	}
	kind, sim, status := detente.CopyNear, clamp01(d.Similarity), detente.PutNearCopy
	if d.Kind == detente.CopyExact {
		kind, sim, status = detente.CopyExact, 1, detente.PutExactCopy
		if ofKind == detente.CopyNear {
			// Same text as a near copy: as near to the original as it is.
			kind, sim, status = detente.CopyNear, ofSim, detente.PutNearCopy
		}
	}
	src := strings.TrimSpace(a.Source)
	if _, err := w.exec(w.st.insertCopy, a.ID, story, src, a.URL, a.Title, a.Published,
		kind, sim, fp.Exact, w.now); err != nil {
		return 0, fmt.Errorf("sqlite: store copy %s: %w", a.ID, err)
	}
	if err := w.source(src); err != nil {
		return 0, err
	}
	if w.est.copyMentions != nil {
		var origSeq int64
		if err := w.queryRow(w.st.storySeq, story).Scan(&origSeq); err != nil {
			return 0, fmt.Errorf("sqlite: look up story %s: %w", story, err)
		}
		if err := w.copyEvents(origSeq, story, a.ID, src); err != nil {
			return 0, err
		}
	}
	return status, nil
}

// source registers an outlet; the first spelling seen is kept.
func (w *writer) source(name string) error {
	if name == "" {
		return nil
	}
	if _, err := w.exec(w.st.insertSource, name, w.now); err != nil {
		return fmt.Errorf("sqlite: store source %q: %w", name, err)
	}
	return nil
}

func clamp01(x float64) float64 {
	if x != x || x < 0 { // NaN or negative
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// encodeSignature stores a MinHash signature as little-endian uint32s.
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
