package ner

import (
	"hash/maphash"
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

	once sync.Once
	// nameBits holds nameFirst and nameLast bits per word, so a token is
	// looked up once for both.
	nameBits map[string]uint8
	// nameSeen has two bits set per word of nameBits (nameSeenBits): most
	// capitalized tokens are no name part and are turned away by it
	// without a look-up in the map.
	nameSeen []uint64
	nameSeed maphash.Seed
}

// nameSeenShift sizes nameSeen: 2^17 bits (16 KB).
const nameSeenShift = 17

// nameSeenBits are nameSeen's two bit indexes for hash h.
func nameSeenBits(h uint64) (uint64, uint64) {
	return h & (1<<nameSeenShift - 1), h >> (64 - nameSeenShift)
}

// nameBitsOf is nameBits[w].
func (g *KBGazetteer) nameBitsOf(w string) uint8 {
	a, b := nameSeenBits(maphash.String(g.nameSeed, w))
	if (g.nameSeen[a/64]>>(a%64))&(g.nameSeen[b/64]>>(b%64))&1 == 0 {
		return 0
	}
	return g.nameBits[w]
}

const (
	nameFirst uint8 = 1 << iota
	nameLast
)

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
	g.nameBits = map[string]uint8{}
	defer g.fillNameSeen()
	for _, e := range g.kb.Entries() {
		if e.Kind != kb.KindPerson {
			continue
		}
		f := strings.Fields(e.Canonical)
		if len(f) < 2 {
			continue
		}
		if isNameWord(f[0]) {
			g.nameBits[f[0]] |= nameFirst
		}
		if l := f[len(f)-1]; isNameWord(l) {
			g.nameBits[l] |= nameLast
		}
	}
}

// fillNameSeen sets nameSeen's bits for the words of nameBits.
func (g *KBGazetteer) fillNameSeen() {
	g.nameSeed = maphash.MakeSeed()
	g.nameSeen = make([]uint64, 1<<nameSeenShift/64)
	for w := range g.nameBits {
		a, b := nameSeenBits(maphash.String(g.nameSeed, w))
		g.nameSeen[a/64] |= 1 << (a % 64)
		g.nameSeen[b/64] |= 1 << (b % 64)
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
	return g.FeaturesFrom(tokens, g.kb.Match(tokens))
}

// FeaturesFrom is Features given ms, the result of the knowledge base's
// Match over the same tokens, so a caller that has matched the sentence
// already does not match it twice.
func (g *KBGazetteer) FeaturesFrom(tokens []string, ms []kb.Match) [][]string {
	var kinds []kb.Kind
	var ids [][]gazFeature
	return g.appendFeatures(nil, &kinds, &ids, tokens, ms)
}

// gazFeature numbers the gazetteer's feature strings, so tagging neither
// concatenates nor hashes strings per token: a kind's six features are
// kind*gazPerKind plus gazB … gazNext, then the two name features.
type gazFeature uint16

const (
	gazB = iota
	gazI
	gazE
	gazMulti
	gazPrev
	gazNext
	gazPerKind
)

const (
	gazFirst    gazFeature = 256 * gazPerKind
	gazLast     gazFeature = gazFirst + 1
	numGazFeats            = int(gazLast) + 1
)

var (
	gazNamesOnce sync.Once
	gazNames     [numGazFeats]string
)

// gazName is feature f's string.
func gazName(f gazFeature) string {
	gazNamesOnce.Do(func() {
		for n := range 256 {
			s := kb.Kind(n).String()
			for v, p := range [gazPerKind]string{"kb:B-", "kb:I-", "kb:E-", "kb:multi-", "kb:prev-", "kb:next-"} {
				gazNames[n*gazPerKind+v] = p + s
			}
		}
		gazNames[gazFirst], gazNames[gazLast] = "kb:first", "kb:last"
	})
	return gazNames[f]
}

func kindFeature(k kb.Kind, v int) gazFeature { return gazFeature(int(k)*gazPerKind + v) }

// appendFeatures writes the features of tokens into out, reusing out's
// inner slices (and *kinds) as scratch space; the result has one entry per
// token. The kind of no match is KindNone, whose name is empty, as before.
func (g *KBGazetteer) appendFeatures(out [][]string, kinds *[]kb.Kind, ids *[][]gazFeature, tokens []string, ms []kb.Match) [][]string {
	*ids = g.appendFeatureIDs(*ids, kinds, tokens, ms)
	n := len(tokens)
	if cap(out) < n {
		out = append(out[:cap(out)], make([][]string, n-cap(out))...)
	}
	out = out[:n]
	for i, fs := range (*ids)[:n] {
		out[i] = out[i][:0]
		for _, f := range fs {
			out[i] = append(out[i], gazName(f))
		}
	}
	return out
}

// appendFeatureIDs is appendFeatures with the features as numbers.
func (g *KBGazetteer) appendFeatureIDs(out [][]gazFeature, kinds *[]kb.Kind, tokens []string, ms []kb.Match) [][]gazFeature {
	g.once.Do(g.names)
	n := len(tokens)
	if cap(out) < n {
		out = append(out[:cap(out)], make([][]gazFeature, n-cap(out))...)
	}
	out = out[:n]
	for i := range out {
		out[i] = out[i][:0]
	}
	if cap(*kinds) < n {
		*kinds = make([]kb.Kind, n)
	}
	kd := (*kinds)[:n]
	clear(kd)
	for _, m := range ms {
		for i := m.Start; i < m.End && i < n; i++ {
			kd[i] = m.Kind
			if i == m.Start {
				out[i] = append(out[i], kindFeature(m.Kind, gazB))
			} else {
				out[i] = append(out[i], kindFeature(m.Kind, gazI))
			}
			if i == m.End-1 {
				out[i] = append(out[i], kindFeature(m.Kind, gazE))
			}
			if m.End-m.Start > 1 {
				out[i] = append(out[i], kindFeature(m.Kind, gazMulti))
			}
		}
	}
	for i, t := range tokens {
		if i > 0 && kd[i-1] != kb.KindNone && kd[i-1] != kd[i] {
			out[i] = append(out[i], kindFeature(kd[i-1], gazPrev))
		}
		if i+1 < n && kd[i+1] != kb.KindNone && kd[i+1] != kd[i] {
			out[i] = append(out[i], kindFeature(kd[i+1], gazNext))
		}
		if kd[i] != kb.KindNone {
			continue // the match says what the token is
		}
		if len(t) < 2 || (t[0] < 'A' || t[0] > 'Z') && t[0] < utf8.RuneSelf {
			continue // not a name word (isNameWord), so in neither table
		}
		nm := g.nameBitsOf(t)
		if nm&nameFirst != 0 {
			out[i] = append(out[i], gazFirst)
		}
		if nm&nameLast != 0 {
			out[i] = append(out[i], gazLast)
		}
	}
	return out
}
