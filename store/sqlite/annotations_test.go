package sqlite

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
)

// span finds the first occurrence of text in body at or after from (in
// code points) and returns its code-point offsets; it fails the test when
// there is none.
func span(t testing.TB, body, text string, from int) (int, int) {
	t.Helper()
	rs := []rune(body)
	if from > len(rs) {
		t.Fatalf("%q: from %d past the body", text, from)
	}
	i := strings.Index(string(rs[from:]), text)
	if i < 0 {
		t.Fatalf("%q is not in the body after %d", text, from)
	}
	start := from + utf8.RuneCountInString(string(rs[from:])[:i])
	return start, start + utf8.RuneCountInString(text)
}

func ptr(f float64) *float64 { return &f }

// ent is an entity mention of text in body with the given attributes.
func ent(t testing.TB, body, text, typ, canonical, actor, country string) detente.Entity {
	t.Helper()
	s, e := span(t, body, text, 0)
	return detente.Entity{Text: text, Start: s, End: e, Type: typ, Canonical: canonical, Actor: actor,
		Country: country, Source: "kb"}
}

// pactAnnotations annotates the story() original the way the annotation
// layer would: people, places with coordinates, a date and a quote.
func pactAnnotations(t testing.TB, body string) *detente.Annotations {
	t.Helper()
	tehran := ent(t, body, "Tehran", detente.EntityGPE, "Tehran", "IRN", "IRN")
	tehran.Lat, tehran.Lon = ptr(35.69439), ptr(51.42151)
	ts, te := span(t, body, "Saturday", 0)
	qs, qe := span(t, body, "The pact covers trade and energy.", 0)
	return &detente.Annotations{
		Sentences: []detente.Span{{Start: 0, End: qs - 1}, {Start: qs, End: qe}},
		Entities: []detente.Entity{
			ent(t, body, "China", detente.EntityGPE, "China", "CHN", "CHN"),
			ent(t, body, "Iran", detente.EntityGPE, "Iran", "IRN", "IRN"),
			tehran,
		},
		Acronyms: []detente.Acronym{},
		Times:    []detente.TimeExpr{{Text: "Saturday", Start: ts, End: te, Value: "2021-03-27", Type: "DATE"}},
		Quotes:   []detente.Quote{{Text: "The pact covers trade and energy.", Start: qs, End: qe, Speaker: "Wang Yi", Actor: "CHNGOV"}},
	}
}

