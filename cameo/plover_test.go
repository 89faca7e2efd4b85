package cameo

import "testing"

func TestThereAreSixteenPloverTypesAndTheMappingUsesOnlyThem(t *testing.T) {
	types := PloverTypes()
	if len(types) != 16 {
		t.Fatalf("PloverTypes() = %d, want 16", len(types))
	}
	known := map[string]bool{}
	for _, ty := range types {
		known[ty.Name] = true
		if ty.Description == "" {
			t.Errorf("%s has no description", ty.Name)
		}
	}
	used := map[string]bool{}
	for code, p := range ploverTable {
		if !known[p.Type] {
			t.Errorf("mapping %s → %s: not a PLOVER type", code, p.Type)
		}
		used[p.Type] = true
	}
	if len(used) != 16 {
		t.Errorf("mapping uses %d types, want all 16", len(used))
	}
}

func TestPloverSpotChecks(t *testing.T) {
	tests := []struct {
		code string
		want Plover
	}{
		{"036", Plover{"AGREE", "", "diplomatic"}},
		{"04", Plover{"CONSULT", "", ""}},
		{"042", Plover{"CONSULT", "visit", ""}},
		{"1212", Plover{"REJECT", "assist", "military"}},
		{"190", Plover{"ASSAULT", "", "military"}},
		{"163", Plover{"COERCE", "restrict", "diplomatic"}},
		{"091", Plover{"ACCUSE", "investigate", "crime;corruption"}},
		{"0861", Plover{"RETREAT", "access", "peacekeeping"}},
		{"08", Plover{"CONCEDE", "", ""}},
		{"175", Plover{"ASSAULT", "pro_autocracy", "military"}},
		{"191", Plover{"COERCE", "restrict", "military"}},
	}
	for _, tt := range tests {
		got, ok := PLOVER(tt.code)
		if !ok || got != tt.want {
			t.Errorf("PLOVER(%q) = %+v, %v; want %+v", tt.code, got, ok, tt.want)
		}
	}
}

func TestStatementsAndAppealsHaveNoPloverType(t *testing.T) {
	for _, c := range []string{"01", "010", "019", "02", "020", "0211", "028"} {
		if p, ok := PLOVER(c); ok {
			t.Errorf("PLOVER(%q) = %+v, want none", c, p)
		}
	}
	n := 0
	for _, c := range Codes() {
		if _, ok := PLOVER(c.Code); ok {
			n++
		}
	}
	if n != 311-39 {
		t.Errorf("%d codes have a PLOVER reading, want 272 (all but the 39 of roots 01 and 02)", n)
	}
}

func TestLegacyPloverNamesNormalize(t *testing.T) {
	tests := map[string]string{"DEMAND": "REQUEST", "disapprove": "ACCUSE", "INVESTIGATE": "ACCUSE",
		"FIGHT": "ASSAULT", "AGREE": "AGREE", " consult ": "CONSULT"}
	for in, want := range tests {
		if got, ok := NormalizePloverType(in); !ok || got != want {
			t.Errorf("NormalizePloverType(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"CRIME", "", "WAR"} {
		if got, ok := NormalizePloverType(in); ok {
			t.Errorf("NormalizePloverType(%q) = %q, want none", in, got)
		}
	}
}

func TestModesAndContextsAreCollectedFromTheMapping(t *testing.T) {
	modes := PloverModes()
	if !contains(modes["CONSULT"], "visit") || !contains(modes["CONSULT"], "phone") {
		t.Errorf("CONSULT modes = %v", modes["CONSULT"])
	}
	if len(modes["AGREE"]) != 0 {
		t.Errorf("AGREE modes = %v, want none", modes["AGREE"])
	}
	ctx := PloverContexts()
	for _, c := range []string{"diplomatic", "military", "economic", "cbrn", "corruption"} {
		if !contains(ctx, c) {
			t.Errorf("contexts lack %q: %v", c, ctx)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
