package cameo

import (
	"sort"
	"strings"
)

// Plover is a CAMEO code's PLOVER reading: event type, the type-specific
// mode ("visit", "phone", "release"…; "" when none) and context
// ("diplomatic", "military"…; several are joined with ";").
type Plover struct {
	Type    string
	Mode    string
	Context string
}

// Contexts splits Context into its values.
func (p Plover) Contexts() []string {
	if p.Context == "" {
		return nil
	}
	return strings.Split(p.Context, ";")
}

// PLOVER returns the PLOVER reading of a CAMEO code, from the 2021
// CAMEO2PLOVER table. A code the table leaves out (all of 01 MAKE PUBLIC
// STATEMENT and 02 APPEAL: PLOVER does not code statements or appeals)
// returns false. A four-digit code the table omits falls back to its base.
func PLOVER(cameoCode string) (Plover, bool) {
	if p, ok := ploverTable[cameoCode]; ok {
		return p, true
	}
	if len(cameoCode) == 4 && Valid(cameoCode) {
		if p, ok := ploverTable[cameoCode[:3]]; ok {
			return p, true
		}
	}
	return Plover{}, false
}

// PloverType is one PLOVER event type with detente's own short summary.
type PloverType struct {
	Name        string
	Description string
	// Material is true for types that are things done, false for things
	// said (PLOVER's verbal/material split, as in the quad classes).
	Material bool
}

// ploverTypes are the 16 event types of the 2021 PLOVER manual (Draft 0.8),
// the names CAMEO2PLOVER-2021 uses. The 2017 summary page
// (plover_reference.html) still shows an older list of 18 — see
// LegacyPloverTypes for how those names map.
var ploverTypes = []PloverType{
	{"AGREE", "Offers, promises and stated willingness to cooperate, including cooperation reported in the future tense.", false},
	{"CONSULT", "Meetings, talks, visits, phone calls, negotiation and mediation.", false},
	{"SUPPORT", "Diplomatic, non-material backing: praise, endorsement, recognition, signing agreements.", false},
	{"CONCEDE", "Verbal concessions without immediate material effect, such as easing restrictions or declaring a ceasefire.", false},
	{"COOPERATE", "Material cooperation that benefits both sides: trade, joint military activity, judicial or intelligence sharing.", true},
	{"AID", "Material help whose benefit goes mainly to the recipient: money, arms, relief, asylum.", true},
	{"RETREAT", "Steps back with immediate material effect: releases, returns, letting outsiders in, withdrawals, disarming.", true},
	{"REQUEST", "Demands and orders directed at the target (PLOVER 2017: DEMAND).", false},
	{"ACCUSE", "Disapproval, accusations, complaints, lawsuits and investigations (PLOVER 2017: DISAPPROVE, INVESTIGATE).", false},
	{"REJECT", "Refusals and rejections of cooperation, demands, meetings or settlements; defiance of norms.", false},
	{"THREATEN", "Threats and coercive warnings of sanctions, restrictions or force.", false},
	{"PROTEST", "Collective civilian dissent: demonstrations, hunger strikes, strikes and boycotts, blockades, riots.", true},
	{"MOBILIZE", "Military or police moves and alerts short of using force.", true},
	{"SANCTION", "Cutting back normal relations: breaking ties, stopping aid, halting talks, expelling missions.", true},
	{"COERCE", "Repression short of armed attack: seizures, bans, curfews, arrests, deportations, sanctions.", true},
	{"ASSAULT", "Deliberate physical violence: attacks, bombings, assassinations, armed combat, mass violence.", true},
}

// PloverTypes returns the 16 PLOVER event types in PLOVER's order.
func PloverTypes() []PloverType { return append([]PloverType(nil), ploverTypes...) }

// LegacyPloverTypes maps the older PLOVER type names (2017 summary page and
// the PLOVER gold records' version 0.5) to the 2021 names; CRIME has no
// 2021 counterpart and maps to "".
var LegacyPloverTypes = map[string]string{
	"DEMAND":      "REQUEST",
	"DISAPPROVE":  "ACCUSE",
	"INVESTIGATE": "ACCUSE",
	"FIGHT":       "ASSAULT",
	"CRIME":       "",
}

// NormalizePloverType returns the 2021 name for a PLOVER type written in
// either the current or a legacy vocabulary, and false when name is
// neither (or is CRIME, which 2021 dropped).
func NormalizePloverType(name string) (string, bool) {
	name = strings.ToUpper(strings.TrimSpace(name))
	for _, t := range ploverTypes {
		if t.Name == name {
			return name, true
		}
	}
	if n, ok := LegacyPloverTypes[name]; ok && n != "" {
		return n, true
	}
	return "", false
}

// PloverModes returns, per PLOVER type, the type-specific modes the
// CAMEO2PLOVER table uses, sorted.
func PloverModes() map[string][]string {
	set := map[string]map[string]bool{}
	for _, p := range ploverTable {
		if p.Mode == "" {
			continue
		}
		if set[p.Type] == nil {
			set[p.Type] = map[string]bool{}
		}
		set[p.Type][p.Mode] = true
	}
	out := map[string][]string{}
	for t, ms := range set {
		for m := range ms {
			out[t] = append(out[t], m)
		}
		sort.Strings(out[t])
	}
	return out
}

// PloverContexts returns every context the CAMEO2PLOVER table uses, sorted.
func PloverContexts() []string {
	set := map[string]bool{}
	for _, p := range ploverTable {
		for _, c := range p.Contexts() {
			set[c] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
