// Command gen derives package cameo's tables from the shared CAMEO data:
//
//   - cameo-codes-goldstein-quad.tsv (GDELT's lookup facts: code, root,
//     level, quad class, Goldstein score, name) → codes_gen.go
//   - descriptions.tsv (this directory: detente's own one-line summaries,
//     one per code) → the Description field of codes_gen.go
//   - CAMEO2PLOVER-2021.txt (CC BY-SA 4.0, Schrodt 2021) → plover_gen.go
//
// Run it from package cameo with `go generate`; it reads the shared data
// from -shared (default $DETENTE_SHARED, else ../../shared relative to the
// cameo directory). It refuses to write tables that do not hold 311 codes,
// so a truncated input cannot slip through.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	def := os.Getenv("DETENTE_SHARED")
	if def == "" {
		def = "../../shared"
	}
	shared := flag.String("shared", def, "shared data directory (holds cameo/)")
	out := flag.String("out", ".", "directory to write codes_gen.go and plover_gen.go")
	desc := flag.String("desc", "gen/descriptions.tsv", "own one-line summaries, code<TAB>text")
	flag.Parse()
	log.SetFlags(0)

	codes, err := readCodes(filepath.Join(*shared, "cameo", "cameo-codes-goldstein-quad.tsv"))
	if err != nil {
		log.Fatal(err)
	}
	if len(codes) != 311 {
		log.Fatalf("gen: %d CAMEO codes, want 311", len(codes))
	}
	descs, err := readDescriptions(*desc)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range codes {
		if descs[c.code] == "" {
			log.Fatalf("gen: no description for %s in %s", c.code, *desc)
		}
	}
	for k := range descs {
		if !hasCode(codes, k) {
			log.Fatalf("gen: description for unknown code %s", k)
		}
	}
	maps, warnings, err := readPlover(filepath.Join(*shared, "cameo", "CAMEO2PLOVER-2021.txt"))
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range warnings {
		log.Println("gen: warning:", w)
	}
	if err := write(filepath.Join(*out, "codes_gen.go"), codesSource(codes, descs)); err != nil {
		log.Fatal(err)
	}
	if err := write(filepath.Join(*out, "plover_gen.go"), ploverSource(maps)); err != nil {
		log.Fatal(err)
	}
}

type code struct {
	code, root, name string
	level, quad      int
	goldstein        float64
}

func hasCode(cs []code, k string) bool {
	for _, c := range cs {
		if c.code == k {
			return true
		}
	}
	return false
}

func readCodes(path string) ([]code, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gen: %w (set -shared or DETENTE_SHARED)", err)
	}
	defer f.Close()
	var out []code
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 || strings.TrimSpace(sc.Text()) == "" {
			continue // header
		}
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 6 {
			return nil, fmt.Errorf("gen: %s:%d: %d fields, want 6", path, line, len(p))
		}
		lv, err1 := strconv.Atoi(p[2])
		q, err2 := strconv.Atoi(p[3])
		g, err3 := strconv.ParseFloat(p[4], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("gen: %s:%d: bad number", path, line)
		}
		out = append(out, code{code: p[0], root: p[1], level: lv, quad: q, goldstein: g, name: strings.TrimSpace(p[5])})
	}
	return out, sc.Err()
}

func readDescriptions(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	m := map[string]string{}
	for i, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, "\t")
		if !ok {
			return nil, fmt.Errorf("gen: %s:%d: no tab", path, i+1)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("gen: %s:%d: duplicate %s", path, i+1, k)
		}
		m[k] = strings.TrimSpace(v)
	}
	return m, nil
}

type plover struct{ code, typ, mode, context, note string }

var mapLine = regexp.MustCompile(`^(\d{2,4}):\s*(.*)$`)

// readPlover parses lines "CODE: TYPE, mode, context # CAMEO name". Mode and
// context may be blank; context may list several values separated by ";".
// A root line ("03: AGREE") has no commas. When a code appears twice, the
// first line wins and a differing repeat is reported as a warning.
func readPlover(path string) ([]plover, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("gen: %w", err)
	}
	seen := map[string]plover{}
	var out []plover
	var warn []string
	for i, l := range strings.Split(string(b), "\n") {
		m := mapLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		body, note, _ := strings.Cut(m[2], "#")
		f := strings.Split(body, ",")
		for len(f) < 3 {
			f = append(f, "")
		}
		var ctx []string
		for _, c := range strings.Split(f[2], ";") {
			if c = strings.TrimSpace(c); c != "" {
				ctx = append(ctx, c)
			}
		}
		p := plover{code: m[1], typ: strings.TrimSpace(f[0]), mode: strings.TrimSpace(f[1]),
			context: strings.Join(ctx, ";"), note: strings.TrimSpace(note)}
		if p.typ == "" {
			return nil, nil, fmt.Errorf("gen: %s:%d: no PLOVER type", path, i+1)
		}
		if old, ok := seen[p.code]; ok {
			if old.typ != p.typ || old.mode != p.mode || old.context != p.context {
				warn = append(warn, fmt.Sprintf("line %d: %s maps again to %s/%s/%s; keeping %s/%s/%s",
					i+1, p.code, p.typ, p.mode, p.context, old.typ, old.mode, old.context))
			}
			continue
		}
		seen[p.code] = p
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].code < out[j].code })
	return out, warn, nil
}

func codesSource(cs []code, descs map[string]string) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by cameo/gen from cameo-codes-goldstein-quad.tsv and gen/descriptions.tsv; DO NOT EDIT.\n\n")
	b.WriteString("package cameo\n\n")
	b.WriteString("// codeTable holds all CAMEO event codes in the order of GDELT's lookup table.\n")
	b.WriteString("var codeTable = []Code{\n")
	for _, c := range cs {
		fmt.Fprintf(&b, "\t{Code: %q, Name: %q, Base: %q, Root: %q, Goldstein: %s, Quad: %d, Description: %q},\n",
			c.code, c.name, base(c.code), c.root, strconv.FormatFloat(c.goldstein, 'f', -1, 64), c.quad, descs[c.code])
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// base is the three-digit parent of a code; a two-digit root is its own base.
func base(c string) string {
	if len(c) > 3 {
		return c[:3]
	}
	return c
}

func ploverSource(ps []plover) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by cameo/gen from CAMEO2PLOVER-2021.txt; DO NOT EDIT.\n\n")
	b.WriteString("// The mapping below is derived from \"CAMEO to PLOVER conversion table\",\n")
	b.WriteString("// PLOVER manual Draft 0.8 (17 September 2021), edited by Philip Schrodt,\n")
	b.WriteString("// licensed CC BY-SA 4.0; this derived file is shared under the same\n")
	b.WriteString("// license. See ATTRIBUTION.md.\n\n")
	b.WriteString("package cameo\n\n")
	b.WriteString("// ploverTable maps a CAMEO code to its PLOVER type, mode and context.\n")
	b.WriteString("var ploverTable = map[string]Plover{\n")
	for _, p := range ps {
		fmt.Fprintf(&b, "\t%q: {Type: %q, Mode: %q, Context: %q},", p.code, p.typ, p.mode, p.context)
		if p.note != "" {
			fmt.Fprintf(&b, " // %s", p.note)
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func write(path string, src []byte) error {
	out, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("gen: %s: %w", path, err)
	}
	return os.WriteFile(path, out, 0o644)
}
