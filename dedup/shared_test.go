package dedup

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedPath returns the path of a file under the shared data folder
// ($DETENTE_SHARED, else ../shared from the repository root), skipping the
// test when it is absent.
func sharedPath(t testing.TB, rel string) string {
	t.Helper()
	var roots []string
	if d := os.Getenv("DETENTE_SHARED"); d != "" {
		roots = append(roots, d)
	}
	roots = append(roots, "../../shared", "../../../shared", "../shared")
	for _, r := range roots {
		p := filepath.Join(r, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("shared data %s not found (set DETENTE_SHARED); skipping", rel)
	return ""
}
