package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
)

// ListMentions is how many mentions (the earliest stored) each event
// Events returns carries; Event and EachEvent give all of them.
const ListMentions = 3

// highest sorts after every actor or event code: "X*" matches the codes
// from "X" up to "X" + highest.
const highest = "\U0010FFFF"

// eventQuery is an EventFilter as SQL over events (alias e).
type eventQuery struct {
	where []string
	args  []any
	order string
}

func (q *eventQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "?" + strconv.Itoa(len(q.args))
}

func (q *eventQuery) whereSQL() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// codeCond matches col against a code, exact or a prefix ending in "*"
// ("" when the code matches everything). Prefixes are ranges, so the
// column's index serves them.
func (q *eventQuery) codeCond(col, code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	p, prefix := strings.CutSuffix(code, "*")
	if !prefix {
		return col + " = " + q.arg(code)
	}
	if p == "" {
		return ""
	}
	return "(" + col + " >= " + q.arg(p) + " AND " + col + " < " + q.arg(p+highest) + ")"
}

// Three event indexes are partial (migration 0011): events_target,
// events_plover and events_country hold only the events whose column is
// not empty (a third, a fifth and most of the events have none). SQLite
// uses a partial index only for a query whose WHERE carries the index's
// own condition as a term, ANDed in, so every condition that already
// excludes the empty value and wants that index carries the term too: it
// changes no result. A condition that matches the empty value (a code of
// spaces) does not, and is served by another index or the table.

// targetCond is codeCond on e.target, with the term that lets
// events_target serve it when it excludes the empty target.
func (q *eventQuery) targetCond(code string) string {
	c := q.codeCond("e.target", code)
	if c == "" || strings.TrimSpace(code) == "" {
		return c
	}
	return "(" + c + " AND e.target <> '')"
}

