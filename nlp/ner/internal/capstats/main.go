// Command capstats derives the tagger's capitalization table (capstats.tsv.gz
// in package ner) from running text: for each word, how often it is written
// with a capital letter when it does not open a sentence. "Paris" almost
// always is, "Will" rarely, "said" never: a strong, label-free hint of what
// is a name.
//
// The table ships with detente, so it is derived only from text whose
// licence lets us ship what we derive from it, and from no evaluation
// target. The program reads a fixed list of sources in the shared folder
// (sources below) and nothing else; it takes no file arguments, so a
// corpus that may not be shipped (the AllSides benchmark corpus, "internal
// (benchmarks only)") or a held-out evaluation set (CrossNER politics
// test, GUM, MEANTIME) cannot be fed to it by mistake:
//
//	go run ./nlp/ner/internal/capstats -shared ../shared -o nlp/ner/capstats.tsv.gz
//
// Words seen fewer than -min times mid-sentence are left out; the output is
// sorted, so the same sources give the same bytes. Labels are never read,
// only the tokens of the labelled sets.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente/nlp/ner"
)

// source is one text the table may be derived from.
type source struct {
	name    string
	path    string // inside the shared folder
	format  string // "jsonl" (article bodies) or "conll" (tokens of a CoNLL file)
	licence string
}

// sources are the texts the table is derived from: openly licensed, and
// not held out by any evaluation. Wikinews articles; the tokens (never
// the labels) of the tagger's own training sets wikigold and CrossNER
// politics train+dev. Not CrossNER test, GUM (scored leave-one-document-
// out: its text would leak the held-out document) or MEANTIME.
var sources = []source{
	{"wikinews", "corpora/wikinews-2019-2020.jsonl", "jsonl", "CC BY 2.5 (Wikinews)"},
	{"wikigold", ner.WikigoldPath, "conll", "CC BY 4.0 (wikigold)"},
	{"crossner-train", filepath.Join(ner.CrossNERDir, "train.txt"), "conll", "MIT (CrossNER; Wikipedia text)"},
	{"crossner-dev", filepath.Join(ner.CrossNERDir, "dev.txt"), "conll", "MIT (CrossNER; Wikipedia text)"},
}

type count struct{ total, upper int }

// counter counts, per lower-case word, its uses that do not open a
// sentence and how many of them are capitalized.
type counter map[string]*count

// add counts one line's tokens. A token opens a sentence when it is the
// line's first word or follows one ending in . ! ? : or a quote mark;
// leading and trailing punctuation is trimmed from each token.
func (c counter) add(tokens []string) {
	start := true
	for _, raw := range tokens {
		w := strings.TrimFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" && !start {
			r, _ := utf8.DecodeRuneInString(w)
			if unicode.IsLetter(r) {
				k := strings.ToLower(w)
				n := c[k]
				if n == nil {
					n = &count{}
					c[k] = n
				}
				n.total++
				if unicode.IsUpper(r) {
					n.upper++
				}
			}
		}
		last, _ := utf8.DecodeLastRuneInString(raw)
		start = w == "" && start || strings.ContainsRune(".!?:\"“”", last)
	}
}

// readJSONL counts the "body" of each JSONL line, line by line.
func (c counter) readJSONL(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var a struct {
			Body string `json:"body"`
		}
		if json.Unmarshal(sc.Bytes(), &a) != nil {
			continue
		}
		for _, line := range strings.Split(a.Body, "\n") {
			c.add(strings.Fields(line))
		}
	}
	return sc.Err()
}

// readCoNLL counts the tokens of each sentence of a CoNLL file.
func (c counter) readCoNLL(r io.Reader, name string) error {
	sents, err := ner.ReadCoNLL(r, name, nil)
	for _, s := range sents {
		c.add(s.Tokens)
	}
	return err
}

func main() {
	shared := flag.String("shared", "../shared", "shared data folder")
	out := flag.String("o", "nlp/ner/capstats.tsv.gz", "output file")
	minCount := flag.Int("min", 3, "least mid-sentence occurrences a word needs")
	prior := flag.Int("prior", 0, "pseudo-uses added to each word, half capitalized, before bucketing (smoothing; 0 none)")
	only := flag.String("only", "", "comma-separated names of the listed sources to read (experiments; default all)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: capstats [-shared DIR] [-o FILE] [-min N] [-only NAMES]\nreads only these sources of DIR:\n")
		for _, s := range sources {
			fmt.Fprintf(os.Stderr, "  %s: %s (%s)\n", s.name, s.path, s.licence)
		}
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "capstats: takes no file arguments (got %q): the table ships, so it reads only the openly licensed, non-evaluation sources it lists (-h)\n", flag.Args())
		os.Exit(2)
	}
	use := map[string]bool{}
	for _, s := range sources {
		use[s.name] = *only == ""
	}
	for _, n := range strings.Split(*only, ",") {
		if _, ok := use[n]; !ok && n != "" {
			fmt.Fprintf(os.Stderr, "capstats: -only: no source %q (-h lists them)\n", n)
			os.Exit(2)
		}
		use[n] = true
	}
	counts := counter{}
	var read []string
	for _, s := range sources {
		if !use[s.name] {
			continue
		}
		read = append(read, s.name+" ("+s.licence+")")
		path := filepath.Join(*shared, s.path)
		f, err := os.Open(path)
		if err != nil {
			fail(err)
		}
		before := len(counts)
		if s.format == "jsonl" {
			err = counts.readJSONL(f)
		} else {
			err = counts.readCoNLL(f, s.path)
		}
		f.Close()
		if err != nil {
			fail(fmt.Errorf("%s: %w", path, err))
		}
		fmt.Fprintf(os.Stderr, "%s (%s): %d new words\n", s.path, s.licence, len(counts)-before)
	}
	if err := write(*out, counts, *minCount, *prior, strings.Join(read, ", ")); err != nil {
		fail(err)
	}
}

// write writes the words seen at least minCount times with their buckets,
// sorted, gzipped. prior pseudo-uses, half of them capitalized, are added
// to each word's counts before it is bucketed.
func write(out string, counts counter, minCount, prior int, from string) error {
	words := make([]string, 0, len(counts))
	for w, c := range counts {
		if c.total >= minCount {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	fmt.Fprintf(bw, "# word\tcapitalization bucket (0-%d) of its mid-sentence uses, seen >= %d times (prior %d); derived by nlp/ner/internal/capstats from the text of %s\n", ner.CapBuckets-1, minCount, prior, from)
	for _, w := range words {
		c := counts[w]
		fmt.Fprintf(bw, "%s\t%d\n", w, ner.CapBucket(2*c.upper+prior, 2*c.total+2*prior))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d words of %d\n", len(words), len(counts))
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
