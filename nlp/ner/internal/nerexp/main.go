// Command nerexp runs NER experiments: GUM leave-one-document-out CV,
// printing the errors.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/detente/detente/nlp/ner"
)

func main() {
	shared := flag.String("shared", "../shared", "shared data folder")
	epochs := flag.Int("epochs", 0, "epochs")
	verbose := flag.Bool("v", false, "print errors")
	gaz := flag.Bool("gaz", false, "knowledge-base gazetteer")
	flag.Parse()
	start := time.Now()
	c, err := ner.LoadCorpus(*shared)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	byDoc := map[string][]ner.GUMSentence{}
	var order []string
	for _, s := range c.GUM {
		if _, ok := byDoc[s.Doc]; !ok {
			order = append(order, s.Doc)
		}
		byDoc[s.Doc] = append(byDoc[s.Doc], s)
	}
	opts := ner.TrainOptions{Epochs: *epochs}
	if *gaz {
		opts.Gazetteer = ner.DefaultGazetteer()
		fmt.Println(ner.DefaultGazetteer().Features([]string{"Chinese", "President", "Xi", "Jinping", "visited", "Paris", "and", "the", "Foreign", "Ministry", "on", "Monday", "with", "Barack", "Smith"}))
	}
	type cnt struct{ tp, fp, fn int }
	per := map[string]*cnt{"PERSON": {}, "ORG": {}, "GPE": {}}
	conf := map[string]int{}
	for _, doc := range order {
		m := ner.Train(c.All(doc), opts)
		for _, s := range byDoc[doc] {
			gold := s.NameSpans(true)
			ign := map[[2]int]bool{}
			for _, n := range s.NameSpans(false) {
				ign[[2]int{n.Start, n.End}] = true
			}
			for _, g := range gold {
				delete(ign, [2]int{g.Start, g.End})
			}
			gs := map[ner.Span]bool{}
			for _, g := range gold {
				if per[g.Type] != nil {
					gs[g] = true
				}
			}
			ps := map[ner.Span]bool{}
			for _, p := range m.Spans(s.Tokens) {
				if per[p.Type] == nil || ign[[2]int{p.Start, p.End}] {
					continue
				}
				ps[p] = true
			}
			show := func(sp ner.Span) string {
				return strings.Join(s.Tokens[max(0, sp.Start-3):sp.Start], " ") + " [" + strings.Join(s.Tokens[sp.Start:sp.End], " ") + "] " + strings.Join(s.Tokens[sp.End:min(len(s.Tokens), sp.End+3)], " ")
			}
			for p := range ps {
				if gs[p] {
					per[p.Type].tp++
					continue
				}
				per[p.Type].fp++
				kind := "spurious"
				for _, g := range gold {
					if g.Start == p.Start && g.End == p.End {
						kind = "type " + g.Type + "->" + p.Type
					} else if g.Start < p.End && p.Start < g.End && kind == "spurious" {
						kind = "boundary"
					}
				}
				conf[kind+" "+p.Type]++
				if *verbose {
					fmt.Printf("FP %-8s %-22s %s\n", p.Type, kind, show(p))
				}
			}
			for g := range gs {
				if ps[g] {
					continue
				}
				per[g.Type].fn++
				kind := "missed"
				for p := range ps {
					if g.Start < p.End && p.Start < g.End {
						kind = "overlap"
					}
				}
				conf[kind+" "+g.Type]++
				if *verbose {
					fmt.Printf("FN %-8s %-22s %s\n", g.Type, kind, show(g))
				}
			}
		}
	}
	var all cnt
	for _, t := range []string{"PERSON", "ORG", "GPE"} {
		c := per[t]
		all.tp += c.tp
		all.fp += c.fp
		all.fn += c.fn
		pr(t, *c)
	}
	pr("micro", all)
	for k, v := range conf {
		fmt.Printf("  %-30s %d\n", k, v)
	}
	fmt.Println("elapsed", time.Since(start))
}

func pr(name string, c struct{ tp, fp, fn int }) {
	p := float64(c.tp) / float64(max(1, c.tp+c.fp))
	r := float64(c.tp) / float64(max(1, c.tp+c.fn))
	fmt.Printf("%-8s tp %4d fp %4d fn %4d  P %.3f R %.3f F1 %.3f\n", name, c.tp, c.fp, c.fn, p, r, 2*p*r/max(1e-9, p+r))
}
