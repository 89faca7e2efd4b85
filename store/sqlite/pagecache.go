//go:build linux || darwin || freebsd

package sqlite

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// pageSlots is how many page-sized slots the process-wide page cache
// buffer has (136 MB of address space): twice what the writer's full
// cache takes (writerCacheKiB), room for the writer and its readers, whose
// caches are emptied at each commit. Ingesting 2,000 AllSides articles
// uses at most 2,246. SQLite writes a link into every slot when it sets
// the buffer up, so each costs one OS page (4 KB) from the first Open on;
// a page the buffer has no room for is allocated as before.
const pageSlots = 2 * writerCacheKiB / (newPageSize / 1024)

// pageCacheSlots is pageSlots once the buffer is in place, 0 when it is not.
var pageCacheSlots atomic.Int64

// ReservePageCache sets aside one buffer for the process's cached pages
// (SQLITE_CONFIG_PAGECACHE) instead of the C allocator, for a process
// that writes a lot: ingest, watch, the benchmarks. That allocator hands
// each freed page above a few megabytes back to the OS one madvise call
// at a time, and SQLite frees every cached page when a connection closes
// and whenever another connection's commit empties a reader's cache:
// closing a store that had ingested 2,000 AllSides articles took a
// quarter of a second of system calls. Pages freed into the buffer stay
// there for the next page. The buffer costs 32 MB from the first Open on
// (pageSlots), too much for a one-off search, which is why it is asked
// for rather than always there.
//
// It must come before the process's first Open (SQLite takes it only
// before it initializes) and reports whether the buffer is in place;
// when it is not, SQLite allocates pages as before.
func ReservePageCache() bool {
	pageCacheOnce.Do(configurePageCache)
	return pageCacheSlots.Load() > 0
}

var pageCacheOnce sync.Once

func configurePageCache() {
	tls := libc.NewTLS()
	defer tls.Close()
	// SQLite writes the header size into an int outside Go's heap (the
	// race detector's pointer checks refuse C code writing into it).
	scratch, err := unix.Mmap(-1, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return
	}
	defer unix.Munmap(scratch)
	va := libc.NewVaList(uintptr(unsafe.Pointer(&scratch[0])))
	if va == 0 {
		return
	}
	rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE_HDRSZ, va)
	libc.Xfree(tls, va)
	header := *(*int32)(unsafe.Pointer(&scratch[0]))
	if rc != sqlite3.SQLITE_OK || header <= 0 {
		return
	}
	slot := (newPageSize + int(header) + 7) &^ 7
	// Anonymous memory outside Go's heap, never unmapped: SQLite holds
	// it for the life of the process.
	buf, err := unix.Mmap(-1, 0, slot*pageSlots, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return
	}
	va = libc.NewVaList(uintptr(unsafe.Pointer(&buf[0])), int32(slot), int32(pageSlots))
	if va == 0 {
		unix.Munmap(buf)
		return
	}
	rc = sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, va)
	libc.Xfree(tls, va)
	if rc != sqlite3.SQLITE_OK {
		unix.Munmap(buf)
		return
	}
	pageCacheSlots.Store(pageSlots)
}
