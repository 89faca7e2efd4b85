package clean

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir returns the shared data folder: $DETENTE_SHARED, else the first
// "shared" folder found walking up from the package directory. It skips the
// test when there is none.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("DETENTE_SHARED"); d != "" {
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	for _, rel := range []string{"../shared", "../../shared", "../../../shared"} {
		if _, err := os.Stat(filepath.Join(rel, "seed")); err == nil {
			return rel
		}
	}
	t.Skip("shared data not found: set DETENTE_SHARED to the shared folder")
	return ""
}

// sharedFile returns the path of a file in the shared folder, skipping the
// test when it is absent.
func sharedFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(sharedDir(t), rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared file %s absent: %v", rel, err)
	}
	return p
}
