package storetest

import (
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
)

// MentionItems are two annotated articles whose entities are mentioned
// more than once: in other words, in other letter cases, once without an
// actor, and a place with coordinates twice. Stores keep one row per
// distinct entity of an article, so this is what checks that counts and
// filters still see every mention; stores' migration tests use it too.
func MentionItems() []detente.PutItem {
	var out []detente.PutItem
	add := func(a detente.Article, ents ...detente.Entity) {
		ann := &detente.Annotations{Sentences: sentences(a.Body), Acronyms: []detente.Acronym{},
			Times: []detente.TimeExpr{}, Quotes: []detente.Quote{}, Entities: ents}
		out = append(out, detente.PutItem{Article: &a, Fingerprint: fingerprint(a.Body), Annotations: ann})
	}
	// m is the mention of text at or after code point from.
	m := func(body, text string, from int, typ, canonical, actor, country string) detente.Entity {
		rs := []rune(body)
		i := runeIndex(string(rs[from:]), text)
		if i < 0 {
			panic("storetest fixture: " + text + " not in " + body)
		}
		s := from + i
		return detente.Entity{Text: text, Start: s, End: s + utf8.RuneCountInString(text), Type: typ,
			Canonical: canonical, Actor: actor, Country: country, Source: "kb"}
	}
	b1 := "Kim Jong Un met Donald Trump in Hanoi. Trump said KIM was a friend. In Hanoi, Kim smiled. HANOI cheered."
	hanoi1 := m(b1, "Hanoi", 0, detente.EntityGPE, "Hanoi", "", "VNM")
	hanoi1.Lat, hanoi1.Lon = f(21.03), f(105.85)
	hanoi2 := m(b1, "Hanoi", 40, detente.EntityGPE, "Hanoi", "", "VNM")
	hanoi2.Lat, hanoi2.Lon = f(21.03), f(105.85)
	add(detente.Article{ID: "m1", Source: "Yonhap", Published: "2019-02-28", Title: "Summit in Hanoi", Body: b1},
		m(b1, "Kim Jong Un", 0, detente.EntityPerson, "Kim Jong Un", "PRKGOV", "PRK"),
		m(b1, "Donald Trump", 0, detente.EntityPerson, "Donald Trump", "USAGOV", "USA"),
		hanoi1,
		m(b1, "Trump", 30, detente.EntityPerson, "Donald Trump", "USAGOV", "USA"),
		m(b1, "KIM", 0, detente.EntityPerson, "Kim Jong Un", "", "PRK"),
		hanoi2,
		m(b1, "Kim", 60, detente.EntityPerson, "Kim Jong Un", "PRKGOV", "PRK"),
		m(b1, "HANOI", 0, detente.EntityGPE, "", "", "VNM"))
	b2 := "Donald Trump left Vietnam. Trump flew home."
	add(detente.Article{ID: "m2", Source: "AP", Published: "2019-03-01", Title: "Trump flies home", Body: b2},
		m(b2, "Donald Trump", 0, detente.EntityPerson, "Donald Trump", "USAGOV", "USA"),
		m(b2, "Vietnam", 0, detente.EntityGPE, "Vietnam", "VNM", "VNM"),
		m(b2, "Trump", 20, detente.EntityPerson, "Donald Trump", "USAGOV", "USA"))
	return out
}

func testRepeatedMentions(t *testing.T, open Open) {
	db := open(t)
	items := MentionItems()
	if _, err := db.PutBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if got := must(db.Entities(ctx, it.Article.ID))(t); !reflect.DeepEqual(got, it.Annotations.Entities) {
			t.Errorf("Entities(%s) = %+v; want every mention %+v", it.Article.ID, got, it.Annotations.Entities)
		}
	}
	top := must(db.TopEntities(ctx, detente.SearchFilter{}, 10))(t)
	if len(top) == 4 && (top[1].Name == "Hanoi" || top[1].Name == "HANOI") {
		top[1].Name = "Hanoi" // names differing in case only are one, in either spelling
	}
	want := []detente.EntityCount{
		{Name: "Donald Trump", Type: detente.EntityPerson, Actor: "USAGOV", Country: "USA", Articles: 2, Mentions: 4},
		{Name: "Hanoi", Type: detente.EntityGPE, Country: "VNM", Articles: 1, Mentions: 3},
		{Name: "Kim Jong Un", Type: detente.EntityPerson, Actor: "PRKGOV", Country: "PRK", Articles: 1, Mentions: 3},
		{Name: "Vietnam", Type: detente.EntityGPE, Actor: "VNM", Country: "VNM", Articles: 1, Mentions: 1},
	}
	if !reflect.DeepEqual(top, want) {
		t.Errorf("TopEntities:\n got %+v\nwant %+v", top, want)
	}
	top = must(db.TopEntities(ctx, detente.SearchFilter{Country: "PRK"}, 10, detente.EntityPerson))(t)
	want = []detente.EntityCount{
		{Name: "Kim Jong Un", Type: detente.EntityPerson, Actor: "PRKGOV", Country: "PRK", Articles: 1, Mentions: 3},
		{Name: "Donald Trump", Type: detente.EntityPerson, Actor: "USAGOV", Country: "USA", Articles: 1, Mentions: 2},
	}
	if !reflect.DeepEqual(top, want) {
		t.Errorf("TopEntities(PRK, persons):\n got %+v\nwant %+v", top, want)
	}
	for _, c := range []struct {
		f    detente.SearchFilter
		want []string
	}{
		{detente.SearchFilter{Entity: "kim jong un"}, []string{"m1"}},
		{detente.SearchFilter{Entity: "prkgov"}, []string{"m1"}},
		{detente.SearchFilter{Entity: "HANOI"}, []string{"m1"}},
		{detente.SearchFilter{Country: "VNM"}, []string{"m2", "m1"}},
		{detente.SearchFilter{Entity: "Donald Trump", Country: "prk"}, []string{"m1"}},
		{detente.SearchFilter{Entity: "Vietnam", Query: "home"}, []string{"m2"}},
	} {
		hits, total := must2(t, db, c.f)
		if !slices.Equal(hitIDs(hits), c.want) || total != len(c.want) {
			t.Errorf("Search(%+v) = %v (%d); want %v", c.f, hitIDs(hits), total, c.want)
		}
	}
}
