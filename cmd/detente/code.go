package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/detente/detente/annotate"
	"github.com/detente/detente/coder"
	"github.com/detente/detente/coder/dict"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
	"github.com/spf13/cobra"
)

// newCodeCmd is `detente code "one sentence"`: the dictionary writer's
// loop — code one sentence and show why each event came out.
func newCodeCmd() *cobra.Command {
	var (
		date                            string
		actors, agents, verbs, discards string
		asJSON                          bool
	)
	cmd := &cobra.Command{
		Use:   `code "SENTENCE"`,
		Short: "Code one sentence into events and explain each",
		Long: `Annotates one sentence, codes its events and prints each with the pattern
that matched, how source and target were found and why the mode or negation.
--actors/--agents/--verbs/--discards replace the built-in knowledge for the run
(PETRARCH/TABARI actor and agent files; PETRARCH-1/2 or detente verb files;
PETRARCH discard lists).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			an, c, err := loadKnowledge(actors, agents, verbs, discards)
			if err != nil {
				return err
			}
			events := c.CodeSentence(args[0], date, an)
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				return enc.Encode(events)
			}
			if len(events) == 0 {
				fmt.Fprintln(out, "no events")
				return nil
			}
			for _, e := range events {
				tgt := e.Target
				if tgt == "" {
					tgt = "-"
				}
				mode := ""
				if e.Mode != "" {
					mode = " mode=" + e.Mode
				}
				if e.Negated {
					mode += " negated"
				}
				fmt.Fprintf(out, "%s → %s  %s (%s, root %s) PLOVER %s  goldstein %.1f  date %s%s\n",
					e.Source, tgt, e.CAMEO, e.Base, e.Root, e.PLOVER, e.Goldstein, e.Date, mode)
				for _, m := range e.Mentions {
					fmt.Fprintf(out, "    confidence %.2f: %s\n", m.Confidence, m.Explanation)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "the sentence's date (YYYY-MM-DD), for relative dates and roles")
	cmd.Flags().StringVar(&actors, "actors", "", "PETRARCH/TABARI actor dictionaries, comma-separated (replace the built-in named actors)")
	cmd.Flags().StringVar(&agents, "agents", "", "PETRARCH agent dictionaries, comma-separated (replace the built-in agents)")
	cmd.Flags().StringVar(&verbs, "verbs", "", "verb dictionary (PETRARCH-1/2 layout, or detente's format for .txt files starting with detente lines)")
	cmd.Flags().StringVar(&discards, "discards", "", "PETRARCH discard list (replaces the built-in discards)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the events as JSON")
	return cmd
}

// loadKnowledge builds the annotator and coder for a run: the built-in
// knowledge base, entity model and verb dictionary, with any of the field's
// dictionaries given replacing their built-in part. Verb files in detente's
// own format are recognised by their "verb "/"class " lines; anything else
// is read as PETRARCH-1/2.
func loadKnowledge(actors, agents, verbs, discards string) (*annotate.Annotator, *coder.Coder, error) {
	k := kb.Default()
	if actors != "" || agents != "" {
		var err error
		k, err = kb.Open(kb.Options{ActorFiles: splitList(actors), AgentFiles: splitList(agents)})
		if err != nil {
			return nil, nil, fmt.Errorf("knowledge base: %w", err)
		}
	}
	an := annotate.New(annotate.NewKBLexicon(k), ner.Default())
	var d *dict.Dictionary
	if verbs != "" {
		var errs []dict.ParseError
		var err error
		if isDetenteFormat(verbs) {
			d, errs, err = dict.ReadFile(verbs)
		} else {
			d, errs, err = dict.ReadPetrarchFile(verbs)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("verbs: %w", err)
		}
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "verbs:", e)
		}
	} else {
		b, err := dict.Builtin()
		if err != nil {
			return nil, nil, err
		}
		cp := *b // the built-in dictionary is shared: copy before changing discards
		d = &cp
	}
	if discards != "" {
		ds, errs, err := dict.ReadDiscardsFile(discards)
		if err != nil {
			return nil, nil, fmt.Errorf("discards: %w", err)
		}
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "discards:", e)
		}
		d.Discards = ds
	}
	return an, coder.New(d), nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// isDetenteFormat says whether a verb file is in detente's own format: its
// first non-comment line starts with "class", "verb", "synset" or "discard".
func isDetenteFormat(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, kw := range []string{"class ", "verb ", "synset ", "discard "} {
			if strings.HasPrefix(line, kw) {
				return true
			}
		}
		return false
	}
	return false
}
