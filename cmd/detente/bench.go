package main

import (
	"fmt"
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
			if cfg.HTMLDir == "" {
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
	cmd.Flags().StringVar(&cfg.HTMLDir, "html", "", "directory of .html.gz pages for the extract stage (default: the shared AEB pages)")
	cmd.Flags().IntVar(&cfg.Limit, "limit", 0, "use at most this many articles")
	cmd.Flags().IntVar(&cfg.Runs, "runs", 3, "repetitions per measurement")
	cmd.Flags().StringVar(&cores, "cores", "", "core counts to run at, e.g. 1,2 (default: 1 and all)")
	cmd.Flags().StringVar(&stages, "stages", "", "only these stages: "+strings.Join(bench.Stages, ","))
	cmd.Flags().StringVar(&jsonPath, "json", "", "also write the report as JSON to this file")
	cmd.Flags().StringVar(&cpuProf, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	cmd.Flags().StringVar(&memProf, "memprofile", "", "write an allocation profile at the end of the run to this file")
	return cmd
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
