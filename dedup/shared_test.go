package dedup

import (
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

// sharedPath returns the path of a file under the shared data folder,
// skipping the test when it is absent.
func sharedPath(t testing.TB, rel string) string {
	t.Helper()
	return shareddata.Require(t, rel)
}
