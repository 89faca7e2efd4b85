package lowercase

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzAppend(f *testing.F) {
	for _, s := range []string{"ABC", "İstanbul", "\xff\xfeX", "ǅ Ǆ", "Ⱥ", "KELVIN \u212a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf [4]byte
		if got, want := string(Append(buf[:0], s)), strings.ToLower(s); got != want {
			t.Errorf("Append(%q) = %q, want %q", s, got, want)
		}
		low, ok := ASCII([]byte("x"), s)
		if ascii := isASCII(s); ok != ascii {
			t.Fatalf("ASCII(%q) ok = %v, want %v", s, ok, ascii)
		}
		if ok && string(low) != "x"+strings.ToLower(s) {
			t.Errorf("ASCII(%q) = %q, want %q appended to x", s, low, strings.ToLower(s))
		} else if !ok && string(low) != "x" {
			t.Errorf("ASCII(%q) refused but changed the buffer: %q", s, low)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
