package main

import (
	"context"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/store/sqlite"
)

// storeOpeners open a store by the scheme its --db value starts with
// ("postgres://…"); a value with no known scheme is a SQLite file path,
// the embedded default.
var storeOpeners = map[string]func(ctx context.Context, dsn string) (detente.Archive, error){}

// openArchive opens the store --db names.
func openArchive(ctx context.Context, db string) (detente.Archive, error) {
	if scheme, _, ok := strings.Cut(db, "://"); ok {
		if open, known := storeOpeners[scheme]; known {
			return open(ctx, db)
		}
		if scheme != "file" {
			return nil, detente.Errorf(detente.EINVALID, "--db %q: no store for the scheme %q (a SQLite file path, or one of the supported URLs)", db, scheme)
		}
		db = strings.TrimPrefix(db, "file://")
	}
	return sqlite.Open(db)
}

// openWritable opens the store for a command that writes, refusing up
// front a store that could only be opened read-only. A SQLite store's
// pages get the buffer a writing process wants (sqlite.ReservePageCache).
func openWritable(ctx context.Context, db string) (detente.Archive, error) {
	sqlite.ReservePageCache()
	st, err := openArchive(ctx, db)
	if err != nil {
		return nil, err
	}
	if ro, ok := st.(interface{ ReadOnly() bool }); ok && ro.ReadOnly() {
		st.Close()
		return nil, detente.Errorf(detente.EINVALID, "database %s is read-only (its file or disk cannot be written): nothing can be stored; searches and exports still work", db)
	}
	return st, nil
}
