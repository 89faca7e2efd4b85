package cameo

// Negation and modality: how a coder turns "will not participate", "will
// meet" or "could attack" into the CAMEO code the action gets, following
// the CAMEO manual's conventions. The rules are data (tables below, each
// row with the manual lines it rests on) plus the small function Resolve.
//
// Line numbers ("M123") refer to CAMEO.Manual.1.1b3.tex in the shared data;
// "P1:123" to the PETRARCH-1 verb dictionary
// (dictionaries/petrarch1/CAMEO.verbpatterns.txt), whose hand-written
// patterns show how the KEDS/Parus coders applied the manual.
//
// Principles:
//   - CAMEO was built so that each cooperative category has a conceptual
//     opposite (M169–171); a refusal of a cooperative act is coded as that
//     opposite in 12 REJECT, whose subcodes parallel 03's one for one
//     (M938–965 against M1088–1113).
//   - A cooperative act that has not yet happened ("will provide", "is to
//     sign") is coded in the 03 intent codes (M157, M1325); its 03
//     counterpart is the code with the parallel name.
//   - A conflictual act announced for the future is a threat, coded in 13
//     THREATEN, whose subcodes parallel 16–20 (M1117–1138).
//   - A negated act with no CAMEO opposite ("did not attack", "did not
//     call for") is not an event: nothing is coded.

// Modality says whether a reported action has happened.
type Modality int

// The modalities a coder distinguishes.
const (
	Asserted     Modality = iota // it happened / is happening
	Future                       // "will meet", "is to sign"
	Intent                       // "plans to", "promised to", "vowed to"
	Conditional                  // "will meet if …", "unless …"
	Hypothetical                 // "could", "might", "may": speculation
)

// Mode is the PLOVER mode word detente stores for the modality: "" for an
// asserted event.
func (m Modality) Mode() string {
	switch m {
	case Future:
		return "future"
	case Intent:
		return "intend"
	case Conditional:
		return "conditional"
	case Hypothetical:
		return "hypothetical"
	}
	return ""
}

// Resolution is the outcome of Resolve.
type Resolution struct {
	Code   string // final CAMEO code
	Plover Plover // PLOVER reading of Code; Type "" when PLOVER has none
	// Mode is the modality's mode when the action has not simply happened
	// ("future", "intend", "conditional", "hypothetical"), else PLOVER's
	// type-specific mode for the code ("visit", "release"…).
	Mode    string
	Negated bool
	// Rule names the rule that changed the code (with its manual line), or
	// "" when the code was kept; it goes into the event's explanation.
	Rule string
}

type rule struct{ from, to, source string }

