package ner

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/detente/detente/internal/lowercase"
	"github.com/detente/detente/kb"
)

// Model is a trained tagger. It is safe for concurrent use.
type Model struct {
	bits   uint     // log2 of the number of hashed feature rows
	labels []string // "O" first, then the labels of each type
	w      []int16  // rows of len(labels) weights, quantized
	scale  float32  // weight = w * scale (argmax does not need it)
	gaz    Gazetteer
	ls     labelSet
	pool   sync.Pool
	fast   *infer // shared by the models WithGazetteer makes
}

// labelSet answers the questions decoding asks about label indexes, for
// BIO labels (O, B-X, I-X) or BILOU ones (also L-X closing a name of
// several words and U-X a one-word name).
type labelSet struct {
	names  []string
	typ    []int  // type index per label, -1 for O
	inside []bool // I- or L-: continues a name
	open   []bool // BILOU B- or I-: the name goes on
	bilou  bool
}

func newLabelSet(names []string) labelSet {
	ls := labelSet{names: names, typ: make([]int, len(names)), inside: make([]bool, len(names)), open: make([]bool, len(names))}
	types := map[string]int{}
	for _, n := range names {
		if len(n) > 2 && n[1] == '-' && (n[0] == 'L' || n[0] == 'U') {
			ls.bilou = true
		}
	}
	for i, n := range names {
		ls.typ[i] = -1
		if len(n) > 2 && n[1] == '-' {
			t, ok := types[n[2:]]
			if !ok {
				t = len(types)
				types[n[2:]] = t
			}
			ls.typ[i] = t
			ls.inside[i] = n[0] == 'I' || n[0] == 'L'
			ls.open[i] = ls.bilou && (n[0] == 'B' || n[0] == 'I')
		}
	}
	return ls
}

// allowed says whether label l may follow label prev (-1: sentence start):
// with BIO, I-X only continues B-X or I-X; with BILOU, an open name must
// go on with I-X or L-X of its type, and those follow nothing else.
func (ls *labelSet) allowed(prev, l int) bool {
	if prev >= 0 && ls.open[prev] {
		return ls.inside[l] && ls.typ[l] == ls.typ[prev]
	}
	if !ls.inside[l] {
		return true
	}
	return !ls.bilou && prev >= 0 && ls.typ[prev] == ls.typ[l]
}

// canEnd says whether a sentence may end with label l.
func (ls *labelSet) canEnd(l int) bool { return !ls.open[l] }

// encode turns a sentence's BIO labels into label indexes: unknown types
// are O, a stray I- starts a name, and with BILOU a name's last word is
// L- and a one-word name U-.
func (ls *labelSet) encode(labels []string, n int) []int {
	index := map[string]int{}
	for i, name := range ls.names {
		index[name] = i
	}
	out := make([]int, n)
	for i := 0; i < n; i++ {
		l := "O"
		if i < len(labels) {
			l = labels[i]
		}
		if _, ok := index[l]; !ok || len(l) < 2 {
			l = "O"
		}
		out[i] = index[l]
		if l[0] == 'I' && (i == 0 || ls.typ[out[i-1]] != ls.typ[out[i]]) {
			out[i] = index["B"+l[1:]] // a stray I- starts a name (CoNLL)
		}
	}
	if !ls.bilou {
		return out
	}
	for i := 0; i < n; i++ {
		name := ls.names[out[i]]
		if name == "O" {
			continue
		}
		last := i+1 == n || ls.names[out[i+1]] != "I"+name[1:]
		switch {
		case name[0] == 'B' && last:
			out[i] = index["U"+name[1:]]
		case name[0] == 'I' && last:
			out[i] = index["L"+name[1:]]
		}
	}
	return out
}

// labelNames builds the label list for types: O, then B-T, I-T per type,
// and with bilou also L-T, U-T.
func labelNames(types []string, bilou bool) []string {
	names := []string{"O"}
	for _, t := range types {
		names = append(names, "B-"+t, "I-"+t)
		if bilou {
			names = append(names, "L-"+t, "U-"+t)
		}
	}
	return names
}

// bio is label l as BIO (L- is I-, U- is B-).
func (ls *labelSet) bio(l int) string {
	n := ls.names[l]
	switch {
	case strings.HasPrefix(n, "L-"):
		return "I" + n[1:]
	case strings.HasPrefix(n, "U-"):
		return "B" + n[1:]
	}
	return n
}

// scratch is per-call working memory, pooled so tagging allocates only
// its result.
type scratch struct {
	infos []tokInfo
	feats []uint64
	offs  []int
	out   []int
	low   []byte
	gids  [][]gazFeature
	kinds []kb.Kind
	// The fast road's: emission scores (n×L), a word's sums when the
	// cache does not keep it, and the cache.
	emit []int32
	tmp  []int32   // word sums the cache does not keep, n×nGroups×L
	vp   [][]int32 // each position's word sums, two pads on either side
	hs   []uint64
	ks   []int32
	wc   *wordCache
	vi   struct {
		delta, next []int32
		back        []int16
	}
}

func (s *scratch) prepare(tokens []string, gaz [][]string) {
	s.infos = s.infos[:0]
	table := capTableLoad()
	for i, t := range tokens {
		ti := info(t, i == 0)
		s.low = lowercase.Append(s.low[:0], t)
		ti.capb = uint64(table[string(s.low)]) // no allocation: a map lookup by converted bytes
		s.infos = append(s.infos, ti)
	}
	s.feats = s.feats[:0]
	s.offs = append(s.offs[:0], 0)
	for i := range tokens {
		var g []string
		if i < len(gaz) {
			g = gaz[i]
		}
		s.feats = staticFeatures(s.feats, s.infos, i, g)
		s.offs = append(s.offs, len(s.feats))
	}
}

