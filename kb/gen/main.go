// Command gen derives the knowledge base's embedded data (kb/data/*.tsv.gz)
// from the MIT-licensed Phoenix dictionaries, the ODbL country table, the
// CC BY GeoNames extract in the shared folder, and the hand-written lists in
// kb/gen/manual. Run from the repository root:
//
//	go run ./kb/gen -shared ../shared
//
// The output is deterministic (sorted), so a regeneration from the same
// inputs changes nothing.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/detente/detente/kb/internal/dict"
)

func main() {
	shared := flag.String("shared", "../shared", "path to the shared data folder")
	out := flag.String("out", "kb/data", "output folder")
	manual := flag.String("manual", "kb/gen/manual", "folder of hand-written lists")
	flag.Parse()
	g := &gen{shared: *shared, manual: *manual}
	if err := g.run(); err != nil {
		log.Fatal(err)
	}
	if err := g.write(*out); err != nil {
		log.Fatal(err)
	}
}

type country struct {
	iso2, iso3, cameo, name, capital string
	lat, lon                         float64
	names, demonyms                  map[string]bool
	demonym                          string
	independent                      bool // a sovereign state, per the countries table
}

// demonymList puts the table's demonym first (it is the canonical form).
func (c *country) demonymList() []string {
	out := []string{}
	if c.demonym != "" {
		out = append(out, c.demonym)
	}
	for _, d := range sortedKeys(c.demonyms) {
		if d != c.demonym {
			out = append(out, d)
		}
	}
	return out
}

type place struct {
	kind, name, iso3 string
	lat, lon         float64
	pop              int
	aliases          []string
}

type actor struct {
	kind, country, canonical, def string
	roles                         []dict.Role
	aliases                       []string
}

type gen struct {
	shared, manual string
	countries      map[string]*country // by ISO3
	cameoToISO     map[string]string
	places         []place
	actors         []actor
	agents         []dict.Agent
	stop           map[string]bool
	wrongAlias     map[string]bool // aliasKey → Phoenix files the alias under the wrong actor
	agentWords     map[string]bool
	stats          map[string]int
}

func (g *gen) run() error {
	g.stats = map[string]int{}
	var err error
	if g.stop, err = readWordList(filepath.Join(g.manual, "stopwords.txt")); err != nil {
		return err
	}
	if g.wrongAlias, err = readWrongAliases(filepath.Join(g.manual, "wrong-aliases.tsv")); err != nil {
		return err
	}
	if err := g.readCountries(); err != nil {
		return err
	}
	if err := g.readAgents(); err != nil {
		return err
	}
	if err := g.readPlaces(); err != nil {
		return err
	}
	if err := g.readPhoenixCountries(); err != nil {
		return err
	}
	for _, f := range []struct{ file, kind string }{
		{"Phoenix.International.actors.txt", "igo"},
		{"Phoenix.MilNonState.actors.txt", "group"},
		{"CAMEO.EthnicGroups.actors.txt", "ethnic"},
		{"CAMEO.ReligiousGroups.actors.txt", "religion"},
	} {
		if err := g.readActorFile(filepath.Join(g.shared, "dictionaries/phoenix", f.file), f.kind); err != nil {
			return err
		}
	}
	if err := g.readManual(); err != nil {
		return err
	}
	keys := make([]string, 0, len(g.stats))
	for k := range g.stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%-28s %d\n", k, g.stats[k])
	}
	return nil
}

// readWrongAliases reads the aliases Phoenix files under the wrong actor,
// as "CANONICAL\tALIAS" keys.
func readWrongAliases(path string) (map[string]bool, error) {
	rows, err := readTSV(path, 2)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		out[aliasKey(r[0], r[1])] = true
	}
	return out, nil
}

// aliasKey is the key of an actor's alias, spelled either way
// ("NATIONAL_SCIENCE_FOUNDATION", "National Science Foundation").
func aliasKey(canonical, alias string) string {
	norm := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "_", " ")) }
	return norm(canonical) + "\t" + norm(alias)
}

func readWordList(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		for _, w := range strings.Fields(l) {
			m[strings.ToLower(w)] = true
		}
	}
	return m, nil
}

