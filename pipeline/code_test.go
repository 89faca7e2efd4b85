package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/detente/detente"
)

// fakeCoder codes one event per article that names Geneva, and says in
// the explanation whether it saw the article's annotations.
func fakeCoder(a *detente.Article, ann *detente.Annotations) []detente.Event {
	if !strings.Contains(a.Body, "Geneva") {
		return nil
	}
	saw := "no annotations"
	if ann != nil {
		saw = "annotated"
	}
	return []detente.Event{{Source: "IGO", Target: "UNO", CAMEO: "036",
		Mentions: []detente.EventMention{{ArticleID: a.ID, Explanation: saw}}}}
}

func TestIngestStoresEachArticlesCodedEventsWithIt(t *testing.T) {
	cases := []struct {
		name     string
		annotate bool
		refuse   string
		want     string
	}{
		{"coded after annotation", true, "", "annotated"},
		{"coded without annotations", false, "", "no annotations"},
		{"kept when the store refuses another article of the batch", true, "bad", "annotated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newMemStore()
			s.refuse = c.refuse
			g := newIngester(s, 10)
			g.Code = fakeCoder
			if c.annotate {
				g.Annotate = func(a *detente.Article) *detente.Annotations { return &detente.Annotations{} }
			}
			sum, err := g.Run(context.Background(), feed(
				art("geneva", "Reuters", "Talks", wireStory),
				art("bad", "AP", "Refused", "Nothing about the talks here at all."),
				art("other", "AP", "Weather", "Rain is expected over the weekend in most of the north."),
			))
			if err != nil {
				t.Fatal(err)
			}
			evs := s.events["geneva"]
			if len(evs) != 1 || evs[0].Mentions[0].Explanation != c.want {
				t.Errorf("events stored with the Geneva article = %+v; want one, %s (summary %v)", evs, c.want, sum)
			}
			if e, ok := s.events["other"]; !ok || e == nil || len(e) != 0 {
				t.Errorf("an article with no events was stored with %v (present %v); want an empty, non-nil list", e, ok)
			}
		})
	}
}

func TestIngestWithoutACoderStoresNoEvents(t *testing.T) {
	s := newMemStore()
	if _, err := newIngester(s, 10).Run(context.Background(), feed(art("geneva", "Reuters", "Talks", wireStory))); err != nil {
		t.Fatal(err)
	}
	if len(s.events) != 0 {
		t.Errorf("events stored without a coder: %v", s.events)
	}
}
