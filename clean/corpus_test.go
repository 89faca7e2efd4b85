package clean

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/detente/detente"
)

var survey = flag.Bool("clean.survey", false, "print every line each rule removes from the shared corpora")

// readCorpus reads the articles of a shared JSONL corpus
// ({id,title,source,url,published,body}), skipping when it is absent.
func readCorpus(t testing.TB, rel string) []*detente.Article {
	t.Helper()
	f, err := os.Open(sharedFile(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*detente.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var a detente.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		out = append(out, &a)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRulesRemoveLittleOfRealNewsCorpora runs every rule over real articles
// and checks that what they throw away (captions are kept, so they do not
// count) is a small share of the text, that no article loses a fifth of its
// body, and that cleaning is idempotent on them.
// With -clean.survey it prints what each rule removed, for a human to read.
func TestRulesRemoveLittleOfRealNewsCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus survey skipped in -short mode")
	}
	var arts []*detente.Article
	for _, rel := range []string{"corpora/wikinews-2019-2020.jsonl", "corpora/allsides-intl-5720.jsonl"} {
		arts = append(arts, readCorpus(t, rel)...)
	}
	count := map[string]int{}
	chars := map[string]int{}
	removed := map[string][]string{}
	totalParas, totalChars := 0, 0
	for _, a := range arts {
		totalParas += len(splitParagraphs(a.Body))
		totalChars += len(a.Body)
		// Captions leave the body but stay in the article; the rest is gone.
		lost := 0
		got := clean(a, func(rule, line string) {
			count[rule]++
			chars[rule] += len(line)
			if !strings.HasPrefix(rule, "caption") {
				lost += len(line)
			}
			if *survey {
				removed[rule] = append(removed[rule], line)
			}
		})
		if len(a.Body) >= 1000 && lost*5 > len(a.Body) {
			t.Errorf("%s: rules removed %d of %d bytes of the body", a.ID, lost, len(a.Body))
		}
		if again := Article(got); again.Body != got.Body || len(again.Captions) != len(got.Captions) {
			t.Errorf("%s: cleaning twice differs from cleaning once", a.ID)
		}
	}
	rules := make([]string, 0, len(count))
	removedChars := 0
	for r := range count {
		rules = append(rules, r)
		if !strings.HasPrefix(r, "caption") {
			removedChars += chars[r]
		}
	}
	sort.Strings(rules)
	t.Logf("%d articles, %d paragraphs, %d bytes", len(arts), totalParas, totalChars)
	for _, r := range rules {
		t.Logf("%-18s %6d lines %8d bytes", r, count[r], chars[r])
		if *survey {
			for _, l := range removed[r] {
				if r := []rune(l); len(r) > 200 {
					l = string(r[:90]) + " … " + string(r[len(r)-90:])
				}
				t.Logf("  %s | %s", r, strings.ReplaceAll(l, "\n", " "))
			}
		}
	}
	if share := float64(removedChars) / float64(totalChars); share > 0.01 {
		t.Errorf("rules removed %.2f%% of the corpus text (captions aside), want under 1%%", 100*share)
	}
}