func TestAnnotationsAreStoredWithTheOriginalAndReadBack(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	orig, exact, near := story()
	ann := pactAnnotations(t, orig.Body)
	// A copy's own annotations must be ignored: its original's stand.
	copyAnn := &detente.Annotations{Entities: []detente.Entity{ent(t, exact.Body, "China", detente.EntityGPE, "Copyland", "", "")}}
	plain := generated("plain", 1)
	st, err := db.PutBatch(ctx, []detente.PutItem{
		{Article: orig, Fingerprint: fingerprint(orig.Body), Annotations: ann},
		{Article: exact, Fingerprint: fingerprint(exact.Body), Annotations: copyAnn,
			Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact, Similarity: 1}},
		{Article: near, Fingerprint: fingerprint(near.Body),
			Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyNear, Similarity: 0.8}},
		{Article: plain, Fingerprint: fingerprint(plain.Body)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []detente.PutStatus{detente.PutNew, detente.PutExactCopy, detente.PutNearCopy, detente.PutNew}; !reflect.DeepEqual(st, want) {
		t.Fatalf("statuses %v, want %v", st, want)
	}
	for _, id := range []string{orig.ID, exact.ID, near.ID} {
		got, err := db.Annotations(ctx, id)
		if err != nil {
			t.Fatalf("Annotations(%s): %v", id, err)
		}
		if !reflect.DeepEqual(got, ann) {
			t.Errorf("Annotations(%s) = %+v, want the original's %+v", id, got, ann)
		}
		ents, err := db.Entities(ctx, id)
		if err != nil {
			t.Fatalf("Entities(%s): %v", id, err)
		}
		if !reflect.DeepEqual(ents, ann.Entities) {
			t.Errorf("Entities(%s) = %+v, want %+v", id, ents, ann.Entities)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM entities WHERE name = 'Copyland'"); n != 0 {
		t.Errorf("a copy's annotations were stored (%d entity rows)", n)
	}
	if n := count(t, db, "SELECT count(*) FROM entities"); n != 3 {
		t.Errorf("%d entity rows, want 3 (China, Iran, Tehran)", n)
	}

	got, err := db.Annotations(ctx, plain.ID)
	if err != nil || got != nil {
		t.Errorf("Annotations of an unannotated article = %+v, %v; want nil, nil", got, err)
	}
	if ents, err := db.Entities(ctx, plain.ID); err != nil || len(ents) != 0 {
		t.Errorf("Entities of an unannotated article = %+v, %v; want none", ents, err)
	}
	for name, f := range map[string]func() error{
		"Annotations": func() error { _, err := db.Annotations(ctx, "nope"); return err },
		"Entities":    func() error { _, err := db.Entities(ctx, "nope"); return err },
		"PutAnnotations": func() error {
			return db.PutAnnotations(ctx, "nope", &detente.Annotations{})
		},
	} {
		if err := f(); detente.ErrorCode(err) != detente.ENOTFOUND {
			t.Errorf("%s of an unknown ID: %v, want ENOTFOUND", name, err)
		}
	}
	if s, err := db.Stats(ctx); err != nil || s.Annotated != 1 {
		t.Errorf("Stats().Annotated = %d, %v; want 1", s.Annotated, err)
	}
}

func TestAnnotationListsAreStoredAsEmptyListsNotNull(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	a := generated("empty", 1)
	if _, err := db.PutBatch(ctx, []detente.PutItem{{Article: a, Fingerprint: fingerprint(a.Body),
		Annotations: &detente.Annotations{}}}); err != nil {
		t.Fatal(err)
	}
	var js string
	if err := db.db.QueryRow("SELECT json FROM annotations").Scan(&js); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(js, "null") {
		t.Errorf("stored JSON %s has null lists", js)
	}
	got, err := db.Annotations(ctx, a.ID)
	if err != nil || got == nil || got.Entities == nil || len(got.Entities) != 0 {
		t.Errorf("Annotations = %+v, %v; want empty, non-nil lists", got, err)
	}
}

func TestPutAnnotationsReplacesOrRemovesAnArticlesAnnotations(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	orig, exact, _ := story()
	mustPut(t, db, orig, fingerprint(orig.Body), nil)
	mustPut(t, db, exact, fingerprint(exact.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact, Similarity: 1})

	first := pactAnnotations(t, orig.Body)
	if err := db.PutAnnotations(ctx, orig.ID, first); err != nil {
		t.Fatal(err)
	}
	// Annotating again through a copy's ID reaches the original.
	second := &detente.Annotations{Sentences: []detente.Span{}, Acronyms: []detente.Acronym{},
		Times: []detente.TimeExpr{}, Quotes: []detente.Quote{},
		Entities: []detente.Entity{ent(t, orig.Body, "Iran", detente.EntityGPE, "Iran", "IRN", "IRN")}}
	if err := db.PutAnnotations(ctx, exact.ID, second); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Annotations(ctx, orig.ID); !reflect.DeepEqual(got, second) {
		t.Errorf("after replacing, Annotations = %+v, want %+v", got, second)
	}
	for table, want := range map[string]int{"annotations": 1, "entities": 1} {
		if n := count(t, db, "SELECT count(*) FROM "+table); n != want {
			t.Errorf("after replacing, %d rows in %s, want %d", n, table, want)
		}
	}
	if err := db.PutAnnotations(ctx, orig.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Annotations(ctx, orig.ID); got != nil || err != nil {
		t.Errorf("after removing, Annotations = %+v, %v; want nil", got, err)
	}
	if n := count(t, db, "SELECT count(*) FROM entities"); n != 0 {
		t.Errorf("after removing, %d entity rows are left", n)
	}
}

func TestAnnotationsWithImpossibleSpansOrCoordinatesAreRefused(t *testing.T) {
	a := &detente.Article{ID: "short", Body: "Xi met Moon in Seoul."} // 21 code points
	cases := []struct {
		name string
		ann  detente.Annotations
	}{
		{"an entity past the end of the body", detente.Annotations{Entities: []detente.Entity{{Text: "x", Start: 20, End: 22}}}},
		{"an entity ending before it starts", detente.Annotations{Entities: []detente.Entity{{Text: "x", Start: 5, End: 4}}}},
		{"a negative offset", detente.Annotations{Times: []detente.TimeExpr{{Start: -1, End: 2}}}},
		{"a sentence past the end", detente.Annotations{Sentences: []detente.Span{{Start: 0, End: 99}}}},
		{"a quote past the end", detente.Annotations{Quotes: []detente.Quote{{Start: 0, End: 22}}}},
		{"a latitude that is not a number", detente.Annotations{Entities: []detente.Entity{{Start: 15, End: 20, Lat: ptr(math.NaN())}}}},
		{"a longitude off the globe", detente.Annotations{Entities: []detente.Entity{{Start: 15, End: 20, Lon: ptr(181)}}}},
		{"an infinite latitude", detente.Annotations{Entities: []detente.Entity{{Start: 15, End: 20, Lat: ptr(math.Inf(1))}}}},
	}
	for _, c := range cases {
		db := openTemp(t)
		ok := generated("ok", 1)
		_, err := db.PutBatch(context.Background(), []detente.PutItem{
			{Article: ok, Fingerprint: fingerprint(ok.Body)},
			{Article: a, Fingerprint: fingerprint(a.Body), Annotations: &c.ann},
		})
		if detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("%s: PutBatch error %v, want EINVALID", c.name, err)
		}
		if n := count(t, db, "SELECT count(*) FROM copies"); n != 0 {
			t.Errorf("%s: %d articles stored, want none of the batch", c.name, n)
		}
		mustPut(t, db, a, fingerprint(a.Body), nil)
		if err := db.PutAnnotations(context.Background(), a.ID, &c.ann); detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("%s: PutAnnotations error %v, want EINVALID", c.name, err)
		}
	}
}

func TestOffsetsCountCodePointsNotBytes(t *testing.T) {
	db := openTemp(t)
	// "Genève" is 6 code points and 7 bytes; the span of "Suisse" ends at
	// the body's last code point, which byte counting would put past it.
	a := &detente.Article{ID: "geneve", Body: "Réunion à Genève, Suisse"}
	s, e := span(t, a.Body, "Suisse", 0)
	if e != utf8.RuneCountInString(a.Body) {
		t.Fatalf("fixture: Suisse ends at %d", e)
	}
	ann := &detente.Annotations{Entities: []detente.Entity{{Text: "Suisse", Start: s, End: e, Type: detente.EntityGPE, Country: "CHE"}}}
	if _, err := db.PutBatch(context.Background(), []detente.PutItem{{Article: a, Fingerprint: fingerprint(a.Body), Annotations: ann}}); err != nil {
		t.Errorf("a span ending at the last code point was refused: %v", err)
	}
}

// entityStore holds annotated articles for entity and country search.
func entityStore(t *testing.T) *DB {
	t.Helper()
	db := openTemp(t)
	arts := []struct {
		a    *detente.Article
		ents [][4]string // text, canonical, actor, country
	}{
		{&detente.Article{ID: "xi-moon", Source: "Yonhap", Published: "2017-11-11", Title: "Xi and Moon meet in Da Nang",
			Body: "Chinese President Xi Jinping met South Korean President Moon Jae-in. Xi spoke of THAAD."},
			[][4]string{{"Xi Jinping", "Xi Jinping", "CHNGOV", "CHN"}, {"Moon Jae-in", "Moon Jae-in", "KORGOV", "KOR"},
				{"Xi", "Xi Jinping", "CHNGOV", "CHN"}, {"THAAD", "Terminal High Altitude Area Defense", "", "USA"}}},
		{&detente.Article{ID: "xi-trade", Source: "CGTN", Published: "2018-03-01", Title: "Xi on trade",
			Body: "Xi Jinping said trade with the United States must be fair."},
			[][4]string{{"Xi Jinping", "Xi Jinping", "CHNGOV", "CHN"}, {"United States", "United States", "USA", "USA"}}},
		{&detente.Article{ID: "seongju", Source: "Yonhap", Published: "2017-03-07", Title: "Protest in Seongju over trade",
			Body: "Residents of Seongju protested the missile defense system."},
			[][4]string{{"Residents", "", "KORCVL", "KOR"}, {"Seongju", "Seongju", "", "KOR"}}},
		{&detente.Article{ID: "unknown-name", Source: "Blog", Published: "2019-01-01", Title: "A visit",
			Body: "Zorblat Quux visited the region."},
			[][4]string{{"Zorblat Quux", "", "", ""}}},
		{&detente.Article{ID: "plain", Source: "Yonhap", Published: "2020-01-01", Title: "Xi Jinping, unannotated",
			Body: "Xi Jinping appears here but the article was stored without annotations."}, nil},
	}
	for _, x := range arts {
		it := detente.PutItem{Article: x.a, Fingerprint: fingerprint(x.a.Body)}
		if x.ents != nil {
			it.Annotations = &detente.Annotations{}
			from := 0
			for _, e := range x.ents {
				s, end := span(t, x.a.Body, e[0], from)
				from = end
				it.Annotations.Entities = append(it.Annotations.Entities, detente.Entity{Text: e[0], Start: s, End: end,
					Type: detente.EntityPerson, Canonical: e[1], Actor: e[2], Country: e[3]})
			}
		}
		if _, err := db.PutBatch(context.Background(), []detente.PutItem{it}); err != nil {
			t.Fatal(err)
		}
	}
	cp := &detente.Article{ID: "xi-trade-copy", Source: "Xinhua", Published: "2018-03-02", Body: arts[1].a.Body}
	mustPut(t, db, cp, fingerprint(cp.Body), &detente.Duplicate{Of: "xi-trade", Kind: detente.CopyExact, Similarity: 1})
	return db
}

func TestSearchFindsArticlesByEntityAndCountry(t *testing.T) {
	db := entityStore(t)
	cases := []struct {
		name string
		f    detente.SearchFilter
		want []string
	}{
		{"an entity's canonical name finds every article mentioning it, newest first", detente.SearchFilter{Entity: "Xi Jinping"}, []string{"xi-trade", "xi-moon"}},
		{"the canonical name matches without case", detente.SearchFilter{Entity: "xi jinping"}, []string{"xi-trade", "xi-moon"}},
		{"surrounding spaces do not matter", detente.SearchFilter{Entity: "  Moon Jae-in "}, []string{"xi-moon"}},
		{"a short mention is found by its canonical name, not its text", detente.SearchFilter{Entity: "Xi"}, []string{}},
		{"an actor code finds its actor", detente.SearchFilter{Entity: "KORGOV"}, []string{"xi-moon"}},
		{"an actor code matches in lower case too", detente.SearchFilter{Entity: "korcvl"}, []string{"seongju"}},
		{"an actor code is whole, not a prefix", detente.SearchFilter{Entity: "KOR"}, []string{}},
		{"an entity without a canonical name is found by its text", detente.SearchFilter{Entity: "zorblat quux"}, []string{"unknown-name"}},
		{"an acronym's long form finds it", detente.SearchFilter{Entity: "Terminal High Altitude Area Defense"}, []string{"xi-moon"}},
		{"a country finds articles with an entity of it", detente.SearchFilter{Country: "KOR"}, []string{"xi-moon", "seongju"}},
		{"a country code matches in lower case", detente.SearchFilter{Country: "usa"}, []string{"xi-trade", "xi-moon"}},
		{"entity and country must both hold", detente.SearchFilter{Entity: "Xi Jinping", Country: "KOR"}, []string{"xi-moon"}},
		{"an entity combines with words", detente.SearchFilter{Query: "trade", Entity: "Xi Jinping"}, []string{"xi-trade"}},
		{"a country combines with words", detente.SearchFilter{Query: "trade", Country: "KOR"}, []string{"seongju"}},
		{"an entity combines with dates", detente.SearchFilter{Entity: "CHNGOV", From: "2017-01-01", To: "2017-12-31"}, []string{"xi-moon"}},
		{"an entity combines with an outlet that carried a copy", detente.SearchFilter{Entity: "Xi Jinping", Source: "xinhua"}, []string{"xi-trade"}},
		{"an unannotated article is not found by entity even if its text names it", detente.SearchFilter{Query: "unannotated", Entity: "Xi Jinping"}, []string{}},
		{"an unknown entity finds nothing", detente.SearchFilter{Entity: "Nobody"}, []string{}},
		{"an unknown country finds nothing", detente.SearchFilter{Country: "ATA"}, []string{}},
	}
	for _, c := range cases {
		hits, total, err := db.Search(context.Background(), c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := ids(hits); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: hits %v, want %v", c.name, got, c.want)
		}
		if total != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, total, len(c.want))
		}
	}
}

