package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/detente/detente"
)

// validAnnotations checks what the store relies on: spans inside the body
// (bodyLen code points) and finite coordinates on the globe, which JSON
// and the web map need. It catches byte offsets mistaken for code points
// before they are stored.
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

// entityName is what search and facets know an entity by: its canonical
// name, else the words of the mention.
func entityName(e detente.Entity) string {
	if c := strings.TrimSpace(e.Canonical); c != "" {
		return c
	}
	return strings.TrimSpace(e.Text)
}

// putAnnotations stores an article's annotations, all in the writer's
// transaction: the JSON, which keeps every mention, and one entities row
// per distinct entity (see migration 0008) for search and facets.
func (w *writer) putAnnotations(seq int64, id string, ann *detente.Annotations) error {
	// Empty lists, not null, for JSON readers.
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
	js, err := appendAnnotations(w.jsonBuf[:0], &a)
	if err != nil {
		return fmt.Errorf("sqlite: annotations of %s: %w", id, err)
	}
	w.jsonBuf = js
	// The text is bound as a string over the reused buffer, not copied:
	// the driver copies it into SQLite's memory when it binds it, and
	// nothing keeps it once the statement has run.
	if _, err := w.exec(w.st.insertAnnotations, seq, unsafe.String(unsafe.SliceData(js), len(js)), len(a.Entities), len(a.Times),
		len(a.Quotes), w.now); err != nil {
		return fmt.Errorf("sqlite: store annotations of %s: %w", id, err)
	}
	if w.entityIndex == nil {
		w.entityIndex = map[entityKey]int{}
	}
	ents := distinctEntities(a.Entities, w.entityBuf[:0], w.entityIndex)
	w.entityBuf = ents
	if w.deferRows {
		for i, e := range ents {
			w.entityRows = append(w.entityRows, pendingEntity{key: noCaseKey(e.name), seq: seq, pos: i, distinctEntity: e})
		}
		return nil
	}
	args := w.argBuf[:0]
	for i, e := range ents {
		args = append(args, seq, i, e.name, e.typ, nullable(e.actor), nullable(e.country), e.mentions, e.firstStart)
	}
	w.argBuf = args
	if err := w.insertRows(w.st.entities, args); err != nil {
		return fmt.Errorf("sqlite: store entities of %s: %w", id, err)
	}
	clear(args) // let the batch's strings go
	return nil
}

// pendingEntity is an entities row whose insert PutBatch defers to the end of
// its transaction.
type pendingEntity struct {
	// key is the name's noCaseKey, which settles most comparisons of the
	// batch's sort without reading the name.
	key uint64
	seq int64
	pos int
	distinctEntity
}

// noCaseKey packs the first eight bytes of s, ASCII letters folded to
// lower case, big-endian and padded with zero bytes: two keys that differ
// compare as compareNoCase compares their strings (a string that ends
// sorts before any longer one, whose next byte is at least zero), and
// equal keys leave the order to compareNoCase.
func noCaseKey(s string) uint64 {
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(s) {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			k |= uint64(c)
		}
	}
	return k
}

// rowKey is an entity row's noCaseKey and its position in the batch's rows.
type rowKey struct {
	key uint64
	i   int32
}

// compareNoCase orders strings as SQLite's NOCASE collation does: bytes,
// with ASCII letters folded to lower case.
func compareNoCase(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return int(x) - int(y)
		}
	}
	return len(a) - len(b)
}

