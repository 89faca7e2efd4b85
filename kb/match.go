package kb

import (
	"hash/maphash"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// phrase is one name of one entry, split into normalized keys.
type phrase struct {
	keys  []string
	ids   []int32 // keys as word numbers (wordIndex)
	entry int32
	// proper names need capitalized tokens; agent words match any case.
	proper bool
	// acronym is set for short all-capital names ("UN", "WHO", "AU"),
	// which match only all-capital tokens so "Who" and "Au" do not.
	acronym bool
	// prefix lets a weapon name match the head of a numbered token
	// ("Hwasong" in "Hwasong-15").
	prefix bool
}

// Match is one knowledge-base phrase found in a token sequence.
type Match struct {
	// Start and End are token indexes, End exclusive.
	Start, End int
	Kind       Kind
	// Code is the CAMEO code (see Entry.Code); for people it is the
	// current role — use CodeAt with the article's date.
	Code string
	// Country is the ISO3 code of the entry's country, or "".
	Country   string
	Canonical string
	Lat, Lon  float64
	HasCoord  bool
	// Partial is set when the match covers only the part of the last token
	// before a hyphen: "US" in "US-led", "South Korea" in "South Korea-US".
	Partial bool
	// Entry is the knowledge-base entry, with names and dated roles.
	Entry *Entry
}

// CodeAt is the match's CAMEO code on date t (people's roles change).
func (m Match) CodeAt(t time.Time) string {
	if m.Entry == nil || t.IsZero() || (m.Kind != KindPerson && len(m.Entry.Roles) == 0) {
		return m.Code
	}
	return m.Entry.RoleAt(t)
}

var particles = map[string]bool{"of": true, "the": true, "and": true, "de": true, "del": true, "la": true, "le": true,
	"al": true, "el": true, "bin": true, "van": true, "von": true, "da": true, "du": true, "des": true, "for": true,
	"on": true, "in": true, "y": true, "'s": true, "d'": true, "der": true, "den": true, "di": true, "dos": true, "das": true}

// fold removes diacritics ("Erdoğan" → "Erdogan"); norm.Form is safe for
// concurrent use, unlike a shared transform chain.
func fold(w string) string {
	d := norm.NFD.String(w)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normKey normalizes one word for lookup: lower case, no dots, no
// diacritics, curly apostrophes made straight.
func normKey(w string) string {
	ascii := true
	clean := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if c == '.' || (c >= 'A' && c <= 'Z') {
			clean = false
		}
	}
	if ascii && clean {
		return w
	}
	if !ascii {
		w = strings.ReplaceAll(w, "’", "'")
		w = fold(w)
	}
	w = strings.ToLower(w)
	if strings.IndexByte(w, '.') >= 0 && w != "." {
		w = strings.ReplaceAll(w, ".", "")
	}
	return w
}

// splitName splits a name into words the way tokens are split: on spaces
// and underscores, on hyphens, with a possessive "'s" as its own word.
func splitName(s string) []string {
	s = strings.ReplaceAll(s, "’", "'")
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }) {
		if len(f) > 2 && (strings.HasSuffix(f, "'s") || strings.HasSuffix(f, "'S")) {
			out = append(out, f[:len(f)-2], "'s")
			continue
		}
		out = append(out, f)
	}
	return out
}

// normName is a name's lookup key: its words split as splitName splits
// them, each normalized by normKey, joined by spaces.
func normName(s string) string { return string(appendNormName(nil, s)) }

