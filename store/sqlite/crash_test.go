package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/detente/detente"
)

// The crash and two-writer tests run this test binary again as a child
// process that writes batches; these variables tell the child what to do.
const (
	childEnv     = "DETENTE_SQLITE_TEST_CHILD" // "write" runs the writer
	childDB      = "DETENTE_SQLITE_TEST_DB"
	childPrefix  = "DETENTE_SQLITE_TEST_PREFIX"
	childBatches = "DETENTE_SQLITE_TEST_BATCHES" // 0: until killed
	childSize    = 64
)

func TestMain(m *testing.M) {
	// The package's tests store with the page buffer an ingest uses (see
	// ReservePageCache); the rest of the repository's tests run without it.
	ReservePageCache()
	if os.Getenv(childEnv) == "write" {
		if err := childWrite(); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	os.Exit(code)
}

// childBatch is batch b of a writer: childSize items where every fourth
// is an exact copy of the item before it, so a batch holds originals and
// copies that refer within the batch.
func childBatch(prefix string, b int) []detente.PutItem {
	items := generatedItems(prefix, b*childSize, childSize)
	for i := range items {
		items[i].Annotations = genAnnotations(items[i].Article)
		items[i].Events = genEvents(items[i].Article)
	}
	for i := 3; i < len(items); i += 4 {
		prev := items[i-1].Article
		items[i].Article.Body = prev.Body
		items[i].Fingerprint = fingerprint(prev.Body)
		items[i].Duplicate = &detente.Duplicate{Of: prev.ID, Kind: detente.CopyExact, Similarity: 1}
	}
	return items
}

// genAnnotations annotates a generated article (see generated) with spans
// found in its body: two entities, a time and a quote.
func genAnnotations(a *detente.Article) *detente.Annotations {
	find := func(text string) (int, int) {
		i := strings.Index(a.Body, text)
		if i < 0 {
			panic(fmt.Sprintf("%q not in %q", text, a.Body))
		}
		s := len([]rune(a.Body[:i]))
		return s, s + len([]rune(text))
	}
	ds, de := find("Delegations")
	os_, oe := find("Officials")
	rs, re := find("round")
	qs, qe := find("Officials said")
	return &detente.Annotations{
		Sentences: []detente.Span{{Start: 0, End: oe}},
		Entities: []detente.Entity{
			{Text: "Delegations", Start: ds, End: de, Type: detente.EntityOrg, Canonical: "Delegations", Actor: "IGO"},
			{Text: "Officials", Start: os_, End: oe, Type: detente.EntityPerson, Actor: "GOV", Lat: new(float64), Lon: new(float64)},
		},
		Times:  []detente.TimeExpr{{Text: "round", Start: rs, End: re, Value: "PRESENT_REF"}},
		Quotes: []detente.Quote{{Text: "Officials said", Start: qs, End: qe, Speaker: "Officials", Actor: "GOV"}},
	}
}

// genEvents codes a generated article: the delegations meet the
// officials on its publication day. Articles published on the same day
// report the same event, so batches merge into each other's events.
func genEvents(a *detente.Article) []detente.Event {
	find := func(text string) detente.Span {
		i := strings.Index(a.Body, text)
		s := len([]rune(a.Body[:i]))
		return detente.Span{Start: s, End: s + len([]rune(text))}
	}
	first := find("Delegations met for round")
	first.End = find("Officials").Start - 1
	return []detente.Event{{Source: "IGO", Target: "GOV", CAMEO: "036", Date: a.Published,
		Mentions: []detente.EventMention{{Sentence: first, SourceSpan: find("Delegations"),
			TargetSpan: find("Officials"), VerbSpan: find("met"), RootEvent: true, Confidence: 0.8,
			Explanation: "met → 036"}}}}
}

// checkEventIntegrity asserts that every article and copy was stored with
// its events, and that every event's counts are its mentions'.
func checkEventIntegrity(t *testing.T, db *DB) {
	t.Helper()
	for what, q := range map[string]string{
		"an article stored without its events": `SELECT count(*) FROM articles a WHERE NOT EXISTS
			(SELECT 1 FROM event_mentions m WHERE m.article_seq = a.seq AND m.article_id = a.id)`,
		"a copy stored without its story's events": `SELECT count(*) FROM copies c WHERE NOT EXISTS
			(SELECT 1 FROM event_mentions m WHERE m.article_id = c.article_id)`,
		"a mention of no stored article": `SELECT count(*) FROM event_mentions m WHERE NOT EXISTS
			(SELECT 1 FROM copies c WHERE c.article_id = m.article_id)`,
		"an event whose counts are not its mentions'": `SELECT count(*) FROM events e WHERE
			e.num_mentions <> (SELECT count(*) FROM event_mentions m WHERE m.event_seq = e.seq) OR
			e.num_articles <> (SELECT count(DISTINCT article_id) FROM event_mentions m WHERE m.event_seq = e.seq) OR
			e.num_sources <> (SELECT count(DISTINCT lower(outlet)) FROM event_mentions m WHERE m.event_seq = e.seq) OR
			e.num_mentions = 0`,
	} {
		if n := count(t, db, q); n != 0 {
			t.Errorf("found %d × %s", n, what)
		}
	}
}

// childWrite writes batches, announcing each commit on stdout.
func childWrite() error {
	db, err := Open(os.Getenv(childDB))
	if err != nil {
		return err
	}
	defer db.Close()
	n, _ := strconv.Atoi(os.Getenv(childBatches))
	prefix := os.Getenv(childPrefix)
	for b := 0; n == 0 || b < n; b++ {
		if _, err := db.PutBatch(context.Background(), childBatch(prefix, b)); err != nil {
			return err
		}
		fmt.Printf("committed %d\n", b+1)
	}
	return nil
}

func startChild(t *testing.T, file, prefix string, batches int) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=write", childDB+"="+file, childPrefix+"="+prefix,
		childBatches+"="+strconv.Itoa(batches))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

