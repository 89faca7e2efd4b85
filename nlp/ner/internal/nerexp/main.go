// Command nerexp measures a tagger configuration on every NER number the
// project reports, in one run: GUM leave-one-document-out cross-validation
// (tagger alone and inside the full annotator, the same 16 models) and the
// CrossNER politics test split (a model trained on everything; tagger and
// full annotator). With -v it prints the tagger's GUM CV errors.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/eval"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
)

func main() {
	shared := flag.String("shared", "../shared", "shared data folder")
	epochs := flag.Int("epochs", 0, "epochs (0: shipped)")
	bits := flag.Uint("bits", 0, "hash bits (0: shipped)")
	verbose := flag.Bool("v", false, "print the tagger's GUM CV errors")
	workers := flag.Int("j", runtime.NumCPU(), "models trained at once")
	skipCV := flag.Bool("nocv", false, "CrossNER only")
	bilou := flag.Bool("bilou", false, "BILOU labels")
	runs := flag.Int("runs", 0, "perceptrons averaged")
	seed := flag.Uint64("seed", 0, "shuffling seed (0: shipped)")
	meantime := flag.Bool("meantime", false, "also train on MEANTIME")
	noWiki := flag.Bool("nowiki", false, "leave wikigold out")
	gumMisc := flag.Bool("gummisc", false, "train GUM's names of things as MISC")
	cache := flag.String("cache", "", "folder keeping the trained models (CV ones named by document, the full one full.bin.gz): reused when present, so annotator changes are measured without retraining")
	capTable := flag.String("captable", "", "use this capitalization table (capstats output) instead of the embedded one")
	flag.Parse()
	start := time.Now()
	if *capTable != "" {
		f, err := os.Open(*capTable)
		if err == nil {
			err = ner.UseCapTable(f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	c, err := ner.LoadCorpus(*shared)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	opts := ner.ShippedOptions(nil)
	if *epochs > 0 {
		opts.Epochs = *epochs
	}
	opts.BILOU, opts.Seed = *bilou, *seed
	if *runs > 0 {
		opts.Runs = *runs
	}
	if *bits > 0 {
		opts.Bits = *bits
	}
	var extra []ner.Sentence
	if *meantime {
		extra = append(extra, c.MEANTIME...)
	}
	c.GUMMisc = *gumMisc
	if *noWiki {
		c.Wikigold = nil
	}
	var order []string
	byDoc := map[string][]ner.GUMSentence{}
	for _, s := range c.GUM {
		if _, ok := byDoc[s.Doc]; !ok {
			order = append(order, s.Doc)
		}
		byDoc[s.Doc] = append(byDoc[s.Doc], s)
	}
	// Train the CV models and the full one, a few at a time.
	jobs := append([]string{""}, order...)
	if *skipCV {
		jobs = jobs[:1]
	}
	models := make(map[string]*ner.Model, len(jobs))
	var mu sync.Mutex
	sem := make(chan bool, *workers)
	var wg sync.WaitGroup
	for _, doc := range jobs {
		wg.Add(1)
		sem <- true
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			path := ""
			if *cache != "" {
				name := doc
				if name == "" {
					name = "full"
				}
				path = filepath.Join(*cache, name+".bin.gz")
				if b, err := os.ReadFile(path); err == nil {
					if m, err := ner.Load(bytes.NewReader(b)); err == nil {
						mu.Lock()
						models[doc] = m.WithGazetteer(ner.DefaultGazetteer())
						mu.Unlock()
						return
					}
				}
			}
			var data []ner.Sentence
			if doc == "" {
				data = c.All()
			} else {
				data = c.All(doc)
			}
			m := ner.Train(append(data, extra...), opts)
			if path != "" {
				var buf bytes.Buffer
				m.WriteTo(&buf)
				os.MkdirAll(*cache, 0o755)
				os.WriteFile(path, buf.Bytes(), 0o644)
			}
			mu.Lock()
			models[doc] = m
			mu.Unlock()
		}()
	}
	wg.Wait()
	trained := time.Since(start)
	full := models[""]
	var buf bytes.Buffer
	full.WriteTo(&buf)
	lex := annotate.NewKBLexicon(kb.Default())
	places := []string{"PERSON", "ORG", "PLACE"}
	line := func(name string, r eval.NERReport) {
		fmt.Printf("%-22s", name)
		for _, t := range r.Types {
			fmt.Printf(" %s %.3f", t, r.PerType[t].F1())
		}
		fmt.Printf("  P %.3f R %.3f F1 %.3f\n", r.Micro.Precision(), r.Micro.Recall(), r.Micro.F1())
	}
	if !*skipCV {
		sc := &eval.NERScorer{Types: places, Fold: eval.FoldPlaces(places...)}
		for _, doc := range order {
			for _, s := range byDoc[doc] {
				gold, ignore := eval.GUMGold(s, false)
				pred := models[doc].Spans(s.Tokens)
				sc.Add(gold, pred, ignore)
				if *verbose {
					printErrors(s, gold, ignore, pred)
				}
			}
		}
		line("GUM CV tagger", sc.Report())
		rep, err := eval.NERAnnotator(*shared, func(doc, text string) []detente.Entity {
			return annotate.New(lex, models[doc]).Annotate(&detente.Article{Body: text, Language: "en"}).Entities
		}, false)
		if err != nil {
			panic(err)
		}
		line("GUM CV annotator", rep)
	}
	rep, err := eval.NERCrossNER(*shared, full)
	if err != nil {
		panic(err)
	}
	line("CrossNER tagger", rep)
	an := annotate.New(lex, full)
	rep, err = eval.NERAnnotatorCrossNER(*shared, func(text string) []detente.Entity {
		return an.Annotate(&detente.Article{Body: text, Language: "en"}).Entities
	})
	if err != nil {
		panic(err)
	}
	line("CrossNER annotator", rep)
	fmt.Printf("model %d bytes gzipped; trained in %v, total %v\n", buf.Len(), trained.Round(time.Second), time.Since(start).Round(time.Second))
}

func printErrors(s ner.GUMSentence, gold, ignore, pred []ner.Span) {
	fold := eval.FoldPlaces("PERSON", "ORG", "PLACE")
	key := func(sp ner.Span) ner.Span { sp.Type = fold(sp.Type); return sp }
	gs, ps, ign := map[ner.Span]bool{}, map[ner.Span]bool{}, map[[2]int]bool{}
	for _, g := range ignore {
		ign[[2]int{g.Start, g.End}] = true
	}
	for _, g := range gold {
		if g = key(g); g.Type != "" {
			gs[g] = true
		}
	}
	for _, p := range pred {
		if p = key(p); p.Type != "" && !ign[[2]int{p.Start, p.End}] {
			ps[p] = true
		}
	}
	show := func(sp ner.Span) string {
		return strings.Join(s.Tokens[max(0, sp.Start-3):sp.Start], " ") + " [" + strings.Join(s.Tokens[sp.Start:sp.End], " ") + "] " + strings.Join(s.Tokens[sp.End:min(len(s.Tokens), sp.End+3)], " ")
	}
	for p := range ps {
		if !gs[p] {
			fmt.Printf("FP %-7s %s\n", p.Type, show(p))
		}
	}
	for g := range gs {
		if !ps[g] {
			fmt.Printf("FN %-7s %s\n", g.Type, show(g))
		}
	}
}
