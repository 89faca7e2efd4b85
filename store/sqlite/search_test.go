package sqlite

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/detente/detente"
)

// searchStore holds a few articles written to exercise ranking, filters
// and the query language.
func searchStore(t *testing.T) *DB {
	t.Helper()
	db := openTemp(t)
	arts := []*detente.Article{
		{ID: "title-hit", Source: "CGTN", Published: "2021-03-27", Title: "Sanctions on Iran tightened",
			Body: "Washington announced new measures against Tehran on Friday."},
		{ID: "body-hit", Source: "Reuters", Published: "2021-03-20", Title: "Oil markets react",
			Body: "Traders weighed the effect of sanctions on Iran and crude exports for the week."},
		{ID: "undated", Source: "Blog", Title: "Thoughts on sanctions",
			Body: "Iran sanctions are discussed here without any date."},
		{ID: "accent", Source: "Le Monde", Published: "2020-12-01T09:30:00Z", Title: "Réunion à Genève",
			Body: "Les délégués se sont réunis à Genève pour négocier."},
		{ID: "phrase", Source: "AP", Published: "2019-05-05", Title: "Security council vote",
			Body: "The security council voted. Council security was tight."},
	}
	for _, a := range arts {
		mustPut(t, db, a, fingerprint(a.Body), nil)
	}
	cp := &detente.Article{ID: "copy-of-body-hit", Source: "Xinhua", Published: "2021-03-21", Body: arts[1].Body}
	mustPut(t, db, cp, fingerprint(cp.Body), &detente.Duplicate{Of: "body-hit", Kind: detente.CopyExact, Similarity: 1})
	return db
}

func ids(hits []detente.SearchHit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.ArticleID)
	}
	return out
}

