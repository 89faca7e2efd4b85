// Package eval measures detente against the shared benchmarks: article
// extraction (AEB, WCXB), and the other stages' anchors. Each benchmark's
// scoring is reproduced exactly as its own evaluation script computes it, so
// our numbers compare with the published ones.
package eval

import (
	"slices"
	"strings"
	"unicode"
)

// isWordRune reports whether r is matched by Python's `\w` on str patterns,
// which is what both benchmark scripts tokenize with. CPython's `\w` is
// str.isalnum() plus '_', and isalnum is exactly the Unicode categories L*
// and N* (checked over every code point with CPython 3.11). Combining marks
// (M*) are therefore NOT word characters: "हिन्दी" splits into several
// tokens in Python, and it must here too, or our scores drift from theirs.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// words returns the `\w+` tokens of s, in order, like Python's
// re.findall(r'\w+', s).
func words(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// pythonLower lowercases s the way Python's str.lower does for the cases
// that change tokenization: 'İ' (U+0130) lowers to "i" plus a combining dot
// (U+0307), which is not a word character, so Python splits the word there.
// Other differences (final sigma) lower both texts alike and do not matter.
func pythonLower(s string) string {
	if strings.ContainsRune(s, 'İ') {
		s = strings.ReplaceAll(s, "İ", "i\u0307")
	}
	return strings.ToLower(s)
}

// AEBCounts are one page's shingle counts, normalized to sum to 1 so that
// long articles weigh no more than short ones (all zero when both texts are
// empty).
type AEBCounts struct {
	TP, FP, FN float64
}

// aebShingleSep joins a shingle's tokens into one map key. U+0000 never
// occurs inside a `\w+` token, so keys cannot collide.
const aebShingleSep = "\x00"

// aebShingles counts the 4-token shingles of text. Like the AEB script, a
// text with 1–3 tokens yields one shorter shingle of all its tokens, and an
// empty text none.
func aebShingles(text string) map[string]int {
	const n = 4
	toks := words(text)
	m := make(map[string]int, len(toks))
	if len(toks) == 0 {
		return m
	}
	last := len(toks) - n + 1
	if last < 1 {
		last = 1
	}
	for i := 0; i < last; i++ {
		j := min(i+n, len(toks))
		m[strings.Join(toks[i:j], aebShingleSep)]++
	}
	return m
}

// AEBMatch compares a predicted article body with the true one the way the
// AEB evaluate.py's string_shingle_matching does: multiset TP/FP/FN over
// 4-token shingles, normalized to sum 1.
func AEBMatch(truth, pred string) AEBCounts {
	ts, ps := aebShingles(truth), aebShingles(pred)
	var tp, fp, fn float64
	for k, tc := range ts {
		pc := ps[k]
		tp += float64(min(tc, pc))
		if tc > pc {
			fn += float64(tc - pc)
		} else {
			fp += float64(pc - tc)
		}
	}
	for k, pc := range ps {
		if _, ok := ts[k]; !ok {
			fp += float64(pc)
		}
	}
	if s := tp + fp + fn; s > 0 {
		tp, fp, fn = tp/s, fp/s, fn/s
	}
	return AEBCounts{TP: tp, FP: fp, FN: fn}
}

// Precision is the AEB precision_score: 1 for a perfect match, 0 when
// nothing was matched nor predicted.
func (c AEBCounts) Precision() float64 {
	if c.FP == 0 && c.FN == 0 {
		return 1
	}
	if c.TP == 0 && c.FP == 0 {
		return 0
	}
	return c.TP / (c.TP + c.FP)
}

// Recall is the AEB recall_score.
func (c AEBCounts) Recall() float64 {
	if c.FP == 0 && c.FN == 0 {
		return 1
	}
	if c.TP == 0 && c.FN == 0 {
		return 0
	}
	return c.TP / (c.TP + c.FN)
}

// hasPrediction says whether the page counts towards mean precision: the
// AEB script averages precision only over pages with tp+fp > 0, i.e. pages
// where something was predicted.
func (c AEBCounts) hasPrediction() bool { return c.TP+c.FP > 0 }

// hasTruth says whether the page counts towards mean recall (tp+fn > 0).
func (c AEBCounts) hasTruth() bool { return c.TP+c.FN > 0 }

// AEBExact is the AEB "accuracy" of one page: the token sequences of truth
// and prediction are identical.
func AEBExact(truth, pred string) bool {
	return slices.Equal(words(truth), words(pred))
}

// AEBCorpus turns per-page counts into the corpus precision and recall (the
// means over the pages each applies to) and F1, their harmonic mean. This
// is the AEB metrics_from_tp_fp_fns; a mean over no pages is 0.
func AEBCorpus(pages []AEBCounts) (precision, recall, f1 float64) {
	var sp, sr float64
	var np, nr int
	for _, c := range pages {
		if c.hasPrediction() {
			sp += c.Precision()
			np++
		}
		if c.hasTruth() {
			sr += c.Recall()
			nr++
		}
	}
	if np > 0 {
		precision = sp / float64(np)
	}
	if nr > 0 {
		recall = sr / float64(nr)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}

// WCXBScore is one page's word-level score in the WCXB evaluate.py.
type WCXBScore struct {
	Precision, Recall, F1 float64
}

// WCXBMatch scores a prediction against the reference main content as the
// WCXB word_f1 does: lowercased `\w+` tokens, multiset overlap. An empty
// reference scores 1 against an empty prediction and 0 otherwise; an empty
// prediction scores 0.
func WCXBMatch(reference, pred string) WCXBScore {
	rt, pt := words(pythonLower(reference)), words(pythonLower(pred))
	if len(rt) == 0 {
		if len(pt) == 0 {
			return WCXBScore{1, 1, 1}
		}
		return WCXBScore{}
	}
	if len(pt) == 0 {
		return WCXBScore{}
	}
	ref := make(map[string]int, len(rt))
	for _, w := range rt {
		ref[w]++
	}
	overlap := 0
	for _, w := range pt {
		if ref[w] > 0 {
			ref[w]--
			overlap++
		}
	}
	s := WCXBScore{
		Precision: float64(overlap) / float64(len(pt)),
		Recall:    float64(overlap) / float64(len(rt)),
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// wcxbSnippetRate is the WCXB snippet_check: the fraction of snippets found
// (case-insensitively, as raw substrings) in text; 1 when there are none.
func wcxbSnippetRate(text string, snippets []string) float64 {
	if len(snippets) == 0 {
		return 1
	}
	low := pythonLower(text)
	found := 0
	for _, s := range snippets {
		if strings.Contains(low, pythonLower(s)) {
			found++
		}
	}
	return float64(found) / float64(len(snippets))
}
