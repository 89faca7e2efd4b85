package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/detente/detente/watch"
	"github.com/prometheus/client_golang/prometheus"
)

func TestWatchMetricsAreServedAndNothingElse(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := watch.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.Polls.WithLabelValues("ok").Add(3)
	addr, stop, err := serveMetrics("127.0.0.1:0", reg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `detente_watch_feed_polls_total{result="ok"} 3`) {
		t.Errorf("metrics do not show the polls:\n%s", body)
	}
	resp, err = http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET / on the metrics listener: %d, want 404", resp.StatusCode)
	}
	if _, _, err := serveMetrics(addr, reg, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
		t.Error("a second listener on a taken address did not fail")
	}
}
