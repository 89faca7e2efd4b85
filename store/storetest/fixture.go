package storetest

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/detente/detente"
)

// The fixture: a small news day written for these tests. Two outlets
// report a China–Russia agreement (one event merged from both), copies of
// the first report (exact, near, and an exact copy of the near one), a
// drill near Taiwan with a place, talks with the United States over two
// months, and an article stored without annotations or events.

// art is one fixture article with its annotations and events.
type art struct {
	a        detente.Article
	ents     []entity
	events   []event
	dup      *detente.Duplicate
	noAnnots bool
	bands    []uint64
}

// entity names a mention by its text, found in the body.
type entity struct {
	text, typ, canonical, actor, country string
	lat, lon                             *float64
}

// event is coded from the sentence holding verb.
type event struct {
	source, target, code, date, verb string
	loc                              *detente.Location
	mode                             string
}

func f(x float64) *float64 { return &x }

var fixture = []art{
	{a: detente.Article{ID: "a1", URL: "https://xinhua.example/1", Source: "Xinhua", Title: "China and Russia sign trade agreement",
		Published: "2024-05-06", Language: "en", Tags: []string{"trade", "Diplomacy", "trade"},
		Captions: []detente.Caption{{Text: "Delegates shake hands.", Credit: "Xinhua Photo"}},
		Body:     "China and Russia signed a trade agreement in Beijing on Monday.\nOfficials praised the long negotiations over tariffs.\nThe agreement covers energy."},
		ents: []entity{{"China", "GPE", "China", "CHN", "CHN", f(35), f(103)}, {"Russia", "GPE", "Russia", "RUS", "RUS", f(60), f(90)},
			{"Beijing", "GPE", "Beijing", "", "CHN", f(39.9), f(116.4)}},
		events: []event{{"CHN", "RUS", "057", "2024-05-06", "signed", nil, ""}},
		bands:  []uint64{11, 12, 13}},
	{a: detente.Article{ID: "a2", URL: "https://tass.example/2", Source: "TASS", Title: "Moscow welcomes accord with Beijing",
		Published: "2024-05-07", Language: "en",
		Body: "Russia welcomed the accord it signed with China.\nThe Kremlin praised Chinese leaders for the talks."},
		ents: []entity{{"Russia", "GPE", "Russia", "RUS", "RUS", nil, nil}, {"China", "GPE", "China", "CHN", "CHN", nil, nil},
			{"Kremlin", "ORG", "Kremlin", "RUSGOV", "RUS", nil, nil}},
		events: []event{{"CHN", "RUS", "057", "2024-05-06", "signed", &detente.Location{Name: "Beijing", Country: "CHN", Lat: 39.9, Lon: 116.4}, ""},
			{"RUSGOV", "CHN", "051", "2024-05-07", "praised", nil, ""}},
		bands: []uint64{21, 22}},
	{a: detente.Article{ID: "a3", URL: "https://reuters.example/3", Source: "Reuters", Title: "China and Russia sign trade agreement",
		Published: "2024-05-06", Body: "China and Russia signed a trade agreement in Beijing on Monday.\nOfficials praised the long negotiations over tariffs.\nThe agreement covers energy."},
		dup: &detente.Duplicate{Of: "a1", Kind: detente.CopyExact, Similarity: 1}},
	{a: detente.Article{ID: "a4", URL: "https://ap.example/4", Source: "AP", Title: "China, Russia sign pact",
		Body: "China and Russia signed a trade agreement in Beijing on Monday.\nOfficials praised the negotiations."},
		dup: &detente.Duplicate{Of: "a1", Kind: detente.CopyNear, Similarity: 0.8}},
	{a: detente.Article{ID: "a5", URL: "https://bbc.example/5", Source: "BBC", Title: "China, Russia sign pact", Published: "2024-05-08",
		Body: "China and Russia signed a trade agreement in Beijing on Monday.\nOfficials praised the negotiations."},
		dup: &detente.Duplicate{Of: "a4", Kind: detente.CopyExact, Similarity: 1}},
	{a: detente.Article{ID: "a6", URL: "https://cgtn.example/6", Source: "CGTN", Title: "Chinese navy drills near Taiwan",
		Published: "2024-06-15", Language: "en",
		Body: "The Chinese navy held military drills near Taiwan on Saturday.\nTaipei condemned the exercises in the Taiwan Strait."},
		ents: []entity{{"Chinese navy", "ORG", "People's Liberation Army Navy", "CHNMIL", "CHN", nil, nil}, {"Taiwan", "GPE", "Taiwan", "TWN", "TWN", f(23.7), f(121)},
			{"Taipei", "GPE", "Taipei", "TWNGOV", "TWN", nil, nil}, {"Taiwan Strait", "LOC", "Taiwan Strait", "", "TWN", f(24), f(119.5)}},
		events: []event{{"CHNMIL", "TWN", "150", "2024-06-15", "held", &detente.Location{Name: "Taiwan Strait", Country: "TWN", Lat: 24, Lon: 119.5}, ""},
			{"TWNGOV", "CHNMIL", "111", "2024-06-15", "condemned", nil, ""}},
		bands: []uint64{61, 62}},
	{a: detente.Article{ID: "a7", URL: "https://xinhua.example/7", Source: "xinhua ", Title: "Beijing hosts US envoy for talks",
		Published: "2024-07-03T08:00:00Z", Language: "en",
		Body: "China hosted an American envoy for talks on Wednesday.\nChina and Russia signed a trade agreement earlier, officials recalled.\nThe envoy will return in September."},
		ents: []entity{{"China", "GPE", "China", "CHN", "CHN", nil, nil}, {"American", "NORP", "United States", "USA", "USA", nil, nil}},
		events: []event{{"CHN", "USA", "043", "2024-07-03", "hosted", nil, ""},
			{"CHN", "RUS", "057", "2024-05-06", "signed", nil, ""},
			{"USA", "CHN", "036", "2024-09-10", "return", nil, "future"}},
		bands: []uint64{71, 11}},
	{a: detente.Article{ID: "a8", URL: "https://blog.example/8", Title: "Weather notes", Published: "2023-12-31",
		Tags: []string{"weather"}, Body: "Snow fell across the north.\nRoads were closed."},
		noAnnots: true, bands: []uint64{81}},
	{a: detente.Article{ID: "a9", URL: "https://usdaily.example/9", Source: "US Daily", Title: "Washington answers Beijing",
		Published: "2024-09-12", Language: "en",
		Body: "The United States criticized China over trade on Thursday.\nOfficials in Washington expect more talks."},
		ents: []entity{{"United States", "GPE", "United States", "USA", "USA", nil, nil}, {"China", "GPE", "China", "CHN", "CHN", nil, nil}},
		events: []event{{"USA", "CHN", "111", "2024-09-12", "criticized", nil, ""},
			{"USA", "CHN", "036", "2024-09-10", "expect", nil, ""}},
		bands: []uint64{91}},
}