// checkIntegrity asserts the file is sound and holds no partial article.
func checkIntegrity(t *testing.T, db *DB) {
	t.Helper()
	var res string
	if err := db.db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
	// Checks the FTS index against its content table, articles.
	ftsIntegrity(t, db)
	if rows, err := db.db.Query("PRAGMA foreign_key_check"); err != nil {
		t.Error(err)
	} else {
		if rows.Next() {
			t.Error("foreign_key_check found a copy, caption or band without its parent")
		}
		rows.Close()
	}
	orphans := map[string]string{
		"an article without its story":      "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.id)",
		"an article without its copies row": "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM copies c WHERE c.article_id = a.id AND c.kind = 'original')",
		"an article without its bands":      "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM lsh_bands b WHERE b.article_seq = a.seq)",
	}
	for what, q := range orphans {
		if n := count(t, db, q); n != 0 {
			t.Errorf("found %d × %s", n, what)
		}
	}
	checkAnnotationIntegrity(t, db)
	checkEventIntegrity(t, db)
	if n := count(t, db, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM annotations an WHERE an.article_seq = a.seq)"); n != 0 {
		t.Errorf("%d articles were stored without their annotations", n)
	}
	// Every generated body says "generated"; this asks the index itself
	// (a rowid lookup would read the content table instead).
	indexed := ftsCount(t, db, "generated")
	if stored := count(t, db, "SELECT count(*) FROM articles"); indexed != stored {
		t.Errorf("%d articles are in the FTS index, want all %d", indexed, stored)
	}
}