func and(conds ...string) string {
	var cs []string
	for _, c := range conds {
		if c != "" {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return "1"
	}
	return "(" + strings.Join(cs, " AND ") + ")"
}

// sortColumns are the columns EventFilter.Sort may name.
var sortColumns = map[string]string{
	"date": "e.date", "mentions": "e.num_mentions", "goldstein": "e.goldstein", "first_seen": "e.first_seen",
}

// compileEvents turns a filter's conditions and order into SQL. User input
// only ever reaches SQLite as bound parameters.
func compileEvents(f detente.EventFilter) (*eventQuery, error) {
	q := &eventQuery{}
	for _, d := range []string{f.From, f.To} {
		if d != "" && !datePrefix.MatchString(d) {
			return nil, detente.Errorf(detente.EINVALID, "date %q is not YYYY-MM-DD", d)
		}
	}
	if f.Source != "" {
		if c := q.codeCond("e.source", f.Source); c != "" {
			q.where = append(q.where, c)
		}
	}
	if f.Target != "" {
		if c := q.targetCond(f.Target); c != "" {
			q.where = append(q.where, c)
		}
	}
	if a, b := strings.TrimSpace(f.Between[0]), strings.TrimSpace(f.Between[1]); a != "" || b != "" {
		if a == "" || b == "" {
			return nil, detente.Errorf(detente.EINVALID, "a dyad needs two actors, got %q and %q", a, b)
		}
		q.where = append(q.where, "("+and(q.codeCond("e.source", a), q.targetCond(b))+
			" OR "+and(q.codeCond("e.source", b), q.targetCond(a))+")")
	}
	if code := strings.TrimSpace(f.Code); code != "" {
		p, prefix := strings.CutSuffix(code, "*")
		if !prefix && !cameo.Valid(code) {
			return nil, detente.Errorf(detente.EINVALID, "%q is not a CAMEO event code", code)
		}
		// The root narrows by its index before the code or range does
		// (no index leads with the code).
		if prefix && len(p) >= 2 {
			q.where = append(q.where, "e.root = "+q.arg(p[:2]))
		} else if !prefix {
			q.where = append(q.where, "e.root = "+q.arg(cameo.Root(code)))
		}
		if c := q.codeCond("e.cameo", code); c != "" {
			q.where = append(q.where, c)
		}
	}
	if r := strings.TrimSpace(f.Root); r != "" {
		q.where = append(q.where, "e.root = "+q.arg(r))
	}
	if id := strings.TrimSpace(f.ArticleID); id != "" {
		// The story's original's seq leads the mentions' index: a copy's
		// mentions are filed under its story's original article.
		a := q.arg(id)
		q.where = append(q.where, "e.seq IN (SELECT event_seq FROM event_mentions WHERE article_id = "+a+
			" AND article_seq = (SELECT a.seq FROM copies c JOIN articles a ON a.id = c.story_id WHERE c.article_id = "+a+"))")
	}
	if p := strings.TrimSpace(f.PLOVER); p != "" {
		if n, ok := cameo.NormalizePloverType(p); ok {
			p = n
		}
		// p is not empty: the term lets events_plover serve the filter.
		q.where = append(q.where, "e.plover = "+q.arg(strings.ToUpper(p))+" AND e.plover <> ''")
	}
	if f.Quad != 0 {
		if f.Quad < 1 || f.Quad > 4 {
			return nil, detente.Errorf(detente.EINVALID, "quad class %d is not 1 … 4", f.Quad)
		}
		q.where = append(q.where, "e.quad = "+q.arg(f.Quad))
	}
	if f.From != "" {
		q.where = append(q.where, "e.date >= "+q.arg(f.From))
	}
	if f.To != "" {
		// "2024-05" + highest is after every day of May 2024.
		q.where = append(q.where, "e.date <> '' AND e.date < "+q.arg(f.To+highest))
	}
	if c := strings.ToUpper(strings.TrimSpace(f.Country)); c != "" {
		q.where = append(q.where, "("+q.codeCond("e.source", c+"*")+" OR "+q.targetCond(c+"*")+
			" OR (e.loc_country = "+q.arg(c)+" AND e.loc_country <> ''))")
	}
	s := strings.TrimSpace(f.Sort)
	if s == "" {
		s = "-date"
	}
	dir := "ASC"
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		s, dir = rest, "DESC"
	}
	col, ok := sortColumns[s]
	if !ok {
		return nil, detente.Errorf(detente.EINVALID, "cannot sort events by %q (date, mentions, goldstein, first_seen; - for descending)", f.Sort)
	}
	q.order = " ORDER BY " + col + " " + dir + ", e.seq " + dir
	return q, nil
}

// eventColumns are what scanEvent reads, in order.
const eventColumns = `e.seq, e.id, e.source, e.target, e.cameo, e.base, e.root, e.quad, e.goldstein, e.plover,
	e.mode, e.negated, e.date, e.loc_name, e.loc_country, e.loc_lat, e.loc_lon,
	e.num_mentions, e.num_sources, e.num_articles, e.first_seen`

func scanEvent(r interface{ Scan(...any) error }, extra ...any) (*detente.StoredEvent, error) {
	var se detente.StoredEvent
	e := &se.Event
	var locName, locCountry string
	var lat, lon sql.NullFloat64
	dest := []any{&se.Seq, &e.ID, &e.Source, &e.Target, &e.CAMEO, &e.Base, &e.Root, &e.Quad, &e.Goldstein,
		&e.PLOVER, &e.Mode, &e.Negated, &e.Date, &locName, &locCountry, &lat, &lon,
		&e.NumMentions, &e.NumSources, &e.NumArticles, &se.FirstSeen}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if locName != "" || locCountry != "" || lat.Valid {
		e.Location = &detente.Location{Name: locName, Country: locCountry, Lat: lat.Float64, Lon: lon.Float64}
	}
	e.Mentions = []detente.EventMention{}
	return &se, nil
}

// mentionColumns are what scanMention reads, in order (m: event_mentions,
// c: the reporting article's copies row).
const mentionColumns = `m.event_seq, m.article_id, m.sentence_start, m.sentence_end, m.source_start, m.source_end,
	m.target_start, m.target_end, m.verb_start, m.verb_end, m.root_event, m.confidence, m.explanation,
	m.outlet, ifnull(c.url, ''), ifnull(c.title, ''), ifnull(c.published, ''), m.added_at, m.sentence_no, m.doc_len`

