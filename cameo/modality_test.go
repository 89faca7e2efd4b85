package cameo

import "testing"

func TestResolveFollowsTheManualsNegationAndModalityRules(t *testing.T) {
	tests := []struct {
		name    string
		code    string
		negated bool
		m       Modality
		want    string // "" = nothing coded
		plover  string
		mode    string
	}{
		{"will not participate in cooperation is a rejection", "060", true, Future, "121", "REJECT", "future"},
		{"refusing military cooperation is 1212", "062", true, Asserted, "1212", "REJECT", "assist"},
		{"will meet is an intent to meet, in PLOVER a future consultation", "040", false, Future, "036", "CONSULT", "future"},
		{"plans to visit is an intent to meet", "042", false, Intent, "036", "AGREE", "intend"},
		{"did not meet is a refusal to meet", "040", true, Asserted, "125", "REJECT", "meet"},
		{"will not attend talks unless is a threat to halt talks", "043", true, Conditional, "134", "THREATEN", "conditional"},
		{"not releasing prisoners refuses to release", "0841", true, Asserted, "1243", "REJECT", "yield"},
		{"will provide aid is an intent to give aid, a pledge (AGREE) in PLOVER", "073", false, Future, "0333", "AGREE", "future"},
		{"will impose sanctions is a threat of sanctions", "163", false, Future, "1312", "THREATEN", "future"},
		{"will attack is a threat of force", "190", false, Future, "138", "THREATEN", "future"},
		{"said it would not use force is a yield", "190", true, Future, "080", "CONCEDE", "future"},
		{"did not attack is no event", "190", true, Asserted, "", "", ""},
		{"did not call for is no event", "020", true, Asserted, "", "", ""},
		{"did not reject is no event", "120", true, Asserted, "", "", ""},
		{"could attack is marked hypothetical, code kept", "193", false, Hypothetical, "193", "ASSAULT", "hypothetical"},
		{"an asserted visit keeps its code and PLOVER mode", "042", false, Asserted, "042", "CONSULT", "visit"},
		{"a future demand stays a demand", "1041", false, Future, "1041", "REQUEST", "future"},
		{"refusing a curfew easing falls back to its base rule", "0813", true, Asserted, "1241", "REJECT", "change"},
		{"refusing to cooperate on intelligence uses the parent 121", "0314", true, Asserted, "121", "REJECT", "assist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Resolve(tt.code, tt.negated, tt.m)
			if tt.want == "" {
				if ok {
					t.Fatalf("Resolve = %+v, want nothing coded", got)
				}
				return
			}
			if !ok || got.Code != tt.want || got.Plover.Type != tt.plover || got.Mode != tt.mode || got.Negated != tt.negated {
				t.Fatalf("Resolve(%s, %v, %v) = %+v, %v; want %s %s mode %q", tt.code, tt.negated, tt.m, got, ok, tt.want, tt.plover, tt.mode)
			}
			if got.Code != tt.code && got.Rule == "" {
				t.Errorf("changed code without naming its rule")
			}
		})
	}
}

func TestEveryRuleMapsBetweenRealCodes(t *testing.T) {
	for _, rs := range [][]rule{negationRules, intentRules, {conditionalRefusal}} {
		for _, r := range rs {
			if !Valid(r.from) || !Valid(r.to) || r.source == "" {
				t.Errorf("rule %+v: codes must be CAMEO codes and cite a source", r)
			}
		}
	}
	if !Valid(forgoneForce.to) {
		t.Errorf("forgone-force rule target %s invalid", forgoneForce.to)
	}
}

func TestNegatedCooperationNeverStaysCooperative(t *testing.T) {
	for _, c := range Codes() {
		if c.Root < "03" || c.Root > "08" {
			continue
		}
		for _, m := range []Modality{Asserted, Future, Intent} {
			r, ok := Resolve(c.Code, true, m)
			if !ok {
				t.Errorf("negated %s (%v) codes nothing; cooperation has a 12 opposite", c.Code, m)
				continue
			}
			if Root(r.Code) != "12" {
				t.Errorf("negated %s (%v) → %s, want a 12 REJECT code", c.Code, m, r.Code)
			}
		}
	}
}

func TestUnknownCodesResolveToNothing(t *testing.T) {
	if r, ok := Resolve("999", false, Asserted); ok {
		t.Errorf("Resolve(999) = %+v", r)
	}
}
