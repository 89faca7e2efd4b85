package dedup

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/detente/detente"
)

// The ground truth of the corpus evaluation is the hand-labelled pairs
// file (testdata/allsides-pairs.tsv): it labels every pair of the corpus
// whose true 5-shingle Jaccard similarity is at least LabelledJaccard or
// whose containment is at least LabelledContainment, so every pair not in
// it is taken as different (a sample below those bounds was checked and
// found different). Without a labels file the ground truth falls back to
// the rule true Jaccard ≥ 0.5.
const (
	LabelledJaccard     = 0.25
	LabelledContainment = 0.5
	fallbackJaccard     = 0.5
)

// Report is the result of EvaluateCorpus. String formats it as text tables.
type Report struct {
	Corpus   string
	Articles int
	Config   Config
	Rows     int
	// Pairs is the number of article pairs sharing at least one shingle;
	// Truth the number of copies among them by the ground truth.
	Pairs, Truth int
	// TruthFrom says where the ground truth came from.
	TruthFrom string
	// ExactPairs are pairs with equal normalized bodies; ExactFound those
	// the detector reports.
	ExactPairs, ExactFound int
	// Curve is the LSH recall by true-Jaccard bin.
	Curve []CurveBin
	// Sweep is precision/recall against the ground truth for several
	// thresholds, with and without the containment test.
	Sweep []SweepRow
	// Labelled and LabelledCopies count the hand labels used;
	// LabelsMissing those naming an id not in the corpus.
	Labelled, LabelledCopies, LabelsMissing int
	// Synthetic is the recall of made-up copies of corpus articles.
	Synthetic []SyntheticRow
	// FingerprintTime is the wall time of fingerprinting the whole corpus
	// on one goroutine; Bytes the size of its bodies.
	FingerprintTime time.Duration
	Bytes           int64
}

// CurveBin is the LSH candidate rate of the pairs in one true-Jaccard bin.
type CurveBin struct {
	Lo, Hi     float64
	Pairs      int
	Candidates int     // pairs sharing at least one band key
	Expected   float64 // mean S-curve probability of the bin's pairs
}

// SweepRow is precision and recall at one threshold.
type SweepRow struct {
	Threshold, Containment float64
	TP, FP, FN             int
}

// Precision is TP/(TP+FP), 1 when nothing was predicted.
func (r SweepRow) Precision() float64 { return ratio(r.TP, r.TP+r.FP) }

// Recall is TP/(TP+FN), 1 when there was nothing to find.
func (r SweepRow) Recall() float64 { return ratio(r.TP, r.TP+r.FN) }