// flushRows inserts the band and entity rows the batch deferred, each
// table's in the order of its largest random-access index: bands by key,
// entities by name. Inserted article by article, each batch's rows landed
// all over those indexes, so a batch dirtied most of their pages in an
// order that, once the indexes outgrow the page cache, wrote pages to the
// WAL, evicted them and read them back again and again within the one
// transaction; in key order each page is visited once.
func (w *writer) flushRows() error {
	if len(w.bandRows) > 0 {
		slices.SortFunc(w.bandRows, func(a, b [2]int64) int {
			if c := cmp.Compare(a[0], b[0]); c != 0 {
				return c
			}
			return cmp.Compare(a[1], b[1])
		})
		args := w.argBuf[:0]
		for _, r := range w.bandRows {
			args = append(args, r[0], r[1])
		}
		w.argBuf = args
		if err := w.insertRows(w.st.bands, args); err != nil {
			return fmt.Errorf("sqlite: store bands: %w", err)
		}
		clear(args)
		w.bandRows = w.bandRows[:0]
	}
	if len(w.entityRows) > 0 {
		// Sorted as (key, position) pairs rather than the rows themselves:
		// a comparison copies no row, and most are settled by the keys in
		// the pairs' small array, without reading names spread over the
		// batch's annotations (cache misses, most of the sort's time).
		order := make([]rowKey, len(w.entityRows))
		for i := range order {
			order[i] = rowKey{w.entityRows[i].key, int32(i)}
		}
		slices.SortFunc(order, func(x, y rowKey) int {
			if x.key != y.key {
				return cmp.Compare(x.key, y.key)
			}
			a, b := &w.entityRows[x.i], &w.entityRows[y.i]
			if c := compareNoCase(a.name, b.name); c != 0 {
				return c
			}
			if c := cmp.Compare(a.seq, b.seq); c != 0 {
				return c
			}
			return cmp.Compare(a.pos, b.pos)
		})
		args := w.argBuf[:0]
		for _, o := range order {
			e := &w.entityRows[o.i]
			args = append(args, e.seq, int64(e.pos), e.name, e.typ, nullable(e.actor), nullable(e.country),
				int64(e.mentions), int64(e.firstStart))
		}
		w.argBuf = args
		if err := w.insertRows(w.st.entities, args); err != nil {
			return fmt.Errorf("sqlite: store entities: %w", err)
		}
		clear(args)
		clear(w.entityRows)
		w.entityRows = w.entityRows[:0]
	}
	return nil
}

// distinctEntity is one entities row: a distinct (name, type, actor,
// country) of an article, its mentions counted.
type distinctEntity struct {
	entityKey
	mentions, firstStart int
}

type entityKey struct{ name, typ, actor, country string }

// distinctEntities groups mentions into rows (appended to buf) in the
// order of each one's first mention; names compare with case, as
// migration 0008 groups them. index is scratch space, cleared first.
func distinctEntities(mentions []detente.Entity, buf []distinctEntity, index map[entityKey]int) []distinctEntity {
	clear(index)
	out := buf
	for _, m := range mentions {
		k := entityKey{entityName(m), m.Type, m.Actor, m.Country}
		if i, ok := index[k]; ok {
			out[i].mentions++
			out[i].firstStart = min(out[i].firstStart, m.Start)
			continue
		}
		index[k] = len(out)
		out = append(out, distinctEntity{entityKey: k, mentions: 1, firstStart: m.Start})
	}
	return out
}

