package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDirPrefersTheEnvironment(t *testing.T) {
	t.Setenv("DETENTE_SHARED", "/some/where")
	if got := Dir(); got != "/some/where" {
		t.Errorf("Dir() with DETENTE_SHARED set = %q, want it", got)
	}
	if got, want := Path("gold", "x.tsv"), filepath.Join("/some/where", "gold", "x.tsv"); got != want {
		t.Errorf("Path() = %q, want %q", got, want)
	}
}

func TestDirDefaultsBesideTheModuleRoot(t *testing.T) {
	t.Setenv("DETENTE_SHARED", "")
	root := t.TempDir()
	deep := filepath.Join(root, "mod", "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "mod", "go.mod"), []byte("module m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(deep)
	got, err := filepath.EvalSymlinks(filepath.Dir(Dir()))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.EvalSymlinks(root)
	if got != want || filepath.Base(Dir()) != "shared" {
		t.Errorf("Dir() from %s = %q, want %s/shared", deep, Dir(), root)
	}
}

func TestRequireSkipsWhenMissing(t *testing.T) {
	t.Setenv("DETENTE_SHARED", t.TempDir())
	if err := os.WriteFile(Path("here.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Require(t, "here.txt"); got != Path("here.txt") {
		t.Errorf("Require(present) = %q, want %q", got, Path("here.txt"))
	}
	skipped := false
	t.Run("missing", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Require(t, "gone.txt")
		t.Error("Require(missing) returned instead of skipping")
	})
	if !skipped {
		t.Error("Require(missing) did not skip")
	}
}
