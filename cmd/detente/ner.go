package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/eval"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
	"github.com/spf13/cobra"
)

// newTrainCmd is `detente train`: it rebuilds the models detente ships.
func newTrainCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Retrain the models detente ships from the shared gold sets",
	}
	cmd.AddCommand(newTrainNERCmd())
	return cmd
}

func newTrainNERCmd() *cobra.Command {
	var shared, out string
	cmd := &cobra.Command{
		Use:   "ner",
		Short: "Retrain the named-entity tagger (writes nlp/ner/model.bin.gz byte for byte)",
		Long: `Trains the averaged-perceptron entity tagger on wikigold, the CrossNER politics
train and dev splits and the GUM news documents, with the knowledge-base gazetteer, and
writes the model. Training is deterministic: the same data give the same bytes.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if shared == "" {
				shared = sharedDir()
			}
			var buf bytes.Buffer
			if err := ner.TrainFromShared(shared, &buf, cmd.ErrOrStderr()); err != nil {
				return err
			}
			return os.WriteFile(out, buf.Bytes(), 0o644)
		},
	}
	cmd.Flags().StringVar(&shared, "shared", "", "shared data folder (default $DETENTE_SHARED or ../shared)")
	cmd.Flags().StringVar(&out, "out", "nlp/ner/model.bin.gz", "model file to write")
	return cmd
}

// newEvalNERCmd is `detente eval ner`.
func newEvalNERCmd() *cobra.Command {
	var shared string
	var cv, verbose, strict bool
	cmd := &cobra.Command{
		Use:   "ner",
		Short: "Score entity recognition on GUM news named mentions and CrossNER politics test",
		Long: `Scores person, organization and place names on GUM news (exact spans, GPE and
LOC both count as place) for the tagger alone and for the full annotator (knowledge
base + tagger), and on the CrossNER politics test split the tagger (all its types)
and the full annotator (person, organization, place).

The shipped tagger was trained on the GUM documents, so its GUM scores are not held
out. With --cv, GUM is scored by leave-one-document-out cross-validation instead:
each document by a tagger trained without it, alone and inside the annotator.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if shared == "" {
				shared = sharedDir()
			}
			out := cmd.OutOrStdout()
			var log io.Writer
			if verbose {
				log = cmd.ErrOrStderr()
			}
			lex := annotate.NewKBLexicon(kb.Default())
			run := func(m func(doc string) *ner.Model, method string) error {
				rep, err := eval.NERAnnotator(shared, func(doc, text string) []detente.Entity {
					an := annotate.New(lex, m(doc))
					return an.Annotate(&detente.Article{Body: text, Language: "en"}).Entities
				}, strict)
				if err != nil {
					return err
				}
				rep.Method = method
				return rep.Write(out)
			}
			if cv {
				opts := ner.ShippedOptions(log)
				rep, err := eval.NERGumCV(shared, opts, strict)
				if err != nil {
					return err
				}
				if err := rep.Write(out); err != nil {
					return err
				}
				fmt.Fprintln(out)
				models, err := eval.NERGumCVModels(shared, opts)
				if err != nil {
					return err
				}
				if err := run(func(doc string) *ner.Model { return models[doc] }, "full annotator, tagger trained without the document"); err != nil {
					return err
				}
			} else {
				rep, err := eval.NERGum(shared, ner.Default(), strict)
				if err != nil {
					return err
				}
				rep.Method = "shipped tagger, trained on these documents: not held out"
				if err := rep.Write(out); err != nil {
					return err
				}
				fmt.Fprintln(out)
				if err := run(func(string) *ner.Model { return ner.Default() }, "full annotator, shipped tagger: not held out"); err != nil {
					return err
				}
			}
			fmt.Fprintln(out)
			rep, err := eval.NERCrossNER(shared, ner.Default())
			if err != nil {
				return err
			}
			rep.Method = "shipped tagger"
			if err := rep.Write(out); err != nil {
				return err
			}
			fmt.Fprintln(out)
			an := annotate.New(lex, ner.Default())
			rep, err = eval.NERAnnotatorCrossNER(shared, func(text string) []detente.Entity {
				return an.Annotate(&detente.Article{Body: text, Language: "en"}).Entities
			})
			if err != nil {
				return err
			}
			rep.Method = "full annotator, shipped tagger"
			return rep.Write(out)
		},
	}
	cmd.Flags().StringVar(&shared, "shared", "", "shared data folder (default $DETENTE_SHARED or ../shared)")
	cmd.Flags().BoolVar(&cv, "cv", false, "score GUM by leave-one-document-out cross-validation (honest numbers)")
	cmd.Flags().BoolVar(&strict, "strict", false, "count names GUM leaves unlinked as false positives")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print training progress")
	return cmd
}
