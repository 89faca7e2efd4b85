// Package shareddata finds the shared data directory (dictionaries, gold
// sets, corpora) that tests, benchmarks and generators read but the
// repository never holds: $DETENTE_SHARED when set, else "shared" beside
// the module's root, as DEVELOPERS.md lays the checkout out. One rule in
// one place, so a package at any depth finds the same directory.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns $DETENTE_SHARED when set, else the directory "shared" next
// to the root of the module holding the working directory (the first
// parent with a go.mod), else "../shared". It does not check that the
// directory exists: callers skip, with a message, when what they need is
// not there.
func Dir() string {
	if d := os.Getenv("DETENTE_SHARED"); d != "" {
		return d
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		return filepath.Join("..", "shared")
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join("..", "shared")
		}
		dir = parent
	}
}

// Path is filepath.Join(Dir(), elem...).
func Path(elem ...string) string {
	return filepath.Join(append([]string{Dir()}, elem...)...)
}

// Require returns Path(elem...) when it exists and otherwise skips tb
// with a message saying what is missing and how to point at it.
func Require(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := Path(elem...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data %s not found (set DETENTE_SHARED to the shared folder): %v", filepath.Join(elem...), err)
	}
	return p
}
