package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/detente/detente"
	_ "modernc.org/sqlite"
)

func TestOpenConfiguresTheFileAndMigratesIt(t *testing.T) {
	db := openTemp(t)
	checks := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "1"}, // NORMAL
		{"busy_timeout", "30000"},
		{"user_version", "11"},
		{"page_size", "16384"},
	}
	for _, c := range checks {
		var got string
		if err := db.db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
	}
	if SchemaVersion() != 11 {
		t.Errorf("SchemaVersion() = %d, want 11", SchemaVersion())
	}
}

func TestAStoreMadeWithSmallerPagesKeepsThem(t *testing.T) {
	file := filepath.Join(t.TempDir(), "4k.db")
	// A file as an earlier detente made it: SQLite's default 4 KiB pages.
	pre, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"PRAGMA page_size = 4096", "PRAGMA journal_mode = WAL"} {
		if _, err := pre.Exec(p); err != nil {
			t.Fatal(err)
		}
	}
	pre.Close()
	old, err := open(file, 10)
	if err != nil {
		t.Fatal(err)
	}
	put(t, old, generatedItems("small", 0, 20)...)
	old.Close()
	db, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := count(t, db, "PRAGMA page_size"); got != 4096 {
		t.Errorf("page_size = %d after upgrading, want the file's 4096", got)
	}
	if got := count(t, db, "PRAGMA user_version"); got != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", got, SchemaVersion())
	}
	if got := count(t, db, "SELECT count(*) FROM articles"); got != 20 {
		t.Errorf("%d articles, want 20", got)
	}
	put(t, db, generatedItems("small", 20, 20)...)
	if got := count(t, db, "SELECT count(*) FROM articles"); got != 40 {
		t.Errorf("%d articles after storing more, want 40", got)
	}
}

func TestReopeningKeepsArticlesAndDoesNotMigrateAgain(t *testing.T) {
	file := filepath.Join(t.TempDir(), "d.db")
	db, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	a := generated("keep", 1)
	mustPut(t, db, a, fingerprint(a.Body), nil)
	db.Close()
	db, err = Open(file)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if ok, err := db.HasArticle(context.Background(), a.ID); err != nil || !ok {
		t.Errorf("HasArticle after reopen = %v, %v; want true", ok, err)
	}
}

func TestOpenRefusesADatabaseFromANewerDetente(t *testing.T) {
	file := filepath.Join(t.TempDir(), "future.db")
	raw, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := Open(file)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded on a version 99 database")
	}
	if detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("code = %q, want %q", detente.ErrorCode(err), detente.EINVALID)
	}
	want := fmt.Sprintf("database schema version 99 is newer than this detente (%d); upgrade detente", SchemaVersion())
	if detente.ErrorMessage(err) != want {
		t.Errorf("message = %q, want %q", detente.ErrorMessage(err), want)
	}
}

func TestOpenWithoutAPathIsInvalid(t *testing.T) {
	if _, err := Open(""); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("Open(\"\") error = %v, want EINVALID", err)
	}
}

// story is three articles carrying one text: an original, an exact copy at
// another outlet, and a near copy at a third.
func story() (orig, exact, near *detente.Article) {
	orig = &detente.Article{ID: "cgtn-1", URL: "https://cgtn.com/1", Source: "CGTN",
		Title: "China and Iran sign cooperation pact", Published: "2021-03-27",
		Body: "China and Iran signed a 25-year cooperation agreement in Tehran on Saturday.\nThe pact covers trade and energy."}
	exact = &detente.Article{ID: "xinhua-9", URL: "https://xinhua.net/9", Source: "Xinhua",
		Title: "China, Iran sign pact", Published: "2021-03-28", Body: orig.Body}
	near = &detente.Article{ID: "gt-4", URL: "https://globaltimes.cn/4", Source: "Global Times",
		Title: "China and Iran sign 25-year pact", Published: "2021-03-26",
		Body: orig.Body + "\nGlobal Times reporters contributed."}
	return
}

