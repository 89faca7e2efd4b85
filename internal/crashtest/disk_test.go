package crashtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// mountTmpfs mounts a tmpfs of the given size on a temporary directory:
// a disk that can really fill up or turn read-only. It needs root (CI and
// the development machines run as root); elsewhere the test skips.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root; skipped")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); skipped", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// copyDB copies a SQLite file with its WAL and shared-memory files.
func copyDB(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		data, err := os.ReadFile(from + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIngestOnAFullDiskFailsClearlyAndKeepsWhatItStored(t *testing.T) {
	bin := detenteBinary(t)
	paths := corpus(t)
	clean, _ := cleanRun(t, bin, paths)
	// A disk half the size of the finished store: the run must fill it.
	diskKB := max(cleanSize/2/1024, 64)
	small := mountTmpfs(t, fmt.Sprintf("%dk", diskKB))

	db := filepath.Join(small, "full.db")
	out, err := runIngest(t, bin, db, paths)
	if err == nil {
		t.Fatalf("ingest onto a %d KB disk succeeded; the store needs %d KB:\n%s", diskKB, cleanSize/1024, out)
	}
	if !strings.Contains(out, "full") {
		t.Errorf("the error does not say the disk is full:\n%s", out)
	}
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic") {
		t.Errorf("ingest crashed instead of reporting:\n%s", out)
	}
	t.Logf("on a full disk: %s", lastLines(out, 3))

	// What was stored is whole, and a run with room completes it.
	roomy := filepath.Join(t.TempDir(), "moved.db")
	copyDB(t, db, roomy)
	checkPartial(t, roomy, clean)
	if out, err := runIngest(t, bin, roomy, paths); err != nil {
		t.Fatalf("ingest after moving to a disk with room: %v\n%s", err, out)
	}
	if diff := readDigest(t, roomy).diff(clean); diff != "" {
		t.Fatalf("after the full disk the completed store differs from the clean one:\n%s", diff)
	}
}

func TestAReadOnlyDatabaseRefusesWritesClearlyAndStillAnswers(t *testing.T) {
	bin := detenteBinary(t)
	dir := mountTmpfs(t, "64m")
	db := filepath.Join(dir, "ro.db")
	examples := filepath.Join("..", "..", "examples")
	if out, err := runIngest(t, bin, db, []string{examples}); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only (%v: %s)", err, out)
	}
	defer exec.Command("mount", "-o", "remount,rw", dir).Run()

	out, err := runIngest(t, bin, db, []string{examples})
	if err == nil {
		t.Fatalf("ingest into a read-only database succeeded:\n%s", out)
	}
	if !strings.Contains(strings.ToLower(out), "read-only") && !strings.Contains(strings.ToLower(out), "readonly") {
		t.Errorf("the error does not say the database is read-only:\n%s", out)
	}
	t.Logf("read-only ingest: %s", lastLines(out, 2))

	search := exec.Command(bin, "search", "--db", db, "agreement")
	sout, err := search.CombinedOutput()
	if err != nil {
		t.Fatalf("search on a read-only database: %v\n%s", err, sout)
	}
	if !strings.Contains(string(sout), "matching") && !strings.Contains(string(sout), "result") {
		t.Errorf("search on a read-only database printed no results:\n%s", sout)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}

func TestTwoIngestProcessesIntoOneFileEqualOneRun(t *testing.T) {
	bin := detenteBinary(t)
	paths := corpus(t)
	clean, _ := cleanRun(t, bin, paths)
	db := filepath.Join(t.TempDir(), "shared.db")
	// Both read everything: every article is offered twice at about the
	// same time, the hardest case for "stored once".
	a, b := ingestCmd(bin, db, paths), ingestCmd(bin, db, paths)
	var outA, outB strings.Builder
	a.Stdout, a.Stderr, b.Stdout, b.Stderr = &outA, &outA, &outB, &outB
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	errA, errB := a.Wait(), b.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("concurrent ingests: %v, %v\n%s\n%s", errA, errB, outA.String(), outB.String())
	}
	if diff := readDigest(t, db).diff(clean); diff != "" {
		t.Fatalf("two processes stored something other than one run does:\n%s", diff)
	}
}