// appendNormName appends normName(s) to b, making no strings on the way
// for plain ASCII words: Person and Place look up every name the tagger
// finds.
func appendNormName(b []byte, s string) []byte {
	s = strings.ReplaceAll(s, "’", "'")
	sep := func(c byte) bool { return c == ' ' || c == '_' || c == '-' }
	n := 0
	for i := 0; i < len(s); {
		for i < len(s) && sep(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		j := i
		for j < len(s) && !sep(s[j]) {
			j++
		}
		f := s[i:j]
		i = j
		possessive := len(f) > 2 && (strings.HasSuffix(f, "'s") || strings.HasSuffix(f, "'S"))
		if possessive {
			f = f[:len(f)-2]
		}
		if n > 0 {
			b = append(b, ' ')
		}
		n++
		b = appendKey(b, f)
		if possessive {
			b = append(b, " 's"...)
		}
	}
	return b
}

// appendKey appends normKey(w) to b.
func appendKey(b []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return append(b, normKey(w)...)
		}
	}
	if w == "." {
		return append(b, '.')
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == '.':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

func isAcronym(name string) bool {
	n := 0
	for _, r := range name {
		if r == '.' {
			continue
		}
		if unicode.IsLower(r) || r == ' ' || r == '_' || r == '-' {
			return false
		}
		n++
	}
	return n >= 2 && n <= 3
}

// build indexes every name of every entry.
func (k *KB) build() {
	k.phrases = k.phrases[:0]
	k.index = map[string][]int32{}
	k.byName = map[string][]int32{}
	for id, e := range k.entries {
		seen := map[string]bool{}
		for _, n := range e.Names {
			words := splitName(n)
			if len(words) == 0 {
				continue
			}
			keys := make([]string, len(words))
			for i, w := range words {
				keys[i] = normKey(w)
			}
			full := strings.Join(keys, " ")
			if seen[full] {
				continue
			}
			seen[full] = true
			k.byName[full] = append(k.byName[full], int32(id))
			p := phrase{keys: keys, entry: int32(id), proper: e.Kind != KindAgent, acronym: isAcronym(n)}
			if e.Kind == KindWeapon && strings.HasSuffix(n, "-") {
				p.prefix = true
			}
			k.phrases = append(k.phrases, p)
			k.index[keys[0]] = append(k.index[keys[0]], int32(len(k.phrases)-1))
		}
	}
	for _, ids := range k.index {
		k.sortPhrases(ids)
	}
	k.buildWords()
	k.dirty = false
}

// wordIndex numbers every key of every phrase, so matching compares
// integers instead of strings and looks each token up once.
type wordIndex struct {
	ids      map[string]int32 // while building; table after
	particle []bool           // word → is a name particle ("of", "bin")
	// The phrases as a trie over word numbers: edges maps node<<32|word
	// to the child node while building (root and trie after); ends
	// lists the phrases whose keys lead exactly to a node, in the order
	// of their first key's index bucket, so candidates come out as the
	// plain scan found them.
	edges map[uint64]int32
	ends  [][]int32
	// recs holds, after building, the phrases of every node in place of
	// ends: each node's run of records, the last marked endLast, so a
	// match reads a node's candidates (their kinds, case rules and
	// entries) from one place instead of their phrases and entries.
	recs []endRec
	// root is the root's row of edges by word number (0: no child), as
	// every token a phrase may start with looks it up.
	root []int32
	// trie holds the other nodes, each where its number says: its number
	// of children k, the index of its phrases' first record in recs (-1:
	// none), then k
	// pairs of word and child node, sorted by word. A step reads one
	// place (most nodes have one or two children), where separate arrays
	// of ranges, words and children took three dependent reads. Offsets
	// 0 and 1 are the root's (k 0, no phrases), so no other node is 0.
	trie []int32
	// table finds a key's number for wordID: every token of every
	// sentence is looked up, and the string map took three dependent
	// memory reads (control word, slot, key bytes) where one slot of this
	// table holds the key itself.
	table wordTable
	gen   uint64 // from wordIndexGen
}

// wordTable is an open-addressing hash table from key to word number,
// linear probing, at most half full. A slot holds a tag from the hash,
// the number and, for keys of up to 23 bytes (nearly all), the key's
// bytes, so a look-up usually reads one 32-byte slot; longer keys are
// compared in full with keys.
type wordTable struct {
	slots []wordSlot
	mask  uint64
	seed  maphash.Seed
	keys  []string // by word number
	// bloom has two bits set per key (bloomBits), so most tokens no
	// phrase has are turned away without reading the large slot array.
	bloom []uint64
}

// bloomShift sizes the filter: 2^19 bits (64 KB).
const bloomShift = 19

// bloomBits are the filter's two bit indexes for hash h (bits the slot
// index, h's low ones, does not use).
func bloomBits(h uint64) (uint64, uint64) {
	return (h >> 20) & (1<<bloomShift - 1), h >> (64 - bloomShift)
}

type wordSlot struct {
	tag uint32 // the hash's high half with the low bit set; 0 is an empty slot
	id  int32
	n   uint8 // key length, 255 for 255 bytes or more
	key [23]byte
}

func newWordTable(ids map[string]int32) wordTable {
	t := wordTable{seed: maphash.MakeSeed(), keys: make([]string, len(ids))}
	size := 1 << bits.Len(uint(2*len(ids)))
	t.slots = make([]wordSlot, size)
	t.mask = uint64(size - 1)
	t.bloom = make([]uint64, 1<<bloomShift/64)
	for key, id := range ids {
		t.keys[id] = key
		h := maphash.String(t.seed, key)
		a, b := bloomBits(h)
		t.bloom[a/64] |= 1 << (a % 64)
		t.bloom[b/64] |= 1 << (b % 64)
		i := h & t.mask
		for t.slots[i].tag != 0 {
			i = (i + 1) & t.mask
		}
		s := &t.slots[i]
		s.tag, s.id, s.n = uint32(h>>32)|1, id, uint8(min(len(key), 255))
		if len(key) <= len(s.key) {
			copy(s.key[:], key)
		}
	}
	return t
}

// lookup is key's word number, -1 when no phrase has it.
func (t *wordTable) lookup(key []byte) int32 {
	h := maphash.Bytes(t.seed, key)
	if a, b := bloomBits(h); (t.bloom[a/64]>>(a%64))&(t.bloom[b/64]>>(b%64))&1 == 0 {
		return -1
	}
	tag := uint32(h>>32) | 1
	n := uint8(min(len(key), 255))
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.tag == 0 {
			return -1
		}
		if s.tag != tag || s.n != n {
			continue
		}
		if len(key) <= len(s.key) {
			if string(s.key[:len(key)]) == string(key) {
				return s.id
			}
		} else if t.keys[s.id] == string(key) {
			return s.id
		}
	}
}