func TestPutArticleRecordsOriginalsAndCopiesOnce(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	orig, exact, near := story()
	exactOfNear := &detente.Article{ID: "mirror-2", Source: "Mirror", Body: near.Body}
	copyOfCopy := &detente.Article{ID: "blog-7", Source: "Blog", Body: exact.Body}
	steps := []struct {
		name string
		a    *detente.Article
		dup  *detente.Duplicate
		want detente.PutStatus
	}{
		{"a new article is stored as new", orig, nil, detente.PutNew},
		{"the same article again changes nothing", orig, nil, detente.PutExisting},
		{"an exact copy becomes a copy", exact, &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact, Similarity: 1}, detente.PutExactCopy},
		{"a near copy becomes a copy", near, &detente.Duplicate{Of: orig.ID, Kind: detente.CopyNear, Similarity: 0.83}, detente.PutNearCopy},
		{"a copy put again changes nothing", near, &detente.Duplicate{Of: orig.ID, Kind: detente.CopyNear, Similarity: 0.83}, detente.PutExisting},
		{"a copy put again as new changes nothing", exact, nil, detente.PutExisting},
		{"an exact copy of a near copy is near the original", exactOfNear, &detente.Duplicate{Of: near.ID, Kind: detente.CopyExact, Similarity: 1}, detente.PutNearCopy},
		{"a copy of a copy joins the original's story", copyOfCopy, &detente.Duplicate{Of: exact.ID, Kind: detente.CopyExact, Similarity: 1}, detente.PutExactCopy},
	}
	for _, s := range steps {
		got := mustPut(t, db, s.a, fingerprint(s.a.Body, 1, 2, 3), s.dup)
		if got != s.want {
			t.Errorf("%s: status %v, want %v", s.name, got, s.want)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM articles"); n != 1 {
		t.Errorf("articles rows = %d, want 1: a copy's body must not be stored again", n)
	}
	if n := count(t, db, "SELECT count(*) FROM lsh_bands"); n != 3 {
		t.Errorf("lsh_bands rows = %d, want 3 (the original's only)", n)
	}
	st, err := db.Article(ctx, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]detente.Copy{}
	for _, c := range st.Copies {
		got[c.ArticleID] = c
	}
	want := map[string]struct {
		kind string
		sim  float64
	}{
		orig.ID: {detente.CopyOriginal, 1}, exact.ID: {detente.CopyExact, 1}, near.ID: {detente.CopyNear, 0.83},
		exactOfNear.ID: {detente.CopyNear, 0.83}, copyOfCopy.ID: {detente.CopyExact, 1},
	}
	if len(got) != len(want) {
		t.Errorf("story has %d copies, want %d: %+v", len(got), len(want), st.Copies)
	}
	for id, w := range want {
		if c := got[id]; c.Kind != w.kind || c.Similarity != w.sim {
			t.Errorf("copy %s = %s %.2f, want %s %.2f", id, c.Kind, c.Similarity, w.kind, w.sim)
		}
	}
}

func TestPutArticleRejectsBadInput(t *testing.T) {
	db := openTemp(t)
	orig, _, _ := story()
	mustPut(t, db, orig, fingerprint(orig.Body), nil)
	cases := []struct {
		name string
		a    *detente.Article
		dup  *detente.Duplicate
	}{
		{"an article without ID", &detente.Article{Body: "text"}, nil},
		{"a nil article", nil, nil},
		{"a copy of an unknown article", &detente.Article{ID: "c1", Body: "x"}, &detente.Duplicate{Of: "nobody", Kind: detente.CopyExact}},
		{"a copy of nothing", &detente.Article{ID: "c2", Body: "x"}, &detente.Duplicate{Kind: detente.CopyExact}},
		{"a copy of an unknown kind", &detente.Article{ID: "c3", Body: "x"}, &detente.Duplicate{Of: orig.ID, Kind: "original"}},
	}
	for _, c := range cases {
		_, err := db.PutArticle(context.Background(), c.a, detente.Fingerprint{}, c.dup)
		if detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("%s: error %v, want EINVALID", c.name, err)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM copies"); n != 1 {
		t.Errorf("copies rows = %d after rejected puts, want 1", n)
	}
}

