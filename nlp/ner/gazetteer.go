package ner

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente/kb"
)

// KBGazetteer gives the tagger what the knowledge base knows of each token:
// the kind of the phrase it matches with its BIO position ("kb:B-Country",
// "kb:I-Person"), the kinds matched just before and after it, and whether
// a capitalized token is a first or last name of a person the knowledge
// base knows. The knowledge base is built from Phoenix, CAMEO and GeoNames,
// independently of the gold sets the tagger is scored on.
type KBGazetteer struct {
	kb *kb.KB

	once        sync.Once
	first, last map[string]bool
}

// NewKBGazetteer returns a gazetteer over a knowledge base.
func NewKBGazetteer(k *kb.KB) *KBGazetteer { return &KBGazetteer{kb: k} }

var (
	defaultGazOnce sync.Once
	defaultGaz     *KBGazetteer
)

// DefaultGazetteer is the gazetteer over the built-in knowledge base, the
// one the shipped model is trained with.
func DefaultGazetteer() *KBGazetteer {
	defaultGazOnce.Do(func() { defaultGaz = NewKBGazetteer(kb.Default()) })
	return defaultGaz
}

// names collects the first and last words of the people the knowledge
// base knows, so a name it does not know whole ("Barack Smith") still
// reads as a person's.
func (g *KBGazetteer) names() {
	g.first, g.last = map[string]bool{}, map[string]bool{}
	for _, e := range g.kb.Entries() {
		if e.Kind != kb.KindPerson {
			continue
		}
		f := strings.Fields(e.Canonical)
		if len(f) < 2 {
			continue
		}
		if isNameWord(f[0]) {
			g.first[f[0]] = true
		}
		if l := f[len(f)-1]; isNameWord(l) {
			g.last[l] = true
		}
	}
}

// isNameWord says whether w looks like a name part: a capital and then
// lowercase letters ("Xi", "Moon", not "JR." or "A").
func isNameWord(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || len(w) < 2 {
		return false
	}
	for _, r := range w[size:] {
		if !unicode.IsLower(r) && r != '-' && r != '\'' {
			return false
		}
	}
	return true
}

// Features implements Gazetteer.
func (g *KBGazetteer) Features(tokens []string) [][]string {
	g.once.Do(g.names)
	out := make([][]string, len(tokens))
	kinds := make([]string, len(tokens))
	for _, m := range g.kb.Match(tokens) {
		k := m.Kind.String()
		for i := m.Start; i < m.End && i < len(tokens); i++ {
			pos := "I-"
			if i == m.Start {
				pos = "B-"
			}
			kinds[i] = k
			out[i] = append(out[i], "kb:"+pos+k)
			if i == m.End-1 {
				out[i] = append(out[i], "kb:E-"+k)
			}
			if m.End-m.Start > 1 {
				out[i] = append(out[i], "kb:multi-"+k)
			}
		}
	}
	for i, t := range tokens {
		if i > 0 && kinds[i-1] != "" && kinds[i-1] != kinds[i] {
			out[i] = append(out[i], "kb:prev-"+kinds[i-1])
		}
		if i+1 < len(tokens) && kinds[i+1] != "" && kinds[i+1] != kinds[i] {
			out[i] = append(out[i], "kb:next-"+kinds[i+1])
		}
		if kinds[i] != "" {
			continue // the match says what the token is
		}
		if g.first[t] {
			out[i] = append(out[i], "kb:first")
		}
		if g.last[t] {
			out[i] = append(out[i], "kb:last")
		}
	}
	return out
}