// mentionOrder lists an event's mentions in the order their articles were
// stored (copies.seq), the first report first, then by position.
const mentionOrder = `ifnull(c.seq, 0), m.sentence_start, m.verb_start`

func scanMention(r interface{ Scan(...any) error }) (int64, detente.EventReport, error) {
	var seq int64
	var m detente.EventReport
	err := r.Scan(&seq, &m.ArticleID, &m.Sentence.Start, &m.Sentence.End, &m.SourceSpan.Start, &m.SourceSpan.End,
		&m.TargetSpan.Start, &m.TargetSpan.End, &m.VerbSpan.Start, &m.VerbSpan.End, &m.RootEvent, &m.Confidence,
		&m.Explanation, &m.Outlet, &m.URL, &m.Title, &m.Published, &m.AddedAt, &m.SentenceNo, &m.DocLen)
	return seq, m, err
}

// Events returns one page of the events the filter matches, each with its
// first ListMentions mentions, and how many match in all. Limit defaults
// to DefaultLimit and is capped at MaxLimit.
func (db *DB) Events(ctx context.Context, f detente.EventFilter) ([]detente.Event, int, error) {
	q, err := compileEvents(f)
	if err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM events e"+q.whereSQL(), q.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: count events: %w", err)
	}
	out := []detente.Event{}
	if total == 0 {
		return out, 0, nil
	}
	query := "SELECT " + eventColumns + " FROM events e" + q.whereSQL() + q.order +
		" LIMIT " + q.arg(limit) + " OFFSET " + q.arg(max(f.Offset, 0))
	bySeq := map[int64]int{}
	var seqs []any
	err = scanAll(ctx, tx, query, q.args, func(r *sql.Rows) error {
		se, err := scanEvent(r)
		if err != nil {
			return err
		}
		bySeq[se.Seq] = len(out)
		seqs = append(seqs, se.Seq)
		out = append(out, se.Event)
		return nil
	})
	if err != nil || len(seqs) == 0 {
		return out, total, err
	}
	err = scanAll(ctx, tx, `SELECT * FROM (SELECT `+mentionColumns+`,
			row_number() OVER (PARTITION BY m.event_seq ORDER BY `+mentionOrder+`) AS n
		FROM event_mentions m LEFT JOIN copies c ON c.article_id = m.article_id
		WHERE m.event_seq IN (`+placeholders(len(seqs))+`)) WHERE n <= `+strconv.Itoa(ListMentions)+` ORDER BY event_seq, n`,
		seqs, func(r *sql.Rows) error {
			var n int
			var seq int64
			var m detente.EventReport
			err := r.Scan(&seq, &m.ArticleID, &m.Sentence.Start, &m.Sentence.End, &m.SourceSpan.Start, &m.SourceSpan.End,
				&m.TargetSpan.Start, &m.TargetSpan.End, &m.VerbSpan.Start, &m.VerbSpan.End, &m.RootEvent, &m.Confidence,
				&m.Explanation, &m.Outlet, &m.URL, &m.Title, &m.Published, &m.AddedAt, &m.SentenceNo, &m.DocLen, &n)
			if i, ok := bySeq[seq]; ok && err == nil {
				out[i].Mentions = append(out[i].Mentions, m.EventMention)
			}
			return err
		})
	return out, total, err
}

// Event returns a stored event, by its ID or its numeric GDELT ID, with
// all of its mentions (the first report first); ENOTFOUND when there is
// none.
func (db *DB) Event(ctx context.Context, id string) (*detente.StoredEvent, error) {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer tx.Rollback()
	cond, arg := "e.id = ?", any(id)
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		cond, arg = "e.seq = ?", n
	}
	se, err := scanEvent(tx.QueryRowContext(ctx, "SELECT "+eventColumns+" FROM events e WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, detente.Errorf(detente.ENOTFOUND, "no event %q", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: read event %s: %w", id, err)
	}
	if err := readMentions(ctx, tx, se); err != nil {
		return nil, err
	}
	return se, nil
}