// runeIndex is the code point offset of sub in s, -1 when absent.
func runeIndex(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return -1
	}
	return utf8.RuneCountInString(s[:i])
}

// sentences splits a body at its newlines.
func sentences(body string) []detente.Span {
	var out []detente.Span
	start := 0
	for _, line := range strings.Split(body, "\n") {
		n := utf8.RuneCountInString(line)
		out = append(out, detente.Span{Start: start, End: start + n})
		start += n + 1
	}
	return out
}

func spanOf(body, text string) detente.Span {
	i := runeIndex(body, text)
	if i < 0 {
		panic(fmt.Sprintf("storetest fixture: %q not in %q", text, body))
	}
	return detente.Span{Start: i, End: i + utf8.RuneCountInString(text)}
}

// item makes the PutItem of a fixture article.
func (x art) item() detente.PutItem {
	a := x.a
	it := detente.PutItem{Article: &a, Fingerprint: fingerprint(a.Body, x.bands...), Duplicate: x.dup}
	if x.dup != nil {
		return it
	}
	sents := sentences(a.Body)
	if !x.noAnnots {
		ann := &detente.Annotations{Sentences: sents}
		for _, e := range x.ents {
			sp := spanOf(a.Body, e.text)
			ann.Entities = append(ann.Entities, detente.Entity{Text: e.text, Start: sp.Start, End: sp.End, Type: e.typ,
				Canonical: e.canonical, Actor: e.actor, Country: e.country, Lat: e.lat, Lon: e.lon, Source: "kb"})
		}
		if i := runeIndex(a.Body, "Monday"); i >= 0 {
			ann.Times = append(ann.Times, detente.TimeExpr{Text: "Monday", Start: i, End: i + 6, Value: a.Published, Type: "DATE"})
		}
		it.Annotations = ann
	}
	if x.events != nil || !x.noAnnots {
		it.Events = []detente.Event{}
	}
	for _, e := range x.events {
		v := spanOf(a.Body, e.verb)
		var sent detente.Span
		for _, s := range sents {
			if s.Start <= v.Start && v.End <= s.End {
				sent = s
			}
		}
		it.Events = append(it.Events, detente.Event{Source: e.source, Target: e.target, CAMEO: e.code, Date: e.date,
			Location: e.loc, Mode: e.mode,
			Mentions: []detente.EventMention{{ArticleID: a.ID, Sentence: sent, SourceSpan: detente.Span{Start: sent.Start, End: sent.Start + 1},
				VerbSpan: v, RootEvent: sent.Start == 0, Confidence: 0.75, Explanation: "fixture: " + e.verb}}})
	}
	return it
}

// items is the whole fixture as PutItems, in order.
func items() []detente.PutItem {
	out := make([]detente.PutItem, len(fixture))
	for i, x := range fixture {
		out[i] = x.item()
	}
	return out
}
