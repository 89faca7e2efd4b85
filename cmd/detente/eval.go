package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/detente/detente/clean"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/eval"
	"github.com/detente/detente/ingest/extract"
	"github.com/detente/detente/nlp/timex"
	"github.com/spf13/cobra"
)

func newEvalCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Score detente against gold data",
	}
	cmd.AddCommand(newEvalExtractCmd(), newEvalDedupCmd(), newEvalTimeCmd(), newEvalNERCmd(), newEvalEventsCmd())
	return cmd
}

func newEvalExtractCmd() *cobra.Command {
	var aeb, wcxb string
	var verbose, raw bool
	cmd := &cobra.Command{
		Use:   "extract",
		Short: "Score HTML main-text extraction on the article-extraction benchmark (AEB) and WCXB",
		Long: `Extracts every page of the benchmark with detente's HTML reader and scores it
with the benchmark's own rules: AEB (shingles of 4 \w+ tokens, F1 of mean precision
and mean recall) and WCXB (lowercased \w+ tokens, mean per-page F1).
Without flags, both are looked for under $DETENTE_SHARED/extraction.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if aeb == "" && wcxb == "" {
				aeb = filepath.Join(sharedDir(), "extraction", "aeb")
				wcxb = filepath.Join(sharedDir(), "extraction", "wcxb-dev-articles")
			}
			out := cmd.OutOrStdout()
			ext := func(r io.Reader, url string) (string, error) {
				a, err := extract.HTML(r, url)
				if err != nil {
					return "", err
				}
				if raw {
					return a.Body, nil
				}
				// Score what detente stores: the extracted page after cleaning.
				return clean.Article(a).Body, nil
			}
			if aeb != "" {
				rep, err := eval.ExtractAEB(aeb, ext)
				if err != nil {
					return fmt.Errorf("AEB: %w", err)
				}
				fmt.Fprintln(out, "AEB (article-extraction-benchmark):")
				if err := rep.Write(out); err != nil {
					return err
				}
				if verbose {
					_ = rep.WriteWorst(out, 15)
				}
			}
			if wcxb != "" {
				rep, err := eval.ExtractWCXB(wcxb, ext)
				if err != nil {
					return fmt.Errorf("WCXB: %w", err)
				}
				fmt.Fprintln(out, "WCXB (dev articles):")
				if err := rep.Write(out); err != nil {
					return err
				}
				if verbose {
					_ = rep.WriteWorst(out, 15)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&aeb, "aeb", "", "AEB directory (html/ and ground-truth.json)")
	cmd.Flags().StringVar(&wcxb, "wcxb", "", "WCXB directory (html/ and ground-truth/)")
	cmd.Flags().BoolVar(&raw, "raw", false, "score the extractor's text before cleaning")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list the worst pages")
	return cmd
}

func newEvalDedupCmd() *cobra.Command {
	var corpus, labels string
	cmd := &cobra.Command{
		Use:   "dedup",
		Short: "Measure near-duplicate detection against labelled pairs of the AllSides corpus",
		RunE: func(cmd *cobra.Command, args []string) error {
			if corpus == "" {
				corpus = filepath.Join(sharedDir(), "corpora", "allsides-intl-5720.jsonl")
			}
			if labels == "" {
				labels = dedup.DefaultLabels
			}
			rep, err := dedup.EvaluateCorpus(corpus, dedup.DefaultConfig(), labels)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), rep)
			return nil
		},
	}
	cmd.Flags().StringVar(&corpus, "corpus", "", "JSONL corpus (default: the shared AllSides file)")
	cmd.Flags().StringVar(&labels, "labels", "", "TSV of labelled article-id pairs (default: the committed judgements)")
	return cmd
}

func newEvalTimeCmd() *cobra.Command {
	var dir string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "time",
		Short: "Score time expressions on MEANTIME: span P/R/F1 and TIMEX3 value accuracy",
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				dir = filepath.Join(sharedDir(), "gold", "meantime")
			}
			rep, err := eval.Time(dir, timex.Find)
			if err != nil {
				return err
			}
			return rep.Write(cmd.OutOrStdout(), verbose)
		},
	}
	cmd.Flags().StringVar(&dir, "meantime", "", "MEANTIME directory (default $DETENTE_SHARED/gold/meantime)")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every miss")
	return cmd
}

func newEvalEventsCmd() *cobra.Command {
	var unit, plover, gsr string
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Score event coding: the PETRARCH unit suite, PLOVER gold and the PETRARCH-2 GSR",
		Long: `Codes each gold record from its raw sentence text and scores it. A record is
correct when its set of (source, target, code) triples equals the gold set
(PETRARCH's rule); triple and root-code precision/recall are reported too.
The PETRARCH unit suite is coded with its own four PETR.Validate.* dictionaries;
PLOVER gold and the GSR with detente's built-in knowledge.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			val := filepath.Join(sharedDir(), "validation")
			if unit == "" {
				unit = filepath.Join(val, "petrarch-unittest")
			}
			if plover == "" {
				plover = filepath.Join(val, "plover-gsr", "plover_gsr.dev.jsonl")
			}
			if gsr == "" {
				gsr = filepath.Join(val, "petrarch2-gsr", "PETR2_GSR_validation.dev.xml")
			}
			out := cmd.OutOrStdout()
			rep, _, err := eval.PetrarchUnitSuite(unit)
			if err != nil {
				return fmt.Errorf("PETRARCH unit suite: %w", err)
			}
			fmt.Fprintln(out, rep)
			ps, err := eval.PLOVERSuite(plover)
			if err != nil {
				return fmt.Errorf("PLOVER gold: %w", err)
			}
			fmt.Fprintln(out, ps)
			gr, err := eval.Petrarch2GSR(gsr)
			if err != nil {
				return fmt.Errorf("PETRARCH-2 GSR: %w", err)
			}
			fmt.Fprintln(out, gr)
			return nil
		},
	}
	cmd.Flags().StringVar(&unit, "petrarch", "", "PETRARCH unit-test directory (records + PETR.Validate.* dictionaries)")
	cmd.Flags().StringVar(&plover, "plover", "", "PLOVER gold JSONL")
	cmd.Flags().StringVar(&gsr, "gsr", "", "PETRARCH-2 GSR XML")
	return cmd
}
