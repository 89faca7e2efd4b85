package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/detente/detente"
)

func TestBackupWhileWritingIsAConsistentStore(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	const batches, size = 6, 20
	if _, err := db.PutBatch(ctx, generatedItems("b", 0, size)); err != nil {
		t.Fatal(err)
	}
	// Batches keep landing while the backups are taken.
	done := make(chan error, 1)
	go func() {
		for b := 1; b < batches; b++ {
			if _, err := db.PutBatch(ctx, generatedItems("b", b*size, size)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	dir := t.TempDir()
	var copies []string
	for i := range 3 {
		to := filepath.Join(dir, "backup-"+string(rune('a'+i))+".db")
		if err := db.Backup(ctx, to); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		copies = append(copies, to)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, file := range copies {
		c, err := Open(file)
		if err != nil {
			t.Fatalf("open backup %s: %v", file, err)
		}
		s, err := c.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Whole batches only: a backup sees a batch entirely or not at all.
		if s.Articles == 0 || s.Articles%size != 0 || s.Articles > batches*size {
			t.Errorf("backup %s holds %d articles, not a whole number of %d-article batches", filepath.Base(file), s.Articles, size)
		}
		if n := ftsCount(t, c, "generated"); n != s.Stories {
			t.Errorf("backup %s: the search index holds %d of %d stories", filepath.Base(file), n, s.Stories)
		}
		var check string
		if err := c.db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Errorf("backup %s integrity: %q %v", filepath.Base(file), check, err)
		}
		c.Close()
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	db := openTemp(t)
	to := filepath.Join(t.TempDir(), "b.db")
	if err := db.Backup(context.Background(), to); err != nil {
		t.Fatal(err)
	}
	err := db.Backup(context.Background(), to)
	var de *detente.Error
	if !errors.As(err, &de) || de.Code != detente.ECONFLICT {
		t.Fatalf("second backup to the same file: %v, want a conflict", err)
	}
}
