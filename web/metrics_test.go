package web

import (
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"testing"
)

// The default registry serves the live heap beside resident memory: the
// soak script reads the first to tell a leak from the swings of the second.
func TestMetricsServeLiveHeap(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	res, body := getURL(t, s, "/metrics")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: status %d", res.StatusCode)
	}
	names := []string{"go_gc_heap_live_bytes", "go_memstats_heap_inuse_bytes"}
	if runtime.GOOS == "linux" { // the process collector reads /proc
		names = append(names, "process_resident_memory_bytes")
	}
	for _, name := range names {
		m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("/metrics has no %s", name)
			continue
		}
		if v, err := strconv.ParseFloat(m[1], 64); err != nil || v <= 0 {
			t.Errorf("%s = %q, want a positive number", name, m[1])
		}
	}
}
