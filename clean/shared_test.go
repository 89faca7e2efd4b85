package clean

import (
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

// sharedFile returns the path of a file in the shared folder, skipping the
// test when it is absent.
func sharedFile(t testing.TB, rel string) string {
	t.Helper()
	return shareddata.Require(t, rel)
}
