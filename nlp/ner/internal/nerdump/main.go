// Command nerdump tags every sentence of the first articles of an AllSides
// corpus with the shipped model and prints a SHA-256 of all the labels, so
// a change meant to speed tagging up can be checked to leave every label
// as it was (run it before and after; -o writes the labels to compare
// them line by line).
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp"
	"github.com/detente/detente/nlp/ner"
)

func main() {
	shared := flag.String("shared", "../shared", "shared data folder")
	n := flag.Int("n", 1000, "articles")
	out := flag.String("o", "", "also write one line of labels per sentence to this file")
	flag.Parse()
	f, err := os.Open(filepath.Join(*shared, "corpora", "allsides-intl-5720.jsonl"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	h := sha256.New()
	var w io.Writer = h
	if *out != "" {
		of, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer of.Close()
		bw := bufio.NewWriter(of)
		defer bw.Flush()
		w = io.MultiWriter(h, bw)
	}
	m, k := ner.Default(), kb.Default()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	arts, sents, toks := 0, 0, 0
	for sc.Scan() && arts < *n {
		var a detente.Article
		if json.Unmarshal(sc.Bytes(), &a) != nil {
			continue
		}
		arts++
		a.Language = "en"
		c := clean.Article(&a)
		for _, s := range nlp.Sentences(c.Body) {
			var words []string
			for _, t := range nlp.Tokens(c.Body, s) {
				words = append(words, t.Text)
			}
			// Both roads: the tagger matching the kb itself and the one
			// given the matches, as the annotator calls it.
			tags := m.Tag(words)
			with := m.TagWithMatches(words, k.Match(words))
			if strings.Join(tags, " ") != strings.Join(with, " ") {
				fmt.Fprintf(os.Stderr, "Tag and TagWithMatches differ on %q\n", strings.Join(words, " "))
				os.Exit(1)
			}
			fmt.Fprintln(w, strings.Join(tags, " "))
			sents++
			toks += len(words)
		}
	}
	fmt.Printf("%d articles, %d sentences, %d tokens, labels sha256 %x\n", arts, sents, toks, h.Sum(nil))
}
