// Command capstats derives the tagger's capitalization table (capstats.tsv.gz
// in package ner) from unlabeled news: for each word, how often it is
// written with a capital letter when it does not open a sentence. "Paris"
// almost always is, "Will" rarely, "said" never: a strong, label-free hint
// of what is a name. It reads the bodies of JSONL corpora (one article per
// line with a "body" field):
//
//	go run ./nlp/ner/internal/capstats -o nlp/ner/capstats.tsv.gz ../shared/corpora/*.jsonl
//
// Words seen fewer than -min times are left out; the output is sorted, so
// the same corpora give the same bytes.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente/nlp/ner"
)

func main() {
	out := flag.String("o", "nlp/ner/capstats.tsv.gz", "output file")
	minCount := flag.Int("min", 5, "least mid-sentence occurrences a word needs")
	flag.Parse()
	type count struct{ total, upper int }
	counts := map[string]*count{}
	for _, path := range flag.Args() {
		f, err := os.Open(path)
		if err != nil {
			fail(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			var a struct {
				Body string `json:"body"`
			}
			if json.Unmarshal(sc.Bytes(), &a) != nil {
				continue
			}
			for _, line := range strings.Split(a.Body, "\n") {
				start := true
				for _, raw := range strings.Fields(line) {
					w := strings.TrimFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
					if w != "" && !start {
						r, _ := utf8.DecodeRuneInString(w)
						if unicode.IsLetter(r) {
							k := strings.ToLower(w)
							c := counts[k]
							if c == nil {
								c = &count{}
								counts[k] = c
							}
							c.total++
							if unicode.IsUpper(r) {
								c.upper++
							}
						}
					}
					last, _ := utf8.DecodeLastRuneInString(raw)
					start = w == "" && start || strings.ContainsRune(".!?:\"“”", last)
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			fail(err)
		}
	}
	words := make([]string, 0, len(counts))
	for w, c := range counts {
		if c.total >= *minCount {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	fmt.Fprintf(bw, "# word\tcapitalization bucket (0-%d) of its mid-sentence uses; derived by nlp/ner/internal/capstats\n", ner.CapBuckets-1)
	for _, w := range words {
		c := counts[w]
		fmt.Fprintf(bw, "%s\t%d\n", w, ner.CapBucket(c.upper, c.total))
	}
	if err := bw.Flush(); err != nil {
		fail(err)
	}
	if err := zw.Close(); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "%d words of %d\n", len(words), len(counts))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