// nullable is s as a statement argument, NULL when empty.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// originalSeq resolves an article or copy ID to its story's original
// article: its seq and body length in code points. ENOTFOUND when the ID
// is unknown.
func originalSeq(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (seq int64, bodyLen int, err error) {
	// The body is counted here rather than by SQLite's length(), which
	// stops at a NUL.
	var body string
	err = q.QueryRowContext(ctx, `SELECT a.seq, a.body FROM copies c JOIN articles a ON a.id = c.story_id
		WHERE c.article_id = ?`, id).Scan(&seq, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, detente.Errorf(detente.ENOTFOUND, "no article %q", id)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("sqlite: look up %s: %w", id, err)
	}
	return seq, runeLen(body), nil
}

// PutAnnotations replaces the annotations of a stored article (given by
// its ID or any copy's), for annotating a store after the fact or again
// with a better annotator; nil removes them. Offsets are into the
// original's body. It returns ENOTFOUND for an unknown ID and EINVALID
// for annotations PutBatch would refuse.
func (db *DB) PutAnnotations(ctx context.Context, articleID string, ann *detente.Annotations) error {
	if db.st.insertAnnotations == nil {
		return fmt.Errorf("sqlite: schema too old to store annotations")
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
	if ann != nil {
		if err := validAnnotations(ann, bodyLen); err != nil {
			return detente.Errorf(detente.EINVALID, "article %s: %s", articleID, err)
		}
	}
	for _, table := range []string{"annotations", "entities"} {
		// table is one of the names above, never input.
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE article_seq = ?", seq); err != nil {
			return fmt.Errorf("sqlite: remove annotations of %s: %w", articleID, err)
		}
	}
	if ann != nil {
		w := writer{ctx: ctx, tx: tx, st: &db.st, now: detente.Now().UTC().Format(time.RFC3339)}
		if err := w.putAnnotations(seq, articleID, ann); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// Annotations returns the stored annotations of an article, or of the
// original when the ID is a copy's (offsets are into the original's body,
// as Article returns it). It returns nil without error for an article
// stored without annotations and ENOTFOUND for an unknown ID.
func (db *DB) Annotations(ctx context.Context, articleID string) (*detente.Annotations, error) {
	var js sql.NullString
	err := db.db.QueryRowContext(ctx, `
		SELECT an.json FROM copies c
		JOIN articles a ON a.id = c.story_id
		LEFT JOIN annotations an ON an.article_seq = a.seq
		WHERE c.article_id = ?`, articleID).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, detente.Errorf(detente.ENOTFOUND, "no article %q", articleID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: read annotations of %s: %w", articleID, err)
	}
	if !js.Valid {
		return nil, nil
	}
	ann, err := unpackAnnotations([]byte(js.String))
	if err != nil {
		return nil, fmt.Errorf("sqlite: read annotations of %s: %w", articleID, err)
	}
	return ann, nil
}

// Entities returns the entity mentions of an article (or of its original,
// for a copy's ID) in body order as annotated, read from its annotations;
// empty when it was not annotated, ENOTFOUND when the ID is unknown.
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

// MaxFacet caps TopEntities.
const MaxFacet = 1000

// TopEntities returns the n entities mentioned by the most articles among
// the filter's best detente.FacetMatches matches, in Search's order (its
// Limit and Offset are ignored), then by mentions, then by name. Counting
// over the best matches rather than all of them keeps a facet's cost
// bounded on a store of any size (counting the 1,000 best took a second
// on a loaded machine); without a query it counts the newest published
// matches. Types, when given, keep
// only entities of those types (detente.EntityPerson, …). Names compare
// ASCII case-insensitively, as in Search.
func (db *DB) TopEntities(ctx context.Context, f detente.SearchFilter, n int, types ...string) ([]detente.EntityCount, error) {
	if n <= 0 {
		n = DefaultLimit
	}
	n = min(n, MaxFacet)
	q, err := compileFilter(f)
	if err != nil {
		return nil, err
	}
	out := []detente.EntityCount{}
	if q.none {
		return out, nil
	}
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer tx.Rollback()
	best, err := db.bestMatches(ctx, tx, q)
	if err != nil || len(best) == 0 {
		return out, err
	}
	seqs := make([]int64, len(best))
	for i, b := range best {
		seqs[i] = b.seq
	}
	list, _ := json.Marshal(seqs)
	args := []any{string(list)}
	// Each best match's entities are read by the primary key.
	where := []string{"e.article_seq IN (SELECT value FROM json_each(?1))"}
	if len(types) > 0 {
		ps := make([]string, len(types))
		for i, t := range types {
			args = append(args, t)
			ps[i] = "?" + strconv.Itoa(len(args))
		}
		where = append(where, "e.type IN ("+strings.Join(ps, ", ")+")")
	}
	where = append(where, "e.name <> ''")
	// A row is a distinct entity of an article (see migration 0008): its
	// mentions are summed; actor and country are NULL when it has none.
	query := `SELECT e.name, max(e.type), coalesce(max(e.actor), ''), coalesce(max(e.country), ''),
		count(DISTINCT e.article_seq), sum(e.mentions)
		FROM entities e WHERE ` + strings.Join(where, " AND ") + `
		GROUP BY e.name ORDER BY 5 DESC, 6 DESC, e.name LIMIT ` + strconv.Itoa(n)
	err = scanAll(ctx, tx, query, args, func(r *sql.Rows) error {
		var c detente.EntityCount
		err := r.Scan(&c.Name, &c.Type, &c.Actor, &c.Country, &c.Articles, &c.Mentions)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// runeLen is the length of s in code points, the unit of every offset.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
