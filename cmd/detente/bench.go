package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/detente/detente/bench"
	"github.com/spf13/cobra"
)

func newBenchCmd() *cobra.Command {
	var (
		cfg      bench.Config
		cores    string
		stages   string
		jsonPath string
		cpuProf  string
		memProf  string
		scale    string
		full     string
		svgDir   string
		scaleDir string
		plain    bool
		batch    int
		noSearch bool
		measure  bool
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure each stage's throughput and memory, at one core and at all cores",
		Long: `Runs each stage of detente — read, extract (HTML), clean, dedup, annotate, code,
store, search — and the whole pipeline over a real corpus, several times at each
core count, and prints medians with min–max spread, sentences/s and MB/s where
they apply, and the peak heap. Defaults: the shared AllSides corpus and AEB pages.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cfg.Corpus == "" {
				cfg.Corpus = filepath.Join(sharedDir(), "corpora", "allsides-intl-5720.jsonl")
			}
			if cfg.HTMLDir == "" && !cmd.Flags().Changed("html") {
				if d := filepath.Join(sharedDir(), "extraction", "aeb", "html"); dirExists(d) {
					cfg.HTMLDir = d
				}
			}
			for _, c := range strings.Split(cores, ",") {
				if c = strings.TrimSpace(c); c == "" {
					continue
				}
				n, err := strconv.Atoi(c)
				if err != nil || n < 1 {
					return fmt.Errorf("--cores %q: want numbers such as 1,2", cores)
				}
				cfg.Cores = append(cfg.Cores, n)
			}
			if stages != "" {
				cfg.Stages = strings.Split(stages, ",")
			}
			cfg.Progress = os.Stderr
			if cpuProf != "" {
				f, err := os.Create(cpuProf)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			if scale != "" || full != "" {
				sc := bench.ScaleConfig{Corpus: cfg.Corpus, TmpDir: cfg.TmpDir, Progress: os.Stderr,
					Dir: scaleDir, Plain: plain, Batch: batch, NoSearch: noSearch}
				var err error
				if sc.Sizes, err = sizes(scale); err != nil {
					return err
				}
				if measure && scaleDir == "" {
					return fmt.Errorf("--scale-measure needs --scale-dir")
				}
				if sc.FullSizes, err = sizes(full); err != nil {
					return err
				}
				if len(cfg.Cores) > 0 {
					sc.Cores = cfg.Cores[len(cfg.Cores)-1]
				}
				var saveErr error
				save := func(rep *bench.ScaleReport) {
					if jsonPath != "" && saveErr == nil {
						saveErr = writeFile(jsonPath, rep.WriteJSON)
					}
					if svgDir != "" && saveErr == nil {
						for name, draw := range map[string]func(io.Writer) error{
							"bench-search.svg": rep.SearchSVG, "bench-ingest.svg": rep.IngestSVG} {
							if saveErr == nil {
								saveErr = writeFile(filepath.Join(svgDir, name), draw)
							}
						}
					}
				}
				sc.Measured = save // a stopped run keeps what it measured
				var rep *bench.ScaleReport
				if measure {
					prev, err := readScaleReport(jsonPath)
					if err != nil {
						return err
					}
					rep, err = bench.MeasureSearch(cmd.Context(), sc, prev)
				} else {
					rep, err = bench.Scale(cmd.Context(), sc)
				}
				if rep != nil {
					_ = rep.WriteTable(cmd.OutOrStdout())
					save(rep)
				}
				if err != nil {
					return err
				}
				return saveErr
			}
			rep, err := bench.Run(cmd.Context(), cfg)
			if memProf != "" {
				if err := writeHeapProfile(memProf); err != nil {
					return err
				}
			}
			if err != nil {
				return err
			}
			if err := rep.WriteTable(cmd.OutOrStdout()); err != nil {
				return err
			}
			if jsonPath != "" {
				f, err := os.Create(jsonPath)
				if err != nil {
					return err
				}
				defer f.Close()
				return rep.WriteJSON(f)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&cfg.Corpus, "corpus", "", "JSONL corpus (default: the shared AllSides file)")
	cmd.Flags().StringVar(&cfg.HTMLDir, "html", "", "directory of .html.gz pages for the extract stage (default: the shared AEB pages; \"\" skips the stage)")
	cmd.Flags().IntVar(&cfg.Limit, "limit", 0, "use at most this many articles")
	cmd.Flags().IntVar(&cfg.Runs, "runs", 3, "repetitions per measurement")
	cmd.Flags().StringVar(&cores, "cores", "", "core counts to run at, e.g. 1,2 (default: 1 and all)")
	cmd.Flags().StringVar(&stages, "stages", "", "only these stages: "+strings.Join(bench.Stages, ","))
	cmd.Flags().StringVar(&jsonPath, "json", "", "also write the report as JSON to this file")
	cmd.Flags().StringVar(&scale, "scale", "", "instead of the stages, grow one search index through these article counts, e.g. 1000,10000,100000 (articles recombined from the corpus, without annotations)")
	cmd.Flags().StringVar(&full, "scale-full", "", "with --scale: run the whole pipeline over this many recombined articles each, e.g. 1000,10000")
	cmd.Flags().StringVar(&svgDir, "svg", "", "with --scale: write bench-search.svg and bench-ingest.svg plots into this directory")
	cmd.Flags().StringVar(&scaleDir, "scale-dir", "", "with --scale: build the index here and keep it at each size as index-<articles>.db")
	cmd.Flags().BoolVar(&plain, "scale-plain", false, "with --scale: grow the index by batches alone, as ingest does, instead of deferring band and index writes to the end of each size")
	cmd.Flags().IntVar(&batch, "scale-batch", 1000, "with --scale: articles per stored batch")
	cmd.Flags().BoolVar(&noSearch, "scale-no-search", false, "with --scale: build and measure the index without timing searches")
	cmd.Flags().BoolVar(&measure, "scale-measure", false, "with --scale and --scale-dir: build nothing, time searches on the stores kept there, adding them to the --json report when it exists")
	cmd.Flags().StringVar(&cpuProf, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	cmd.Flags().StringVar(&memProf, "memprofile", "", "write an allocation profile at the end of the run to this file")
	return cmd
}

// readScaleReport reads an earlier scaling report; nil when there is none.
func readScaleReport(path string) (*bench.ScaleReport, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rep bench.ScaleReport
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &rep, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// sizes parses a list of article counts such as "1000,10k,1M".
func sizes(list string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		mult := 1
		switch {
		case strings.HasSuffix(f, "k"):
			mult, f = 1000, strings.TrimSuffix(f, "k")
		case strings.HasSuffix(f, "m"):
			mult, f = 1000000, strings.TrimSuffix(f, "m")
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q: want article counts such as 1000,10k,1M", list)
		}
		out = append(out, n*mult)
	}
	return out, nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
