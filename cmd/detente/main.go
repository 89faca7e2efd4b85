// Command detente reads news, cleans and deduplicates it, stores it and finds
// it again. This file and its siblings only wire detente's packages together.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/detente/detente"
	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "detente:", message(err))
		os.Exit(1)
	}
}

// message is what a user sees of an error: detente errors by their message,
// others whole (the command line runs locally, there is nothing to hide).
func message(err error) string {
	if detente.ErrorCode(err) != detente.EINTERNAL {
		return detente.ErrorMessage(err)
	}
	return err.Error()
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "detente",
		Short: "News in, events out: read, clean, deduplicate, store and search news articles",
		Long: `detente reads news articles (page-text dumps, JSON Lines, HTML pages, RSS/Atom
feeds and WARC archives), cleans them, drops duplicates, stores them in an
embedded SQLite database and finds them again.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newIngestCmd(), newAnnotateCmd(), newSearchCmd(), newShowCmd(), newEvalCmd(), newTrainCmd(), newBenchCmd(), newCodeCmd(), newEventsCmd(), newExportCmd(), newWatchCmd(), newServeCmd())
	for _, c := range extraCommands {
		root.AddCommand(c())
	}
	return root
}

// defaultDB is the database path when --db is not given.
func defaultDB() string {
	if p := os.Getenv("DETENTE_DB"); p != "" {
		return p
	}
	return "detente.db"
}

// sharedDir is where the shared evaluation data lives.
func sharedDir() string {
	if p := os.Getenv("DETENTE_SHARED"); p != "" {
		return p
	}
	return "../shared"
}