// readMentions fills an event's mentions and reports.
func readMentions(ctx context.Context, tx *sql.Tx, se *detente.StoredEvent) error {
	se.Reports = se.Reports[:0]
	se.Event.Mentions = se.Event.Mentions[:0]
	err := scanAll(ctx, tx, `SELECT `+mentionColumns+` FROM event_mentions m
		LEFT JOIN copies c ON c.article_id = m.article_id WHERE m.event_seq = ? ORDER BY `+mentionOrder,
		[]any{se.Seq}, func(r *sql.Rows) error {
			_, m, err := scanMention(r)
			se.Reports = append(se.Reports, m)
			se.Event.Mentions = append(se.Event.Mentions, m.EventMention)
			return err
		})
	if err == nil && len(se.Reports) > 0 {
		se.SourceURL = se.Reports[0].URL
	}
	return err
}

// EachEvent calls fn for every event the filter matches, in its order,
// reading them one at a time from one snapshot, for exports of any size.
// Limit 0 means no limit. With mentions, each event comes with all of its
// mentions and reports. fn must not write to the store: the snapshot is
// held until EachEvent returns.
func (db *DB) EachEvent(ctx context.Context, f detente.EventFilter, mentions bool, fn func(*detente.StoredEvent) error) error {
	q, err := compileEvents(f)
	if err != nil {
		return err
	}
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer tx.Rollback()
	page := ""
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = -1 // SQLite: no limit
		}
		page = " LIMIT " + q.arg(limit) + " OFFSET " + q.arg(max(f.Offset, 0))
	}
	if !mentions {
		// The first report's URL, looked up per event.
		query := "SELECT " + eventColumns + `, ifnull((SELECT c.url FROM event_mentions m
			LEFT JOIN copies c ON c.article_id = m.article_id WHERE m.event_seq = e.seq
			ORDER BY ` + mentionOrder + ` LIMIT 1), '') FROM events e` + q.whereSQL() + q.order + page
		return scanAll(ctx, tx, query, q.args, func(r *sql.Rows) error {
			var url string
			se, err := scanEvent(r, &url)
			if err != nil {
				return err
			}
			se.SourceURL = url
			return fn(se)
		})
	}
	// Events and their mentions in one query, one row per mention, in
	// the events' order: one sort, where a query per event cost 28 µs
	// each (2.5 s for 90,000 events).
	own := ""
	if id := strings.TrimSpace(f.ArticleID); f.OwnMentions && id != "" {
		own = " AND m.article_id = " + q.arg(id)
	}
	query := "SELECT " + eventColumns + ", " + mentionColumns + `
		FROM (SELECT * FROM events e` + q.whereSQL() + q.order + page + `) AS e
		JOIN event_mentions m ON m.event_seq = e.seq` + own + `
		LEFT JOIN copies c ON c.article_id = m.article_id` + q.order + ", " + mentionOrder
	rows, err := tx.QueryContext(ctx, query, q.args...)
	if err != nil {
		return fmt.Errorf("sqlite: query events: %w", err)
	}
	defer rows.Close()
	var cur *detente.StoredEvent
	for rows.Next() {
		var m detente.EventReport
		var seq int64
		se, err := scanEvent(rows, &seq, &m.ArticleID, &m.Sentence.Start, &m.Sentence.End, &m.SourceSpan.Start,
			&m.SourceSpan.End, &m.TargetSpan.Start, &m.TargetSpan.End, &m.VerbSpan.Start, &m.VerbSpan.End,
			&m.RootEvent, &m.Confidence, &m.Explanation, &m.Outlet, &m.URL, &m.Title, &m.Published, &m.AddedAt,
			&m.SentenceNo, &m.DocLen)
		if err != nil {
			return fmt.Errorf("sqlite: read events: %w", err)
		}
		if cur != nil && cur.Seq != se.Seq {
			if err := fn(cur); err != nil {
				return err
			}
			cur = nil
		}
		if cur == nil {
			cur = se
			cur.SourceURL = m.URL
		}
		cur.Reports = append(cur.Reports, m)
		cur.Event.Mentions = append(cur.Event.Mentions, m.EventMention)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: read events: %w", err)
	}
	if cur != nil {
		return fn(cur)
	}
	return nil
}

