package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/store/sqlite"
	"github.com/detente/detente/store/storetest"
)

// TestContract runs the stores' shared contract suite against SQLite.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) detente.Archive {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "contract.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