func TestHostileEntityStringsAreOnlyStrings(t *testing.T) {
	hostile := []string{
		`' OR 1=1 --`,
		`'; DROP TABLE entities; --`,
		`") UNION SELECT seq FROM articles --`,
		`%`, `_`, `*`, `?1`, `NULL`, `x' COLLATE BINARY --`,
		"nul\x00byte",
		`Robert'); DELETE FROM annotations; --`,
	}
	db := entityStore(t)
	ctx := context.Background()
	before := count(t, db, "SELECT count(*) FROM entities")
	for _, h := range hostile {
		for _, f := range []detente.SearchFilter{{Entity: h}, {Country: h}, {Entity: h, Query: "trade"}} {
			hits, total, err := db.Search(ctx, f)
			if err != nil || len(hits) != 0 || total != 0 {
				t.Errorf("Search(%+v) = %v, %d, %v; want nothing, no error", f, ids(hits), total, err)
			}
			if top, err := db.TopEntities(ctx, f, 10); err != nil || len(top) != 0 {
				t.Errorf("TopEntities(%+v) = %v, %v; want nothing, no error", f, top, err)
			}
		}
	}
	if n := count(t, db, "SELECT count(*) FROM entities"); n != before {
		t.Errorf("hostile searches changed the entities: %d rows, had %d", n, before)
	}

	// Stored as an entity, a hostile string is data: found by itself only.
	body := strings.Repeat("x", 100)
	for i, h := range hostile {
		a := &detente.Article{ID: "hostile-" + string(rune('a'+i)), Body: body + h}
		ann := &detente.Annotations{Entities: []detente.Entity{{Text: h, Start: 100, End: 100 + utf8.RuneCountInString(h),
			Canonical: h, Actor: h, Country: h}}}
		if _, err := db.PutBatch(ctx, []detente.PutItem{{Article: a, Fingerprint: fingerprint(a.Body), Annotations: ann}}); err != nil {
			t.Fatalf("storing hostile entity %q: %v", h, err)
		}
		ents, err := db.Entities(ctx, a.ID)
		if err != nil || len(ents) != 1 || ents[0].Canonical != h {
			t.Errorf("Entities(%s) = %+v, %v; want the string back", a.ID, ents, err)
		}
	}
	for i, h := range hostile {
		hits, _, err := db.Search(ctx, detente.SearchFilter{Entity: h})
		if want := []string{"hostile-" + string(rune('a'+i))}; err != nil || !reflect.DeepEqual(ids(hits), want) {
			t.Errorf("Search(Entity: %q) = %v, %v; want %v", h, ids(hits), err, want)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM articles"); n != 5+len(hostile) {
		t.Errorf("%d articles after hostile entities, want %d", n, 5+len(hostile))
	}
}

func TestTopEntitiesCountsTheMatchingArticles(t *testing.T) {
	db := entityStore(t)
	ctx := context.Background()
	names := func(cs []detente.EntityCount) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	all, err := db.TopEntities(ctx, detente.SearchFilter{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("TopEntities(3) = %+v, want 3", all)
	}
	// Xi Jinping: 2 articles, 3 mentions; then single-article entities by
	// mentions and name.
	want := detente.EntityCount{Name: "Xi Jinping", Type: detente.EntityPerson, Actor: "CHNGOV", Country: "CHN", Articles: 2, Mentions: 3}
	if all[0] != want {
		t.Errorf("top entity = %+v, want %+v", all[0], want)
	}
	if got := names(all[1:]); !reflect.DeepEqual(got, []string{"Moon Jae-in", "Residents"}) {
		t.Errorf("next entities = %v, want Moon Jae-in, Residents (by name among equals)", got)
	}
	cases := []struct {
		name  string
		f     detente.SearchFilter
		types []string
		want  []string
	}{
		{"a query narrows the facet to its matches", detente.SearchFilter{Query: "trade"}, nil, []string{"Residents", "Seongju", "United States", "Xi Jinping"}},
		{"a country narrows it to articles with that country", detente.SearchFilter{Country: "USA"}, nil, []string{"Xi Jinping", "Moon Jae-in", "Terminal High Altitude Area Defense", "United States"}},
		{"types keep only those types", detente.SearchFilter{}, []string{detente.EntityGPE}, []string{}},
		{"a query matching nothing has no facet", detente.SearchFilter{Query: "zeppelin"}, nil, []string{}},
		{"a query with no word has no facet", detente.SearchFilter{Query: "!!"}, nil, []string{}},
	}
	// TopEntities counts one way when most articles match and another
	// when few do; the second round adds unannotated articles so the same
	// matches become few.
	for round, size := range []string{"many", "few"} {
		if round == 1 {
			if _, err := db.PutBatch(ctx, generatedItems("filler", 0, 40)); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range cases {
			got, err := db.TopEntities(ctx, c.f, 10, c.types...)
			if err != nil {
				t.Errorf("%s (%s match): %v", c.name, size, err)
				continue
			}
			if !reflect.DeepEqual(names(got), c.want) {
				t.Errorf("%s (%s match): %v, want %v", c.name, size, names(got), c.want)
			}
		}
	}
	if _, err := db.TopEntities(ctx, detente.SearchFilter{From: "yesterday"}, 5); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("TopEntities with a bad date: %v, want EINVALID", err)
	}
}

func TestAVersion1DatabaseIsMigratedInPlaceWithItsData(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "v1.db")
	old, err := open(file, 1)
	if err != nil {
		t.Fatal(err)
	}
	orig, exact, _ := story()
	mustPut(t, old, orig, fingerprint(orig.Body, 7), nil)
	mustPut(t, old, exact, fingerprint(exact.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact, Similarity: 1})
	if v := count(t, old, "PRAGMA user_version"); v != 1 {
		t.Fatalf("fixture: user_version %d, want 1", v)
	}
	if n := count(t, old, "SELECT count(*) FROM sqlite_master WHERE name = 'entities'"); n != 0 {
		t.Fatal("fixture: a version 1 file has an entities table")
	}
	if _, err := old.PutBatch(ctx, []detente.PutItem{{Article: generated("v1", 1), Annotations: &detente.Annotations{}}}); err == nil {
		t.Error("a version 1 store accepted annotations")
	}
	before, err := old.Article(ctx, exact.ID)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err := Open(file)
	if err != nil {
		t.Fatalf("Open of a version 1 file: %v", err)
	}
	defer db.Close()
	if v := count(t, db, "PRAGMA user_version"); v != SchemaVersion() {
		t.Errorf("user_version after upgrade = %d, want %d", v, SchemaVersion())
	}
	after, err := db.Article(ctx, exact.ID)
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("after upgrade Article = %+v, %v; want %+v", after, err, before)
	}
	if hits, _, err := db.Search(ctx, detente.SearchFilter{Query: "cooperation"}); err != nil || !reflect.DeepEqual(ids(hits), []string{orig.ID}) {
		t.Errorf("after upgrade Search = %v, %v; want the old article", ids(hits), err)
	}
	if c, err := db.NearCandidates(ctx, []uint64{7}); err != nil || len(c) != 1 {
		t.Errorf("after upgrade NearCandidates = %v, %v; want the old article", c, err)
	}
	if ann, err := db.Annotations(ctx, orig.ID); ann != nil || err != nil {
		t.Errorf("an article stored by version 1 has annotations %+v, %v; want nil", ann, err)
	}
	// The old article can be annotated after the fact and found by entity.
	if err := db.PutAnnotations(ctx, orig.ID, pactAnnotations(t, orig.Body)); err != nil {
		t.Fatal(err)
	}
	if hits, _, err := db.Search(ctx, detente.SearchFilter{Entity: "Tehran"}); err != nil || !reflect.DeepEqual(ids(hits), []string{orig.ID}) {
		t.Errorf("after annotating, Search(Entity: Tehran) = %v, %v", ids(hits), err)
	}
	checkAnnotationIntegrity(t, db)
}

