// Command nerspeed measures tagging and annotation speed by CPU time, which
// a loaded machine disturbs less than wall time: it annotates AllSides
// articles on one goroutine with a given model file (default: the
// embedded one) and prints sentences per CPU second, for the tagger alone
// and for the whole annotator.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp"
	"github.com/detente/detente/nlp/ner"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	shared := flag.String("shared", "../shared", "shared data folder")
	model := flag.String("model", "", "model file (default: the embedded model)")
	n := flag.Int("n", 500, "articles")
	rounds := flag.Int("rounds", 3, "passes over the articles")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	m := ner.Default()
	if *model != "" {
		b, err := os.ReadFile(*model)
		if err != nil {
			panic(err)
		}
		if m, err = ner.Load(bytes.NewReader(b)); err != nil {
			panic(err)
		}
		m = m.WithGazetteer(ner.DefaultGazetteer())
	}
	f, err := os.Open(filepath.Join(*shared, "corpora", "allsides-intl-5720.jsonl"))
	if err != nil {
		panic(err)
	}
	var arts []*detente.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() && len(arts) < *n {
		var a detente.Article
		if json.Unmarshal(sc.Bytes(), &a) == nil {
			a.Language = "en"
			arts = append(arts, clean.Article(&a))
		}
	}
	an := annotate.New(annotate.NewKBLexicon(kb.Default()), m)
	var sents [][]string
	for _, a := range arts {
		for _, s := range nlp.Sentences(a.Body) {
			var toks []string
			for _, t := range nlp.Tokens(a.Body, s) {
				toks = append(toks, t.Text)
			}
			sents = append(sents, toks)
		}
	}
	start, sentences := cpu(), 0
	for r := 0; r < *rounds; r++ {
		for _, a := range arts {
			sentences += len(an.Annotate(a).Sentences)
		}
	}
	annot := cpu() - start
	start = cpu()
	for r := 0; r < *rounds; r++ {
		for _, s := range sents {
			m.Spans(s)
		}
	}
	tag := cpu() - start
	fmt.Printf("annotate %.0f sentences/CPU-s; tagger alone %.0f sentences/CPU-s (%d sentences)\n",
		float64(sentences)/annot.Seconds(), float64(*rounds*len(sents))/tag.Seconds(), len(sents))
}
