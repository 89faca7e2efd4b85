package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/pipeline"
	"github.com/spf13/cobra"
)

func newAnnotateCmd() *cobra.Command {
	var (
		rf      readFlags
		kf      knowledgeFlags
		workers int
	)
	cmd := &cobra.Command{
		Use:   "annotate PATH...|-",
		Short: "Run the pipeline without a store and write one JSON document per article",
		Long: `Reads, cleans and deduplicates articles like ingest, but stores nothing: it
writes one JSON document per article to standard output (JSON Lines), keeping
the input's id when it has one, with its sentences, entities, acronyms, times,
quotes and coded events (docs/format.md). Copies of an earlier article in the
same run carry duplicate_of. Character offsets in this format count Unicode
code points. Failures are reported on standard error.

--actors, --agents, --verbs and --discards replace the built-in knowledge for
the run with PETRARCH/TABARI-format dictionaries (or detente's own verb format).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rf.validate(); err != nil {
				return err
			}
			cfg := dedup.DefaultConfig()
			w := bufio.NewWriter(cmd.OutOrStdout())
			defer w.Flush()
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			an, cd, err := kf.load()
			if err != nil {
				return err
			}
			st := pipeline.Stages{Hasher: dedup.NewHasher(cfg), Annotate: an.Annotate, Code: cd.Code}
			sum, err := pipeline.Annotate(cmd.Context(), st, readAll(cmd.Context(), args, rf.options()), workers,
				func(a *detente.Article, ann *detente.Annotations, events []detente.Event) error {
					// Empty lists print as [] so consumers need not check for null.
					if a.Tags == nil {
						a.Tags = []string{}
					}
					if a.Captions == nil {
						a.Captions = []detente.Caption{}
					}
					// The annotations' fields sit beside the article's in one flat
					// document, the machine interface later stages extend.
					return enc.Encode(struct {
						*detente.Article
						*detente.Annotations
						Events []detente.Event `json:"events"`
					}{a, ann, events})
				})
			for _, f := range sum.Failures {
				fmt.Fprintln(os.Stderr, "failed:", f)
			}
			if err != nil {
				return err
			}
			if sum.Read == sum.Failed {
				return fmt.Errorf("nothing could be read")
			}
			return nil
		},
	}
	rf.register(cmd)
	kf.register(cmd)
	cmd.Flags().IntVar(&workers, "workers", 0, "parallel workers (default: all cores)")
	return cmd
}
