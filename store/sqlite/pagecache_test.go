//go:build linux || darwin || freebsd

package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// pageCacheStatus reads SQLite's count of pages in the process-wide
// buffer and of page bytes it had to allocate elsewhere.
func pageCacheStatus(t *testing.T, op int32) (cur, high int64) {
	t.Helper()
	tls := libc.NewTLS()
	defer tls.Close()
	// Outside Go's heap, where C code may write (see configurePageCache).
	mem, err := unix.Mmap(-1, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(mem)
	v := (*[2]int64)(unsafe.Pointer(&mem[0]))
	if rc := sqlite3.Xsqlite3_status64(tls, op, uintptr(unsafe.Pointer(&v[0])), uintptr(unsafe.Pointer(&v[1])), 0); rc != sqlite3.SQLITE_OK {
		t.Fatalf("sqlite3_status64(%d) = %d", op, rc)
	}
	return v[0], v[1]
}

// A store's pages are cached in the buffer set aside for them (TestMain
// asks for it before any test opens a store).
func TestPagesComeFromTheProcessBuffer(t *testing.T) {
	if !ReservePageCache() {
		t.Fatal("the page cache buffer could not be set aside")
	}
	db, err := Open(filepath.Join(t.TempDir(), "pc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.HasArticle(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if _, high := pageCacheStatus(t, sqlite3.SQLITE_STATUS_PAGECACHE_USED); high == 0 {
		t.Errorf("no page was ever cached in the buffer")
	}
}
