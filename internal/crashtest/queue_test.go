package crashtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/detente/detente/queue"
	"github.com/detente/detente/store/postgres"
)

// TestQueueWorkersKilledAtRandomPointsEqualACleanRun is the distributed
// path's crash test: the corpus is published to a NATS JetStream work
// queue, two `detente worker` processes store it into PostgreSQL, and one
// of them is killed with SIGKILL at random points and started again. When
// the queue is drained the PostgreSQL store must hold exactly what one
// uninterrupted SQLite ingest stored.
func TestQueueWorkersKilledAtRandomPointsEqualACleanRun(t *testing.T) {
	pg, nats := os.Getenv("DETENTE_TEST_POSTGRES"), os.Getenv("DETENTE_TEST_NATS")
	if pg == "" || nats == "" {
		t.Skip("DETENTE_TEST_POSTGRES and DETENTE_TEST_NATS are not both set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable and nats://127.0.0.1:4222); skipped")
	}
	bin := detenteBinary(t)
	paths := corpus(t)
	clean, runTime := cleanRun(t, bin, paths)
	ctx := context.Background()

	suffix := fmt.Sprintf("%d_%d", time.Now().UnixNano(), os.Getpid())
	sep := "?"
	if strings.Contains(pg, "?") {
		sep = "&"
	}
	db := pg + sep + "schema=crash_" + suffix
	q := nats + "?stream=CRASH_" + suffix + "&ack_wait=5s"
	t.Cleanup(func() {
		if st, err := postgres.Open(ctx, db); err == nil {
			st.DropSchema(ctx)
			st.Close()
		}
		if cfg, err := queue.ParseURL(q); err == nil {
			if qq, err := queue.Open(ctx, cfg); err == nil {
				qq.DeleteStreams(ctx)
				qq.Close()
			}
		}
	})

	if out, err := exec.Command(bin, append([]string{"ingest", "--queue", q, "--db", db}, paths...)...).CombinedOutput(); err != nil {
		t.Fatalf("publish: %v\n%s", err, out)
	}
	worker := func(i int) *exec.Cmd {
		cmd := exec.Command(bin, "worker", "--queue", q, "--db", db, "--exit-when-idle", "4s", "--batch", "8")
		log, err := os.Create(filepath.Join(t.TempDir(), "worker"+strconv.Itoa(i)+".log"))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 2))
	kills := killCount(t) / 2
	if kills < 2 {
		kills = 2
	}
	steady := worker(0)
	victim := worker(1)
	for k := 0; k < kills; k++ {
		// Points spread over about one clean run's time: the two workers
		// together drain the queue in about that long.
		time.Sleep(time.Duration(rng.Int64N(int64(runTime)/int64(kills)) + int64(200*time.Millisecond)))
		if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
			// The queue drained and the worker left before this kill
			// point: the kills so far are the test.
			if errors.Is(err, os.ErrProcessDone) && k > 0 {
				kills = k
				break
			}
			t.Fatal(err)
		}
		victim.Wait()
		victim = worker(k + 2)
	}
	for _, c := range []*exec.Cmd{steady, victim} {
		if err := c.Wait(); err != nil {
			t.Fatalf("worker: %v", err)
		}
	}
	st, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if diff := archiveDigest(t, st).diff(clean); diff != "" {
		t.Fatalf("after %d worker kills (seed %d) PostgreSQL differs from a clean SQLite run:\n%s", kills, seed, diff)
	}
	t.Logf("survived %d SIGKILLs of a worker (seed %d); PostgreSQL equals a clean SQLite run: %+v, %d events", kills, seed, clean.stats, len(clean.events))
}
