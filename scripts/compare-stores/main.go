// Command compare-stores checks that two detente stores hold the same
// thing: the same article IDs in the same stories (kind and similarity of
// every copy), and the same events with the same counts, first-report
// attributes and mentions. The fault test (scripts/fault-test.sh) runs it
// on a single-process SQLite store and the PostgreSQL store the queue
// workers filled. Exit status 1 when they differ.
//
//	go run ./scripts/compare-stores WANT_DB GOT_DB
//
// Each argument is a SQLite file or a postgres:// URL (with ?schema=…).
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/store/postgres"
	"github.com/detente/detente/store/sqlite"
)

func open(ctx context.Context, s string) (detente.Archive, error) {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		return postgres.Open(ctx, s)
	}
	return sqlite.Open(s)
}

// articles maps every stored article ID to its story and how it copies
// it, listing stories page by page (Search without a query lists every
// story) and each story's copies.
func articles(ctx context.Context, db detente.Archive) (map[string]string, error) {
	out := map[string]string{}
	for offset := 0; ; offset += 1000 {
		hits, _, err := db.Search(ctx, detente.SearchFilter{Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		if len(hits) == 0 {
			return out, nil
		}
		for _, h := range hits {
			s, err := db.Article(ctx, h.ArticleID)
			if err != nil {
				return nil, err
			}
			for _, c := range s.Copies {
				out[c.ArticleID] = fmt.Sprintf("story %s %s %.6f", s.ID, c.Kind, c.Similarity)
			}
		}
	}
}

// events maps every event ID to its description and its mentions, in an
// order of their own (workers store in no fixed order).
func events(ctx context.Context, db detente.Archive) (map[string]string, error) {
	out := map[string]string{}
	err := db.EachEvent(ctx, detente.EventFilter{}, true, func(se *detente.StoredEvent) error {
		var ms []string
		for _, r := range se.Reports {
			ms = append(ms, fmt.Sprintf("%s@%s s[%d,%d) v[%d,%d) #%d %.3f %s", r.ArticleID, r.Outlet, r.Sentence.Start,
				r.Sentence.End, r.VerbSpan.Start, r.VerbSpan.End, r.SentenceNo, r.Confidence, r.Explanation))
		}
		sort.Strings(ms)
		e := se.Event
		loc := ""
		if e.Location != nil {
			loc = fmt.Sprintf("%s/%s/%.4f/%.4f", e.Location.Name, e.Location.Country, e.Location.Lat, e.Location.Lon)
		}
		out[e.ID] = fmt.Sprintf("%s>%s %s %s plover=%s mode=%q negated=%v loc=%s mentions=%d articles=%d sources=%d\n    %s",
			e.Source, e.Target, e.CAMEO, e.Date, e.PLOVER, e.Mode, e.Negated, loc, e.NumMentions, e.NumArticles, e.NumSources,
			strings.Join(ms, "\n    "))
		return nil
	})
	return out, err
}

// diff prints what differs between two maps, at most a few of each kind,
// and returns how many keys differ.
func diff(what string, want, got map[string]string) int {
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	n := 0
	for _, k := range keys {
		w, inW := want[k]
		g, inG := got[k]
		if inW && inG && w == g {
			continue
		}
		n++
		if n <= 5 {
			fmt.Printf("%s %s:\n  want %s\n  got  %s\n", what, k, orMissing(w, inW), orMissing(g, inG))
		}
	}
	fmt.Printf("%s: %d in the first store, %d in the second, %d differ\n", what, len(want), len(got), n)
	return n
}

func orMissing(s string, ok bool) string {
	if !ok {
		return "(missing)"
	}
	return s
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: compare-stores WANT_DB GOT_DB")
		os.Exit(2)
	}
	ctx := context.Background()
	var maps [2][2]map[string]string
	for i, arg := range os.Args[1:] {
		db, err := open(ctx, arg)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if maps[i][0], err = articles(ctx, db); err == nil {
			maps[i][1], err = events(ctx, db)
		}
		db.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	n := diff("articles", maps[0][0], maps[1][0]) + diff("events", maps[0][1], maps[1][1])
	if n > 0 {
		fmt.Println("DIFFERENT")
		os.Exit(1)
	}
	fmt.Println("SAME: same article IDs in the same stories, same events with the same mentions")
}
