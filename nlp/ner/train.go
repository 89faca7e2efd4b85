package ner

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"
)

// TrainOptions tunes Train. The zero value trains the shipped settings.
type TrainOptions struct {
	// Epochs is the number of passes over the data (default 12).
	Epochs int
	// Bits is log2 of the number of hashed feature rows (default 18:
	// 262,144 rows of 11 labels, about 5.8 MB as int16 before gzip).
	Bits uint
	// Seed fixes the shuffling order so training is reproducible (default 1).
	Seed uint64
	// Types are the entity types to learn (default Types); labels of
	// other types in the data count as O.
	Types []string
	// Gazetteer, when set, adds its features in training; give the model
	// the same one at tagging time (Model.WithGazetteer).
	Gazetteer Gazetteer
	// Log, when set, receives one line per epoch.
	Log io.Writer
	// BILOU labels a name's last word L- and a one-word name U-.
	BILOU bool
	// Runs is the number of perceptrons trained, with seeds Seed,
	// Seed+1, ..., whose weights are averaged (default 1).
	Runs int
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Epochs <= 0 {
		o.Epochs = 12
	}
	if o.Bits == 0 {
		o.Bits = 18
	}
	if o.Runs <= 0 {
		o.Runs = 1
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if len(o.Types) == 0 {
		o.Types = Types
	}
	return o
}

// Train learns a model from labelled sentences with the averaged
// perceptron, decoding greedily during training as at tagging time. It is
// deterministic: the same sentences and options give the same model.
func Train(sentences []Sentence, opts TrainOptions) *Model {
	opts = opts.withDefaults()
	names := labelNames(opts.Types, opts.BILOU)
	ls := newLabelSet(names)
	L := len(names)
	rows := 1 << opts.Bits

	type prepared struct {
		s     scratch
		gold  []int
		empty bool
	}
	data := make([]*prepared, 0, len(sentences))
	for _, snt := range sentences {
		p := &prepared{}
		var gaz [][]string
		if opts.Gazetteer != nil {
			gaz = opts.Gazetteer.Features(snt.Tokens)
		}
		p.s.prepare(snt.Tokens, gaz)
		p.gold = ls.encode(snt.Labels, len(snt.Tokens))
		data = append(data, p)
	}

	// Each run trains from zero with its own shuffling; their averaged
	// weights are averaged again.
	sum := make([]float64, rows*L)
	w := make([]float32, rows*L)
	acc := make([]float64, rows*L) // sum of step * update, for averaging
	for run := range uint64(opts.Runs) {
		clear(w)
		clear(acc)
		rng := rand.New(rand.NewPCG(opts.Seed+run, 0x6e6572))
		shift := 64 - opts.Bits
		step := 1.0
		order := make([]int, len(data))
		for i := range order {
			order[i] = i
		}
		update := func(h uint64, gold, pred int) {
			r := int(h>>shift) * L
			w[r+gold]++
			w[r+pred]--
			acc[r+gold] += step
			acc[r+pred] -= step
		}
		// Structured perceptron: decode the whole sentence, then move the
		// weights from the predicted sequence's features to the gold one's.
		var vb vbuf
		var pred []int
		bump := func(h uint64, l int, by float32) {
			r := int(h>>shift)*L + l
			w[r] += by
			acc[r] += float64(by) * step
		}
		for epoch := 0; epoch < opts.Epochs; epoch++ {
			start := time.Now()
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			errs, total := 0, 0
			for _, k := range order {
				p := data[k]
				s := &p.s
				pred = viterbi(w, opts.Bits, &ls, s, &vb, pred)
				for i, g := range p.gold {
					q := pred[i]
					gp, qp := prevOf(p.gold, i), prevOf(pred, i)
					total++
					if g != q {
						errs++
						for _, h := range s.feats[s.offs[i]:s.offs[i+1]] {
							update(h, g, q)
						}
					}
					if g != q || gp != qp {
						bump(mix(tPrev, uint64(gp+2)), g, 1)
						bump(mix(tPrev, uint64(qp+2)), q, -1)
					}
				}
				step++
			}
			if opts.Log != nil {
				fmt.Fprintf(opts.Log, "epoch %d: %d/%d token errors (%.2f%%) in %v\n",
					epoch+1, errs, total, 100*float64(errs)/float64(max(total, 1)), time.Since(start).Round(time.Millisecond))
			}
		}
		for i := range w {
			sum[i] += float64(w[i]) - acc[i]/step
		}
	}

	// Average (w - acc/step, over the runs) and quantize to int16.
	avg := make([]float32, len(w))
	var maxAbs float64
	for i := range w {
		v := sum[i] / float64(opts.Runs)
		avg[i] = float32(v)
		maxAbs = max(maxAbs, math.Abs(v))
	}
	if maxAbs == 0 {
		maxAbs = 1
	}
	scale := maxAbs / 32767
	q := make([]int16, len(w))
	for i, v := range avg {
		q[i] = int16(math.Round(float64(v) / scale))
	}
	return &Model{bits: opts.Bits, labels: names, w: q, scale: float32(scale), gaz: opts.Gazetteer, ls: ls, fast: &infer{}}
}

func prevOf(labels []int, i int) int {
	if i == 0 {
		return -1
	}
	return labels[i-1]
}