// SyntheticRow is how often Index.Check, over an index of the whole
// corpus, finds the source of one kind of made-up copy.
type SyntheticRow struct {
	Kind         string
	Containment  float64
	Copies       int
	Found, Wrong int // matched to the source; matched to another article
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// corpusDoc is one article of the corpus as the evaluation needs it.
type corpusDoc struct {
	id       string
	shingles []uint64 // sorted, distinct
	fp       detente.Fingerprint
}

// PairStat is the true similarity of two articles of a corpus.
type PairStat struct {
	A, B          string
	Jaccard       float64
	Containment   float64 // |A∩B| / min(|A|,|B|)
	Inter, NA, NB int
	Estimated     float64 // MinHash estimate of Jaccard
	Candidate     bool    // shares an LSH band key
}

// shingleSet returns the sorted distinct shingle hashes of body.
func (h *Hasher) shingleSet(body string) []uint64 {
	var s scratch
	s.scan(body)
	k := h.c.Shingle
	if len(s.words) < k {
		return nil
	}
	out := make([]uint64, 0, len(s.words)-k+1)
	for i := 0; i+k <= len(s.words); i++ {
		out = append(out, shingle(s.words, i, k))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// readCorpus reads a JSONL corpus of {id, body} records.
func readCorpus(path string) ([]string, []string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	defer f.Close()
	var ids, bodies []string
	var n int64
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var rec struct {
			ID   string `json:"id"`
			Body string `json:"body"`
		}
		if err := dec.Decode(&rec); err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, 0, fmt.Errorf("%s: record %d: %w", path, len(ids)+1, err)
		}
		ids = append(ids, rec.ID)
		bodies = append(bodies, rec.Body)
		n += int64(len(rec.Body))
	}
	return ids, bodies, n, nil
}

// CorpusPairs computes the true shingle similarity of every pair of
// articles of a JSONL corpus that share at least one shingle, exactly,
// with an inverted index on shingles. Pairs below minJaccard and below
// minContainment are dropped.
func CorpusPairs(path string, c Config, minJaccard, minContainment float64) ([]PairStat, error) {
	pairs, _, _, err := corpusPairs(path, c, minJaccard, minContainment)
	return pairs, err
}

func corpusPairs(path string, c Config, minJaccard, minContainment float64) ([]PairStat, *Report, []corpusDoc, error) {
	h := NewHasher(c)
	ids, bodies, nbytes, err := readCorpus(path)
	if err != nil {
		return nil, nil, nil, err
	}
	rep := &Report{Corpus: path, Articles: len(ids), Config: h.Config(), Rows: h.Rows(), Bytes: nbytes}
	docs := make([]corpusDoc, len(ids))
	start := time.Now()
	for i, b := range bodies {
		docs[i].fp = h.Fingerprint(b)
	}
	rep.FingerprintTime = time.Since(start)
	post := map[uint64][]int32{}
	for i, b := range bodies {
		docs[i].id = ids[i]
		docs[i].shingles = h.shingleSet(b)
		for _, s := range docs[i].shingles {
			post[s] = append(post[s], int32(i))
		}
	}
	bandOf := map[uint64][]int32{}
	for i, d := range docs {
		for _, k := range d.fp.Bands {
			bandOf[k] = append(bandOf[k], int32(i))
		}
	}
	cand := func(i, j int) bool {
		for _, k := range docs[i].fp.Bands {
			if slices.Contains(bandOf[k], int32(j)) {
				return true
			}
		}
		return false
	}
	count := make([]int32, len(docs))
	var touched []int32
	var pairs []PairStat
	for i, d := range docs {
		touched = touched[:0]
		for _, s := range d.shingles {
			for _, j := range post[s] {
				if int(j) <= i {
					continue
				}
				if count[j] == 0 {
					touched = append(touched, j)
				}
				count[j]++
			}
		}
		for _, j := range touched {
			inter := int(count[j])
			count[j] = 0
			na, nb := len(d.shingles), len(docs[j].shingles)
			rep.Pairs++
			p := PairStat{A: d.id, B: docs[j].id, Inter: inter, NA: na, NB: nb,
				Jaccard:     float64(inter) / float64(na+nb-inter),
				Containment: float64(inter) / float64(min(na, nb))}
			if p.Jaccard < minJaccard && p.Containment < minContainment {
				continue
			}
			p.Estimated = Similarity(d.fp.Signature, docs[j].fp.Signature)
			p.Candidate = cand(i, int(j))
			pairs = append(pairs, p)
		}
	}
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			if docs[i].fp.Exact == docs[j].fp.Exact {
				rep.ExactPairs++
			}
		}
	}
	return pairs, rep, docs, nil
}

// EvaluateCorpus measures the detector configured by c on a JSONL corpus
// of {id, body} records: LSH recall against exact shingle Jaccard,
// precision and recall against the ground truth for several thresholds,
// and recall of made-up copies (new dateline and credit, trimmed tails,
// inserted captions). labels is the hand-labelled pairs file (TSV: id_a,
// id_b, copy|different, note; see LabelledJaccard); empty falls back to a
// Jaccard rule.
// DefaultLabels names the committed, hand-judged AllSides pairs, which are
// compiled into the binary so the evaluation runs from any directory.
const DefaultLabels = "builtin:allsides-pairs.tsv"

//go:embed testdata/allsides-pairs.tsv
var defaultLabels []byte

