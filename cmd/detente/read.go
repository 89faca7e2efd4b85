package main

import (
	"context"

	"github.com/detente/detente"
	"github.com/detente/detente/ingest"
	"github.com/detente/detente/pipeline"
)

// readFlags are the reading options shared by ingest and annotate.
type readFlags struct {
	format    string
	source    string
	published string
	pageCache string
}

func (f *readFlags) options() ingest.Options {
	return ingest.Options{Format: f.format, Source: f.source, Published: f.published, PageCache: f.pageCache}
}

// readAll walks the inputs in the background and streams what it reads.
// The channel closes when every input is read or ctx is done; a walk error
// that ends the whole read is sent as a last failed input.
func readAll(ctx context.Context, paths []string, opts ingest.Options) <-chan pipeline.Input {
	out := make(chan pipeline.Input, 64)
	go func() {
		defer close(out)
		err := ingest.Walk(ctx, paths, opts, func(a *detente.Article, err error) error {
			select {
			case out <- pipeline.Input{Article: a, Err: err}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if err != nil && ctx.Err() == nil {
			out <- pipeline.Input{Err: err}
		}
	}()
	return out
}