// checkAnnotationIntegrity asserts that every article has all of its
// annotation rows or none: no entity row without the annotations row
// whose mentions it counts, and the rows' mentions adding up to the
// mentions in the JSON.
func checkAnnotationIntegrity(t *testing.T, db *DB) {
	t.Helper()
	orphans := count(t, db, "SELECT count(*) FROM entities x WHERE NOT EXISTS (SELECT 1 FROM annotations an WHERE an.article_seq = x.article_seq)")
	if orphans != 0 {
		t.Errorf("%d entity rows belong to no annotations row", orphans)
	}
	partial := count(t, db, `SELECT count(*) FROM annotations an WHERE
		an.entity_count <> (SELECT coalesce(sum(e.mentions), 0) FROM entities e WHERE e.article_seq = an.article_seq) OR
		an.entity_count <> json_array_length(an.json, '$.entities') OR
		an.time_count <> json_array_length(an.json, '$.times') OR
		an.quote_count <> json_array_length(an.json, '$.quotes')`)
	if partial != 0 {
		t.Errorf("%d articles have part of their annotation rows", partial)
	}
}

func TestAKilledWriterLeavesWholeBatchesAndARerunCompletesThem(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	file := filepath.Join(t.TempDir(), "crash.db")
	cmd, lines := startChild(t, file, "crash", 0)
	// The child writes batch after batch without pause, so the kill lands
	// while a transaction is open; whatever it interrupts, the checks
	// below must hold.
	seen := 0
	for seen < 5 && lines.Scan() {
		seen, _ = strconv.Atoi(strings.TrimPrefix(lines.Text(), "committed "))
	}
	if seen < 5 {
		t.Fatalf("child stopped after %d batches", seen)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()

	db, err := Open(file)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	checkIntegrity(t, db)
	stored := count(t, db, "SELECT count(*) FROM copies")
	if stored%childSize != 0 || stored/childSize < seen {
		t.Fatalf("%d article IDs stored: want whole batches of %d, at least the %d announced", stored, childSize, seen)
	}
	committed := stored / childSize

	total := committed + 2
	for b := range total {
		st, err := db.PutBatch(context.Background(), childBatch("crash", b))
		if err != nil {
			t.Fatalf("rerun batch %d: %v", b, err)
		}
		for i, s := range st {
			if b < committed && s != detente.PutExisting {
				t.Errorf("rerun batch %d item %d = %v, want existing", b, i, s)
			}
		}
	}
	checkIntegrity(t, db)
	s, err := db.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := detente.Stats{Articles: total * childSize, Stories: total * childSize * 3 / 4,
		Copies: total * childSize / 4, Exact: total * childSize / 4, Sources: 7, Annotated: total * childSize * 3 / 4}
	if s != want {
		t.Errorf("after rerun Stats = %+v, want %+v (no duplicates, nothing missing)", s, want)
	}
	// One mention per article ID; one event per original's publication
	// day (a copy reports its original's events).
	if n := count(t, db, "SELECT count(*) FROM event_mentions"); n != s.Articles {
		t.Errorf("%d event mentions after rerun, want one per article ID (%d)", n, s.Articles)
	}
	if n, days := count(t, db, "SELECT count(*) FROM events"), count(t, db, "SELECT count(DISTINCT published) FROM articles"); n != days {
		t.Errorf("%d events after rerun, want one per publication day (%d)", n, days)
	}
}

func TestTwoProcessesCanWriteOneFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	file := filepath.Join(t.TempDir(), "shared.db")
	// Create the file first so the children do not race to migrate it.
	db, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	const batches = 8
	var cmds []*exec.Cmd
	for _, p := range []string{"left", "right"} {
		cmd, lines := startChild(t, file, p, batches)
		go func() {
			for lines.Scan() {
			}
		}()
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	checkIntegrity(t, db)
	if n := count(t, db, "SELECT count(*) FROM copies"); n != 2*batches*childSize {
		t.Errorf("%d article IDs stored, want %d from both writers", n, 2*batches*childSize)
	}
	db.Close()
}

func TestConcurrentMigrationsOfANewFileAgree(t *testing.T) {
	file := filepath.Join(t.TempDir(), "race.db")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			db, err := Open(file)
			if err == nil {
				err = db.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("Open: %v", err)
		}
	}
	db, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v := count(t, db, "PRAGMA user_version"); v != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
}