func EvaluateCorpus(path string, c Config, labels string) (*Report, error) {
	pairs, rep, docs, err := corpusPairs(path, c, 0.1, 0.2)
	if err != nil {
		return nil, err
	}
	h := NewHasher(c)
	truth := func(p PairStat) bool { return p.Jaccard >= fallbackJaccard }
	rep.TruthFrom = fmt.Sprintf("rule: true Jaccard >= %.2f", fallbackJaccard)
	if labels != "" {
		known := map[string]bool{}
		for _, d := range docs {
			known[d.id] = true
		}
		lab, err := readLabels(labels)
		if err != nil {
			return nil, err
		}
		for k, v := range lab {
			if !known[k[0]] || !known[k[1]] {
				rep.LabelsMissing++
				continue
			}
			rep.Labelled++
			if v {
				rep.LabelledCopies++
			}
		}
		truth = func(p PairStat) bool { return lab[[2]string{p.A, p.B}] || lab[[2]string{p.B, p.A}] }
		rep.TruthFrom = "hand labels " + labels + "; unlabelled pairs are different"
	}
	sig := map[string][]uint32{}
	exact := map[string]string{}
	for _, d := range docs {
		sig[d.id], exact[d.id] = d.fp.Signature, d.fp.Exact
	}
	for _, p := range pairs {
		if truth(p) {
			rep.Truth++
		}
		if exact[p.A] == exact[p.B] && p.Candidate {
			rep.ExactFound++
		}
	}
	for lo := 0.1; lo < 0.99; lo += 0.1 {
		bin := CurveBin{Lo: lo, Hi: lo + 0.1}
		for _, p := range pairs {
			if p.Jaccard >= bin.Lo && (p.Jaccard < bin.Hi || bin.Hi > 0.99) {
				bin.Pairs++
				bin.Expected += CandidateProbability(p.Jaccard, rep.Config.Bands, rep.Rows)
				if p.Candidate {
					bin.Candidates++
				}
			}
		}
		if bin.Pairs > 0 {
			bin.Expected /= float64(bin.Pairs)
		}
		rep.Curve = append(rep.Curve, bin)
	}
	// Pairs below the floor kept by corpusPairs (J < 0.1 and containment
	// < 0.2) are not counted as predictions: with 128 hashes an estimate
	// of such a pair reaching 0.3 is many standard errors away.
	for _, ct := range []float64{0, 0.8, 0.9} {
		for _, t := range []float64{0.3, 0.4, 0.45, 0.5, 0.6, 0.7} {
			hc := NewHasher(Config{Shingle: c.Shingle, Hashes: rep.Config.Hashes, Bands: rep.Config.Bands, Threshold: t, Containment: ct})
			row := SweepRow{Threshold: t, Containment: ct}
			for _, p := range pairs {
				ok, _ := hc.IsNear(sig[p.A], sig[p.B])
				pred := p.Candidate && ok || exact[p.A] == exact[p.B]
				switch tr := truth(p); {
				case pred && tr:
					row.TP++
				case pred:
					row.FP++
				case tr:
					row.FN++
				}
			}
			rep.Sweep = append(rep.Sweep, row)
		}
	}
	rep.Synthetic = synthetic(h, path, docs)
	return rep, nil
}

// readLabels reads a hand-labelled pairs file.
func readLabels(path string) (map[[2]string]bool, error) {
	data, err := os.ReadFile(path)
	if path == DefaultLabels {
		data, err = defaultLabels, nil
	}
	if err != nil {
		return nil, err
	}
	lab := map[[2]string]bool{}
	for n, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 3 || strings.HasPrefix(line, "#") || f[0] == "id_a" {
			continue
		}
		if f[2] != "copy" && f[2] != "different" {
			return nil, fmt.Errorf("%s:%d: label %q is neither copy nor different", path, n+1, f[2])
		}
		lab[[2]string{f[0], f[1]}] = f[2] == "copy"
	}
	return lab, nil
}