// negationRules: a negated or refused cooperative act → its 12 opposite.
// Lookup tries the exact code, then its base, then its root.
var negationRules = []rule{
	// 01: only "no comment" has an opposite.
	{"010", "011", "M895/M896; P1:1024, P1:1035 (WILL_NOT / DID NOT comment → 011)"},
	// 03 intent → 12 rejection: parallel names M938–965 ↔ M1088–1113.
	{"03", "120", "M937 ↔ M1087"},
	{"031", "121", "M939 ↔ M1089"},
	{"0311", "1211", "M940 ↔ M1090"},
	{"0312", "1212", "M941 ↔ M1091"},
	{"0313", "121", "M942; 1213 exists only in CAMEO2PLOVER, not in the manual or GDELT → parent 121 (M1089)"},
	{"0314", "121", "M943; 1214 exists only in CAMEO2PLOVER → parent 121 (M1089)"},
	{"033", "122", "M945 ↔ M1092"},
	{"0331", "1221", "M946 ↔ M1093"},
	{"0332", "1222", "M947 ↔ M1094"},
	{"0333", "1223", "M948 ↔ M1095"},
	{"0334", "1224", "M949 ↔ M1096"},
	{"034", "123", "M950 ↔ M1097"},
	{"0341", "1231", "M951 ↔ M1098"},
	{"0342", "1232", "M952 ↔ M1099"},
	{"0343", "1233", "M953 ↔ M1100"},
	{"0344", "1234", "M954 ↔ M1101"},
	{"035", "124", "M955 ↔ M1102"},
	{"0351", "1241", "M956 ↔ M1103"},
	{"0352", "1242", "M957 ↔ M1104"},
	{"0353", "1243", "M958 ↔ M1105"},
	{"0354", "1244", "M959 ↔ M1106"},
	{"0355", "1245", "M960 ↔ M1107"},
	{"0356", "1246", "M961 ↔ M1108"},
	{"036", "125", "M962 ↔ M1109"},
	{"037", "127", "M963 ↔ M1111"},
	{"038", "126", "M964 ↔ M1110"},
	{"039", "126", "M965 ↔ M1110 (refusing to mediate rejects the mediation)"},
	// 04 consult: refusing to meet, talk or attend → 125 (M1109).
	{"04", "125", "M968 ↔ M1109; P1:900, P1:2947, P1:2964 (NOT ATTEND MEET/TALKS → 125)"},
	{"045", "126", "M974 ↔ M1110"},
	// 05 diplomatic cooperation: no specific opposite → 120 (M1088).
	{"05", "120", "M978 ↔ M1088; P1:1021, P1:2473 (NOT JOIN / DECLINE TO JOIN → 120)"},
	// 06 material cooperation → 121 (M1089–1091).
	{"06", "121", "M989 ↔ M1089; P1:3904 (NOT COOPERATE)"},
	{"061", "1211", "M991 ↔ M1090"},
	{"062", "1212", "M992 ↔ M1091"},
	// 07 aid → 122 (M1092–1096).
	{"07", "122", "M997 ↔ M1092"},
	{"071", "1221", "M999 ↔ M1093"},
	{"072", "1222", "M1000 ↔ M1094"},
	{"073", "1223", "M1001 ↔ M1095"},
	{"074", "1224", "M1002 ↔ M1096"},
	// 08 yield → 123/124 (M1097–1108).
	{"08", "124", "M1006 ↔ M1102"},
	{"081", "1241", "M1008 ↔ M1103"},
	{"082", "1242", "M1013 ↔ M1104"},
	{"083", "123", "M1014 ↔ M1097"},
	{"0831", "1231", "M1015 ↔ M1098"},
	{"0832", "1232", "M1016 ↔ M1099"},
	{"0833", "1233", "M1017 ↔ M1100"},
	{"0834", "1234", "M1018 ↔ M1101"},
	{"084", "1243", "M1019 ↔ M1105; P1:858 (NOT SWAP PRISONERS → 1243)"},
	{"085", "1244", "M1022 ↔ M1106"},
	{"086", "1245", "M1023 ↔ M1107"},
	{"087", "1246", "M1027 ↔ M1108"},
}

// intentRules: a cooperative act not yet done → its 03 intent code; a
// conflictual act announced → its 13 threat.
var intentRules = []rule{
	// Cooperation → 03 (M157: 03 holds "all forms of future positive
	// commitment"; M1325: WILL / IS_TO_ put a verb in the 030s).
	{"04", "036", "M968 → M962"},
	{"045", "039", "M974 → M965"},
	{"05", "032", "M978 → M944"},
	{"057", "030", "M986 → M938 (a future signing is a commitment to cooperate)"},
	{"06", "031", "M989 → M939"},
	{"061", "0311", "M991 → M940"},
	{"062", "0312", "M992 → M941"},
	{"063", "0313", "M993 → M942"},
	{"064", "0314", "M994 → M943"},
	{"07", "033", "M997 → M945"},
	{"071", "0331", "M999 → M946"},
	{"072", "0332", "M1000 → M947"},
	{"073", "0333", "M1001 → M948"},
	{"074", "0334", "M1002 → M949"},
	{"08", "035", "M1006 → M955"},
	{"081", "0351", "M1008 → M956"},
	{"082", "0352", "M1013 → M957"},
	{"083", "034", "M1014 → M950"},
	{"0831", "0341", "M1015 → M951"},
	{"0832", "0342", "M1016 → M952"},
	{"0833", "0343", "M1017 → M953"},
	{"0834", "0344", "M1018 → M954"},
	{"084", "0353", "M1019 → M958"},
	{"085", "0354", "M1022 → M959"},
	{"086", "0355", "M1023 → M960"},
	{"087", "0356", "M1027 → M961"},
	// Conflict → 13 (parallel names M1117–1138 against M1141–1247).
	{"14", "133", "M1141 → M1127"},
	{"16", "131", "M1179 → M1118"},
	{"161", "1313", "M1181 → M1121"},
	{"162", "1311", "M1182 → M1119"},
	{"163", "1312", "M1186 → M1120"},
	{"164", "134", "M1187 → M1128"},
	{"165", "135", "M1188 → M1129"},
	{"166", "136", "M1189 → M1130"},
	{"17", "130", "M1195 → M1117"},
	{"172", "132", "M1200 → M1122"},
	{"1721", "1321", "M1201 → M1123"},
	{"1722", "1322", "M1202 → M1124"},
	{"1723", "1323", "M1203 → M1125"},
	{"1724", "1324", "M1204 → M1126"},
	{"175", "137", "M1207 → M1131"},
	{"18", "1383", "M1211 → M1135"},
	{"19", "138", "M1228 → M1132"},
	{"191", "1381", "M1230 → M1133"},
	{"192", "1382", "M1231 → M1134"},
	{"193", "1384", "M1232 → M1136"},
	{"194", "1384", "M1233 → M1136"},
	{"195", "1384", "M1234 → M1136"},
	{"20", "1383", "M1240 → M1135"},
	{"204", "1385", "M1245 → M1137"},
}