// child is the trie node below node by word id, ok false when none.
func (w *wordIndex) child(node, id int32) (int32, bool) {
	if node == 0 {
		c := w.root[id]
		return c, c != 0
	}
	// The node's children, pairs of word and node sorted by word: most
	// nodes have one or two.
	t := w.trie
	lo := node + 2
	end := lo + 2*t[node]
	for hi := end; hi-lo > 16; {
		mid := lo + (hi-lo)/2&^1
		if t[mid] < id {
			lo = mid + 2
		} else {
			hi = mid
		}
	}
	for ; lo < end; lo += 2 {
		if t[lo] >= id {
			if t[lo] == id {
				return t[lo+1], true
			}
			break
		}
	}
	return 0, false
}

// endsAt lists the phrases whose keys lead exactly to node (not the root).
func (w *wordIndex) endsAt(node int32) []int32 {
	var out []int32
	for r := w.trie[node+1]; r >= 0; r++ {
		out = append(out, w.recs[r].pid)
		if w.recs[r].flags&endLast != 0 {
			break
		}
	}
	return out
}

// endRec is a phrase as the matcher reads it at the node its keys lead to.
type endRec struct {
	pid   int32 // the phrase (KB.phrases)
	entry int32 // its entry (KB.entries)
	kind  Kind  // the entry's kind
	pri   uint8 // priority of the kind
	flags uint8 // endProper, endAcronym, endPrefix, endLast
}

// endRec flags: the phrase's case and hyphen rules (phrase.proper,
// acronym, prefix), and the last record of its node.
const (
	endProper uint8 = 1 << iota
	endAcronym
	endPrefix
	endLast
)

// rec is phrase pid's record (without endLast).
func (k *KB) rec(pid int32) endRec {
	p := &k.phrases[pid]
	e := k.entries[p.entry]
	r := endRec{pid: pid, entry: p.entry, kind: e.Kind, pri: kindPriority(e.Kind)}
	if p.proper {
		r.flags |= endProper
	}
	if p.acronym {
		r.flags |= endAcronym
	}
	if p.prefix {
		r.flags |= endPrefix
	}
	return r
}

