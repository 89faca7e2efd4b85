package events

import (
	"testing"

	"github.com/detente/detente"
)

func mention(article string, start int) detente.EventMention {
	return detente.EventMention{ArticleID: article, Sentence: detente.Span{Start: start, End: start + 40},
		VerbSpan: detente.Span{Start: start + 10, End: start + 14}}
}

func meet(date string, ms ...detente.EventMention) detente.Event {
	return detente.Event{Source: "chn", Target: " KOR", CAMEO: "036", Date: date, Mentions: ms}
}

func TestNormalizeFillsWhatTheCodeDeterminesAndRefusesWhatCannotBeStored(t *testing.T) {
	e := meet("2024-05-06T08:00:00Z")
	e.Goldstein, e.Quad = 99, 4 // wrong: the code decides
	if err := Normalize(&e); err != nil {
		t.Fatal(err)
	}
	if e.Source != "CHN" || e.Target != "KOR" || e.Base != "036" || e.Root != "03" || e.Quad != 1 ||
		e.Goldstein != 4 || e.PLOVER == "" || e.Date != "2024-05-06" || e.ID == "" {
		t.Errorf("normalized = %+v", e)
	}
	for name, bad := range map[string]detente.Event{
		"an unknown code":       {CAMEO: "999"},
		"a date in words":       {CAMEO: "036", Date: "May 6"},
		"a latitude beyond 90°": {CAMEO: "036", Location: &detente.Location{Lat: 100}},
	} {
		if err := Normalize(&bad); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
}

func TestIDsAreStableAndFollowTheKey(t *testing.T) {
	a, b, c := meet("2024-05-06"), meet("2024-05-06"), meet("2024-05-07")
	for _, e := range []*detente.Event{&a, &b, &c} {
		if err := Normalize(e); err != nil {
			t.Fatal(err)
		}
	}
	if a.ID != b.ID || a.ID == c.ID {
		t.Errorf("IDs %s, %s, %s: want the same key to give the same ID and another day another", a.ID, b.ID, c.ID)
	}
}

func TestMergerCountsMentionsArticlesAndSources(t *testing.T) {
	cases := []struct {
		name                        string
		add                         func(m *Merger)
		mentions, articles, sources int
	}{
		{"two outlets report the same event", func(m *Merger) {
			m.Add("CGTN", []detente.Event{meet("2024-05-06", mention("a1", 0))})
			m.Add("Yonhap", []detente.Event{meet("2024-05-06", mention("a2", 0))})
		}, 2, 2, 2},
		{"one article reports it twice", func(m *Merger) {
			m.Add("CGTN", []detente.Event{meet("2024-05-06", mention("a1", 0), mention("a1", 50))})
		}, 2, 1, 1},
		{"the same article added twice", func(m *Merger) {
			m.Add("CGTN", []detente.Event{meet("2024-05-06", mention("a1", 0))})
			m.Add("CGTN", []detente.Event{meet("2024-05-06", mention("a1", 0))})
		}, 1, 1, 1},
		{"outlets differing in case are one source", func(m *Merger) {
			m.Add("CGTN", []detente.Event{meet("2024-05-06", mention("a1", 0))})
			m.Add("cgtn", []detente.Event{meet("2024-05-06", mention("a2", 0))})
		}, 2, 2, 1},
		{"unknown outlets are each their own source", func(m *Merger) {
			m.Add("", []detente.Event{meet("2024-05-06", mention("a1", 0))})
			m.Add("", []detente.Event{meet("2024-05-06", mention("a2", 0))})
		}, 2, 2, 2},
		{"a copy adds its article and outlet", func(m *Merger) {
			m.Add("CGTN", []detente.Event{meet("2024-05-06", mention("a1", 0))})
			m.AddCopy("a1", "c1", "Xinhua")
			m.AddCopy("a1", "c1", "Xinhua")
		}, 2, 2, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m Merger
			c.add(&m)
			evs := m.Events()
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1", len(evs))
			}
			e := evs[0]
			if e.NumMentions != c.mentions || e.NumArticles != c.articles || e.NumSources != c.sources || len(e.Mentions) != c.mentions {
				t.Errorf("counts %d/%d/%d with %d mentions, want %d/%d/%d", e.NumMentions, e.NumArticles, e.NumSources,
					len(e.Mentions), c.mentions, c.articles, c.sources)
			}
		})
	}
}

func TestMergerKeepsDifferentDaysApartAndReportsBadEvents(t *testing.T) {
	var m Merger
	errs := m.Add("CGTN", []detente.Event{meet("2024-05-06", mention("a1", 0)), meet("2024-05-07", mention("a1", 50)),
		{CAMEO: "999"}})
	if len(errs) != 1 || len(m.Events()) != 2 {
		t.Errorf("errors %v, %d events; want the bad event refused and two days kept apart", errs, len(m.Events()))
	}
}
