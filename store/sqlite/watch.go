package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// WatchFeed is what `detente watch` remembers of one feed or sitemap: the
// validators for its next conditional GET and when to poll it next.
type WatchFeed struct {
	URL          string
	ETag         string
	LastModified string
	LastPolled   time.Time // zero: never
	NextPoll     time.Time // zero: now
	LastStatus   int       // HTTP status of the last poll; 0 when it failed before one
	LastError    string
	Failures     int // consecutive failed polls, for backoff
}

// Item states, as WatchItem.State holds them. An item goes pending →
// fetching → done, skipped, failed or back to pending (a retry). A
// watcher killed while an item is fetching leaves it so; ResetInFlight
// makes it pending again at the next start.
const (
	ItemPending  = "pending"
	ItemFetching = "fetching"
	ItemDone     = "done"
	ItemSkipped  = "skipped"
	ItemFailed   = "failed"
)

// WatchItem is one item URL a watched feed listed, with what the feed said
// of it and where its fetching stands.
type WatchItem struct {
	URL         string
	FeedURL     string
	State       string
	Attempts    int       // fetches begun, counted when claimed
	NextAttempt time.Time // zero: now
	LastError   string
	Outcome     string // why it is done, skipped or failed: "new", "duplicate", "robots", …
	ArticleID   string
	// From the feed, to fill in what the page does not say.
	Title, Published, Source, Language string
	FirstSeen                          time.Time
}

// watchTime is fixed-width, in UTC, so that times compare as strings.
const watchTime = "2006-01-02T15:04:05.000000000Z07:00"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(watchTime)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(watchTime, s)
	return t
}

// WatchFeed returns the remembered state of the feed at url; a feed never
// polled comes back with only its URL set.
func (db *DB) WatchFeed(ctx context.Context, url string) (WatchFeed, error) {
	f := WatchFeed{URL: url}
	var polled, next string
	err := db.db.QueryRowContext(ctx, `SELECT etag, last_modified, last_polled, next_poll, last_status,
		last_error, failures FROM watch_feeds WHERE url = ?`, url).Scan(&f.ETag, &f.LastModified, &polled,
		&next, &f.LastStatus, &f.LastError, &f.Failures)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("sqlite: watch feed %s: %w", url, err)
	}
	f.LastPolled, f.NextPoll = parseTime(polled), parseTime(next)
	return f, nil
}

