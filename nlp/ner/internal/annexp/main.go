// Command annexp prints the full annotator's errors on GUM news under
// leave-one-document-out cross-validation (models cached in -cache).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/eval"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
)

func main() {
	shared := flag.String("shared", "../shared", "shared data folder")
	cache := flag.String("cache", "", "folder caching the CV models")
	flag.Parse()
	models := map[string]*ner.Model{}
	docs, err := eval.GUMDocTexts(*shared)
	if err != nil {
		panic(err)
	}
	var c *ner.Corpus
	for _, d := range docs {
		p := filepath.Join(*cache, d.Doc+".bin.gz")
		if b, err := os.ReadFile(p); err == nil && *cache != "" {
			m, err := ner.Load(bytes.NewReader(b))
			if err == nil {
				models[d.Doc] = m.WithGazetteer(ner.DefaultGazetteer())
				continue
			}
		}
		if c == nil {
			if c, err = ner.LoadCorpus(*shared); err != nil {
				panic(err)
			}
		}
		m := ner.Train(c.All(d.Doc), ner.ShippedOptions(nil))
		models[d.Doc] = m
		if *cache != "" {
			var buf bytes.Buffer
			m.WriteTo(&buf)
			os.MkdirAll(*cache, 0o755)
			os.WriteFile(p, buf.Bytes(), 0o644)
		}
	}
	lex := annotate.NewKBLexicon(kb.Default())
	srcs := map[string]*detente.Entity{}
	rep, err := eval.NERAnnotator(*shared, func(doc, text string) []detente.Entity {
		ents := eval.FlatNames(eval.GUMTypes(annotate.New(lex, models[doc]).Annotate(&detente.Article{Body: text, Language: "en"}).Entities), eval.FoldPlaces("PERSON", "ORG", "PLACE"))
		for i := range ents {
			srcs[fmt.Sprintf("%s:%d:%d", doc, ents[i].Start, ents[i].End)] = &ents[i]
		}
		// Print errors.
		var d *eval.GUMDocText
		for i := range docs {
			if docs[i].Doc == doc {
				d = &docs[i]
			}
		}
		pred := d.Spans(ents)
		for si, s := range d.Sentences {
			gold, ignored := eval.GUMGold(s, false)
			g := map[[2]int]string{}
			for _, x := range gold {
				g[[2]int{x.Start, x.End}] = x.Type
			}
			ign := map[[2]int]bool{}
			for _, x := range ignored {
				ign[[2]int{x.Start, x.End}] = true
			}
			p := map[[2]int]string{}
			for _, x := range pred[si] {
				t := fold(x.Type)
				if t == "" || ign[[2]int{x.Start, x.End}] {
					continue
				}
				p[[2]int{x.Start, x.End}] = t
			}
			show := func(a, b int) string {
				return strings.Join(s.Tokens[max(0, a-3):a], " ") + " [" + strings.Join(s.Tokens[a:b], " ") + "] " + strings.Join(s.Tokens[b:min(len(s.Tokens), b+3)], " ")
			}
			src := func(a, b int) string {
				st, en := d.Starts[si][a], d.Ends[si][b-1]
				for k, e := range srcs {
					if strings.HasPrefix(k, doc+":") && e.Start >= st && e.End <= en && e.Start <= st+1 {
						return e.Source + "/" + e.Type + "/" + e.Canonical
					}
				}
				return "?"
			}
			for k, t := range p {
				gt := fold(g[k])
				if gt == t {
					continue
				}
				fmt.Printf("FP %-6s gold=%-6s %-30s %s\n", t, gt, src(k[0], k[1]), show(k[0], k[1]))
			}
			for k, t := range g {
				if fold(p[k]) == fold(t) {
					continue
				}
				if _, ok := p[k]; ok {
					continue
				}
				fmt.Printf("FN %-6s %s\n", fold(t), show(k[0], k[1]))
			}
		}
		return ents
	}, false)
	if err != nil {
		panic(err)
	}
	rep.Write(os.Stdout)
}

func fold(t string) string {
	switch t {
	case "GPE", "LOC":
		return "PLACE"
	case "PERSON", "ORG":
		return t
	}
	return ""
}