// Two rules for negated intentions:
//   - "will not attend talks unless …" threatens to halt talks: 134 rather
//     than the 139 ultimatum (M1350–1353).
//   - "said it would not strike back / use force": a verbal climb-down,
//     coded 080 in the PETRARCH-1 dictionary (P1:1661, P1:2793, P1:3313).
var (
	conditionalRefusal = rule{"04", "134", "M1350–1353 (WILL_NOT_* TALKS UNLESS → 134)"}
	forgoneForce       = rule{"", "080", "P1:1661, P1:2793, P1:3313 (WOULD NOT strike back / use force → 080)"}
)

func index(rs []rule) map[string]rule {
	m := make(map[string]rule, len(rs))
	for _, r := range rs {
		m[r.from] = r
	}
	return m
}

var (
	negationIndex = index(negationRules)
	intentIndex   = index(intentRules)
)

// find tries the exact code, then its base, then its root.
func find(ix map[string]rule, c Code) (rule, bool) {
	for _, k := range []string{c.Code, c.Base, c.Root} {
		if r, ok := ix[k]; ok {
			return r, true
		}
	}
	return rule{}, false
}

// Resolve maps a dictionary code plus the sentence's negation and modality
// to the code CAMEO gives the action, and its PLOVER reading:
//
//	Resolve("060", true, Future)   → 121 REJECT  ("will not participate")
//	Resolve("040", false, Future)  → 036 CONSULT, mode "future" ("will meet")
//	Resolve("042", false, Intent)  → 036 AGREE, mode "intend" ("plans to visit")
//	Resolve("190", true, Asserted) → false (not attacking is no event)
//
// It returns false when code is not a CAMEO code or the negated action has
// no CAMEO opposite, so nothing should be coded.
func Resolve(code string, negated bool, m Modality) (Resolution, bool) {
	c, ok := Lookup(code)
	if !ok {
		return Resolution{}, false
	}
	res := Resolution{Code: c.Code, Negated: negated}
	switch {
	case negated && m == Conditional && (c.Root == "04" || c.Code == "036"):
		res.Code, res.Rule = conditionalRefusal.to, conditionalRefusal.source
	case negated && m != Asserted && m != Hypothetical && (c.Root == "18" || c.Root == "19" || c.Root == "20"):
		res.Code, res.Rule = forgoneForce.to, forgoneForce.source
	case negated:
		r, ok := find(negationIndex, c)
		if !ok {
			return Resolution{}, false
		}
		res.Code, res.Rule = r.to, r.source
	case m == Future || m == Intent || m == Conditional:
		if r, ok := find(intentIndex, c); ok {
			res.Code, res.Rule = r.to, r.source
		}
	}
	res.Plover, _ = PLOVER(res.Code)
	// CAMEO has no modes, so it codes a scheduled meeting ("will meet")
	// as an intent (036), which the CAMEO→PLOVER table reads as AGREE.
	// PLOVER keeps meetings and visits under CONSULT with a mode, so a
	// meeting that will happen is CONSULT, mode "future". Pledges of aid or
	// concessions ("will provide aid") are promises, AGREE in PLOVER's own
	// definition, as are offers and plans (Intent); future hostile acts stay
	// threats.
	if m == Future && !negated && c.Root == "04" && res.Code == "036" {
		if act, ok := PLOVER(c.Code); ok && act.Type == "CONSULT" {
			res.Plover.Type = act.Type
		}
	}
	res.Mode = m.Mode()
	if res.Mode == "" {
		res.Mode = res.Plover.Mode
	}
	return res, true
}