// PutWatchFeed records a feed's state, replacing what was there.
func (db *DB) PutWatchFeed(ctx context.Context, f WatchFeed) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO watch_feeds (url, etag, last_modified, last_polled,
		next_poll, last_status, last_error, failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
		last_polled = excluded.last_polled, next_poll = excluded.next_poll, last_status = excluded.last_status,
		last_error = excluded.last_error, failures = excluded.failures`,
		f.URL, f.ETag, f.LastModified, fmtTime(f.LastPolled), fmtTime(f.NextPoll), f.LastStatus, f.LastError, f.Failures)
	if err != nil {
		return fmt.Errorf("sqlite: put watch feed %s: %w", f.URL, err)
	}
	return nil
}

// AddWatchItems records items a feed listed, as pending; items whose URL
// is already known (from any feed, in any state) are left alone. It
// returns how many were new. All are added in one transaction.
func (db *DB) AddWatchItems(ctx context.Context, items []WatchItem, now time.Time) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: add watch items: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO watch_items (url, feed_url, state, title, published,
		source, language, first_seen, updated_at) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO NOTHING`)
	if err != nil {
		return 0, fmt.Errorf("sqlite: add watch items: %w", err)
	}
	defer st.Close()
	added := 0
	ts := fmtTime(now)
	for _, it := range items {
		res, err := st.ExecContext(ctx, it.URL, it.FeedURL, it.Title, it.Published, it.Source, it.Language, ts, ts)
		if err != nil {
			return 0, fmt.Errorf("sqlite: add watch item %s: %w", it.URL, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: add watch items: %w", err)
	}
	return added, nil
}

const itemColumns = `url, feed_url, state, attempts, next_attempt, last_error, outcome, article_id,
	title, published, source, language, first_seen`

func scanItem(r interface{ Scan(...any) error }) (WatchItem, error) {
	var it WatchItem
	var next, first string
	err := r.Scan(&it.URL, &it.FeedURL, &it.State, &it.Attempts, &next, &it.LastError, &it.Outcome,
		&it.ArticleID, &it.Title, &it.Published, &it.Source, &it.Language, &first)
	it.NextAttempt, it.FirstSeen = parseTime(next), parseTime(first)
	return it, err
}

// ClaimWatchItems takes up to limit pending items due at now (oldest
// first), marks them fetching and counts the attempt, in one transaction,
// so an item that crashes the process every time is still given up on.
func (db *DB) ClaimWatchItems(ctx context.Context, now time.Time, limit int) ([]WatchItem, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim watch items: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+` FROM watch_items
		WHERE state = 'pending' AND next_attempt <= ? ORDER BY next_attempt, first_seen, url LIMIT ?`,
		fmtTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim watch items: %w", err)
	}
	var out []WatchItem
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: claim watch items: %w", err)
		}
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: claim watch items: %w", err)
	}
	for i := range out {
		out[i].State = ItemFetching
		out[i].Attempts++
		if _, err := tx.ExecContext(ctx, `UPDATE watch_items SET state = 'fetching', attempts = ?, updated_at = ?
			WHERE url = ?`, out[i].Attempts, fmtTime(now), out[i].URL); err != nil {
			return nil, fmt.Errorf("sqlite: claim watch item %s: %w", out[i].URL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlite: claim watch items: %w", err)
	}
	return out, nil
}

// UpdateWatchItem records where an item stands now: its state, attempts,
// next attempt, error, outcome and article.
func (db *DB) UpdateWatchItem(ctx context.Context, it WatchItem, now time.Time) error {
	switch it.State {
	case ItemPending, ItemFetching, ItemDone, ItemSkipped, ItemFailed:
	default:
		return fmt.Errorf("sqlite: watch item %s: unknown state %q", it.URL, it.State)
	}
	_, err := db.db.ExecContext(ctx, `UPDATE watch_items SET state = ?, attempts = ?, next_attempt = ?,
		last_error = ?, outcome = ?, article_id = ?, updated_at = ? WHERE url = ?`,
		it.State, it.Attempts, fmtTime(it.NextAttempt), it.LastError, it.Outcome, it.ArticleID, fmtTime(now), it.URL)
	if err != nil {
		return fmt.Errorf("sqlite: update watch item %s: %w", it.URL, err)
	}
	return nil
}

// WatchItem returns the item with url; ok is false when it was never seen.
func (db *DB) WatchItem(ctx context.Context, url string) (it WatchItem, ok bool, err error) {
	it, err = scanItem(db.db.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM watch_items WHERE url = ?`, url))
	if errors.Is(err, sql.ErrNoRows) {
		return it, false, nil
	}
	if err != nil {
		return it, false, fmt.Errorf("sqlite: watch item %s: %w", url, err)
	}
	return it, true, nil
}

// ResetWatchItems makes every item left fetching pending again, due now:
// they were in flight when a watcher stopped without finishing them. Call
// it once at start, before any watcher on the file claims items. The
// attempt stays counted.
func (db *DB) ResetWatchItems(ctx context.Context) (int, error) {
	res, err := db.db.ExecContext(ctx, `UPDATE watch_items SET state = 'pending', next_attempt = ''
		WHERE state = 'fetching'`)
	if err != nil {
		return 0, fmt.Errorf("sqlite: reset watch items: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// NextWatchAttempt is when the earliest pending item is due; ok is false
// when none is pending.
func (db *DB) NextWatchAttempt(ctx context.Context) (t time.Time, ok bool, err error) {
	var s sql.NullString
	if err := db.db.QueryRowContext(ctx, `SELECT min(next_attempt) FROM watch_items WHERE state = 'pending'`).Scan(&s); err != nil {
		return t, false, fmt.Errorf("sqlite: next watch attempt: %w", err)
	}
	if !s.Valid {
		return t, false, nil
	}
	return parseTime(s.String), true, nil
}

// WatchCounts counts items by state.
func (db *DB) WatchCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT state, count(*) FROM watch_items GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: watch counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}
