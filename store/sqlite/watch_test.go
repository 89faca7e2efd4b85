package sqlite

import (
	"context"
	"testing"
	"time"
)

func TestWatchItemsMoveThroughTheirStatesAndSurviveAReopen(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	items := []WatchItem{{URL: "https://a.example/1", FeedURL: "f", Title: "One"}, {URL: "https://a.example/2", FeedURL: "f"}}
	if n, err := db.AddWatchItems(ctx, items, now); err != nil || n != 2 {
		t.Fatalf("AddWatchItems = %d, %v; want 2", n, err)
	}
	if n, err := db.AddWatchItems(ctx, items, now); err != nil || n != 0 {
		t.Fatalf("adding the same items again = %d, %v; want 0 new", n, err)
	}
	got, err := db.ClaimWatchItems(ctx, now, 1)
	if err != nil || len(got) != 1 || got[0].State != ItemFetching || got[0].Attempts != 1 || got[0].Title != "One" {
		t.Fatalf("ClaimWatchItems = %+v, %v; want item 1 fetching, attempt 1", got, err)
	}
	// A retry an hour later is not due now.
	retry := got[0]
	retry.State, retry.NextAttempt = ItemPending, now.Add(time.Hour)
	if err := db.UpdateWatchItem(ctx, retry, now); err != nil {
		t.Fatal(err)
	}
	got, _ = db.ClaimWatchItems(ctx, now, 10)
	if len(got) != 1 || got[0].URL != "https://a.example/2" {
		t.Fatalf("claim now = %+v; want only item 2", got)
	}
	// Item 2 is left fetching, as a killed watcher would leave it.
	if n, err := db.ResetWatchItems(ctx); err != nil || n != 1 {
		t.Fatalf("ResetWatchItems = %d, %v; want 1", n, err)
	}
	next, ok, err := db.NextWatchAttempt(ctx)
	if err != nil || !ok || !next.IsZero() {
		t.Fatalf("NextWatchAttempt = %v, %v, %v; want due now (zero)", next, ok, err)
	}
	got, _ = db.ClaimWatchItems(ctx, now.Add(2*time.Hour), 10)
	if len(got) != 2 || got[0].URL != "https://a.example/2" || got[0].Attempts != 2 || got[1].Attempts != 2 {
		t.Fatalf("claim later = %+v; want both, each on its second attempt", got)
	}
	got[0].State, got[0].Outcome, got[0].ArticleID = ItemDone, "new", "a1"
	if err := db.UpdateWatchItem(ctx, got[0], now); err != nil {
		t.Fatal(err)
	}
	it, ok, err := db.WatchItem(ctx, "https://a.example/2")
	if err != nil || !ok || it.State != ItemDone || it.ArticleID != "a1" {
		t.Fatalf("WatchItem = %+v, %v, %v", it, ok, err)
	}
	counts, err := db.WatchCounts(ctx)
	if err != nil || counts[ItemDone] != 1 || counts[ItemFetching] != 1 {
		t.Fatalf("WatchCounts = %v, %v", counts, err)
	}
}

func TestWatchFeedKeepsItsValidators(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	f, err := db.WatchFeed(ctx, "https://a.example/feed")
	if err != nil || f.ETag != "" || !f.LastPolled.IsZero() {
		t.Fatalf("unknown feed = %+v, %v; want empty state", f, err)
	}
	when := time.Date(2026, 3, 1, 12, 0, 0, 5, time.UTC)
	f.ETag, f.LastModified, f.LastPolled, f.NextPoll, f.LastStatus, f.Failures = `"v1"`, "Sun, 01 Mar 2026 11:00:00 GMT", when, when.Add(time.Minute), 200, 0
	if err := db.PutWatchFeed(ctx, f); err != nil {
		t.Fatal(err)
	}
	f.ETag = `"v2"`
	if err := db.PutWatchFeed(ctx, f); err != nil {
		t.Fatal(err)
	}
	g, err := db.WatchFeed(ctx, f.URL)
	if err != nil || g != f {
		t.Fatalf("WatchFeed = %+v, %v; want %+v", g, err, f)
	}
}

func TestWatchTimesCompareInOrderAsText(t *testing.T) {
	a := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b := a.Add(500 * time.Millisecond)
	if !(fmtTime(a) < fmtTime(b)) {
		t.Errorf("%s sorts after %s", fmtTime(a), fmtTime(b))
	}
}