func (k *KB) buildWords() {
	w := wordIndex{ids: map[string]int32{}}
	id := func(key string) int32 {
		n, ok := w.ids[key]
		if !ok {
			n = int32(len(w.ids))
			w.ids[key] = n
			w.particle = append(w.particle, particles[key])
		}
		return n
	}
	for i := range k.phrases {
		p := &k.phrases[i]
		p.ids = make([]int32, len(p.keys))
		for j, key := range p.keys {
			p.ids[j] = id(key)
		}
	}
	w.edges = map[uint64]int32{}
	w.ends = [][]int32{nil} // node 0 is the root
	for _, ps := range k.index {
		for _, pid := range ps {
			node := int32(0)
			for _, id := range k.phrases[pid].ids {
				e := uint64(node)<<32 | uint64(uint32(id))
				child, ok := w.edges[e]
				if !ok {
					child = int32(len(w.ends))
					w.ends = append(w.ends, nil)
					w.edges[e] = child
				}
				node = child
			}
			w.ends[node] = append(w.ends[node], pid)
		}
	}
	// Lay the nodes out in the trie array: node n (numbered as built)
	// goes to at[n], after the nodes before it.
	kids := make([]int32, len(w.ends))
	type edge struct{ node, word, child int32 }
	var below []edge
	for e, child := range w.edges {
		if e>>32 != 0 {
			below = append(below, edge{int32(e >> 32), int32(uint32(e)), child})
			kids[e>>32]++
		}
	}
	sort.Slice(below, func(i, j int) bool {
		if below[i].node != below[j].node {
			return below[i].node < below[j].node
		}
		return below[i].word < below[j].word
	})
	at := make([]int32, len(w.ends))
	size := int32(2) // the root's place
	for n := 1; n < len(w.ends); n++ {
		at[n] = size
		size += 2 + 2*kids[n]
	}
	w.trie = make([]int32, size)
	w.trie[1] = -1
	w.recs = w.recs[:0]
	for n := 1; n < len(w.ends); n++ {
		w.trie[at[n]] = kids[n]
		w.trie[at[n]+1] = -1
		if len(w.ends[n]) > 0 {
			w.trie[at[n]+1] = int32(len(w.recs))
			for _, pid := range w.ends[n] {
				w.recs = append(w.recs, k.rec(pid))
			}
			w.recs[len(w.recs)-1].flags |= endLast
		}
	}
	fill := make([]int32, len(w.ends)) // pairs written per node
	for _, e := range below {
		p := at[e.node] + 2 + 2*fill[e.node]
		w.trie[p], w.trie[p+1] = e.word, at[e.child]
		fill[e.node]++
	}
	w.ends = nil
	w.recs = slices.Clip(w.recs)
	w.root = make([]int32, len(w.ids))
	for e, child := range w.edges {
		if e>>32 == 0 {
			w.root[uint32(e)] = at[child]
		}
	}
	w.table = newWordTable(w.ids)
	// Matching reads the arrays and the table; the maps were for building.
	w.ids, w.edges = nil, nil
	w.gen = wordIndexGen.Add(1)
	k.words = w
}

// wordIndexGen numbers the word indexes built, so an idCache knows whose
// numbers it holds.
var wordIndexGen atomic.Uint64

// idCache keeps the word numbers of the tokens seen last, by the token's
// own text: the table of all keys is large (4 MB for the built-in
// knowledge base's 59,000 words; a token's look-up mostly missed the
// processor's caches), while news repeats its words, and a slot of this
// cache sits in the fast ones. Direct-mapped; one per goroutine at a
// time (idCachePool).
type idCache struct {
	gen  uint64 // the wordIndex the numbers belong to
	seed maphash.Seed
	ents []idEntry
	// Scratch of MatchPrefer, which runs on every sentence: the token
	// parts (they do not outlive the call) and a key being built.
	subs []sub
	buf  []byte
}

// idCacheBits sets the cache's size: 8192 tokens, 256 KB, which finds 87%
// of AllSides tokens in annotation (4096: 80%, 16384: 91%).
const idCacheBits = 13

// maxCachedToken bounds the tokens the cache keeps (in bytes), so an
// entry is 32 bytes and sits in one cache line.
const maxCachedToken = 23

type idEntry struct {
	id   int32
	root int32 // the trie node below the root by id (wordIndex.root), 0 for none
	n    uint8 // token length; 0: empty slot
	tok  [maxCachedToken]byte
}

var idCachePool = sync.Pool{New: func() any {
	return &idCache{seed: maphash.MakeSeed(), ents: make([]idEntry, 1<<idCacheBits), subs: make([]sub, 0, 64)}
}}

// cachedWordID is wordID through the cache c, with the trie node a
// phrase starting with the word goes to (child(0, id); 0 for none).
func (w *wordIndex) cachedWordID(t string, buf *[]byte, c *idCache) (id, root int32) {
	if len(t) == 0 || len(t) > maxCachedToken {
		id = w.wordID(t, buf)
		return id, w.rootOf(id)
	}
	if c.gen != w.gen {
		clear(c.ents)
		c.gen = w.gen
	}
	e := &c.ents[maphash.String(c.seed, t)&(1<<idCacheBits-1)]
	if int(e.n) == len(t) && string(e.tok[:e.n]) == t {
		return e.id, e.root
	}
	id = w.wordID(t, buf)
	root = w.rootOf(id)
	e.n, e.id, e.root = uint8(len(t)), id, root
	copy(e.tok[:], t)
	return id, root
}

