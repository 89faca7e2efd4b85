// Package crashtest proves that `detente ingest` loses, doubles and invents
// nothing when it is killed: it runs the real binary, kills it with SIGKILL
// at random points, restarts it, and compares the store with one from an
// uninterrupted run. It also fills the disk under it and takes its
// database's write permission away. The tests build the binary themselves.
//
//	go test ./internal/crashtest    # 8 kills (4 of queue workers), 120 AllSides articles
//	make crash                      # 100 kills (50 of queue workers), 400 articles
package crashtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/store/sqlite"

	"github.com/detente/detente/internal/shareddata"
)

// defaultArticles is how many AllSides articles the corpus takes when the
// shared data is present (DETENTE_CRASH_ARTICLES changes it): enough for
// ingest to run a few seconds.
const defaultArticles = 120

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// detenteBinary builds cmd/detente once per test run.
func detenteBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "detente-crashtest-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "detente")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/detente/detente/cmd/detente")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

var (
	workOnce sync.Once
	work     string
)

// workDir is a directory shared by the package's tests, removed at exit.
func workDir(t *testing.T) string {
	workOnce.Do(func() {
		var err error
		if work, err = os.MkdirTemp("", "detente-crashtest-work-"); err != nil {
			t.Fatal(err)
		}
	})
	return work
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	if work != "" {
		os.RemoveAll(work)
	}
	os.Exit(code)
}

// corpus is what the tests ingest: the repository's examples (every
// reader, a broken line, copies) and, when the shared data is there, a
// slice of the AllSides corpus with its real copies and near copies.
func corpus(t *testing.T) []string {
	t.Helper()
	paths := []string{filepath.Join("..", "..", "examples")}
	shared := shareddata.Dir()
	data, err := os.ReadFile(filepath.Join(shared, "corpora", "allsides-intl-5720.jsonl"))
	if err != nil {
		t.Logf("AllSides corpus not found under %s (set DETENTE_SHARED): only the examples are ingested", shared)
		return paths
	}
	n := defaultArticles
	if v := os.Getenv("DETENTE_CRASH_ARTICLES"); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("DETENTE_CRASH_ARTICLES=%q is not a positive number", v)
		}
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	// One slice file for every test: its path is part of what the clean
	// and the other runs read.
	slice := filepath.Join(workDir(t), fmt.Sprintf("allsides-%d.jsonl", n))
	if err := os.WriteFile(slice, bytes.Join(lines[:min(n, len(lines))], nil), 0o644); err != nil {
		t.Fatal(err)
	}
	return append(paths, slice)
}

