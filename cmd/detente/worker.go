package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/queue"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newWorkerCmd) }

func newWorkerCmd() *cobra.Command {
	var (
		kf       knowledgeFlags
		queueURL string
		dbURL    string
		batch    int
		parallel int
		idle     time.Duration
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "worker --queue nats://… --db postgres://…",
		Short: "Annotate, code and store the article jobs `ingest --queue` published",
		Long: `Takes article jobs from a NATS JetStream work queue, annotates and codes the
originals and stores every article in the shared store, acknowledging each job
after its transaction commits. Run as many workers as you like, on as many
machines: each job goes to one of them; a worker that dies leaves its jobs to
the others after the queue's ack wait; a job that cannot be stored goes to the
dead-letter subject with its reason. Storing is idempotent, so a job delivered
twice is stored once.

Queue URL options: stream=NAME (default DETENTE), ack_wait=60s, max_deliver=20.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if queueURL == "" {
				return detente.Errorf(detente.EINVALID, "--queue is required (nats://host:4222)")
			}
			cfg, err := queue.ParseURL(queueURL)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			db, err := openArchive(ctx, dbURL)
			if err != nil {
				return err
			}
			defer db.Close()
			// Recheck originals under band locks, for publishers running
			// side by side (see package queue).
			if nc, ok := db.(interface {
				SetNearCheck(func(a, b []uint32) (bool, float64))
			}); ok {
				nc.SetNearCheck(dedup.NewHasher(dedup.DefaultConfig()).IsNear)
			}
			q, err := queue.Open(ctx, cfg)
			if err != nil {
				return err
			}
			defer q.Close()
			an, cd, err := kf.load()
			if err != nil {
				return err
			}
			w := &queue.Worker{Queue: q, Store: db, Has: db.HasArticle, Annotate: an.Annotate, Code: cd.Code,
				Batch: batch, Parallel: parallel, IdleExit: idle,
				Log: func(format string, args ...any) { fmt.Fprintf(os.Stderr, "worker: "+format+"\n", args...) }}
			start := time.Now()
			st, err := w.Run(ctx)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				_ = enc.Encode(st)
			} else {
				fmt.Fprintln(cmd.OutOrStdout(), st)
				fmt.Fprintf(cmd.OutOrStdout(), "took %s\n", time.Since(start).Round(time.Millisecond))
			}
			if err != nil && err != context.Canceled {
				return err
			}
			return nil
		},
	}
	kf.register(cmd)
	cmd.Flags().StringVar(&queueURL, "queue", "", "NATS JetStream URL (nats://host:4222?stream=DETENTE)")
	cmd.Flags().StringVar(&dbURL, "db", defaultDB(), "the shared store (postgres://…), or a SQLite file for one machine")
	cmd.Flags().IntVar(&batch, "batch", 16, "jobs stored per transaction")
	cmd.Flags().IntVar(&parallel, "parallel", 0, "articles annotated at once (default: all cores)")
	cmd.Flags().DurationVar(&idle, "exit-when-idle", 0, "exit once the queue has been empty this long (default: run until stopped)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}
