package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
	"github.com/jackc/pgx/v5"
)

// ListMentions is how many mentions (the earliest stored) each event
// Events returns carries, as in the SQLite store.
const ListMentions = 3

// highest sorts after every code under COLLATE "C" (its UTF-8 bytes are
// the largest): "X*" matches the codes from "X" up to "X" + highest.
const highest = "\U0010FFFF"

type eventQuery struct {
	where []string
	args  []any
	order string
}

func (q *eventQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *eventQuery) whereSQL() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// codeCond matches col against a code, exact or a prefix ending in "*"
// (a range the column's index serves); "" when it matches everything.
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

func and(conds ...string) string {
	var cs []string
	for _, c := range conds {
		if c != "" {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return "true"
	}
	return "(" + strings.Join(cs, " AND ") + ")"
}

var sortColumns = map[string]string{
	"date": "e.date", "mentions": "e.num_mentions", "goldstein": "e.goldstein", "first_seen": "e.first_seen",
}

// compileEvents turns a filter into SQL with the SQLite store's meaning.
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
		if c := q.codeCond("e.target", f.Target); c != "" {
			q.where = append(q.where, c)
		}
	}
	if a, b := strings.TrimSpace(f.Between[0]), strings.TrimSpace(f.Between[1]); a != "" || b != "" {
		if a == "" || b == "" {
			return nil, detente.Errorf(detente.EINVALID, "a dyad needs two actors, got %q and %q", a, b)
		}
		q.where = append(q.where, "("+and(q.codeCond("e.source", a), q.codeCond("e.target", b))+
			" OR "+and(q.codeCond("e.source", b), q.codeCond("e.target", a))+")")
	}
	if code := strings.TrimSpace(f.Code); code != "" {
		p, prefix := strings.CutSuffix(code, "*")
		if !prefix && !cameo.Valid(code) {
			return nil, detente.Errorf(detente.EINVALID, "%q is not a CAMEO event code", code)
		}
		if prefix && len(p) >= 2 {
			q.where = append(q.where, "e.root = "+q.arg(p[:2]))
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
		q.where = append(q.where, "e.plover = "+q.arg(strings.ToUpper(p)))
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
		q.where = append(q.where, "e.date <> '' AND e.date < "+q.arg(f.To+highest))
	}
	if c := strings.ToUpper(strings.TrimSpace(f.Country)); c != "" {
		q.where = append(q.where, "("+q.codeCond("e.source", c+"*")+" OR "+q.codeCond("e.target", c+"*")+
			" OR e.loc_country = "+q.arg(c)+")")
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

const eventColumns = `e.seq, e.id, e.source, e.target, e.cameo, e.base, e.root, e.quad, e.goldstein, e.plover,
	e.mode, e.negated, e.date, e.loc_name, e.loc_country, e.loc_lat, e.loc_lon,
	e.num_mentions, e.num_sources, e.num_articles, e.first_seen`

func scanEvent(r pgx.Row, extra ...any) (*detente.StoredEvent, error) {
	var se detente.StoredEvent
	e := &se.Event
	var locName, locCountry string
	var lat, lon *float64
	dest := []any{&se.Seq, &e.ID, &e.Source, &e.Target, &e.CAMEO, &e.Base, &e.Root, &e.Quad, &e.Goldstein,
		&e.PLOVER, &e.Mode, &e.Negated, &e.Date, &locName, &locCountry, &lat, &lon,
		&e.NumMentions, &e.NumSources, &e.NumArticles, &se.FirstSeen}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if locName != "" || locCountry != "" || lat != nil {
		e.Location = &detente.Location{Name: locName, Country: locCountry}
		if lat != nil {
			e.Location.Lat = *lat
		}
		if lon != nil {
			e.Location.Lon = *lon
		}
	}
	e.Mentions = []detente.EventMention{}
	return &se, nil
}

// mentionColumns are a mention's columns (m) with its reporting article's
// (c, its copies row).
const mentionColumns = `m.event_seq, m.article_id, m.sentence_start, m.sentence_end, m.source_start, m.source_end,
	m.target_start, m.target_end, m.verb_start, m.verb_end, m.root_event, m.confidence, m.explanation,
	m.outlet, coalesce(c.url, ''), coalesce(c.title, ''), coalesce(c.published, ''), m.added_at, m.sentence_no, m.doc_len`

// mentionOrder: the order articles were stored, then position.
const mentionOrder = `coalesce(c.seq, 0), m.sentence_start, m.verb_start`

func mentionDest(seq *int64, m *detente.EventReport) []any {
	return []any{seq, &m.ArticleID, &m.Sentence.Start, &m.Sentence.End, &m.SourceSpan.Start, &m.SourceSpan.End,
		&m.TargetSpan.Start, &m.TargetSpan.End, &m.VerbSpan.Start, &m.VerbSpan.End, &m.RootEvent, &m.Confidence,
		&m.Explanation, &m.Outlet, &m.URL, &m.Title, &m.Published, &m.AddedAt, &m.SentenceNo, &m.DocLen}
}

// Events returns one page of the events the filter matches, each with its
// first ListMentions mentions, and the total.
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
	out := []detente.Event{}
	var total int
	err = db.readTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM events e"+q.whereSQL(), q.args...).Scan(&total); err != nil {
			return fmt.Errorf("postgres: count events: %w", err)
		}
		if total == 0 {
			return nil
		}
		query := "SELECT " + eventColumns + " FROM events e" + q.whereSQL() + q.order +
			" LIMIT " + q.arg(limit) + " OFFSET " + q.arg(max(f.Offset, 0))
		bySeq := map[int64]int{}
		var seqs []int64
		if err := scanAll(ctx, tx, query, q.args, func(r pgx.Rows) error {
			se, err := scanEvent(r)
			if err != nil {
				return err
			}
			bySeq[se.Seq] = len(out)
			seqs = append(seqs, se.Seq)
			out = append(out, se.Event)
			return nil
		}); err != nil || len(seqs) == 0 {
			return err
		}
		return scanAll(ctx, tx, `SELECT * FROM (SELECT `+mentionColumns+`,
				row_number() OVER (PARTITION BY m.event_seq ORDER BY `+mentionOrder+`) AS n
			FROM event_mentions m LEFT JOIN copies c ON c.article_id = m.article_id
			WHERE m.event_seq = ANY($1)) x WHERE n <= `+strconv.Itoa(ListMentions)+` ORDER BY event_seq, n`,
			[]any{seqs}, func(r pgx.Rows) error {
				var n, seq int64
				var m detente.EventReport
				err := r.Scan(append(mentionDest(&seq, &m), &n)...)
				if i, ok := bySeq[seq]; ok && err == nil {
					out[i].Mentions = append(out[i].Mentions, m.EventMention)
				}
				return err
			})
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Event returns a stored event by its ID or numeric GDELT ID with all of
// its mentions; ENOTFOUND when there is none.
func (db *DB) Event(ctx context.Context, id string) (*detente.StoredEvent, error) {
	var se *detente.StoredEvent
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		cond, arg := "e.id = $1", any(pgText(id))
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			cond, arg = "e.seq = $1", n
		}
		var err error
		se, err = scanEvent(tx.QueryRow(ctx, "SELECT "+eventColumns+" FROM events e WHERE "+cond, arg))
		if errors.Is(err, pgx.ErrNoRows) {
			return detente.Errorf(detente.ENOTFOUND, "no event %q", id)
		}
		if err != nil {
			return fmt.Errorf("postgres: read event %s: %w", id, err)
		}
		err = scanAll(ctx, tx, `SELECT `+mentionColumns+` FROM event_mentions m
			LEFT JOIN copies c ON c.article_id = m.article_id WHERE m.event_seq = $1 ORDER BY `+mentionOrder,
			[]any{se.Seq}, func(r pgx.Rows) error {
				var seq int64
				var m detente.EventReport
				err := r.Scan(mentionDest(&seq, &m)...)
				se.Reports = append(se.Reports, m)
				se.Event.Mentions = append(se.Event.Mentions, m.EventMention)
				return err
			})
		if err == nil && len(se.Reports) > 0 {
			se.SourceURL = se.Reports[0].URL
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return se, nil
}

// EachEvent calls fn for every event the filter matches, in its order,
// from one snapshot, streaming rows from the server; with mentions, each
// comes with all its mentions and reports. fn must not write to the store.
func (db *DB) EachEvent(ctx context.Context, f detente.EventFilter, mentions bool, fn func(*detente.StoredEvent) error) error {
	q, err := compileEvents(f)
	if err != nil {
		return err
	}
	page := ""
	if f.Limit > 0 {
		page += " LIMIT " + q.arg(f.Limit)
	}
	if f.Offset > 0 {
		page += " OFFSET " + q.arg(f.Offset)
	}
	return db.readTx(ctx, func(tx pgx.Tx) error {
		if !mentions {
			query := "SELECT " + eventColumns + `, coalesce((SELECT c.url FROM event_mentions m
				LEFT JOIN copies c ON c.article_id = m.article_id WHERE m.event_seq = e.seq
				ORDER BY ` + mentionOrder + ` LIMIT 1), '') FROM events e` + q.whereSQL() + q.order + page
			rows, err := tx.Query(ctx, query, q.args...)
			if err != nil {
				return fmt.Errorf("postgres: query events: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var url string
				se, err := scanEvent(rows, &url)
				if err != nil {
					return fmt.Errorf("postgres: read events: %w", err)
				}
				se.SourceURL = url
				if err := fn(se); err != nil {
					return err
				}
			}
			return rows.Err()
		}
		own := ""
		if id := strings.TrimSpace(f.ArticleID); f.OwnMentions && id != "" {
			own = " AND m.article_id = " + q.arg(id)
		}
		query := "SELECT " + eventColumns + ", " + mentionColumns + `
			FROM (SELECT * FROM events e` + q.whereSQL() + q.order + page + `) AS e
			JOIN event_mentions m ON m.event_seq = e.seq` + own + `
			LEFT JOIN copies c ON c.article_id = m.article_id` + q.order + ", " + mentionOrder
		rows, err := tx.Query(ctx, query, q.args...)
		if err != nil {
			return fmt.Errorf("postgres: query events: %w", err)
		}
		defer rows.Close()
		var cur *detente.StoredEvent
		for rows.Next() {
			var m detente.EventReport
			var seq int64
			se, err := scanEvent(rows, mentionDest(&seq, &m)...)
			if err != nil {
				return fmt.Errorf("postgres: read events: %w", err)
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
			return fmt.Errorf("postgres: read events: %w", err)
		}
		if cur != nil {
			return fn(cur)
		}
		return nil
	})
}

// maxBuckets bounds the gaps DyadTimeline fills.
const maxBuckets = 100000

// bucketOf is the bucket a YYYY-MM-DD date falls in, as the SQLite
// store's SQL computes it; ok is false for a date off the calendar.
func bucketOf(date, bucket string) (string, bool) {
	switch bucket {
	case "day":
		return date, true
	case "month":
		if len(date) < 7 {
			return date, false
		}
		return date[:7], true
	case "year":
		if len(date) < 4 {
			return date, false
		}
		return date[:4], true
	}
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return "", false
	}
	// Back to the Monday that starts its ISO week.
	off := (int(t.Weekday()) + 6) % 7
	return t.AddDate(0, 0, -off).Format("2006-01-02"), true
}

// DyadTimeline counts the dated events between actors a and b, in either
// direction, per bucket between from and to, filling empty buckets
// between the first and the last, with the SQLite store's meaning. Rows
// are summed per day in SQL and bucketed here, which keeps the calendar
// arithmetic the same as Go's in both stores' tests.
func (db *DB) DyadTimeline(ctx context.Context, a, b, bucket, from, to string) ([]detente.TimelinePoint, error) {
	switch bucket {
	case "day", "week", "month", "year":
	default:
		return nil, detente.Errorf(detente.EINVALID, "bucket %q is not day, week, month or year", bucket)
	}
	if strings.TrimSpace(a) == "" || strings.TrimSpace(b) == "" {
		return nil, detente.Errorf(detente.EINVALID, "a dyad needs two actors, got %q and %q", a, b)
	}
	q, err := compileEvents(detente.EventFilter{Between: [2]string{a, b}, From: from, To: to})
	if err != nil {
		return nil, err
	}
	q.where = append(q.where, "e.date <> ''")
	aSource := and(q.codeCond("e.source", a), q.codeCond("e.target", b))
	query := "SELECT e.date, e.quad, " + aSource + ", count(*), sum(e.goldstein), sum(e.num_mentions) FROM events e" +
		q.whereSQL() + " GROUP BY 1, 2, 3 ORDER BY 1"
	byKey := map[string]*detente.TimelinePoint{}
	var keys []string
	err = scanAll(ctx, db.pool, query, q.args, func(r pgx.Rows) error {
		var date string
		var quad, n, mentions int64
		var fromA bool
		var gold float64
		if err := r.Scan(&date, &quad, &fromA, &n, &gold, &mentions); err != nil {
			return err
		}
		key, _ := bucketOf(date, bucket)
		p := byKey[key]
		if p == nil {
			p = &detente.TimelinePoint{Bucket: key}
			byKey[key] = p
			keys = append(keys, key)
		}
		if quad >= 1 && quad <= 4 {
			p.Quad[quad-1] += int(n)
		}
		p.N += int(n)
		p.Mentions += int(mentions)
		p.MeanGoldstein += gold
		if fromA {
			p.AToB += int(n)
		} else {
			p.BToA += int(n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(keys)
	out := make([]detente.TimelinePoint, 0, len(keys))
	for _, k := range keys {
		p := *byKey[k]
		if p.N > 0 {
			p.MeanGoldstein /= float64(p.N)
		}
		out = append(out, p)
	}
	return fillBuckets(out, bucket), nil
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
		return pts
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
		return pts
	}
	return out
}

// MaxPartners caps ActorSummary.Partners.
const MaxPartners = 20

// ActorSummary summarizes the events of an actor code (exact, or a prefix
// ending in "*") as the SQLite store does.
func (db *DB) ActorSummary(ctx context.Context, code string) (*detente.ActorSummary, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || code == "*" {
		return nil, detente.Errorf(detente.EINVALID, "no actor code given")
	}
	q := &eventQuery{}
	src, tgt := q.codeCond("e.source", code), q.codeCond("e.target", code)
	sides := `SELECT e.target AS partner, 1 AS is_out, e.quad, e.goldstein, e.num_mentions, e.date, e.root
		FROM events e WHERE ` + src + `
		UNION ALL SELECT e.source, 0, e.quad, e.goldstein, e.num_mentions, e.date, e.root
		FROM events e WHERE ` + tgt + ` AND NOT ` + src
	s := &detente.ActorSummary{Code: code, Partners: []detente.Partner{}, Roots: []detente.CodeCount{}}
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		var gold float64
		var events, asSource, mentions, q1, q2, q3, q4 int64
		err := tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(is_out), 0), coalesce(sum(num_mentions), 0),
			count(*) FILTER (WHERE quad = 1), count(*) FILTER (WHERE quad = 2), count(*) FILTER (WHERE quad = 3),
			count(*) FILTER (WHERE quad = 4), coalesce(sum(goldstein), 0), coalesce(min(nullif(date, '')), ''),
			coalesce(max(date), '') FROM (`+sides+`) s`, q.args...).Scan(&events, &asSource, &mentions,
			&q1, &q2, &q3, &q4, &gold, &s.First, &s.Last)
		if err != nil {
			return fmt.Errorf("postgres: summarize %s: %w", code, err)
		}
		s.Events, s.AsSource, s.Mentions = int(events), int(asSource), int(mentions)
		s.Quad = [4]int{int(q1), int(q2), int(q3), int(q4)}
		if s.Events == 0 {
			return nil
		}
		s.AsTarget = s.Events - s.AsSource
		s.MeanGoldstein = gold / float64(s.Events)
		err = scanAll(ctx, tx, `SELECT partner, count(*), sum(is_out), sum(num_mentions), avg(goldstein)
			FROM (`+sides+`) s GROUP BY partner ORDER BY 2 DESC, 4 DESC, 1 LIMIT `+strconv.Itoa(MaxPartners),
			q.args, func(r pgx.Rows) error {
				var p detente.Partner
				var n, out, m int64
				err := r.Scan(&p.Code, &n, &out, &m, &p.MeanGoldstein)
				p.Events, p.AsSource, p.Mentions = int(n), int(out), int(m)
				p.AsTarget = p.Events - p.AsSource
				s.Partners = append(s.Partners, p)
				return err
			})
		if err != nil {
			return err
		}
		return scanAll(ctx, tx, `SELECT root, count(*) FROM (`+sides+`) s GROUP BY root ORDER BY 2 DESC, 1`,
			q.args, func(r pgx.Rows) error {
				var c detente.CodeCount
				var n int64
				err := r.Scan(&c.Code, &n)
				c.Events = int(n)
				s.Roots = append(s.Roots, c)
				return err
			})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}
