package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/queue"
	"github.com/spf13/cobra"
)

// publish is `ingest --queue`: read, clean, fingerprint and deduplicate in
// input order here, and publish one job per article for the workers (see
// package queue for why dedup happens here). With --db, stories stored
// before this run are seen too.
func publish(cmd *cobra.Command, args []string, rf readFlags, queueURL, dbPath string, dbGiven bool, workers int, asJSON bool) error {
	cfg, err := queue.ParseURL(queueURL)
	if err != nil {
		return err
	}
	q, err := queue.Open(cmd.Context(), cfg)
	if err != nil {
		return err
	}
	defer q.Close()
	var stored detente.Store
	if dbGiven {
		db, err := openArchive(cmd.Context(), dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		stored = db
	}
	pub := queue.NewPublisher(q, stored)
	g := &pipeline.Ingester{Store: pub, Hasher: dedup.NewHasher(dedup.DefaultConfig()), Workers: workers}
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
		fmt.Fprintf(cmd.OutOrStdout(), "took %s, queued to %s (%d already queued)\n",
			time.Since(start).Round(time.Millisecond), cfg.Stream, pub.Deduplicated)
	}
	if err != nil {
		return err
	}
	if sum.Read == sum.Failed {
		return errors.New("nothing could be read")
	}
	return nil
}
