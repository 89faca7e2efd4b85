package cameo

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

// sharedCAMEO finds the shared cameo directory, or skips.
func sharedCAMEO(t *testing.T) string {
	t.Helper()
	shareddata.Require(t, "cameo", "cameo-codes-goldstein-quad.tsv")
	return shareddata.Path("cameo")
}

func TestGeneratedCodesMatchTheSharedLookupTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(sharedCAMEO(t), "cameo-codes-goldstein-quad.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
	if len(lines) != len(codeTable) {
		t.Fatalf("shared table has %d codes, generated %d: rerun go generate", len(lines), len(codeTable))
	}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		c, ok := Lookup(f[0])
		g, _ := strconv.ParseFloat(f[4], 64)
		q, _ := strconv.Atoi(f[3])
		if !ok || c.Root != f[1] || c.Quad != q || c.Goldstein != g || c.Name != strings.TrimSpace(f[5]) {
			t.Errorf("%s: generated %+v differs from the shared row %q", f[0], c, l)
		}
	}
}

func TestGeneratedPloverMatchesTheSharedMapping(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(sharedCAMEO(t), "CAMEO2PLOVER-2021.txt"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		code, rest, ok := strings.Cut(l, ":")
		if !ok || len(code) < 2 || len(code) > 4 || strings.Trim(code, "0123456789") != "" {
			continue
		}
		n++
		typ, _, _ := strings.Cut(rest, ",")
		typ, _, _ = strings.Cut(typ, "#")
		if code == "08" && strings.TrimSpace(typ) == "RETREAT" {
			continue // the file lists root 08 twice; the first (CONCEDE) is kept
		}
		if got := ploverTable[code].Type; got != strings.TrimSpace(typ) {
			t.Errorf("%s: generated %s, file says %s", code, got, strings.TrimSpace(typ))
		}
	}
	if n < 270 {
		t.Errorf("read only %d mapping lines", n)
	}
}
