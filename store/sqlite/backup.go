package sqlite

import (
	"context"
	"fmt"
	"os"

	"github.com/detente/detente"
)

// Backup writes a consistent copy of the whole store to a new file with
// SQLite's VACUUM INTO: one read transaction, so ingest and searches may
// go on meanwhile and the copy holds exactly the batches committed when
// it began. The copy is compacted and needs no WAL file. Backup refuses
// to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, to string) error {
	if to == "" {
		return detente.Errorf(detente.EINVALID, "no backup file given")
	}
	if _, err := os.Stat(to); err == nil {
		return detente.Errorf(detente.ECONFLICT, "backup file %s exists; choose a new name", to)
	}
	if _, err := db.db.ExecContext(ctx, "VACUUM INTO ?", to); err != nil {
		os.Remove(to) // a partial copy is no backup
		return fmt.Errorf("sqlite: backup to %s: %w", to, err)
	}
	return nil
}