// weights is either the training (float32) or the shipped (int16) matrix.
type weights interface{ ~int16 | ~float32 }

// WithGazetteer returns a model sharing m's weights that adds g's features.
func (m *Model) WithGazetteer(g Gazetteer) *Model {
	return &Model{bits: m.bits, labels: m.labels, w: m.w, scale: m.scale, gaz: g, ls: m.ls, fast: m.fast}
}

// Labels returns the model's label set, "O" first.
func (m *Model) Labels() []string { return append([]string(nil), m.labels...) }

func (m *Model) run(tokens []string, emit func(labels []int)) {
	m.runWith(tokens, nil, false, emit)
}

// runWith tags tokens; with given set, ms are the knowledge base's
// matches of tokens for a KBGazetteer.
func (m *Model) runWith(tokens []string, ms []kb.Match, given bool, emit func(labels []int)) {
	s, _ := m.pool.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	var gaz [][]string
	var gids [][]gazFeature
	switch g := m.gaz.(type) {
	case nil:
	case *KBGazetteer:
		if !given {
			ms = g.kb.Match(tokens)
		}
		s.gids = g.appendFeatureIDs(s.gids, &s.kinds, tokens, ms)
		gids = s.gids
	default:
		gaz = g.Features(tokens)
	}
	f := m.infer()
	m.emissions(f, s, tokens, gaz, gids)
	emit(m.viterbiFast(f, s, len(tokens)))
	select {
	case f.spare <- s.wc:
		s.wc = nil
	default:
	}
	m.pool.Put(s)
}

// Tag returns one BIO label per token.
func (m *Model) Tag(tokens []string) []string {
	out := make([]string, len(tokens))
	m.run(tokens, func(labels []int) {
		for i, l := range labels {
			out[i] = m.ls.bio(l)
		}
	})
	return out
}

// Spans returns the entities in tokens.
func (m *Model) Spans(tokens []string) []Span {
	var spans []Span
	m.run(tokens, func(labels []int) { spans = m.spansOf(tokens, labels) })
	return spans
}

// spansOf reads label indexes as spans.
func (m *Model) spansOf(tokens []string, labels []int) []Span {
	return m.appendSpansOf(nil, tokens, labels)
}

// appendSpansOf is spansOf appending the spans to dst.
func (m *Model) appendSpansOf(dst []Span, tokens []string, labels []int) []Span {
	base := len(dst)
	spans := dst
	for i, l := range labels {
		t := m.ls.typ[l]
		if t < 0 {
			continue
		}
		if m.ls.inside[l] && len(spans) > base && spans[len(spans)-1].End == i {
			spans[len(spans)-1].End = i + 1
			continue
		}
		spans = append(spans, Span{Start: i, End: i + 1, Type: m.labels[l][2:]})
	}
	// A leading article is not part of the name ("The [US] military"); some
	// training sets include it, and a span that keeps it would swallow the
	// knowledge base's match of the name behind it.
	for k := base; k < len(spans); k++ {
		if sp := &spans[k]; sp.End-sp.Start > 1 && (tokens[sp.Start] == "The" || tokens[sp.Start] == "the") {
			sp.Start++
		}
	}
	return spans
}

// The model file: magic, version, bits, labels, scale, then the weights as
// little-endian int16, all gzipped (zero rows compress to almost nothing).
const magic = "DTNER"

// formatVersion 1 was the greedy tagger's.
const formatVersion = 2

// WriteTo writes the model gzipped; the bytes depend only on the model,
// so retraining reproduces the shipped file exactly.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(magic)
	binary.Write(bw, binary.LittleEndian, uint16(formatVersion))
	binary.Write(bw, binary.LittleEndian, uint16(m.bits))
	bw.WriteString(strings.Join(m.labels, " ") + "\n")
	binary.Write(bw, binary.LittleEndian, m.scale)
	buf := make([]byte, 2*len(m.w))
	for i, v := range m.w {
		binary.LittleEndian.PutUint16(buf[2*i:], uint16(v))
	}
	bw.Write(buf)
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	if err := zw.Close(); err != nil {
		return cw.n, err
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Load reads a model written by WriteTo.
func Load(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("ner: model: %w", err)
	}
	br := bufio.NewReader(zr)
	head := make([]byte, len(magic)+4)
	if _, err := io.ReadFull(br, head); err != nil || string(head[:len(magic)]) != magic {
		return nil, errors.New("ner: not a detente NER model")
	}
	if v := binary.LittleEndian.Uint16(head[len(magic):]); v != formatVersion {
		return nil, fmt.Errorf("ner: model format %d, want %d", v, formatVersion)
	}
	bits := uint(binary.LittleEndian.Uint16(head[len(magic)+2:]))
	if bits < 4 || bits > 26 {
		return nil, fmt.Errorf("ner: bad model size 2^%d", bits)
	}
	line, err := br.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("ner: model labels: %w", err)
	}
	labels := strings.Fields(line)
	if len(labels) == 0 || labels[0] != "O" {
		return nil, errors.New("ner: model labels must start with O")
	}
	m := &Model{bits: bits, labels: labels, ls: newLabelSet(labels), fast: &infer{}}
	if err := binary.Read(br, binary.LittleEndian, &m.scale); err != nil {
		return nil, fmt.Errorf("ner: model scale: %w", err)
	}
	buf := make([]byte, 2*len(labels)<<bits)
	if _, err := io.ReadFull(br, buf); err != nil {
		return nil, fmt.Errorf("ner: model weights: %w", err)
	}
	m.w = make([]int16, len(labels)<<bits)
	for i := range m.w {
		m.w[i] = int16(binary.LittleEndian.Uint16(buf[2*i:]))
	}
	return m, nil
}
