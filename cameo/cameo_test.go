package cameo

import (
	"strings"
	"testing"
)

func TestTheCodeTableHoldsAll311CodesAnd20Roots(t *testing.T) {
	if n := len(Codes()); n != 311 {
		t.Errorf("Codes() = %d codes, want 311", n)
	}
	roots := Roots()
	if len(roots) != 20 {
		t.Fatalf("Roots() = %d, want 20", len(roots))
	}
	for i, r := range roots {
		want := []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
			"11", "12", "13", "14", "15", "16", "17", "18", "19", "20"}[i]
		if r.Code != want {
			t.Errorf("Roots()[%d] = %s, want %s", i, r.Code, want)
		}
	}
}

func TestEveryCodeIsConsistentWithItsParents(t *testing.T) {
	for _, c := range Codes() {
		if !strings.HasPrefix(c.Code, c.Root) || !strings.HasPrefix(c.Code, c.Base) {
			t.Errorf("%s: root %s base %s are not its prefixes", c.Code, c.Root, c.Base)
		}
		if !Valid(c.Root) || !Valid(c.Base) {
			t.Errorf("%s: parent not a code (root %s, base %s)", c.Code, c.Root, c.Base)
		}
		if c.Quad < 1 || c.Quad > 4 || c.Goldstein < -10 || c.Goldstein > 10 {
			t.Errorf("%s: quad %d goldstein %v out of range", c.Code, c.Quad, c.Goldstein)
		}
		if c.Name == "" || c.Description == "" {
			t.Errorf("%s: empty name or description", c.Code)
		}
	}
}

func TestLookupSpotChecks(t *testing.T) {
	tests := []struct {
		code, name, base, root string
		goldstein              float64
		quad                   int
	}{
		{"036", "Express intent to meet or negotiate", "036", "03", 4.0, 1},
		{"04", "CONSULT", "04", "04", 1.0, 1},
		{"1212", "Reject military cooperation", "121", "12", -4.0, 3},
		{"190", "Use conventional military force, not specified below", "190", "19", -10.0, 4},
		{"0874", "Retreat or surrender militarily", "087", "08", 10.0, 2},
	}
	for _, tt := range tests {
		c, ok := Lookup(tt.code)
		if !ok {
			t.Errorf("Lookup(%q) not found", tt.code)
			continue
		}
		if c.Name != tt.name || c.Base != tt.base || c.Root != tt.root || c.Goldstein != tt.goldstein || c.Quad != tt.quad {
			t.Errorf("Lookup(%q) = %+v", tt.code, c)
		}
		if Root(tt.code) != tt.root || Base(tt.code) != tt.base {
			t.Errorf("Root/Base(%q) = %s/%s", tt.code, Root(tt.code), Base(tt.code))
		}
	}
}

func TestNonCodesAreRejected(t *testing.T) {
	for _, s := range []string{"", "0", "21", "000", "1213", "176", "036 ", "abc", "03a"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
		if Root(s) != "" || Base(s) != "" {
			t.Errorf("Root/Base(%q) not empty", s)
		}
	}
}

func TestQuadNamesCoverTheFourClasses(t *testing.T) {
	want := map[int]string{1: "Verbal Cooperation", 2: "Material Cooperation", 3: "Verbal Conflict", 4: "Material Conflict", 0: "", 5: ""}
	for q, n := range want {
		if QuadName(q) != n {
			t.Errorf("QuadName(%d) = %q, want %q", q, QuadName(q), n)
		}
	}
}

func TestChildrenListTheNextLevel(t *testing.T) {
	if n := len(Children("04")); n != 7 {
		t.Errorf("Children(04) = %d, want 7 (040–046)", n)
	}
	if n := len(Children("121")); n != 2 {
		t.Errorf("Children(121) = %d, want 2 (1211, 1212)", n)
	}
}