func TestPutBatchLetsLaterItemsCopyEarlierOnes(t *testing.T) {
	db := openTemp(t)
	orig, exact, near := story()
	items := []detente.PutItem{
		{Article: orig, Fingerprint: fingerprint(orig.Body, 7)},
		{Article: exact, Fingerprint: fingerprint(exact.Body), Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact, Similarity: 1}},
		{Article: orig, Fingerprint: fingerprint(orig.Body, 7)},
		{Article: near, Fingerprint: fingerprint(near.Body), Duplicate: &detente.Duplicate{Of: exact.ID, Kind: detente.CopyNear, Similarity: 0.9}},
	}
	got, err := db.PutBatch(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	want := []detente.PutStatus{detente.PutNew, detente.PutExactCopy, detente.PutExisting, detente.PutNearCopy}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	again, err := db.PutBatch(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range again {
		if s != detente.PutExisting {
			t.Errorf("rerun item %d = %v, want existing", i, s)
		}
	}
}

func TestAFailingBatchStoresNothing(t *testing.T) {
	db := openTemp(t)
	items := generatedItems("fail", 0, 5)
	items = append(items, detente.PutItem{Article: &detente.Article{ID: "bad", Body: "x"},
		Duplicate: &detente.Duplicate{Of: "missing", Kind: detente.CopyNear, Similarity: 0.9}})
	_, err := db.PutBatch(context.Background(), items)
	if detente.ErrorCode(err) != detente.EINVALID || !strings.Contains(err.Error(), "batch item 5") {
		t.Fatalf("error = %v, want EINVALID naming batch item 5", err)
	}
	for _, table := range []string{"articles", "copies", "stories", "lsh_bands", "captions", "article_tags", "sources"} {
		if n := count(t, db, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%s has %d rows after a failed batch, want 0", table, n)
		}
	}
}

func TestArticleReturnsTheWholeStory(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	orig, exact, near := story()
	orig.Author = "Staff"
	orig.Language = "en"
	orig.Tags = []string{"Iran", "China", "diplomacy"}
	orig.Captions = []detente.Caption{{Text: "Wang Yi and Javad Zarif in Tehran.", Credit: "Xinhua"}, {Text: "The signing."}}
	undated := &detente.Article{ID: "undated-1", Source: "Someone", Body: orig.Body}
	mustPut(t, db, orig, fingerprint(orig.Body), nil)
	mustPut(t, db, undated, fingerprint(orig.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact})
	mustPut(t, db, exact, fingerprint(orig.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact})
	mustPut(t, db, near, fingerprint(near.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyNear, Similarity: 0.8})

	for _, id := range []string{orig.ID, exact.ID, near.ID, undated.ID} {
		st, err := db.Article(ctx, id)
		if err != nil {
			t.Fatalf("Article(%s): %v", id, err)
		}
		if st.ID != orig.ID {
			t.Errorf("Article(%s).ID = %s, want the story %s", id, st.ID, orig.ID)
		}
		o := st.Original
		if o.ID != orig.ID || o.Body != orig.Body || o.Title != orig.Title || o.Author != "Staff" ||
			o.Language != "en" || o.URL != orig.URL || o.Source != "CGTN" || o.Published != orig.Published {
			t.Errorf("Article(%s).Original = %+v, want the stored original", id, o)
		}
		if !reflect.DeepEqual(o.Tags, orig.Tags) {
			t.Errorf("tags = %v, want %v in order", o.Tags, orig.Tags)
		}
		if !reflect.DeepEqual(o.Captions, orig.Captions) {
			t.Errorf("captions = %v, want %v", o.Captions, orig.Captions)
		}
		var order []string
		for _, c := range st.Copies {
			order = append(order, c.ArticleID)
		}
		wantOrder := []string{near.ID, orig.ID, exact.ID, undated.ID} // by date, undated last
		if !reflect.DeepEqual(order, wantOrder) {
			t.Errorf("copies order = %v, want %v", order, wantOrder)
		}
	}
	if _, err := db.Article(ctx, "nope"); detente.ErrorCode(err) != detente.ENOTFOUND {
		t.Errorf("Article(unknown) error = %v, want ENOTFOUND", err)
	}
}

func TestHasArticleKnowsOriginalsAndCopies(t *testing.T) {
	db := openTemp(t)
	orig, exact, _ := story()
	mustPut(t, db, orig, fingerprint(orig.Body), nil)
	mustPut(t, db, exact, fingerprint(exact.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact})
	for id, want := range map[string]bool{orig.ID: true, exact.ID: true, "other": false, "": false} {
		got, err := db.HasArticle(context.Background(), id)
		if err != nil || got != want {
			t.Errorf("HasArticle(%q) = %v, %v; want %v", id, got, err, want)
		}
	}
}

func TestExactMatchFindsOriginalsThenCopies(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	orig, exact, near := story()
	mustPut(t, db, orig, fingerprint(orig.Body), nil)
	mustPut(t, db, exact, fingerprint(exact.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact})
	mustPut(t, db, near, fingerprint(near.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyNear, Similarity: 0.8})
	cases := []struct {
		name, hash, want string
	}{
		{"the original's hash names the original, not its exact copy", fingerprint(orig.Body).Exact, orig.ID},
		{"a near copy's hash names the near copy", fingerprint(near.Body).Exact, near.ID},
		{"an unknown hash names nothing", fingerprint("something else").Exact, ""},
		{"an empty hash names nothing", "", ""},
	}
	for _, c := range cases {
		got, err := db.ExactMatch(ctx, c.hash)
		if err != nil || got != c.want {
			t.Errorf("%s: ExactMatch = %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

func TestNearCandidatesRanksOriginalsBySharedBands(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	a := &detente.Article{ID: "a", Body: "alpha"}
	b := &detente.Article{ID: "b", Body: "beta"}
	c := &detente.Article{ID: "c", Body: "gamma"}
	fa, fb := fingerprint(a.Body, 1, 2, 3), fingerprint(b.Body, 3, 4, 1<<63+5)
	mustPut(t, db, a, fa, nil)
	mustPut(t, db, b, fb, nil)
	mustPut(t, db, c, fingerprint(c.Body, 9), &detente.Duplicate{Of: "a", Kind: detente.CopyNear, Similarity: 0.7})

	cases := []struct {
		name  string
		bands []uint64
		want  []string
	}{
		{"the article sharing most bands comes first", []uint64{1, 2, 3, 4}, []string{"a", "b"}},
		{"repeated keys do not count twice", []uint64{4, 4, 4, 1, 1<<63 + 5}, []string{"b", "a"}},
		{"keys above 2^63 survive the int64 column", []uint64{1<<63 + 5}, []string{"b"}},
		{"a copy's bands are not stored, so copies are never candidates", []uint64{9}, nil},
		{"no bands find nothing", nil, nil},
		// More numbers of keys than the DB keeps statements for.
		{"two keys", []uint64{2, 4}, []string{"a", "b"}},
		{"five keys", []uint64{1, 2, 3, 4, 6}, []string{"a", "b"}},
		{"six keys", []uint64{6, 7, 8, 9, 10, 1<<63 + 5}, []string{"b"}},
	}
	for _, tc := range cases {
		got, err := db.NearCandidates(ctx, tc.bands)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, g := range got {
			ids = append(ids, g.ArticleID)
			want := fa.Signature
			if g.ArticleID == "b" {
				want = fb.Signature
			}
			if !reflect.DeepEqual(g.Signature, want) {
				t.Errorf("%s: signature of %s = %v, want %v", tc.name, g.ArticleID, g.Signature, want)
			}
		}
		if !reflect.DeepEqual(ids, tc.want) {
			t.Errorf("%s: candidates %v, want %v", tc.name, ids, tc.want)
		}
	}
}

func TestNearCandidatesAreCapped(t *testing.T) {
	db := openTemp(t)
	items := make([]detente.PutItem, MaxCandidates+50)
	for i := range items {
		a := generated("cap", i)
		items[i] = detente.PutItem{Article: a, Fingerprint: fingerprint(a.Body, 42)}
	}
	if _, err := db.PutBatch(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	got, err := db.NearCandidates(context.Background(), []uint64{42})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != MaxCandidates {
		t.Errorf("%d candidates, want the cap %d", len(got), MaxCandidates)
	}
}

// NearCandidates' query binds only the band keys: a bound LIMIT made
// SQLite prepare the statement again at every call (see nearQuery).
func TestNearQueryBindsOnlyBandKeys(t *testing.T) {
	for _, n := range []int{1, 20, 40} {
		q := nearQuery(n)
		if got := strings.Count(q, "?"); got != n {
			t.Errorf("nearQuery(%d) has %d parameters, want %d", n, got, n)
		}
		if !strings.Contains(q, fmt.Sprintf("LIMIT %d)", MaxCandidates)) {
			t.Errorf("nearQuery(%d) does not limit to MaxCandidates:\n%s", n, q)
		}
	}
}

func TestStatsAndSourcesCountTheStore(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	orig, exact, near := story()
	mustPut(t, db, orig, fingerprint(orig.Body), nil)
	mustPut(t, db, exact, fingerprint(exact.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact})
	mustPut(t, db, near, fingerprint(near.Body), &detente.Duplicate{Of: orig.ID, Kind: detente.CopyNear, Similarity: 0.8})
	other := &detente.Article{ID: "cgtn-2", Source: "cgtn", Body: "Another story."} // same outlet, other case
	mustPut(t, db, other, fingerprint(other.Body), nil)

	s, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := detente.Stats{Articles: 4, Stories: 2, Copies: 2, Exact: 1, Near: 1, Sources: 3}
	if s != want {
		t.Errorf("Stats = %+v, want %+v", s, want)
	}
	srcs, err := db.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantSrcs := []detente.Outlet{{Name: "CGTN", Copies: 2, Stories: 2}, {Name: "Global Times", Copies: 1, Stories: 1}, {Name: "Xinhua", Copies: 1, Stories: 1}}
	if !reflect.DeepEqual(srcs, wantSrcs) {
		t.Errorf("Sources = %+v, want %+v", srcs, wantSrcs)
	}
}

func TestWriteTransactionsTakeTheWriteLockWhenTheyBegin(t *testing.T) {
	file := filepath.Join(t.TempDir(), "lock.db")
	db, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.db.Begin() // what PutBatch begins: IMMEDIATE, by the DSN
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	// A second connection that will not wait: if the first transaction
	// were DEFERRED it would hold no lock yet and this would succeed.
	other, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err == nil {
		conn.ExecContext(context.Background(), "ROLLBACK")
		t.Fatal("a second writer began while the first held its transaction open")
	} else if !strings.Contains(err.Error(), "locked") && !strings.Contains(err.Error(), "busy") {
		t.Errorf("second writer error = %v, want SQLITE_BUSY", err)
	}
	// Readers are not blocked by the writer under WAL.
	var n int
	if err := conn.QueryRowContext(context.Background(), "SELECT count(*) FROM articles").Scan(&n); err != nil {
		t.Errorf("a reader was blocked by the writer: %v", err)
	}
}

// PutBatch writes with foreign keys off on its own connection (see
// putBatch): what it stores must still satisfy every key, and every
// connection the pool hands out afterwards, after a failed or cancelled
// batch too, must enforce them and cascade deletes.
func TestPutBatchKeepsForeignKeysWholeAndOnForEveryoneElse(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	orig, exact, near := story()
	ra, rev := reuters(t)
	put(t, db,
		detente.PutItem{Article: orig, Fingerprint: fingerprint(orig.Body, 1, 2), Annotations: pactAnnotations(t, orig.Body),
			Events: []detente.Event{pact(t, orig.Body)}},
		detente.PutItem{Article: exact, Fingerprint: fingerprint(exact.Body), Duplicate: &detente.Duplicate{Of: orig.ID, Kind: detente.CopyExact, Similarity: 1}})
	put(t, db,
		detente.PutItem{Article: ra, Fingerprint: fingerprint(ra.Body, 3), Events: []detente.Event{rev}},
		detente.PutItem{Article: near, Fingerprint: fingerprint(near.Body), Duplicate: &detente.Duplicate{Of: exact.ID, Kind: detente.CopyNear, Similarity: 0.8}})
	// A batch failing inside its transaction, and one cancelled.
	if _, err := db.PutBatch(ctx, []detente.PutItem{generatedItems("fk", 0, 1)[0],
		{Article: &detente.Article{ID: "orphan", Body: "x"}, Duplicate: &detente.Duplicate{Of: "missing", Kind: detente.CopyNear}}}); err == nil {
		t.Fatal("a copy of a missing article was stored")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.PutBatch(cancelled, generatedItems("fk", 1, 3)); err == nil {
		t.Fatal("a cancelled batch was stored")
	}
	if n := count(t, db, "SELECT count(*) FROM copies WHERE article_id LIKE 'fk-%'"); n != 0 {
		t.Errorf("%d articles of the failed and cancelled batches stored, want 0", n)
	}
	if n := count(t, db, "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Errorf("%d rows refer to missing rows", n)
	}
	if n := count(t, db, "SELECT count(*) FROM event_mentions"); n != 4 {
		t.Errorf("%d event mentions, want 4 (the pact reported by the original, its two copies and Reuters)", n)
	}
	checkForeignKeysOn(t, ctx, db, "PutBatch")
	// Deleting the original still takes its rows with it.
	var seq int64
	if err := db.db.QueryRow("SELECT seq FROM articles WHERE id = ?", orig.ID).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec("DELETE FROM articles WHERE seq = ?", seq); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"entities", "lsh_bands", "annotations", "event_mentions"} {
		if n := count(t, db, "SELECT count(*) FROM "+table+" WHERE article_seq = ?", seq); n != 0 {
			t.Errorf("%s keeps %d rows of the deleted article", table, n)
		}
	}
}