// rootOf is the trie node below the root by word id, 0 for none (and for
// id -1).
func (w *wordIndex) rootOf(id int32) int32 {
	if id < 0 {
		return 0
	}
	return w.root[id]
}

// wordID is the number of token part t's key, or -1 when no phrase has
// it. It lower-cases plain ASCII into buf to look it up without
// allocating, and leaves the rest to normKey.
func (w *wordIndex) wordID(t string, buf *[]byte) int32 {
	*buf = appendKey((*buf)[:0], t)
	return w.table.lookup(*buf)
}

// sub is one hyphen-separated part of an input token.
type sub struct {
	id    int32 // word number of the part's key, -1 when unknown
	root  int32 // the trie node below the root by id, 0 for none
	text  string
	whole string // the whole token
	tok   int    // index of the token it came from
	first bool   // first part of its token
	last  bool   // last part of its token
}

// capitalized reports whether a token part may begin a proper name: an
// upper-case letter or a digit first.
func capitalized(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

func allCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 0
}

// Match finds knowledge-base phrases in tokens (words as package nlp
// splits them: "'s" apart, hyphenated words whole), longest match first,
// left to right, without overlaps. Proper names need capitalized tokens;
// agent words match in any case. Ambiguous places go to the most populous
// (capitals first); use MatchPrefer to favour an article's countries.
func (k *KB) Match(tokens []string) []Match { return k.MatchPrefer(tokens, nil) }

// MatchPrefer is Match with places resolved in favour of preferCountries
// (ISO3 codes).
func (k *KB) MatchPrefer(tokens []string, preferCountries []string) []Match {
	k.ensure()
	c := idCachePool.Get().(*idCache)
	defer idCachePool.Put(c)
	subs := k.appendSubs(c.subs[:0], tokens, &c.buf, c)
	ms, _ := k.matchSubs(subs, preferCountries, nil)
	clear(subs) // keep no token strings alive in the pool
	if cap(subs) <= maxPooledSubs {
		c.subs = subs[:0]
	} else {
		c.subs = nil
	}
	return ms
}

// MatchBoth is Match of tokens and Match of alt, a second reading of the
// same sentence (the annotator reads a lower-case "the" before a name as
// "The"). Where alt's tokens split into parts of the same words as
// tokens' (a change of letter case), the parts are looked up once and
// only their texts swapped for the second match; and where the texts that
// differ change no match (a lower-case "the" starts no name the knowledge
// base writes "The …"), alt is not matched again: altMs is then ms itself,
// the same slice, so neither may be changed.
func (k *KB) MatchBoth(tokens, alt []string) (ms, altMs []Match) {
	if len(alt) != len(tokens) {
		return k.Match(tokens), k.Match(alt)
	}
	k.ensure()
	c := idCachePool.Get().(*idCache)
	defer idCachePool.Put(c)
	subs := k.appendSubs(c.subs[:0], tokens, &c.buf, c)
	n := len(subs)
	subs = append(subs, subs...)
	a := subs[n:]
	var one [4]sub
	j := 0
	for i := range tokens {
		for j < len(a) && a[j].tok < i {
			j++
		}
		if alt[i] == tokens[i] {
			continue
		}
		e := j
		for e < len(a) && a[e].tok == i {
			e++
		}
		ps := k.appendSub(one[:0], alt[i], i, &c.buf, c)
		if !sameWords(ps, a[j:e]) {
			a = nil // parted differently: look alt up on its own
			break
		}
		for x := range ps {
			a[j+x].text, a[j+x].whole = ps[x].text, ps[x].whole
		}
	}
	if a == nil {
		ms, _ = k.matchSubs(subs[:n], nil, nil)
		subs = k.appendSubs(subs[:n], alt, &c.buf, c)
		altMs, _ = k.matchSubs(subs[n:], nil, nil)
	} else {
		var differs bool
		ms, differs = k.matchSubs(subs[:n], nil, a)
		altMs = ms
		if differs {
			altMs, _ = k.matchSubs(a, nil, nil)
		}
	}
	clear(subs) // keep no token strings alive in the pool
	if cap(subs) <= maxPooledSubs {
		c.subs = subs[:0]
	} else {
		c.subs = nil
	}
	return ms, altMs
}

