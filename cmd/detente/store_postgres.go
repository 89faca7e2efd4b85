package main

import (
	"context"

	"github.com/detente/detente"
	"github.com/detente/detente/store/postgres"
)

// A --db of postgres://… or postgresql://… opens the PostgreSQL store
// (?schema=NAME picks its schema, default "detente").
func init() {
	open := func(ctx context.Context, dsn string) (detente.Archive, error) { return postgres.Open(ctx, dsn) }
	storeOpeners["postgres"] = open
	storeOpeners["postgresql"] = open
}