// title turns "SOUTH KOREA" into "South Korea", keeping short particles
// lowercase and letters after hyphens and apostrophes as they come.
func title(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if i > 0 && (w == "of" || w == "the" || w == "and" || w == "de" || w == "al" || w == "for") {
			continue
		}
		r := []rune(w)
		up := true
		for j, c := range r {
			if up {
				r[j] = unicode.ToUpper(c)
			}
			up = c == '-' || c == '.' || c == '('
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// latin reports whether s is written in Latin letters (other scripts'
// names cannot match English news tokens and only cost space).
func latin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

func (g *gen) readCountries() error {
	f, err := os.Open(filepath.Join(g.shared, "gazetteer/world-countries.tsv"))
	if err != nil {
		return err
	}
	defer f.Close()
	g.countries = map[string]*country{}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 16 {
			continue
		}
		lat, _ := strconv.ParseFloat(c[13], 64)
		lon, _ := strconv.ParseFloat(c[14], 64)
		ct := &country{iso2: c[0], iso3: c[1], cameo: c[1], name: c[4], capital: c[8], lat: lat, lon: lon,
			names: map[string]bool{}, demonyms: map[string]bool{}}
		if ct.iso3 == "UNK" { // Kosovo: world-countries uses the UN's placeholder
			ct.iso3, ct.cameo = "XKX", "KSV"
		}
		for _, n := range append([]string{c[4], c[5]}, strings.Split(c[15], "|")...) {
			if n != "" && latin(n) && len([]rune(n)) > 1 && n != ct.iso2 {
				ct.names[n] = true
			}
		}
		ct.independent = c[12] == "true"
		ct.demonym = c[6]
		for _, d := range []string{c[6], c[7]} {
			if d != "" {
				ct.demonyms[d] = true
			}
		}
		g.countries[ct.iso3] = ct
	}
	g.stats["countries"] = len(g.countries)
	return sc.Err()
}

func (g *gen) readAgents() error {
	g.agentWords = map[string]bool{}
	for _, p := range []string{filepath.Join(g.shared, "dictionaries/phoenix/Phoenix.agents.txt"), filepath.Join(g.manual, "agents.txt")} {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		ag, errs, err := dict.ParseAgents(f)
		f.Close()
		if err != nil {
			return err
		}
		g.stats["agent parse warnings"] += len(errs)
		g.agents = append(g.agents, ag...)
	}
	for _, a := range g.agents {
		g.agentWords[strings.ToLower(a.Phrase)] = true
	}
	g.stats["agent phrases"] = len(g.agents)
	return nil
}

type geoRec struct {
	Name    string  `json:"name"`
	Alt     string  `json:"alt_name"`
	Country string  `json:"country"`
	Feature string  `json:"feature_code"`
	Pop     int     `json:"population"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
}

func (g *gen) readPlaces() error {
	f, err := os.Open(filepath.Join(g.shared, "gazetteer/geonames-cities1000.jsonl.gz"))
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	iso2 := map[string]string{}
	for _, c := range g.countries {
		iso2[c.iso2] = c.iso3
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r geoRec
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return err
		}
		kind := ""
		switch {
		case r.Feature == "PPLC":
			kind = "capital"
		case r.Feature == "PPLA":
			kind = "admin"
		case r.Pop >= 15000:
			kind = "city"
		default:
			continue
		}
		iso3 := iso2[r.Country]
		if iso3 == "" {
			g.stats["places without country"]++
			continue
		}
		if kind != "capital" && g.risky(r.Name) {
			g.stats["places dropped (common words)"]++
			continue
		}
		p := place{kind: kind, name: r.Name, iso3: iso3, lat: round4(r.Lat), lon: round4(r.Lon), pop: r.Pop}
		for _, a := range strings.Split(r.Alt, ",") {
			if a = strings.TrimSpace(a); a != "" && a != r.Name && latin(a) {
				p.aliases = append(p.aliases, a)
			}
		}
		if i := strings.Index(r.Name, ", "); kind == "capital" && i > 0 {
			// "Washington, D.C.": the news writes the capital's own name.
			p.aliases = append(p.aliases, r.Name[:i])
		}
		g.places = append(g.places, p)
		g.stats["places "+kind]++
	}
	return sc.Err()
}

// risky reports whether a place name is also an everyday English word
// ("Police", "Of", "Mobile"), which would turn sentence-initial words
// into places.
func (g *gen) risky(name string) bool {
	l := strings.ToLower(name)
	return g.stop[l] || g.agentWords[l]
}

// clean rejects names with control characters or replacement marks (the
// Phoenix country file has a few mis-encoded bytes).
func clean(s string) bool {
	for _, r := range s {
		if r < ' ' || r == 0xFFFD || r == 0x7F || (r >= 0x80 && r < 0xA0) {
			return false
		}
	}
	return true
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// countryCode is the three-letter country code of a CAMEO code, or "".
func (g *gen) countryCode(code string) string {
	if len(code) < 3 {
		return ""
	}
	if iso, ok := g.cameoToISO[code[:3]]; ok {
		return iso
	}
	return ""
}

// current is the code an actor holds now: its open-ended or latest dated
// role, else its default.
func current(a *dict.Actor) string {
	best, bestFrom := "", -1
	for _, r := range a.Roles {
		if r.To == 0 && r.From >= bestFrom {
			best, bestFrom = r.Code, r.From
		}
	}
	if best != "" {
		return best
	}
	if a.Default != "" {
		return a.Default
	}
	bestTo := -1
	for _, r := range a.Roles {
		if r.To > bestTo {
			best, bestTo = r.Code, r.To
		}
	}
	return best
}

var institutional = []string{"ARMY", "FORCE", "FORCES", "MINISTRY", "PARTY", "COUNCIL", "FRONT", "MOVEMENT", "GOVERNMENT",
	"COMMITTEE", "AGENCY", "POLICE", "COURT", "ASSEMBLY", "PARLIAMENT", "CONGRESS", "UNION", "BANK", "ORGANIZATION",
	"ORGANISATION", "BRIGADE", "BRIGADES", "GUARD", "SERVICE", "ADMINISTRATION", "COMMISSION", "OFFICE", "LEAGUE",
	"ALLIANCE", "ASSOCIATION", "INSTITUTE", "NEWS", "TELEVISION", "RADIO", "DEPARTMENT", "SENATE", "CABINET", "COALITION",
	"GROUP", "AUTHORITY", "REGIME", "MILITIA", "MILITIAS", "REBELS", "FEDERATION", "CORPORATION", "COMPANY", "AIRLINES"}

// personalName says whether a Phoenix canonical name can be a person's:
// at most four words, none of them "of", "the" or "and" ("SOVIET OF
// NATIONALITIES" and "ISLAMIC STATE OF IRAQ AND THE LEVANT" cannot).
func personalName(n string) bool {
	f := strings.Fields(strings.ReplaceAll(strings.ToUpper(n), "_", " "))
	if len(f) > 4 {
		return false
	}
	for _, w := range f {
		if w == "OF" || w == "THE" || w == "AND" {
			return false
		}
	}
	return true
}

func isInstitution(names []string) bool {
	for _, n := range names {
		for _, w := range strings.Fields(n) {
			for _, x := range institutional {
				if w == x {
					return true
				}
			}
		}
	}
	return false
}

// demonymLike guesses whether a Phoenix country synonym is an adjective
// ("SOUTH KOREAN", "AFGHAN") rather than a name ("KAZAKSTAN").
func demonymLike(s string) bool {
	l := strings.ToLower(s)
	if strings.HasSuffix(l, "stan") || strings.HasSuffix(l, "land") {
		return false
	}
	for _, suf := range []string{"an", "ans", "ese", "ish", "ian", "ians", "i", "is", "ic", "ch", "ot", "ots"} {
		if strings.HasSuffix(l, suf) {
			return true
		}
	}
	return false
}

// samePrefix reports whether a word shares its first three letters with
// one of the country's names, as demonyms do ("Afghan", "Afghanistan") and
// provinces ending in -i ("Anhui") do not.
func samePrefix(w string, c *country) bool {
	l := strings.ToLower(w)
	if len(l) < 3 {
		return false
	}
	for n := range c.names {
		if strings.HasPrefix(strings.ToLower(n), l[:3]) {
			return true
		}
	}
	return strings.HasPrefix(strings.ToLower(c.name), l[:3])
}

func (g *gen) readPhoenixCountries() error {
	f, err := os.Open(filepath.Join(g.shared, "dictionaries/phoenix/Phoenix.Countries.actors.txt"))
	if err != nil {
		return err
	}
	defer f.Close()
	recs, errs, err := dict.ParseActors(f)
	if err != nil {
		return err
	}
	g.stats["country-file parse warnings"] = len(errs)
	// First pass: country blocks give the CAMEO code of each country.
	byName := map[string]*country{}
	for _, c := range g.countries {
		for n := range c.names {
			byName[strings.ToUpper(n)] = c
		}
		byName[strings.ToUpper(c.name)] = c
	}
	g.cameoToISO = map[string]string{}
	for _, c := range g.countries {
		g.cameoToISO[c.cameo] = c.iso3
	}
	placeIdx := map[string]map[string]bool{} // upper name -> iso3 set
	for _, p := range g.places {
		k := strings.ToUpper(p.name)
		if placeIdx[k] == nil {
			placeIdx[k] = map[string]bool{}
		}
		placeIdx[k][p.iso3] = true
	}
	var people []*dict.Actor
	for i := range recs {
		a := &recs[i]
		cur := current(a)
		if len(cur) != 3 {
			people = append(people, a)
			continue
		}
		c := g.countries[cur]
		if c == nil {
			for _, n := range a.Names {
				if c = byName[n]; c != nil {
					break
				}
			}
		}
		if c == nil {
			g.stats["country blocks unmatched"]++
			fmt.Println("unmatched country block:", a.Names[0], cur)
			continue
		}
		if c.cameo != cur && c.iso3 != cur {
			// Phoenix gives this country its own CAMEO code (Kosovo KSV,
			// East Timor TMP): record the exception.
			g.stats["cameo exceptions"]++
			delete(g.cameoToISO, c.cameo)
			c.cameo = cur
			g.cameoToISO[cur] = c.iso3
		}
		for _, n := range a.Names {
			if g.stop[strings.ToLower(n)] || len(n) < 2 || !clean(n) {
				continue
			}
			if placeIdx[n][c.iso3] {
				continue // a city of that country: the gazetteer has it
			}
			if c.demonyms[title(n)] || (demonymLike(n) && !c.names[title(n)] && samePrefix(n, c)) {
				c.demonyms[title(n)] = true
			} else {
				c.names[title(n)] = true
			}
		}
	}
	for _, a := range people {
		// Territories carry parent + own code in CAMEO ("USAASM" for
		// American Samoa): that is their CAMEO country code.
		if cur := current(a); len(cur) == 6 && !a.HasDates() {
			if c := g.countries[cur[3:]]; c != nil && c.cameo == c.iso3 && byName[a.Names[0]] == c {
				c.cameo = cur
				g.stats["cameo territory codes"]++
				for _, n := range a.Names {
					if !g.stop[strings.ToLower(n)] && len(n) > 2 {
						c.names[title(n)] = true
					}
				}
				continue
			}
		}
		kind := "person"
		// A person with dated roles keeps being a person whatever the
		// aliases say ("THE OBAMA ADMINISTRATION" is filed under Barack
		// Obama): only the canonical name tells an institution with dates.
		names := a.Names
		if a.HasDates() && personalName(names[0]) {
			names = names[:1]
		}
		if !a.HasDates() && !strings.Contains(a.Comment, "CountryInfo") || isInstitution(names) {
			kind = "org"
		}
		if kind == "person" && isInstitution(a.Names) {
			// Filed with institution aliases ("THE BUSH ADMINISTRATION"),
			// the entry was long read as an organization, titled aliases
			// and all ("PRESIDENT BUSH"); as a person it keeps them without
			// the title, so a bare surname shared by two people ("Bush")
			// still finds the one Phoenix meant.
			kind = "person+untitled"
		}
		g.addActor(a, kind)
	}
	return nil
}

func (g *gen) addActor(a *dict.Actor, kind string) {
	cur := current(a)
	if cur == "" {
		return
	}
	canon := a.Names[0]
	if strings.ToUpper(canon) == canon {
		canon = title(canon)
	}
	untitle := kind == "person+untitled"
	if untitle {
		kind = "person"
	}
	x := actor{kind: kind, country: g.countryCode(cur), canonical: canon, def: a.Default, roles: a.Roles}
	if kind == "igo" && !strings.HasPrefix(cur, "IGO") {
		x.kind = "org"
		if a.HasDates() {
			x.kind = "person"
		}
	}
	if kind == "igo" && a.HasDates() {
		x.kind = "person"
	}
	for _, n := range a.Names {
		if g.stop[strings.ToLower(n)] || !clean(n) || g.wrongAlias[aliasKey(a.Names[0], n)] {
			continue
		}
		if x.kind == "person" && len(a.Names) > 1 && titled(n) {
			if untitle {
				if rest := untitled(n); len(rest) > 2 && !g.stop[strings.ToLower(rest)] && !slices.Contains(x.aliases, rest) && !slices.Contains(a.Names, rest) {
					x.aliases = append(x.aliases, rest)
				}
			}
			continue // "PRESIDENT XI JINPING": the title is the agent's, not the name's
		}
		x.aliases = append(x.aliases, n)
	}
	if len(x.aliases) == 0 {
		return
	}
	g.actors = append(g.actors, x)
	g.stats["actors "+x.kind]++
}

var titles = map[string]bool{"PRESIDENT": true, "PRIME": true, "CHANCELLOR": true, "KING": true, "QUEEN": true,
	"GENERAL": true, "GEN.": true, "MINISTER": true, "PREMIER": true, "SECRETARY": true, "SECRETARY-GENERAL": true,
	"AYATOLLAH": true, "SENATOR": true, "SEN.": true, "GOVERNOR": true, "MR.": true, "MRS.": true, "DR.": true,
	"PRINCE": true, "SHEIKH": true, "EMIR": true, "COLONEL": true, "COL.": true, "MARSHAL": true, "FOREIGN": true,
	"DEFENSE": true, "CHAIRMAN": true, "LEADER": true, "SUPREME": true, "VICE": true}

// untitled is a person's alias without the title words it starts with
// ("PRESIDENT BUSH" → "BUSH").
func untitled(n string) string {
	f := strings.Fields(n)
	for len(f) > 0 && titles[strings.ToUpper(f[0])] {
		f = f[1:]
	}
	return strings.Join(f, " ")
}

// titled reports whether a person's alias starts with a title word.
func titled(n string) bool {
	f := strings.Fields(strings.ToUpper(n))
	return len(f) > 1 && titles[f[0]]
}

func (g *gen) readActorFile(path, kind string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	recs, errs, err := dict.ParseActors(f)
	if err != nil {
		return err
	}
	g.stats[filepath.Base(path)+" warnings"] = len(errs)
	for i := range recs {
		g.addActor(&recs[i], kind)
	}
	return nil
}

// readTSV reads a hand-written list: tab-separated, '#' comments.
func readTSV(path string, minCols int) ([][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") || strings.TrimSpace(l) == "" {
			continue
		}
		c := strings.Split(l, "\t")
		if len(c) < minCols {
			return nil, fmt.Errorf("%s:%d: want %d columns, have %d", path, i+1, minCols, len(c))
		}
		for j := range c {
			c[j] = strings.TrimSpace(c[j])
		}
		rows = append(rows, c)
	}
	return rows, nil
}

func splitAliases(s string) []string {
	var out []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func (g *gen) readManual() error {
	// People with dated roles after the 2014 Phoenix release, in the
	// actor-dictionary format itself.
	if err := g.readActorFile(filepath.Join(g.manual, "people.txt"), "person"); err != nil {
		return err
	}
	// Seats of government, IGOs and organizations missing from Phoenix,
	// weapons:
	// kind, canonical, code, aliases.
	for _, file := range []string{"seats.tsv", "igos.tsv", "orgs.tsv", "groups.tsv", "weapons.tsv"} {
		rows, err := readTSV(filepath.Join(g.manual, file), 4)
		if err != nil {
			return err
		}
		for _, r := range rows {
			x := actor{kind: r[0], canonical: r[1], def: r[2], aliases: append([]string{r[1]}, splitAliases(r[3])...)}
			x.country = g.countryCode(r[2])
			if len(r) > 4 && r[4] != "" {
				x.country = r[4]
			}
			g.actors = append(g.actors, x)
			g.stats["manual "+x.kind]++
		}
	}
	// Nationality nouns: iso3, demonyms.
	drows, err := readTSV(filepath.Join(g.manual, "demonyms.tsv"), 2)
	if err != nil {
		return err
	}
	for _, r := range drows {
		c := g.countries[r[0]]
		if c == nil {
			return fmt.Errorf("demonyms.tsv: unknown country %s", r[0])
		}
		for _, d := range splitAliases(r[1]) {
			c.demonyms[d] = true
			g.stats["manual demonyms"]++
		}
	}
	// Places and regions: kind, canonical, iso3, lat, lon, aliases.
	rows, err := readTSV(filepath.Join(g.manual, "places.tsv"), 6)
	if err != nil {
		return err
	}
	for _, r := range rows {
		lat, err1 := strconv.ParseFloat(r[3], 64)
		lon, err2 := strconv.ParseFloat(r[4], 64)
		if (err1 != nil || err2 != nil) && r[3] != "" {
			return fmt.Errorf("places.tsv: bad coordinates for %s", r[1])
		}
		if r[2] != "" && g.countries[r[2]] == nil {
			return fmt.Errorf("places.tsv: unknown country %s for %s", r[2], r[1])
		}
		g.places = append(g.places, place{kind: r[0], name: r[1], iso3: r[2], lat: lat, lon: lon, aliases: splitAliases(r[5])})
		g.stats["manual "+r[0]]++
	}
	return nil
}

func gzFile(path string, write func(w io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func ff(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func roleString(rs []dict.Role) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%s:%d:%d", r.Code, r.From, r.To))
	}
	return strings.Join(parts, ";")
}

func (g *gen) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	isos := sortedKeys(func() map[string]bool {
		m := map[string]bool{}
		for k := range g.countries {
			m[k] = true
		}
		return m
	}())
	g.settleSharedDemonyms()
	err := gzFile(filepath.Join(dir, "countries.tsv.gz"), func(w io.Writer) error {
		fmt.Fprintln(w, "# iso2\tiso3\tcameo\tname\tlat\tlon\tcapital\tnames\tdemonyms")
		for _, k := range isos {
			c := g.countries[k]
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.iso2, c.iso3, c.cameo, c.name, ff(c.lat), ff(c.lon), c.capital,
				strings.Join(sortedKeys(c.names), "|"), strings.Join(c.demonymList(), "|"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.SliceStable(g.places, func(i, j int) bool {
		a, b := g.places[i], g.places[j]
		if a.iso3 != b.iso3 {
			return a.iso3 < b.iso3
		}
		return a.name < b.name
	})
	err = gzFile(filepath.Join(dir, "places.tsv.gz"), func(w io.Writer) error {
		fmt.Fprintln(w, "# kind\tname\tiso3\tlat\tlon\tpopulation\taliases")
		for _, p := range g.places {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", p.kind, p.name, p.iso3, ff(p.lat), ff(p.lon), p.pop, strings.Join(p.aliases, "|"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = gzFile(filepath.Join(dir, "actors.tsv.gz"), func(w io.Writer) error {
		fmt.Fprintln(w, "# kind\tcountry\tcanonical\tdefault\troles(code:from:to;...)\taliases")
		for _, a := range g.actors {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", a.kind, a.country, a.canonical, a.def, roleString(a.roles), strings.Join(a.aliases, "|"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return gzFile(filepath.Join(dir, "agents.tsv.gz"), func(w io.Writer) error {
		fmt.Fprintln(w, "# phrase\tcode\tprefix")
		seen := map[string]bool{}
		for _, a := range g.agents {
			k := a.Phrase + "\t" + a.Code
			if seen[k] {
				continue
			}
			seen[k] = true
			p := ""
			if a.Prefix {
				p = "1"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", a.Phrase, a.Code, p)
		}
		return nil
	})
}

// settleSharedDemonyms gives a demonym that several countries share to the
// sovereign states among them: the countries table lists "French" for the
// French Southern Lands, "American" for the Northern Mariana Islands and
// "Dutch" for Bonaire, but in the news those words mean France, the United
// States and the Netherlands. A demonym only territories share stays with
// them.
func (g *gen) settleSharedDemonyms() {
	owners := map[string][]*country{}
	for _, iso := range sortedKeys(func() map[string]bool {
		m := map[string]bool{}
		for k := range g.countries {
			m[k] = true
		}
		return m
	}()) {
		c := g.countries[iso]
		for d := range c.demonyms {
			owners[strings.ToLower(d)] = append(owners[strings.ToLower(d)], c)
		}
	}
	for d, cs := range owners {
		sovereign := false
		for _, c := range cs {
			sovereign = sovereign || c.independent
		}
		if len(cs) < 2 || !sovereign {
			continue
		}
		for _, c := range cs {
			if c.independent {
				continue
			}
			for have := range c.demonyms {
				if strings.ToLower(have) == d {
					delete(c.demonyms, have)
				}
			}
			if strings.ToLower(c.demonym) == d {
				c.demonym = ""
			}
			g.stats["demonyms given to a sovereign state"]++
		}
	}
}