// sameWords says whether two tokens' parts are the same words at the same
// places, whatever their texts.
func sameWords(a, b []sub) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := &a[i], &b[i]
		if x.id != y.id || x.root != y.root || x.tok != y.tok || x.first != y.first || x.last != y.last {
			return false
		}
	}
	return true
}

// maxPooledSubs bounds the token-part buffers an idCache keeps.
const maxPooledSubs = 1 << 12

// appendSubs appends the parts of tokens, each with its word number.
func (k *KB) appendSubs(subs []sub, tokens []string, buf *[]byte, c *idCache) []sub {
	for i, t := range tokens {
		subs = k.appendSub(subs, t, i, buf, c)
	}
	return subs
}

// appendSub appends the parts of token t, the i-th.
func (k *KB) appendSub(subs []sub, t string, i int, buf *[]byte, c *idCache) []sub {
	words := &k.words
	if strings.IndexByte(t, '-') <= 0 || strings.HasSuffix(t, "-") {
		id, root := words.cachedWordID(t, buf, c)
		return append(subs, sub{id: id, root: root, text: t, whole: t, tok: i, first: true, last: true})
	}
	parts := strings.Split(t, "-")
	for j, p := range parts {
		if p == "" {
			continue
		}
		id, root := words.cachedWordID(p, buf, c)
		subs = append(subs, sub{id: id, root: root, text: p, whole: t, tok: i, first: j == 0, last: j == len(parts)-1})
	}
	return subs
}

// matchSubs is MatchPrefer over token parts. Given alt, the parts of a
// second reading of the same words (the same word numbers and token
// boundaries, other texts), it also says whether alt's matches would
// differ: they can only where a phrase's parts read differently, so at
// each start whose trie walk reaches such a part both readings are
// matched there, and the rest of alt is the same as subs.
func (k *KB) matchSubs(subs []sub, preferCountries []string, alt []sub) (ms []Match, differs bool) {
	words := &k.words
	// The matches gather on the stack and leave in one allocation of
	// their number (appending to a nil slice made up to four a sentence).
	var stack [8]Match
	out := stack[:0]
	for i := 0; i < len(subs); {
		if !subs[i].first || subs[i].root == 0 {
			i++ // no phrase starts here
			continue
		}
		// Walk the trie as far as the parts go; then, longest first, keep
		// the phrases that also pass the case and boundary rules.
		var path [8]int32
		node := subs[i].root
		nodes := append(path[:0], node)
		for j := i + 1; j < len(subs) && subs[j].id >= 0; j++ {
			child, ok := words.child(node, subs[j].id)
			if !ok {
				break
			}
			node = child
			nodes = append(nodes, node)
		}
		n, m := k.matchAt(subs, i, nodes, preferCountries)
		if alt != nil && !differs && readsDifferently(subs, alt, i, len(nodes)) {
			if n2, m2 := k.matchAt(alt, i, nodes, preferCountries); n2 != n || m2 != m {
				differs = true
			}
		}
		if n == 0 {
			i++
			continue
		}
		out = append(out, m)
		// Continue at the next token (a partial match consumes its token).
		next := i + n
		for next < len(subs) && !subs[next].first {
			next++
		}
		i = next
	}
	if len(out) == 0 {
		return nil, differs
	}
	return append([]Match(nil), out...), differs
}

// readsDifferently says whether a part of subs[i:i+n] has another text in
// alt.
func readsDifferently(subs, alt []sub, i, n int) bool {
	for j := i; j < i+n; j++ {
		if subs[j].text != alt[j].text || subs[j].whole != alt[j].whole {
			return true
		}
	}
	return false
}

// matchAt is the match starting at part i, whose trie walk reached nodes
// (nodes[n-1] after n parts), and its length in parts; 0 when none.
func (k *KB) matchAt(subs []sub, i int, nodes []int32, preferCountries []string) (int, Match) {
	words := &k.words
	var candBuf [8]endRec
	cands := candBuf[:0]
	bestLen := 0
	for n := len(nodes); n > 0 && bestLen == 0; n-- {
		for r := words.trie[nodes[n-1]+1]; r >= 0; r++ {
			rec := &words.recs[r]
			if k.fitsCase(rec.flags, subs[i:i+n]) {
				bestLen = n
				cands = append(cands, *rec)
			}
			if rec.flags&endLast != 0 {
				break
			}
		}
	}
	if bestLen == 0 {
		return 0, Match{}
	}
	m, ok := k.chooseRecs(cands, subs[i:i+bestLen], preferCountries)
	if !ok {
		return 0, Match{}
	}
	m.Start = subs[i].tok
	m.End = subs[i+bestLen-1].tok + 1
	return bestLen, m
}