// maxBuckets bounds the gaps DyadTimeline fills.
const maxBuckets = 100000

// bucketSQL is each bucket size as SQL over e.date ('weekday 0' moves to
// the coming Sunday, or stays on one; six days back is its Monday).
var bucketSQL = map[string]string{
	"day":   "e.date",
	"week":  "date(e.date, 'weekday 0', '-6 days')",
	"month": "substr(e.date, 1, 7)",
	"year":  "substr(e.date, 1, 4)",
}

// DyadTimeline counts the dated events between actors a and b, in either
// direction, per bucket ("day", "week", "month" or "year") between from
// and to (dates as in EventFilter; "" for open). Actor codes are exact or
// prefixes ending in "*"; b "*" gives all of a's events. Buckets with no
// event between the first and the last one are included with zero counts,
// so the points can be drawn as they come.
func (db *DB) DyadTimeline(ctx context.Context, a, b, bucket, from, to string) ([]detente.TimelinePoint, error) {
	expr, ok := bucketSQL[bucket]
	if !ok {
		return nil, detente.Errorf(detente.EINVALID, "bucket %q is not day, week, month or year", bucket)
	}
	if strings.TrimSpace(a) == "" || strings.TrimSpace(b) == "" {
		return nil, detente.Errorf(detente.EINVALID, "a dyad needs two actors, got %q and %q", a, b)
	}
	query, args, err := dyadTimelineSQL(a, b, expr, from, to)
	if err != nil {
		return nil, err
	}
	var out []detente.TimelinePoint
	err = scanAll(ctx, db.db, query, args, func(r *sql.Rows) error {
		var key string
		var quad, n, mentions int
		var fromA bool
		var gold float64
		if err := r.Scan(&key, &quad, &fromA, &n, &gold, &mentions); err != nil {
			return err
		}
		if len(out) == 0 || out[len(out)-1].Bucket != key {
			out = append(out, detente.TimelinePoint{Bucket: key})
		}
		p := &out[len(out)-1]
		if quad >= 1 && quad <= 4 {
			p.Quad[quad-1] += n
		}
		p.N += n
		p.Mentions += mentions
		p.MeanGoldstein += gold // a sum until below
		if fromA {
			p.AToB += n
		} else {
			p.BToA += n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].N > 0 {
			out[i].MeanGoldstein /= float64(out[i].N)
		}
	}
	return fillBuckets(out, bucket), nil
}

// dyadTimelineSQL is DyadTimeline's query: per bucket (expr), quad class
// and direction, the count, Goldstein sum and mentions of the dated events
// between a and b.
func dyadTimelineSQL(a, b, expr, from, to string) (string, []any, error) {
	q, err := compileEvents(detente.EventFilter{Between: [2]string{a, b}, From: from, To: to})
	if err != nil {
		return "", nil, err
	}
	q.where = append(q.where, "e.date <> ''")
	aSource := and(q.codeCond("e.source", a), q.codeCond("e.target", b))
	return "SELECT " + expr + ", e.quad, " + aSource + ", count(*), sum(e.goldstein), sum(e.num_mentions) FROM events e" +
		q.whereSQL() + " GROUP BY 1, 2, 3 ORDER BY 1", q.args, nil
}

// fillBuckets inserts the empty buckets between the points.
func fillBuckets(pts []detente.TimelinePoint, bucket string) []detente.TimelinePoint {
	if len(pts) < 2 {
		return pts
	}
	layout, step := "2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	switch bucket {
	case "week":
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	case "month":
		layout, step = "2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	case "year":
		layout, step = "2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }
	}
	first, err1 := time.Parse(layout, pts[0].Bucket)
	last, err2 := time.Parse(layout, pts[len(pts)-1].Bucket)
	if err1 != nil || err2 != nil {
		return pts // a date SQLite could not bucket; leave as is
	}
	var out []detente.TimelinePoint
	i := 0
	for t := first; !t.After(last) && len(out) < maxBuckets; t = step(t) {
		key := t.Format(layout)
		if i < len(pts) && pts[i].Bucket == key {
			out = append(out, pts[i])
			i++
			continue
		}
		out = append(out, detente.TimelinePoint{Bucket: key})
	}
	if i < len(pts) {
		return pts // buckets off the calendar's steps: no filling
	}
	return out
}

