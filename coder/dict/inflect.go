package dict

import "strings"

// Inflect returns the regular forms of an English verb: the base, third
// person -s, past -ed and -ing, with the usual spelling rules (e-drop,
// consonant doubling after a short stressed vowel, y to ies/ied).
// Irregular verbs are the dictionary's job: it lists their forms.
func Inflect(lemma string) []string {
	w := strings.ToLower(lemma)
	if w == "" {
		return nil
	}
	return []string{w, thirdPerson(w), pastForm(w), ingForm(w)}
}

func isVowel(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }

// endsConsonantY is "carry", not "play".
func endsConsonantY(w string) bool {
	n := len(w)
	return n >= 2 && w[n-1] == 'y' && !isVowel(w[n-2])
}

func thirdPerson(w string) string {
	switch {
	case endsConsonantY(w):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"),
		strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"),
		strings.HasSuffix(w, "o") && len(w) > 1 && !isVowel(w[len(w)-2]):
		if strings.HasSuffix(w, "z") && doubles(w) {
			return w + "zes"
		}
		return w + "es"
	}
	return w + "s"
}

func pastForm(w string) string {
	switch {
	case strings.HasSuffix(w, "e"):
		return w + "d"
	case endsConsonantY(w):
		return w[:len(w)-1] + "ied"
	case doubles(w):
		return w + w[len(w)-1:] + "ed"
	case strings.HasSuffix(w, "c"):
		return w + "ked" // panic, mimic, traffic
	}
	return w + "ed"
}

func ingForm(w string) string {
	switch {
	case strings.HasSuffix(w, "ie"):
		return w[:len(w)-2] + "ying"
	case strings.HasSuffix(w, "ee"), strings.HasSuffix(w, "ye"), strings.HasSuffix(w, "oe"):
		return w + "ing"
	case strings.HasSuffix(w, "e") && len(w) > 2:
		return w[:len(w)-1] + "ing"
	case doubles(w):
		return w + w[len(w)-1:] + "ing"
	case strings.HasSuffix(w, "c"):
		return w + "king"
	}
	return w + "ing"
}

// stressedFinal are longer verbs stressed on their last syllable, which
// double like one-syllable words (admit → admitted); other longer verbs do
// not (visit → visited, offer → offered).
var stressedFinal = map[string]bool{
	"admit": true, "commit": true, "submit": true, "permit": true, "omit": true, "emit": true,
	"transmit": true, "remit": true, "refer": true, "prefer": true, "confer": true, "defer": true,
	"infer": true, "deter": true, "incur": true, "occur": true, "recur": true, "concur": true,
	"regret": true, "forget": true, "upset": true, "compel": true, "expel": true, "propel": true,
	"repel": true, "control": true, "patrol": true, "extol": true, "abet": true, "beset": true,
	"equip": true, "acquit": true, "outwit": true, "unplug": true, "rebut": true, "kidnap": true,
	"worship": true, "handicap": true, "airdrop": true, "outstrip": true, "overstep": true,
	"embed": true, "befit": true, "annul": true, "rebel": true, "dispel": true, "inter": true,
	"transfer": true, "overrun": true, "begin": true, "format": true,
}

// doubles reports whether the final consonant doubles before -ed/-ing:
// one-syllable consonant-vowel-consonant words (stop, ban, plan) and the
// stressed two-syllable exceptions.
func doubles(w string) bool {
	if stressedFinal[w] {
		return true
	}
	n := len(w)
	if n < 3 {
		return false
	}
	last, mid, first := w[n-1], w[n-2], w[n-3]
	if isVowel(last) || strings.IndexByte("wxy", last) >= 0 || !isVowel(mid) || isVowel(first) {
		return false
	}
	if first == 'q' && mid == 'u' {
		return false
	}
	// Count vowel groups: only one-syllable words double by rule.
	groups := 0
	prev := false
	for i := 0; i < n; i++ {
		v := isVowel(w[i]) || (w[i] == 'y' && i > 0 && !isVowel(w[i-1]))
		if v && !prev {
			groups++
		}
		prev = v
	}
	return groups == 1
}

// Plural returns the regular plural of a noun phrase's last word: "ceasefire
// agreement" → "ceasefire agreements", "militia" → "militias", "party" →
// "parties", "crisis" stays as written plus "es" only for sibilants.
func Plural(phrase string) string {
	i := strings.LastIndexByte(phrase, ' ')
	head, w := phrase[:i+1], phrase[i+1:]
	if w == "" {
		return phrase
	}
	switch {
	case endsConsonantY(w):
		return head + w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"),
		strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return head + w + "es"
	case strings.HasSuffix(w, "s"):
		return phrase // already plural
	}
	return head + w + "s"
}