// fits checks a phrase against token parts: same keys, the case rules, and
// ending where a token ends (or, for countries, demonyms and numbered
// weapons, before a hyphen).
func (k *KB) fits(p *phrase, s []sub) bool {
	for j, id := range p.ids {
		if s[j].id != id {
			return false
		}
	}
	return k.fitsCase(phraseFlags(p), s[:len(p.ids)])
}

// phraseFlags are p's case and hyphen rules as endRec flags.
func phraseFlags(p *phrase) uint8 {
	var f uint8
	if p.proper {
		f |= endProper
	}
	if p.acronym {
		f |= endAcronym
	}
	if p.prefix {
		f |= endPrefix
	}
	return f
}

// fitsCase checks the parts s of a phrase's keys (their word numbers
// already the phrase's) against its rules (endRec flags): a part that is
// not its token's first follows its token's previous part, and a proper
// name's parts are capitalized (an acronym's all capitals), but for a
// token's later parts and name particles after the first.
func (k *KB) fitsCase(flags uint8, s []sub) bool {
	for j := 1; j < len(s); j++ {
		if !s[j].first && s[j-1].tok != s[j].tok {
			return false
		}
	}
	if flags&endProper == 0 {
		return true
	}
	for j := range s {
		t := s[j].text
		if flags&endAcronym != 0 {
			if !allCaps(t) {
				return false
			}
			continue
		}
		if capitalized(t) || !s[j].first || (j > 0 && k.words.particle[s[j].id]) {
			continue
		}
		return false
	}
	return true
}

// choose picks the entry for the longest phrase found, by kind priority
// and, for places, by placeScore; it builds the Match.
func (k *KB) choose(cands []int32, s []sub, prefer []string) (Match, bool) {
	var buf [8]endRec
	recs := buf[:0]
	for _, pid := range cands {
		recs = append(recs, k.rec(pid))
	}
	return k.chooseRecs(recs, s, prefer)
}

// chooseRecs is choose given the candidates' records.
func (k *KB) chooseRecs(cands []endRec, s []sub, prefer []string) (Match, bool) {
	lastSub := &s[len(s)-1]
	best := -1
	bestPri := 1 << 30
	places := 0
	for c := range cands {
		r := &cands[c]
		if !lastSub.last {
			// Ends before a hyphen: only a country or demonym modifier
			// ("US-led") or a numbered weapon ("Hwasong-15").
			if !(r.kind == KindCountry || r.kind == KindDemonym || (r.kind == KindWeapon && r.flags&endPrefix != 0)) {
				continue
			}
		}
		if isPlace(r.kind) && r.kind != KindRegion {
			places++
		}
		if int(r.pri) < bestPri {
			best, bestPri = c, int(r.pri)
		}
	}
	if best < 0 {
		return Match{}, false
	}
	e := k.entries[cands[best].entry]
	if (e.Kind == KindPlace || e.Kind == KindCapital) && places > 1 {
		var placeBuf [8]*Entry
		ps := placeBuf[:0]
		for c := range cands {
			r := &cands[c]
			if !lastSub.last && !(r.kind == KindCountry || r.kind == KindDemonym || (r.kind == KindWeapon && r.flags&endPrefix != 0)) {
				continue
			}
			if isPlace(r.kind) && r.kind != KindRegion {
				ps = append(ps, k.entries[r.entry])
			}
		}
		e = bestPlace(ps, prefer)
	}
	m := Match{Kind: e.Kind, Code: e.Code, Country: e.Country, Canonical: e.Canonical,
		Lat: e.Lat, Lon: e.Lon, HasCoord: e.HasCoord, Entry: e}
	if !lastSub.last {
		if e.Kind == KindWeapon && cands[best].flags&endPrefix != 0 {
			m.Canonical = lastSub.whole // "Hwasong-15"
		} else {
			m.Partial = true
		}
	}
	return m, true
}
