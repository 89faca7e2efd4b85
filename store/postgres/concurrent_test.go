package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
)

// putAtOnce stores each batch from its own goroutine, released together.
func putAtOnce(t *testing.T, db interface {
	PutBatch(context.Context, []detente.PutItem) ([]detente.PutStatus, error)
}, batches ...[]detente.PutItem) [][]detente.PutStatus {
	t.Helper()
	out := make([][]detente.PutStatus, len(batches))
	errs := make([]error, len(batches))
	var start, done sync.WaitGroup
	start.Add(1)
	for i, b := range batches {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			out[i], errs[i] = db.PutBatch(context.Background(), b)
		}()
	}
	start.Done()
	done.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// An article delivered twice and stored by two workers at once is stored
// once: one writer stores it, the other finds it stored.
func TestSameArticleFromTwoWritersIsStoredOnce(t *testing.T) {
	db := openTest(t)
	h := dedup.NewHasher(dedup.DefaultConfig())
	for round := range 5 {
		body := fmt.Sprintf("Round %d: ministers of both countries met in Geneva and agreed to resume talks next month on trade.", round)
		a := &detente.Article{ID: fmt.Sprintf("r%d", round), Source: "Wire", Body: body}
		it := detente.PutItem{Article: a, Fingerprint: h.Fingerprint(body),
			Events: []detente.Event{{Source: "FRA", Target: "DEU", CAMEO: "036", Date: "2024-01-02",
				Mentions: []detente.EventMention{{ArticleID: a.ID, Sentence: detente.Span{Start: 0, End: 10}}}}}}
		sts := putAtOnce(t, db, []detente.PutItem{it}, []detente.PutItem{it})
		got := []detente.PutStatus{sts[0][0], sts[1][0]}
		if !(got[0] == detente.PutNew && got[1] == detente.PutExisting || got[1] == detente.PutNew && got[0] == detente.PutExisting) {
			t.Errorf("round %d: statuses %v; want one new and one existing", round, got)
		}
	}
	evs, total, err := db.Events(context.Background(), detente.EventFilter{})
	if err != nil || total != 1 || evs[0].NumMentions != 5 || evs[0].NumArticles != 5 {
		t.Errorf("events = %+v (total %d, %v); want one event with 5 mentions from 5 articles", evs, total, err)
	}
}

// Two near copies of one text that two workers store at once as
// originals (two publishers each thought theirs came first) end up as one
// story: the near check under band locks makes the second a copy.
func TestConcurrentNearCopiesBecomeOneStory(t *testing.T) {
	db := openTest(t)
	h := dedup.NewHasher(dedup.DefaultConfig())
	db.SetNearCheck(h.IsNear)
	// text is a story of its own words, so rounds are unlike each other.
	text := func(round int) string {
		var w []string
		for i := range 60 {
			w = append(w, fmt.Sprintf("word%dx%d", round, i))
		}
		return strings.Join(w, " ")
	}
	for round := range 8 {
		x := text(round)
		y := x + " Officials declined to comment."
		ax := &detente.Article{ID: fmt.Sprintf("x%d", round), Source: "A", Body: x}
		ay := &detente.Article{ID: fmt.Sprintf("y%d", round), Source: "B", Body: y}
		fx, fy := h.Fingerprint(x), h.Fingerprint(y)
		if ok, _ := h.IsNear(fx.Signature, fy.Signature); !ok {
			t.Fatalf("round %d: the fixture texts are not near copies", round)
		}
		sts := putAtOnce(t, db, []detente.PutItem{{Article: ax, Fingerprint: fx}}, []detente.PutItem{{Article: ay, Fingerprint: fy}})
		got := []detente.PutStatus{sts[0][0], sts[1][0]}
		if !(got[0] == detente.PutNew && got[1] == detente.PutNearCopy || got[1] == detente.PutNew && got[0] == detente.PutNearCopy) {
			t.Errorf("round %d: statuses %v; want one new story and one near copy", round, got)
		}
		s, err := db.Article(context.Background(), ay.ID)
		if err != nil || len(s.Copies) != 2 {
			t.Errorf("round %d: story of %s = %+v, %v; want both articles in one story", round, ay.ID, s, err)
		}
	}
	// An exact copy stored as an original at the same time as its text.
	body := text(99)
	a1 := &detente.Article{ID: "e1", Body: body}
	a2 := &detente.Article{ID: "e2", Body: body}
	sts := putAtOnce(t, db, []detente.PutItem{{Article: a1, Fingerprint: h.Fingerprint(body)}}, []detente.PutItem{{Article: a2, Fingerprint: h.Fingerprint(body)}})
	if got := []detente.PutStatus{sts[0][0], sts[1][0]}; got[0]+got[1] != detente.PutNew+detente.PutExactCopy || got[0] == got[1] {
		t.Errorf("exact copies stored at once: %v; want one new and one exact copy", got)
	}
}
