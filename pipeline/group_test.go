package pipeline

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
)

// A group of articles is prepared stage by stage, and each article comes
// out as it would alone: a read error, an empty text, a stored article, a
// panic in annotation and one in coding each touch only their own article.
func TestPrepareGroupKeepsEachArticlesOutcome(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	note := func(s string) {
		mu.Lock()
		calls = append(calls, s)
		mu.Unlock()
	}
	st := Stages{
		Hasher: dedup.NewHasher(dedup.DefaultConfig()),
		Stored: func(id string) (bool, error) { return id == "old", nil },
		Annotate: func(a *detente.Article) *detente.Annotations {
			note("annotate " + a.ID)
			if a.ID == "boom" {
				panic("index out of range")
			}
			return &detente.Annotations{Segmentation: "tokens"}
		},
		Code: func(a *detente.Article, _ *detente.Annotations) []detente.Event {
			note("code " + a.ID)
			if a.ID == "bang" {
				panic("nil map")
			}
			return nil
		},
	}
	ins := []Input{
		art("a", "S", "T", wireStory),
		{Err: errors.New("feed.jsonl:2: bad line")},
		art("empty", "S", "T", "Share\nCopied\n"),
		art("old", "S", "T", wireStory),
		art("boom", "S", "T", wireStory),
		art("bang", "S", "T", wireStory),
		art("b", "S", "T", wireStory),
	}
	got := prepareGroup(st, ins)
	if len(got) != len(ins) {
		t.Fatalf("%d results for %d inputs", len(got), len(ins))
	}
	for _, i := range []int{0, 6} {
		p := got[i]
		if p.Err != nil || p.Annotations == nil || p.Events == nil || !p.unstored {
			t.Errorf("%s: %+v, want annotated, coded (no events) and known unstored", ins[i].Article.ID, p)
		} else if p.Annotations.Segmentation != nil {
			t.Errorf("%s: the segmentation was kept after coding", p.Article.ID)
		} else if p.Fingerprint.Exact == "" || len(p.Fingerprint.Signature) == 0 {
			t.Errorf("%s: no fingerprint", p.Article.ID)
		}
	}
	if got[1].Err == nil || !strings.Contains(got[1].Err.Error(), "feed.jsonl:2") {
		t.Errorf("read error = %v", got[1].Err)
	}
	if got[2].Err == nil || !strings.Contains(got[2].Err.Error(), "no article text") {
		t.Errorf("empty article: %v", got[2].Err)
	}
	if !got[3].Stored || got[3].Err != nil || got[3].Annotations != nil {
		t.Errorf("stored article: %+v", got[3])
	}
	if got[4].Err == nil || !strings.Contains(got[4].Err.Error(), "index out of range") || got[4].Article != ins[4].Article {
		t.Errorf("panic in annotation: %+v", got[4])
	}
	if got[5].Err == nil || !strings.Contains(got[5].Err.Error(), "nil map") {
		t.Errorf("panic in coding: %+v", got[5])
	}
	// Stage by stage: every live article annotated before any is coded,
	// and the failed ones not coded.
	want := "annotate a,annotate boom,annotate bang,annotate b,code a,code bang,code b"
	if s := strings.Join(calls, ","); s != want {
		t.Errorf("stage calls\n got %s\nwant %s", s, want)
	}
}

// Prepare is a group of one: the same outcome as inside a group.
func TestPrepareAloneEqualsInAGroup(t *testing.T) {
	st := Stages{Hasher: dedup.NewHasher(dedup.DefaultConfig()), Annotate: func(a *detente.Article) *detente.Annotations {
		return &detente.Annotations{Sentences: []detente.Span{{Start: 0, End: len(a.Body)}}}
	}}
	alone := Prepare(st, art("x", "S", "T", wireStory).Article)
	grouped := prepareGroup(st, []Input{art("y", "S", "T", wireStory), art("x", "S", "T", wireStory)})[1]
	if alone.Article.ID != grouped.Article.ID || alone.Fingerprint.Exact != grouped.Fingerprint.Exact ||
		len(alone.Annotations.Sentences) != 1 || alone.Annotations.Sentences[0] != grouped.Annotations.Sentences[0] {
		t.Fatalf("alone %+v\ngrouped %+v", alone, grouped)
	}
}

// Inputs already waiting are prepared in groups, and a stream of more
// articles than a group holds still comes out whole and in order.
func TestPrepareAllGroupsWaitingInputsInOrder(t *testing.T) {
	var items []Input
	for i := range 3*groupSize + 5 {
		items = append(items, art(string(rune('A'+i%26))+strings.Repeat("x", i), "S", "T", wireStory))
	}
	i := 0
	for p := range PrepareAll(context.Background(), Stages{Hasher: dedup.NewHasher(dedup.DefaultConfig())}, feed(items...), 2) {
		if p.Err != nil || p.Article.ID != items[i].Article.ID {
			t.Fatalf("item %d came out as %+v", i, p)
		}
		i++
	}
	if i != len(items) {
		t.Fatalf("got %d of %d", i, len(items))
	}
}