// synthetic makes copies of every tenth corpus article the way outlets
// copy wire stories and checks that an index of the whole corpus finds
// their source, with and without the containment test.
func synthetic(h *Hasher, path string, docs []corpusDoc) []SyntheticRow {
	_, bodies, _, err := readCorpus(path)
	if err != nil {
		return nil
	}
	kinds := []struct {
		name string
		make func(paras []string) string
	}{
		{"dateline and credit added", func(p []string) string {
			return "LONDON (Reuters) - " + strings.Join(p, "\n") + "\nReporting by Jane Doe; Editing by John Roe"
		}},
		{"reformatted (exact copy)", func(p []string) string {
			return strings.ToUpper(strings.Join(p, " \n\n ")) + " ..."
		}},
		{"inserted captions", func(p []string) string {
			var out []string
			for i, s := range p {
				out = append(out, s)
				if i == 0 || i == 3 {
					out = append(out, "People walk past a damaged building in the city centre on Monday. REUTERS/Staff Photographer")
				}
			}
			return strings.Join(out, "\n")
		}},
		{"tail trimmed to 70%", func(p []string) string { return keepWords(p, 0.7) }},
		{"tail trimmed to 50%", func(p []string) string { return keepWords(p, 0.5) }},
		{"tail trimmed to 35%", func(p []string) string { return keepWords(p, 0.35) }},
	}
	var rows []SyntheticRow
	for i, ct := range []float64{0, h.c.Containment} {
		if i > 0 && ct == 0 {
			break
		}
		cfg := h.c
		cfg.Containment = ct
		hc := NewHasher(cfg)
		ix := NewIndex(hc)
		for _, d := range docs {
			ix.Add(d.id, d.fp)
		}
		for _, k := range kinds {
			row := SyntheticRow{Kind: k.name, Containment: ct}
			for i := 0; i < len(docs); i += 10 {
				paras := strings.Split(bodies[i], "\n")
				dup := ix.Check("synthetic", hc.Fingerprint(k.make(paras)))
				row.Copies++
				switch {
				case dup == nil:
				case dup.Of == docs[i].id:
					row.Found++
				default:
					row.Wrong++
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// keepWords keeps the first paragraphs of a body up to frac of its words,
// cutting the last one mid-paragraph, as a trimmed wire copy does.
func keepWords(paras []string, frac float64) string {
	total := 0
	for _, p := range paras {
		total += len(strings.Fields(p))
	}
	budget := int(frac * float64(total))
	var out []string
	for _, p := range paras {
		f := strings.Fields(p)
		if len(f) >= budget {
			out = append(out, strings.Join(f[:budget], " "))
			break
		}
		out = append(out, p)
		budget -= len(f)
	}
	return strings.Join(out, "\n")
}

// String formats the report as text tables.
func (r *Report) String() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "dedup evaluation: %s\n", r.Corpus)
	fmt.Fprintf(&b, "articles %d, %.1f MB; shingle %d words, %d hashes, %d bands x %d rows (S-curve threshold %.2f); threshold %.2f, containment %.2f\n",
		r.Articles, float64(r.Bytes)/1e6, c.Shingle, c.Hashes, c.Bands, r.Rows, SCurveThreshold(c.Bands, r.Rows), c.Threshold, c.Containment)
	if s := r.FingerprintTime.Seconds(); s > 0 {
		fmt.Fprintf(&b, "fingerprinting: %.2fs, %.0f articles/s, %.1f MB/s (one goroutine)\n", s, float64(r.Articles)/s, float64(r.Bytes)/1e6/s)
	}
	fmt.Fprintf(&b, "pairs sharing a shingle: %d; copies by ground truth: %d (%s)\n", r.Pairs, r.Truth, r.TruthFrom)
	if r.Labelled > 0 || r.LabelsMissing > 0 {
		fmt.Fprintf(&b, "hand-labelled pairs: %d, %d of them copies; labels naming ids not in the corpus: %d\n", r.Labelled, r.LabelledCopies, r.LabelsMissing)
	}
	fmt.Fprintf(&b, "exact-duplicate pairs: %d, found: %d\n\n", r.ExactPairs, r.ExactFound)
	fmt.Fprintf(&b, "LSH recall by true Jaccard\n%-9s %7s %10s %7s %8s\n", "jaccard", "pairs", "candidates", "recall", "s-curve")
	for _, bin := range r.Curve {
		if bin.Pairs == 0 {
			continue
		}
		fmt.Fprintf(&b, "%.1f-%.1f   %7d %10d %7.3f %8.3f\n", bin.Lo, bin.Hi, bin.Pairs, bin.Candidates, ratio(bin.Candidates, bin.Pairs), bin.Expected)
	}
	fmt.Fprintf(&b, "\ndetector (LSH candidate and estimate) vs ground truth\n%-9s %-11s %5s %5s %5s %9s %7s\n", "threshold", "containment", "TP", "FP", "FN", "precision", "recall")
	for _, s := range r.Sweep {
		fmt.Fprintf(&b, "%-9.2f %-11.2f %5d %5d %5d %9.3f %7.3f\n", s.Threshold, s.Containment, s.TP, s.FP, s.FN, s.Precision(), s.Recall())
	}
	if len(r.Synthetic) > 0 {
		fmt.Fprintf(&b, "\nsynthetic copies of every 10th article, checked against the whole corpus (threshold %.2f)\n%-26s %-11s %6s %6s %6s %7s\n", c.Threshold, "copy", "containment", "copies", "found", "wrong", "recall")
		for _, s := range r.Synthetic {
			fmt.Fprintf(&b, "%-26s %-11.2f %6d %6d %6d %7.3f\n", s.Kind, s.Containment, s.Copies, s.Found, s.Wrong, ratio(s.Found, s.Copies))
		}
	}
	return b.String()
}