// actorSides is one row per event of the actor code (upper case, not
// empty): the other actor, and whether the actor was the source. An event
// with the actor on both sides (a prefix matching both) is one row, as
// source.
func actorSides(q *eventQuery, code string) string {
	src, tgt := q.codeCond("e.source", code), q.targetCond(code)
	return `SELECT e.target AS partner, 1 AS out, e.quad, e.goldstein, e.num_mentions, e.date, e.root
		FROM events e WHERE ` + src + `
		UNION ALL SELECT e.source, 0, e.quad, e.goldstein, e.num_mentions, e.date, e.root
		FROM events e WHERE ` + tgt + ` AND NOT ` + src
}

// MaxPartners caps ActorSummary.Partners.
const MaxPartners = 20

// ActorSummary summarizes the events of an actor code (exact, or a prefix
// ending in "*"): counts, quad classes, dates, its top partners and
// event roots. An actor with no events gives zero counts, not an error.
func (db *DB) ActorSummary(ctx context.Context, code string) (*detente.ActorSummary, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || code == "*" {
		return nil, detente.Errorf(detente.EINVALID, "no actor code given")
	}
	q := &eventQuery{}
	sides := actorSides(q, code)
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer tx.Rollback()
	s := &detente.ActorSummary{Code: code, Partners: []detente.Partner{}, Roots: []detente.CodeCount{}}
	// One pass over the actor's events, grouped as finely as the totals,
	// partners and roots need; they are summed from the groups here
	// rather than by reading the events three times.
	type partnerSums struct {
		detente.Partner
		gold float64
	}
	partners := map[string]*partnerSums{}
	roots := map[string]int{}
	var gold float64
	err = scanAll(ctx, tx, `SELECT partner, out, quad, root, count(*), sum(num_mentions), sum(goldstein),
		ifnull(min(nullif(date, '')), ''), ifnull(max(date), '') FROM (`+sides+`) GROUP BY 1, 2, 3, 4`,
		q.args, func(r *sql.Rows) error {
			var partner, root, first, last string
			var out bool
			var quad, n, mentions int
			var g float64
			if err := r.Scan(&partner, &out, &quad, &root, &n, &mentions, &g, &first, &last); err != nil {
				return err
			}
			s.Events += n
			s.Mentions += mentions
			gold += g
			if quad >= 1 && quad <= 4 {
				s.Quad[quad-1] += n
			}
			if first != "" && (s.First == "" || first < s.First) {
				s.First = first
			}
			s.Last = max(s.Last, last)
			p := partners[partner]
			if p == nil {
				p = &partnerSums{Partner: detente.Partner{Code: partner}}
				partners[partner] = p
			}
			p.Events += n
			p.Mentions += mentions
			p.gold += g
			if out {
				s.AsSource += n
				p.AsSource += n
			}
			roots[root] += n
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: summarize %s: %w", code, err)
	}
	if s.Events == 0 {
		return s, nil
	}
	s.AsTarget = s.Events - s.AsSource
	s.MeanGoldstein = gold / float64(s.Events)
	for _, p := range partners {
		p.AsTarget = p.Events - p.AsSource
		p.MeanGoldstein = p.gold / float64(p.Events)
		s.Partners = append(s.Partners, p.Partner)
	}
	slices.SortFunc(s.Partners, func(a, b detente.Partner) int {
		return cmp.Or(b.Events-a.Events, b.Mentions-a.Mentions, strings.Compare(a.Code, b.Code))
	})
	s.Partners = s.Partners[:min(len(s.Partners), MaxPartners)]
	for root, n := range roots {
		s.Roots = append(s.Roots, detente.CodeCount{Code: root, Events: n})
	}
	slices.SortFunc(s.Roots, func(a, b detente.CodeCount) int {
		return cmp.Or(b.Events-a.Events, strings.Compare(a.Code, b.Code))
	})
	return s, nil
}
