package coder

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/detente/detente"
)

// TestEventIDAndExplanation: the ID and the explanation
// are cut from one string; each must still be what it was on its own: the
// ID eventID's hash, the explanation starting at "verb".
func TestEventIDAndExplanation(t *testing.T) {
	an, _ := builtin(t)
	c := fixtureCoder(t)
	a := &detente.Article{ID: "x1", Body: "France accused Italy of crimes. Germany condemned Spain.", Published: "2020-01-15"}
	evs := c.Code(a, an.Annotate(a))
	if len(evs) != 2 {
		t.Fatalf("got %d events", len(evs))
	}
	for _, e := range evs {
		m := e.Mentions[0]
		sent := 0
		if m.Sentence.Start > 0 {
			sent = 1
		}
		if want := eventID(a.ID, sent, e.Source, e.Target, e.CAMEO); e.ID != want || len(e.ID) != eventIDLen {
			t.Errorf("ID %q, want %q", e.ID, want)
		}
		if !strings.HasPrefix(m.Explanation, `verb "`) || strings.Contains(m.Explanation, e.ID) {
			t.Errorf("explanation %q", m.Explanation)
		}
	}
}

// TestMentionListsAreTheirOwn: events take their first mention from one
// chunk; appending to one event's list must not write into another's.
func TestMentionListsAreTheirOwn(t *testing.T) {
	var b tokenBuf
	var lists [][]detente.EventMention
	for i := range 40 {
		lists = append(lists, b.mention(detente.EventMention{ArticleID: fmt.Sprint(i)}))
	}
	for i := range lists {
		lists[i] = append(lists[i], detente.EventMention{ArticleID: "second"})
	}
	for i, l := range lists {
		if len(l) != 2 || l[0].ArticleID != fmt.Sprint(i) || l[1].ArticleID != "second" {
			t.Fatalf("list %d = %+v", i, l)
		}
	}
}

// TestEventIndex: the scan over a short list and the map over a long one
// find what a map of every key finds, as the list grows past the switch.
func TestEventIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	codes := []string{"USA", "CHN", "RUS", "", "USAGOV"}
	var events []detente.Event
	var byKey map[eventKey]int
	want := map[eventKey]int{}
	for range 2000 {
		k := eventKey{codes[rng.IntN(5)], codes[rng.IntN(5)], fmt.Sprint(rng.IntN(12)), fmt.Sprint(2020 + rng.IntN(3))}
		w, ok := want[k]
		if !ok {
			w = -1
		}
		got := eventIndex(events, &byKey, k)
		if got != w {
			t.Fatalf("with %d events: index of %+v = %d, want %d", len(events), k, got, w)
		}
		if got < 0 {
			if byKey != nil {
				byKey[k] = len(events)
			}
			want[k] = len(events)
			events = append(events, detente.Event{Source: k.source, Target: k.target, CAMEO: k.code, Date: k.date})
		}
	}
	if len(events) <= 32 || byKey == nil {
		t.Fatalf("%d events: the map was never made", len(events))
	}
}
