package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/coder"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/pipeline"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newIngestCmd() *cobra.Command {
	var (
		rf       readFlags
		kf       knowledgeFlags
		dbPath   string
		asJSON   bool
		workers  int
		queueURL string
	)
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Read, clean, deduplicate and store articles",
		Long: `Reads every file under PATH (directories recursively, "-" for standard input),
detecting each one's format, and stores clean articles in the database.
Articles already stored are left unchanged, so ingesting twice is safe; copies of
a stored story are recorded as copies of it. Exits non-zero only when nothing
could be read.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rf.validate(); err != nil {
				return err
			}
			if queueURL != "" {
				return publish(cmd, args, rf, queueURL, dbPath, cmd.Flags().Changed("db"), workers, asJSON)
			}
			db, err := openWritable(cmd.Context(), dbPath)
			if err != nil {
				return err
			}
			defer db.Close()

			an, cd, err := kf.load()
			if err != nil {
				return err
			}
			g := newIngester(db, an, cd, workers)
			bar := newProgress()
			if bar != nil {
				g.Progress = func(s pipeline.Summary) { _ = bar.Set(s.Read) }
			}
			start := time.Now()
			sum, err := g.Run(cmd.Context(), readAll(cmd.Context(), args, rf.options()))
			if bar != nil {
				_ = bar.Finish()
				fmt.Fprintln(os.Stderr)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				_ = enc.Encode(sum)
			} else {
				fmt.Fprintln(cmd.OutOrStdout(), sum)
				fmt.Fprintf(cmd.OutOrStdout(), "took %s, into %s\n", time.Since(start).Round(time.Millisecond), dbPath)
			}
			if err != nil {
				return err
			}
			if sum.Read == sum.Failed {
				return errors.New("nothing could be read")
			}
			return nil
		},
	}
	rf.register(cmd)
	kf.register(cmd)
	cmd.Flags().StringVar(&dbPath, "db", defaultDB(), "database file (default ./detente.db or $DETENTE_DB)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	cmd.Flags().IntVar(&workers, "workers", 0, "parallel cleaning workers (default: all cores)")
	cmd.Flags().StringVar(&queueURL, "queue", "", "publish article jobs to this NATS JetStream queue (nats://…) for `detente worker` instead of storing them")
	return cmd
}

// newIngester is the ingest pipeline over db with the run's knowledge, as
// `detente ingest` and `detente serve` run it.
func newIngester(db detente.Store, an *annotate.Annotator, cd *coder.Coder, workers int) *pipeline.Ingester {
	return &pipeline.Ingester{
		Store:    db,
		Hasher:   dedup.NewHasher(dedup.DefaultConfig()),
		Annotate: an.Annotate,
		Code:     cd.Code,
		Workers:  workers,
	}
}

func (f *readFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.format, "format", "", "input format: pagetext, jsonl, html, feed or warc (default: detect)")
	cmd.Flags().StringVar(&f.source, "source", "", "outlet name for inputs that do not name one")
	cmd.Flags().StringVar(&f.published, "published", "", "publication date for inputs that lack one (e.g. 2017-10-31)")
	cmd.Flags().StringVar(&f.pageCache, "page-cache", "", "directory of cached pages linked from feed items")
}

func (f *readFlags) validate() error {
	if f.published != "" {
		d, err := clean.Date(f.published)
		if err != nil {
			return detente.Errorf(detente.EINVALID, "--published %q is not a date: %v", f.published, err)
		}
		f.published = d
	}
	switch f.format {
	case "", "pagetext", "jsonl", "html", "feed", "warc":
	default:
		return detente.Errorf(detente.EINVALID, "--format %q: want pagetext, jsonl, html, feed or warc", f.format)
	}
	return nil
}

// newProgress returns a progress counter on a terminal, nil elsewhere so
// logs and pipes stay clean.
func newProgress() *progressbar.ProgressBar {
	if !term.IsTerminal(int(os.Stderr.Fd())) {
		return nil
	}
	return progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription("ingesting"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("articles"),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}
