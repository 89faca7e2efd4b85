package ingest

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
)

// nastyMemoryLimit bounds the heap while one nasty file is read: a bomb
// may expand only as far as the record limit allows, and a little past it.
const nastyMemoryLimit = 400 << 20

// nastyWant is what each file in testdata/nasty (written by
// internal/nastygen) must give: how many articles, and a phrase every
// error must contain ("" for none expected). A nasty file must name what
// is wrong, keep what is good, and stay within nastyMemoryLimit.
var nastyWant = map[string]struct {
	articles int
	errors   int
	errWords string
}{
	"bad-gzip.jsonl.gz":  {errors: 1, errWords: "gzip"},
	"billion-laughs.rss": {articles: 2, errors: 1, errWords: "not expanded"},
	"deep-array.json":    {errors: 1, errWords: "exceeded max depth"},
	"deep.jsonl":         {articles: 1, errors: 1, errWords: "line 1: invalid JSON"},
	"empty.html":         {errors: 1, errWords: "empty file"},
	"empty.jsonl":        {errors: 1, errWords: "empty file"},
	"gzip-bomb.jsonl.gz": {articles: 1, errors: 1, errWords: "line 1: line longer than the 67108864-byte record limit"},
	"invalid-utf8.jsonl": {articles: 1},
	"long-line.txt.gz":   {errors: 1, errWords: "larger than the 67108864-byte record limit"},
	"nested.html.gz":     {errors: 1, errWords: "html extraction"},
	"nul-bytes.txt":      {errors: 1, errWords: "not a text/news format"},
	"odd-unicode.txt":    {articles: 1},
	"truncated.warc.gz":  {articles: 1, errors: 1, errWords: "truncated or corrupt"},
	"warc-bomb.warc.gz":  {errors: 1, errWords: "payload larger than the 67108864-byte record limit"},
}

func TestNastyInputs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "nasty", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no nasty inputs in testdata/nasty (go run ./internal/nastygen ingest/testdata/nasty): %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			var arts []*detente.Article
			var errs []error
			peak := watchHeap(func() {
				err := Walk(context.Background(), []string{path}, Options{}, func(a *detente.Article, err error) error {
					if err != nil {
						errs = append(errs, err)
						return nil
					}
					arts = append(arts, a)
					return nil
				})
				if err != nil {
					errs = append(errs, err)
				}
			})
			want, ok := nastyWant[name]
			if !ok {
				t.Fatalf("no expectation for %s: add it to nastyWant", name)
			}
			if len(arts) != want.articles || len(errs) != want.errors {
				t.Errorf("%d articles and %d errors (%v), want %d and %d", len(arts), len(errs), errs, want.articles, want.errors)
			}
			for _, err := range errs {
				if !strings.Contains(err.Error(), want.errWords) || !strings.Contains(err.Error(), name) {
					t.Errorf("error %q does not name the file and say %q", err, want.errWords)
				}
			}
			for _, a := range arts {
				if strings.TrimSpace(a.Body) == "" || !utf8.ValidString(a.Body) || !utf8.ValidString(a.Title) {
					t.Errorf("article %q has an empty or invalid body", a.Title)
				}
			}
			if peak > nastyMemoryLimit {
				t.Errorf("peak heap %d MiB, want at most %d MiB", peak>>20, nastyMemoryLimit>>20)
			}
		})
	}
}

// watchHeap runs fn and returns the largest heap in use seen while it ran,
// sampled every millisecond after a collection before it starts.
func watchHeap(fn func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak.Load()
}
