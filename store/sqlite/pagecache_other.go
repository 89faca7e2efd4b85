//go:build !(linux || darwin || freebsd)

package sqlite

// ReservePageCache leaves SQLite's page allocation as it is where the
// buffer is not mapped (see pagecache.go), and says so.
func ReservePageCache() bool { return false }
