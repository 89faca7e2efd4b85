package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupCopiesTheStoreAndTheCopySearches(t *testing.T) {
	dir := t.TempDir()
	db, copyDB := filepath.Join(dir, "d.db"), filepath.Join(dir, "copy.db")
	if out, err := run(t, "ingest", "--db", db, filepath.Join("..", "..", "examples")); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	out, err := run(t, "backup", "--db", db, copyDB)
	if err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	orig, err := run(t, "search", "--db", db, "agreement")
	if err != nil {
		t.Fatal(err)
	}
	got, err := run(t, "search", "--db", copyDB, "agreement")
	if err != nil || got != orig {
		t.Errorf("search on the backup differs from the original (%v):\n%s\nwant:\n%s", err, got, orig)
	}
	if _, err := run(t, "backup", "--db", db, copyDB); err == nil {
		t.Error("a second backup overwrote the first")
	}
}