// ingestCmd is `detente ingest` into db.
func ingestCmd(bin, db string, paths []string) *exec.Cmd {
	cmd := exec.Command(bin, append([]string{"ingest", "--db", db, "--json"}, paths...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

func runIngest(t *testing.T, bin, db string, paths []string) (string, error) {
	t.Helper()
	out, err := ingestCmd(bin, db, paths).CombinedOutput()
	return string(out), err
}

// digest is the store's content in a canonical, comparable form: one line
// per article, copy, entity mention, event and event mention. What only
// records when something was stored (sequence numbers, timestamps) is left
// out; everything an analyst reads is in.
type digest struct {
	stats     detente.Stats
	articles  map[string][]string // article or copy ID → its lines
	events    []string
	allLines  []string
	annotated map[string]bool
}

func readDigest(t *testing.T, file string) *digest {
	t.Helper()
	db, err := sqlite.Open(file)
	if err != nil {
		t.Fatalf("open %s: %v", file, err)
	}
	defer db.Close()
	return archiveDigest(t, db)
}

// archiveDigest reads any store's digest.
func archiveDigest(t *testing.T, db detente.Archive) *digest {
	t.Helper()
	ctx := context.Background()
	var err error
	d := &digest{articles: map[string][]string{}, annotated: map[string]bool{}}
	if d.stats, err = db.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	var ids []string
	// Pages of whatever size the store allows, until one comes back empty.
	for off := 0; ; {
		hits, _, err := db.Search(ctx, detente.SearchFilter{Limit: sqlite.MaxLimit, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			break
		}
		for _, h := range hits {
			ids = append(ids, h.ArticleID)
		}
		off += len(hits)
	}
	for _, id := range ids {
		st, err := db.Article(ctx, id)
		if err != nil {
			t.Fatalf("article %s listed but not readable: %v", id, err)
		}
		a := st.Original
		lines := []string{fmt.Sprintf("article %s %q %q %s %x", a.ID, a.Title, a.Source, a.Published, sha256.Sum256([]byte(a.Body)))}
		for _, c := range st.Copies {
			if c.ArticleID != a.ID {
				lines = append(lines, fmt.Sprintf("copy %s of %s %s %.3f", c.ArticleID, a.ID, c.Kind, c.Similarity))
			}
		}
		ents, err := db.Entities(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			lines = append(lines, fmt.Sprintf("entity %s %d-%d %s %q %s %s", id, e.Start, e.End, e.Type, e.Canonical, e.Actor, e.Country))
		}
		if ann, err := db.Annotations(ctx, id); err == nil && ann != nil {
			d.annotated[id] = true
			lines = append(lines, fmt.Sprintf("annotations %s sentences=%d times=%d quotes=%d", id, len(ann.Sentences), len(ann.Times), len(ann.Quotes)))
		}
		d.articles[id] = lines
		d.allLines = append(d.allLines, lines...)
	}
	err = db.EachEvent(ctx, detente.EventFilter{}, true, func(se *detente.StoredEvent) error {
		e := se.Event
		line := fmt.Sprintf("event %s %s>%s %s %s %s mode=%s neg=%v n=%d/%d/%d", e.ID, e.Source, e.Target, e.CAMEO,
			e.PLOVER, e.Date, e.Mode, e.Negated, e.NumMentions, e.NumSources, e.NumArticles)
		var ms []string
		for _, m := range se.Reports {
			ms = append(ms, fmt.Sprintf("%s@%d-%d/%d-%d", m.ArticleID, m.Sentence.Start, m.Sentence.End, m.VerbSpan.Start, m.VerbSpan.End))
		}
		slices.Sort(ms)
		d.events = append(d.events, line+" "+strings.Join(ms, ","))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d.allLines = append(d.allLines, d.events...)
	slices.Sort(d.allLines)
	return d
}

// diff reports the first differences between two digests, or "".
func (d *digest) diff(want *digest) string {
	var b strings.Builder
	if d.stats != want.stats {
		fmt.Fprintf(&b, "stats %+v, want %+v\n", d.stats, want.stats)
	}
	have := map[string]int{}
	for _, l := range d.allLines {
		have[l]++
	}
	shown := 0
	for _, l := range want.allLines {
		if have[l] > 0 {
			have[l]--
			continue
		}
		if shown++; shown <= 5 {
			fmt.Fprintf(&b, "missing: %s\n", l)
		}
	}
	for l, n := range have {
		if n > 0 {
			if shown++; shown <= 10 {
				fmt.Fprintf(&b, "extra (%d): %s\n", n, l)
			}
		}
	}
	if shown > 10 {
		fmt.Fprintf(&b, "… %d differences in all\n", shown)
	}
	return b.String()
}

// checkPartial holds an interrupted store to what an uninterrupted run
// stored: every article in it is whole (same text, same copies so far, same
// entities and annotations as in the clean store) and nothing is extra.
// Events merge across articles, so their counts may still be growing; they
// are compared once the run completes.
func checkPartial(t *testing.T, file string, clean *digest) {
	t.Helper()
	d := readDigest(t, file)
	for id, lines := range d.articles {
		want, ok := clean.articles[id]
		if !ok {
			t.Errorf("article %s is not in the clean store", id)
			continue
		}
		wantSet := map[string]bool{}
		for _, l := range want {
			wantSet[l] = true
		}
		copies := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "copy ") {
				copies++
			}
			if !wantSet[l] {
				t.Errorf("article %s has %q, which the clean store does not", id, l)
			}
		}
		// Copies arrive later than their story; all else arrives with it.
		if len(lines)-copies != len(want)-countPrefix(want, "copy ") {
			t.Errorf("article %s is partial: %d lines besides copies, want %d", id, len(lines)-copies, len(want)-countPrefix(want, "copy "))
		}
	}
}

func countPrefix(lines []string, p string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, p) {
			n++
		}
	}
	return n
}

func killCount(t *testing.T) int {
	if s := os.Getenv("DETENTE_CRASH_KILLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("DETENTE_CRASH_KILLS=%q is not a positive number", s)
		}
		return n
	}
	if testing.Short() {
		return 3
	}
	return 8
}

var (
	cleanOnce   sync.Once
	cleanDigest *digest
	cleanTime   time.Duration
	cleanSize   int64 // bytes of the clean store's file
	cleanErr    error
)

// cleanRun ingests the corpus once, uninterrupted, into a fresh store: the
// reference every other run is compared with.
func cleanRun(t *testing.T, bin string, paths []string) (*digest, time.Duration) {
	t.Helper()
	cleanOnce.Do(func() {
		dir, err := os.MkdirTemp("", "detente-crashtest-clean-")
		if err != nil {
			cleanErr = err
			return
		}
		defer os.RemoveAll(dir)
		db := filepath.Join(dir, "clean.db")
		start := time.Now()
		if out, err := ingestCmd(bin, db, paths).CombinedOutput(); err != nil {
			cleanErr = fmt.Errorf("clean ingest: %v\n%s", err, out)
			return
		}
		cleanTime = time.Since(start)
		if st, err := os.Stat(db); err == nil {
			cleanSize = st.Size()
		}
		cleanDigest = readDigest(t, db)
		if cleanDigest.stats.Stories == 0 || len(cleanDigest.events) == 0 {
			cleanErr = fmt.Errorf("the clean run stored %+v and %d events: nothing to compare", cleanDigest.stats, len(cleanDigest.events))
		}
	})
	if cleanErr != nil {
		t.Fatal(cleanErr)
	}
	return cleanDigest, cleanTime
}

func TestIngestKilledAtRandomPointsEndsEqualToACleanRun(t *testing.T) {
	bin := detenteBinary(t)
	paths := corpus(t)
	dir := t.TempDir()

	clean, runTime := cleanRun(t, bin, paths)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("DETENTE_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("clean run: %v, %+v, %d events; kill points from seed %d (DETENTE_CRASH_SEED)", runTime.Round(time.Millisecond), clean.stats, len(clean.events), seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	crashDB := filepath.Join(dir, "crash.db")
	kills, completions := 0, 0
	for want := killCount(t); kills < want; {
		cmd := ingestCmd(bin, crashDB, paths)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		at := time.Duration(rng.Int64N(int64(runTime)))
		select {
		case err := <-done:
			// The run finished before its kill point: the store must equal
			// the clean one; start over so later kills land early again.
			if err != nil {
				t.Fatalf("ingest after %d kills: %v\n%s", kills, err, out.String())
			}
			completions++
			if diff := readDigest(t, crashDB).diff(clean); diff != "" {
				t.Fatalf("after %d kills the completed store differs from the clean one:\n%s", kills, diff)
			}
			for _, f := range []string{crashDB, crashDB + "-wal", crashDB + "-shm"} {
				os.Remove(f)
			}
			continue
		case <-time.After(at):
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-done
		kills++
		checkPartial(t, crashDB, clean)
		if t.Failed() {
			t.Fatalf("after kill %d at %v the store is inconsistent (seed %d)", kills, at, seed)
		}
	}
	if out, err := runIngest(t, bin, crashDB, paths); err != nil {
		t.Fatalf("final ingest: %v\n%s", err, out)
	}
	if diff := readDigest(t, crashDB).diff(clean); diff != "" {
		t.Fatalf("after %d kills the store differs from the clean one:\n%s", kills, diff)
	}
	t.Logf("survived %d SIGKILLs (%d runs completed between them); the store equals the clean run", kills, completions)
}