func TestTopEntitiesCountsOnlyTheBestMatches(t *testing.T) {
	defer func(n int) { facetMatches = n }(facetMatches)
	facetMatches = 1
	db := entityStore(t)
	ctx := context.Background()
	// "trade" matches xi-trade (in its title and body) and seongju (in
	// its title); the best one alone is counted.
	got, err := db.TopEntities(ctx, detente.SearchFilter{Query: "trade"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range got {
		names = append(names, c.Name)
	}
	hits, _, err := db.Search(ctx, detente.SearchFilter{Query: "trade", Limit: 1})
	if err != nil || len(hits) != 1 {
		t.Fatalf("search: %v, %v", hits, err)
	}
	want := map[string][]string{"xi-trade": {"United States", "Xi Jinping"}, "seongju": {"Residents", "Seongju"}}[hits[0].ArticleID]
	if !reflect.DeepEqual(names, want) {
		t.Errorf("TopEntities(trade) over the best match %s = %v, want %v", hits[0].ArticleID, names, want)
	}
	// Without a query, the newest article with annotations' entities:
	// the newest match is "plain", which has none, so nothing.
	got, err = db.TopEntities(ctx, detente.SearchFilter{}, 10)
	if err != nil || len(got) != 0 {
		t.Errorf("TopEntities() over the newest article = %v, %v; want none (it is unannotated)", got, err)
	}
}

func TestListingsByDateFindTheSameArticlesByProbingCommonEntities(t *testing.T) {
	db := entityStore(t)
	ctx := context.Background()
	filters := []detente.SearchFilter{{Entity: "Xi Jinping"}, {Entity: "chngov"}, {Country: "KOR"},
		{Entity: "Xi Jinping", Country: "USA"}, {Entity: "Nobody"}}
	type result struct {
		hits  []string
		total int
		top   []detente.EntityCount
	}
	run := func() []result {
		var out []result
		for _, f := range filters {
			hits, total, err := db.Search(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			top, err := db.TopEntities(ctx, f, 10)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, result{ids(hits), total, top})
		}
		return out
	}
	listed := run()
	defer func(n int) { probeFrom = n }(probeFrom)
	probeFrom = 1 // every entity is common: each article is probed
	if probed := run(); !reflect.DeepEqual(probed, listed) {
		t.Errorf("probing each article: %+v\nlisting the entities' articles: %+v", probed, listed)
	}
	if len(listed[0].hits) != 2 || listed[4].total != 0 {
		t.Errorf("fixture: Xi Jinping in %v, Nobody in %d; want 2 articles and none", listed[0].hits, listed[4].total)
	}
}