func TestSearchFindsRanksAndFilters(t *testing.T) {
	db := searchStore(t)
	cases := []struct {
		name string
		f    detente.SearchFilter
		want []string
	}{
		{"a title match outranks a body match", detente.SearchFilter{Query: "sanctions iran"}, []string{"title-hit", "undated", "body-hit"}},
		{"words are stemmed", detente.SearchFilter{Query: "sanction irans"}, []string{"title-hit", "undated", "body-hit"}},
		{"every word must match", detente.SearchFilter{Query: "sanctions crude"}, []string{"body-hit"}},
		{"case does not matter", detente.SearchFilter{Query: "IRAN Sanctions"}, []string{"title-hit", "undated", "body-hit"}},
		{"diacritics do not matter", detente.SearchFilter{Query: "geneve delegues"}, []string{"accent"}},
		{"a quoted phrase matches in order only", detente.SearchFilter{Query: `"council security"`}, []string{"phrase"}},
		{"a quoted phrase out of order matches nothing", detente.SearchFilter{Query: `"tight security"`}, []string{}},
		{"a trailing star matches a prefix", detente.SearchFilter{Query: "negoc*"}, []string{"accent"}},
		{"an outlet that only carried a copy counts", detente.SearchFilter{Query: "sanctions", Source: "xinhua"}, []string{"body-hit"}},
		{"an outlet matches whatever its case", detente.SearchFilter{Query: "sanctions", Source: "cgtn"}, []string{"title-hit"}},
		{"from keeps dated articles on or after", detente.SearchFilter{Query: "sanctions", From: "2021-03-21"}, []string{"title-hit"}},
		{"to keeps dated articles on or before", detente.SearchFilter{Query: "sanctions", To: "2021-03-20"}, []string{"body-hit"}},
		{"a month prefix is a whole month", detente.SearchFilter{Query: "sanctions", From: "2021-03", To: "2021-03"}, []string{"title-hit", "body-hit"}},
		{"timestamps compare by their date", detente.SearchFilter{From: "2020-12-01", To: "2020-12-01"}, []string{"accent"}},
		{"an empty query lists by date, newest first, undated last", detente.SearchFilter{}, []string{"title-hit", "body-hit", "accent", "phrase", "undated"}},
		{"an empty query with a filter lists that filter", detente.SearchFilter{Source: "AP"}, []string{"phrase"}},
		{"a limit cuts the page", detente.SearchFilter{Query: "sanctions iran", Limit: 2}, []string{"title-hit", "undated"}},
		{"an offset skips the first hits", detente.SearchFilter{Query: "sanctions iran", Offset: 2}, []string{"body-hit"}},
		{"an offset past the end is empty", detente.SearchFilter{Query: "sanctions", Offset: 50}, []string{}},
		{"an unknown word finds nothing", detente.SearchFilter{Query: "zeppelin"}, []string{}},
	}
	for _, c := range cases {
		hits, _, err := db.Search(context.Background(), c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := ids(hits); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: hits %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSearchReportsTotalsSnippetsAndCopies(t *testing.T) {
	db := searchStore(t)
	hits, total, err := db.Search(context.Background(), detente.SearchFilter{Query: "crude", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(hits) != 1 {
		t.Fatalf("total %d, %d hits; want 1, 1", total, len(hits))
	}
	h := hits[0]
	if !strings.Contains(h.Snippet, "[crude]") {
		t.Errorf("snippet %q does not mark the match with [ ]", h.Snippet)
	}
	if h.Copies != 2 || h.Source != "Reuters" || h.Title != "Oil markets react" || h.Published != "2021-03-20" {
		t.Errorf("hit = %+v, want Reuters' story with 2 copies", h)
	}
	if h.Score >= 0 {
		t.Errorf("score %v, want SQLite's negative BM25", h.Score)
	}
	_, total, err = db.Search(context.Background(), detente.SearchFilter{Query: "sanctions", Limit: 1})
	if err != nil || total != 3 {
		t.Errorf("total with limit 1 = %d, %v; want all 3 matches", total, err)
	}
}

func TestSearchLimitsAreBounded(t *testing.T) {
	db := openTemp(t)
	if _, err := db.PutBatch(context.Background(), generatedItems("lim", 0, 30)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		limit, want int
	}{{0, DefaultLimit}, {-5, DefaultLimit}, {25, 25}, {MaxLimit + 1, 30}}
	for _, c := range cases {
		hits, total, err := db.Search(context.Background(), detente.SearchFilter{Query: "delegations", Limit: c.limit})
		if err != nil || len(hits) != c.want || total != 30 {
			t.Errorf("limit %d: %d hits of %d, %v; want %d of 30", c.limit, len(hits), total, err, c.want)
		}
	}
}

func TestSearchRejectsDatesThatAreNotDates(t *testing.T) {
	db := openTemp(t)
	for _, f := range []detente.SearchFilter{{From: "yesterday"}, {To: "2021-3-1"}, {From: "2021-03-01'; --"}} {
		if _, _, err := db.Search(context.Background(), f); detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("Search(%+v) error = %v, want EINVALID", f, err)
		}
	}
}

func TestHostileQueriesNeitherErrNorInject(t *testing.T) {
	db := searchStore(t)
	queries := []string{
		`"`, `""`, `"""`, `NEAR(`, `NEAR(iran sanctions)`, `iran OR oil`, `OR`, `AND`, `NOT`, `-`, `-iran`,
		`:`, `title:iran`, `^iran`, `*`, `**`, `iran*`, `'; DROP TABLE articles; --`, `'`, `(`, `)`, `{title body}:iran`,
		`iran + sanctions`, `"unclosed phrase`, `a"b"c`, `\`, "\x00", `%`, `_`, `iran"; DELETE FROM copies; --`,
		strings.Repeat("iran ", 500), strings.Repeat(`"`, 101), `🙂`, `NEAR/2`, `@`, `$1`, `?1`,
	}
	for _, q := range queries {
		if _, _, err := db.Search(context.Background(), detente.SearchFilter{Query: q}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM articles"); n != 5 {
		t.Errorf("articles = %d after hostile queries, want 5", n)
	}
	if n := count(t, db, "SELECT count(*) FROM copies"); n != 6 {
		t.Errorf("copies = %d after hostile queries, want 6", n)
	}
	// Operators are searched as words: "OR" is not a disjunction.
	hits, _, err := db.Search(context.Background(), detente.SearchFilter{Query: "crude OR zeppelin"})
	if err != nil || len(hits) != 0 {
		t.Errorf(`"crude OR zeppelin" found %v, %v; want nothing (OR is a word, all words must match)`, ids(hits), err)
	}
	hits, _, err = db.Search(context.Background(), detente.SearchFilter{Query: "-iran"})
	if err != nil || len(hits) != 3 {
		t.Errorf(`"-iran" found %v, %v; want the 3 Iran articles (- is not NOT)`, ids(hits), err)
	}
}

func TestFTSQueryQuotesEveryTerm(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"iran sanctions", `"iran" "sanctions"`},
		{`"security council" vote`, `"security council" "vote"`},
		{"negot*", `"negot"*`},
		{"OR NOT AND", `"OR" "NOT" "AND"`},
		{`NEAR(a b)`, `"NEAR(a" "b)"`},
		{`title:iran`, `"title:iran"`},
		{`a"b`, `"a" "b"`},
		{`"unclosed phrase`, `"unclosed phrase"`},
		{`- * ^ : ( ) ""`, ``},
		{`'; DROP TABLE articles; --`, `"DROP" "TABLE" "articles;"`},
		{"  ", ""},
		{"atlantis\x00lemuria", `"atlantis" "lemuria"`},
		{"\"iran\x00\"\x01x", `"iran " "x"`},
	}
	for _, c := range cases {
		if got := FTSQuery(c.in); got != c.want {
			t.Errorf("FTSQuery(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if n := strings.Count(FTSQuery(strings.Repeat("w ", 100)), `"w"`); n != maxTerms {
		t.Errorf("100 words gave %d terms, want the cap %d", n, maxTerms)
	}
}

func TestAQueryWithControlCharactersSearches(t *testing.T) {
	db := openTemp(t)
	a := &detente.Article{ID: "atl", Published: "2022-01-01", Body: "Atlantis and Lemuria held talks."}
	mustPut(t, db, a, fingerprint(a.Body), nil)
	for _, q := range []string{"atlantis\x00lemuria", "talks\x00", "\x00"} {
		if _, _, err := db.Search(context.Background(), detente.SearchFilter{Query: q}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
		if _, err := db.TopEntities(context.Background(), detente.SearchFilter{Query: q}, 5); err != nil {
			t.Errorf("TopEntities(%q): %v", q, err)
		}
	}
	hits, _, _ := db.Search(context.Background(), detente.SearchFilter{Query: "atlantis\x00lemuria"})
	if len(hits) != 1 {
		t.Errorf("a NUL between two words found %d articles, want the one with both", len(hits))
	}
}

func TestAListingShowsTheBodysFirstWords(t *testing.T) {
	db := openTemp(t)
	a := &detente.Article{ID: "long", Published: "2022-01-01", Body: strings.Repeat("word ", 100)}
	mustPut(t, db, a, fingerprint(a.Body), nil)
	hits, total, err := db.Search(context.Background(), detente.SearchFilter{})
	if err != nil || total != 1 || len(hits) != 1 {
		t.Fatalf("Search = %d hits of %d, %v", len(hits), total, err)
	}
	want := strings.TrimSpace(strings.Repeat("word ", snippetTokens)) + "…"
	if hits[0].Snippet != want {
		t.Errorf("snippet = %q, want %q", hits[0].Snippet, want)
	}
}

func TestABatchOfCopiesOnlyLeavesTheIndexWhole(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	orig, exact, near := story()
	mustPut(t, db, orig, fingerprint(orig.Body), nil)
	_, err := db.PutBatch(ctx, []detente.PutItem{
		{Article: exact, Fingerprint: fingerprint(exact.Body), Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact}},
		{Article: near, Fingerprint: fingerprint(near.Body), Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyNear, Similarity: 0.8}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ftsIntegrity(t, db)
	hits, total, err := db.Search(ctx, detente.SearchFilter{Query: "cooperation agreement"})
	if err != nil || total != 1 || hits[0].Copies != 3 {
		t.Errorf("search found %v (%d), %v; want the one story with 3 copies", hits, total, err)
	}
}

// windowStore stores six articles that all mention talks, in order a1 …
// a6; the older three say it in their titles, so they would rank first
// if every match were ranked.
func windowStore(t *testing.T) *DB {
	t.Helper()
	db := openTemp(t)
	for i := 1; i <= 6; i++ {
		a := &detente.Article{ID: fmt.Sprintf("a%d", i), Source: "Wire", Published: fmt.Sprintf("2020-01-0%d", i),
			Title: "Harbour news", Body: fmt.Sprintf("Dock workers report %d: talks continued at the harbour.", i)}
		if i <= 3 {
			a.Title = "Talks at the harbour"
		}
		mustPut(t, db, a, fingerprint(a.Body), nil)
	}
	return db
}

func TestSearchRanksOnlyTheNewestMatchesWhenThereAreMany(t *testing.T) {
	defer func(w int) { rankWindow = w }(rankWindow)
	rankWindow = 4
	db := windowStore(t)
	ctx := context.Background()
	hits, total, err := db.Search(ctx, detente.SearchFilter{Query: "talks"})
	if err != nil {
		t.Fatal(err)
	}
	// The four stored last are ranked (a3's title match first), the two
	// older follow, newest first.
	want := []string{"a3", "a4", "a5", "a6", "a2", "a1"}
	if got := ids(hits); !reflect.DeepEqual(got, want) || total != 6 {
		t.Fatalf("hits %v (total %d), want %v (6)", got, total, want)
	}
	if hits[0].Score >= hits[1].Score || hits[4].Score >= 0 || !strings.Contains(strings.ToLower(hits[5].Snippet), "[talks]") {
		t.Errorf("hits %+v: want the title match scored best, every hit scored and snippeted", hits)
	}
	// Pages of any size cut the same list, across the window's edge,
	// with a filter that keeps every match or without.
	for _, from := range []string{"", "2020"} {
		for _, size := range []int{1, 3, 5, 6} {
			var paged []string
			for off := 0; off < 6; off += size {
				page, total, err := db.Search(ctx, detente.SearchFilter{Query: "talks", From: from, Limit: size, Offset: off})
				if err != nil || total != 6 {
					t.Fatalf("from %q, page at %d of %d: total %d, %v", from, off, size, total, err)
				}
				paged = append(paged, ids(page)...)
			}
			if !reflect.DeepEqual(paged, want) {
				t.Errorf("from %q, pages of %d: %v, want %v", from, size, paged, want)
			}
		}
	}
	// A filter narrows before the window is counted: three matches,
	// all ranked.
	hits, total, err = db.Search(ctx, detente.SearchFilter{Query: "talks", From: "2020-01-03"})
	if got := ids(hits); err != nil || !reflect.DeepEqual(got, []string{"a3", "a4", "a5", "a6"}) || total != 4 {
		t.Errorf("from 2020-01-03: %v (total %d), %v; want a3 a4 a5 a6", got, total, err)
	}
}

func TestSearchCountsUpToTheTotalLimit(t *testing.T) {
	defer func(w, l, f int) { rankWindow, totalLimit, facetMatches = w, l, f }(rankWindow, totalLimit, facetMatches)
	// Pages up to the third match come from the facets' ranking, the
	// others from a count and a page.
	rankWindow, totalLimit, facetMatches = 4, 4, 3
	db := windowStore(t)
	ctx := context.Background()
	want := []string{"a3", "a4", "a5", "a6", "a2", "a1"}
	// Six match: the total says "more than four" (5), and every page is
	// served, past the limit too, with or without a filter.
	for _, from := range []string{"", "2020"} {
		for _, size := range []int{1, 4, 6} {
			var paged []string
			for off := 0; off < 8; off += size {
				page, total, err := db.Search(ctx, detente.SearchFilter{Query: "talks", From: from, Limit: size, Offset: off})
				if err != nil || total != 5 {
					t.Fatalf("from %q, page at %d of %d: total %d, %v; want 5 (more than 4)", from, off, size, total, err)
				}
				paged = append(paged, ids(page)...)
			}
			if !reflect.DeepEqual(paged, want) {
				t.Errorf("from %q, pages of %d: %v, want %v", from, size, paged, want)
			}
		}
	}
	// Without a query too, and at the limit the count is exact.
	if _, total, err := db.Search(ctx, detente.SearchFilter{From: "2020"}); err != nil || total != 5 {
		t.Errorf("listing from 2020: total %d, %v; want 5 (more than 4)", total, err)
	}
	if _, total, err := db.Search(ctx, detente.SearchFilter{Query: "talks", From: "2020-01-03"}); err != nil || total != 4 {
		t.Errorf("from 2020-01-03: total %d, %v; want 4", total, err)
	}
	if _, total, err := db.Search(ctx, detente.SearchFilter{Query: "talks", Offset: 4}); err != nil || total != 5 {
		t.Errorf("second page: total %d, %v; want 5", total, err)
	}
}

func TestConcurrentSearchesOfOneFilterShareARankingAndAgree(t *testing.T) {
	db := windowStore(t)
	ctx := context.Background()
	f := detente.SearchFilter{Query: "talks harbour", Limit: 3}
	want, wantTotal, err := db.Search(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	wantTop, err := db.TopEntities(ctx, f, 5)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			hits, total, err := db.Search(ctx, f)
			if err != nil || total != wantTotal || !reflect.DeepEqual(ids(hits), ids(want)) {
				t.Errorf("concurrent search: %v (total %d), %v; want %v (%d)", ids(hits), total, err, ids(want), wantTotal)
			}
			if top, err := db.TopEntities(ctx, f, 5); err != nil || !reflect.DeepEqual(top, wantTop) {
				t.Errorf("concurrent facet: %v, %v; want %v", top, err, wantTop)
			}
		})
	}
	wg.Wait()
	// A write between searches is seen: nothing is kept.
	a := &detente.Article{ID: "a7", Source: "Wire", Published: "2020-01-07", Title: "Talks at the harbour again",
		Body: "Harbour talks, talks and more talks."}
	mustPut(t, db, a, fingerprint(a.Body), nil)
	if hits, total, err := db.Search(ctx, f); err != nil || total != wantTotal+1 || hits[0].ArticleID != "a7" {
		t.Errorf("after a write: %v (total %d), %v; want a7 first of %d", ids(hits), total, err, wantTotal+1)
	}
}
