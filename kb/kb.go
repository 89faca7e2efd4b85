// Package kb is detente's knowledge base of the political world: countries
// and territories with their CAMEO codes, names, demonyms and capitals;
// seats of government used as metonyms ("the Kremlin"); intergovernmental
// organizations; sector words that become CAMEO agent codes ("lawmakers" →
// LEG); named people with dated roles; non-state armed groups, ethnic and
// religious groups; weapon systems; and a compact gazetteer of places.
//
// The data is derived from the Phoenix dictionaries (MIT), the world
// countries table (ODbL) and GeoNames (CC BY) by the committed generator in
// kb/gen, plus hand-written lists in kb/gen/manual; see ATTRIBUTION.md. It
// is compiled into the binary and parsed once, lazily, by Default.
package kb

//go:generate go run ./gen -shared ../../shared -out data -manual gen/manual

import (
	"bufio"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/detente/detente/kb/internal/dict"
)

//go:embed data/*.tsv.gz
var dataFS embed.FS

// Kind says what a knowledge-base entry is.
type Kind uint8

// Entry kinds.
const (
	KindNone    Kind = iota
	KindCountry      // a country or territory by name ("South Korea")
	KindDemonym      // a nationality adjective or people ("South Korean")
	KindCapital      // a capital city, which stands for its government ("Seoul said")
	KindSeat         // a seat of government or institution ("the Kremlin")
	KindIGO          // an intergovernmental organization
	KindOrg          // another named organization (national bodies, NGOs, media)
	KindPerson       // a named person with dated roles
	KindGroup        // a non-state armed group
	KindEthnic       // an ethnic or religious group
	KindWeapon       // a weapon system
	KindRegion       // a region, sea, peninsula or disputed territory (LOC)
	KindPlace        // a city, town or site with coordinates
	KindAgent        // a sector word ("troops", "foreign ministry")
)

var kindNames = [...]string{"", "Country", "Demonym", "Capital", "Seat", "IGO", "Org", "Person", "Group", "Ethnic", "Weapon", "Region", "Place", "Agent"}

// String returns the kind's name ("Country").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// priority orders kinds when one phrase names several entries: a seat or
// country reading beats a person, which beats a town of the same name.
var priority = [...]uint8{KindNone: 0, KindSeat: 0, KindCountry: 1, KindIGO: 2, KindPerson: 3, KindOrg: 4, KindGroup: 5,
	KindCapital: 6, KindPlace: 6, KindDemonym: 7, KindEthnic: 8, KindWeapon: 9, KindRegion: 10, KindAgent: 11}

// kindPriority is priority[k], 0 for a kind it does not list.
func kindPriority(k Kind) uint8 {
	if int(k) < len(priority) {
		return priority[k]
	}
	return 0
}

// Role is one code an entry holds over a date range; zero From or To means
// open-ended.
type Role struct {
	Code     string
	From, To time.Time
}

// Entry is one thing the knowledge base knows.
type Entry struct {
	Kind      Kind
	Canonical string
	// Code is the CAMEO code with no date given: the country code for
	// countries, demonyms and capitals ("KOR"), the actor code for seats,
	// IGOs and organizations ("RUSGOV", "IGOUNO"), the current role for
	// people, the sector code for agents ("GOV"). Empty for plain places,
	// regions and weapons.
	Code string
	// Country is the ISO 3166-1 alpha-3 code the entry belongs to, or "".
	Country string
	// Roles are a person's (or organization's) dated codes; the first that
	// applies on a date wins, as in PETRARCH.
	Roles []Role
	// Default is the code used when no dated role applies.
	Default string
	// AgentPrefix is set for agent codes that go before the country code
	// ("IGO~" in the dictionaries) rather than after it.
	AgentPrefix bool
	Lat, Lon    float64
	HasCoord    bool
	Population  int
	// Names are every name the entry is matched by.
	Names []string
	// ISO2 and CAMEO are set for countries.
	ISO2, CAMEO string
	// Capital is a country's capital city.
	Capital string
}

// RoleAt returns the code the entry holds on date t: the first dated role
// containing t, else the default. A zero t means "no date known" and gives
// Code.
func (e *Entry) RoleAt(t time.Time) string {
	if t.IsZero() {
		return e.Code
	}
	day := t.Year()*10000 + int(t.Month())*100 + t.Day()
	for _, r := range e.Roles {
		if r.Contains(day) {
			return r.Code
		}
	}
	if len(e.Roles) == 0 && e.Default == "" {
		return e.Code
	}
	return e.Default
}

// Contains reports whether the role applies on day (YYYYMMDD).
func (r Role) Contains(day int) bool {
	return (r.From.IsZero() || day >= ymd(r.From)) && (r.To.IsZero() || day <= ymd(r.To))
}

func ymd(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

func fromYMD(d int) time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Date(d/10000, time.Month(d/100%100), d%100, 0, 0, 0, 0, time.UTC)
}

// KB is a loaded knowledge base. Lookups and Match are safe for concurrent
// use once loading is done; the Load methods are not.
type KB struct {
	entries   []*Entry
	phrases   []phrase
	index     map[string][]int32 // first key → phrases, longest first
	words     wordIndex          // the phrases' keys as numbers, for Match (match.go)
	byName    map[string][]int32 // full normalized name → entries
	countries map[string]*Entry  // ISO2, ISO3 and CAMEO code → country
	persons   map[string]int32   // normalized name → person entry (for merging)
	dirty     bool
	mu        sync.Mutex
	// built is set once the index is built for the entries as they are
	// (and cleared with dirty), so the lookups, which run for every
	// sentence on every core, skip the mutex.
	built atomic.Bool
}

// New returns an empty knowledge base to fill with Load methods.
func New() *KB {
	return &KB{byName: map[string][]int32{}, countries: map[string]*Entry{}, persons: map[string]int32{}}
}

var (
	defaultOnce sync.Once
	defaultKB   *KB
	defaultErr  error
)

// Default returns the built-in knowledge base, parsing the embedded data on
// first use. It panics only if the embedded data is corrupt, which the
// package's tests rule out.
func Default() *KB {
	defaultOnce.Do(func() { defaultKB, defaultErr = Open(Options{}) })
	if defaultErr != nil {
		panic("kb: embedded data: " + defaultErr.Error())
	}
	return defaultKB
}

// Options choose what Open loads besides the built-in countries, places,
// seats of government and weapons.
type Options struct {
	// ActorFiles, when set, replace the built-in named actors (people,
	// organizations, IGOs, groups) with these PETRARCH/TABARI actor
	// dictionaries.
	ActorFiles []string
	// AgentFiles, when set, replace the built-in agents dictionary.
	AgentFiles []string
}

// Open builds a knowledge base from the embedded data and opts.
func Open(opts Options) (*KB, error) {
	k := New()
	if err := k.loadCountries(); err != nil {
		return nil, err
	}
	if err := k.loadPlaces(); err != nil {
		return nil, err
	}
	if err := k.loadActors(len(opts.ActorFiles) > 0); err != nil {
		return nil, err
	}
	if len(opts.AgentFiles) == 0 {
		if err := k.loadAgents(); err != nil {
			return nil, err
		}
	}
	for _, f := range opts.ActorFiles {
		if err := k.LoadActors(f); err != nil {
			return nil, err
		}
	}
	for _, f := range opts.AgentFiles {
		if err := k.LoadAgents(f); err != nil {
			return nil, err
		}
	}
	k.build()
	return k, nil
}

func readGz(name string, fn func(cols []string) error) error {
	f, err := dataFS.Open("data/" + name)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || t[0] == '#' {
			continue
		}
		if err := fn(strings.Split(t, "\t")); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	return sc.Err()
}

func splitNames(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

func (k *KB) add(e *Entry) int32 {
	k.entries = append(k.entries, e)
	k.changed()
	return int32(len(k.entries) - 1)
}

func (k *KB) loadCountries() error {
	return readGz("countries.tsv.gz", func(c []string) error {
		if len(c) < 9 {
			return fmt.Errorf("want 9 columns")
		}
		lat, _ := strconv.ParseFloat(c[4], 64)
		lon, _ := strconv.ParseFloat(c[5], 64)
		ct := &Entry{Kind: KindCountry, ISO2: c[0], Country: c[1], CAMEO: c[2], Code: c[2], Canonical: c[3],
			Lat: lat, Lon: lon, HasCoord: true, Capital: c[6], Names: append([]string{c[3]}, splitNames(c[7])...)}
		k.add(ct)
		for _, key := range []string{c[0], c[1], c[2]} {
			if _, ok := k.countries[key]; !ok {
				k.countries[key] = ct
			}
		}
		dem := splitNames(c[8])
		var all []string
		for _, d := range dem {
			all = append(all, d)
			if l := strings.ToLower(d); strings.HasSuffix(l, "an") || strings.HasSuffix(l, "i") {
				all = append(all, d+"s") // "South Koreans", "Iraqis"
			}
		}
		if len(all) > 0 {
			k.add(&Entry{Kind: KindDemonym, Canonical: dem[0], Code: ct.Code, Country: ct.Country, Names: all})
		}
		return nil
	})
}

func (k *KB) loadPlaces() error {
	return readGz("places.tsv.gz", func(c []string) error {
		if len(c) < 7 {
			return fmt.Errorf("want 7 columns")
		}
		lat, err1 := strconv.ParseFloat(c[3], 64)
		lon, err2 := strconv.ParseFloat(c[4], 64)
		pop, _ := strconv.Atoi(c[5])
		e := &Entry{Kind: KindPlace, Canonical: c[1], Country: c[2], Lat: lat, Lon: lon, HasCoord: err1 == nil && err2 == nil,
			Population: pop, Names: append([]string{c[1]}, splitNames(c[6])...)}
		switch c[0] {
		case "capital":
			e.Kind = KindCapital
			if ct := k.countries[c[2]]; ct != nil {
				e.Code = ct.Code
			}
		case "region":
			e.Kind = KindRegion
		}
		k.add(e)
		return nil
	})
}

var kindByName = map[string]Kind{"person": KindPerson, "org": KindOrg, "igo": KindIGO, "group": KindGroup,
	"ethnic": KindEthnic, "religion": KindEthnic, "seat": KindSeat, "weapon": KindWeapon}

func (k *KB) loadActors(skipNamed bool) error {
	return readGz("actors.tsv.gz", func(c []string) error {
		if len(c) < 6 {
			return fmt.Errorf("want 6 columns")
		}
		kind, ok := kindByName[c[0]]
		if !ok {
			return fmt.Errorf("unknown kind %q", c[0])
		}
		if skipNamed && kind != KindSeat && kind != KindWeapon {
			return nil
		}
		e := &Entry{Kind: kind, Country: c[1], Canonical: c[2], Default: c[3], Names: splitNames(c[5])}
		if c[4] != "" {
			for _, r := range strings.Split(c[4], ";") {
				p := strings.Split(r, ":")
				if len(p) != 3 {
					return fmt.Errorf("bad role %q", r)
				}
				from, _ := strconv.Atoi(p[1])
				to, _ := strconv.Atoi(p[2])
				e.Roles = append(e.Roles, Role{Code: p[0], From: fromYMD(from), To: fromYMD(to)})
			}
		}
		k.addActor(e)
		return nil
	})
}

// addActor adds a named actor, merging a person into an earlier entry with
// the same name: the later record's roles go first (a supplement written
// after the Phoenix release knows more recent offices).
func (k *KB) addActor(e *Entry) {
	e.Code = currentCode(e)
	if e.Kind == KindWeapon && strings.HasSuffix(e.Canonical, "-") {
		e.Canonical = strings.TrimSuffix(e.Canonical, "-")
	}
	if e.Kind == KindPerson {
		for _, n := range e.Names {
			if id, ok := k.persons[normName(n)]; ok {
				old := k.entries[id]
				old.Roles = append(append([]Role{}, e.Roles...), old.Roles...)
				if old.Default == "" {
					old.Default = e.Default
				}
				old.Names = append(old.Names, e.Names...)
				if strings.ToUpper(old.Canonical) == old.Canonical || isTitleOf(e.Canonical, old.Canonical) {
					old.Canonical = e.Canonical
				}
				old.Code = currentCode(old)
				if old.Country == "" {
					old.Country = e.Country
				}
				k.changed()
				return
			}
		}
	}
	id := k.add(e)
	if e.Kind == KindPerson {
		for _, n := range e.Names {
			k.persons[normName(n)] = id
		}
	}
}

// isTitleOf reports whether a and b are the same name up to case and
// hyphens ("Moon Jae-in" and "Moon Jae In"): the hand-written form wins.
func isTitleOf(a, b string) bool { return normName(a) == normName(b) && a != b }

// currentCode is the code with no date given: the open-ended or latest
// role, else the default.
func currentCode(e *Entry) string {
	best := ""
	var bestFrom time.Time
	found := false
	for _, r := range e.Roles {
		if r.To.IsZero() && (!found || !r.From.Before(bestFrom)) {
			best, bestFrom, found = r.Code, r.From, true
		}
	}
	if found {
		return best
	}
	if e.Default != "" {
		return e.Default
	}
	var bestTo time.Time
	for _, r := range e.Roles {
		if best == "" || r.To.After(bestTo) {
			best, bestTo = r.Code, r.To
		}
	}
	return best
}

func (k *KB) loadAgents() error {
	return readGz("agents.tsv.gz", func(c []string) error {
		if len(c) < 3 {
			return fmt.Errorf("want 3 columns")
		}
		k.add(&Entry{Kind: KindAgent, Canonical: strings.ToLower(c[0]), Code: c[1], AgentPrefix: c[2] == "1", Names: []string{c[0]}})
		return nil
	})
}

// LoadActors reads a PETRARCH/TABARI actor dictionary into the knowledge
// base. Records whose code is a bare three-letter country code become
// country names; records with dated roles become people; the rest
// organizations (IGOs when their code starts with IGO).
func (k *KB) LoadActors(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return k.ReadActors(f)
}

// ReadActors is LoadActors from a reader.
func (k *KB) ReadActors(r io.Reader) error {
	recs, _, err := dict.ParseActors(r)
	if err != nil {
		return err
	}
	for i := range recs {
		a := &recs[i]
		e := &Entry{Canonical: displayName(a.Names[0]), Default: a.Default, Names: a.Names}
		for _, r := range a.Roles {
			e.Roles = append(e.Roles, Role{Code: r.Code, From: fromYMD(r.From), To: fromYMD(r.To)})
		}
		code := currentCode(e)
		switch {
		case len(code) == 3 && !strings.HasPrefix(code, "IGO") && !a.HasDates():
			if ct := k.countries[code]; ct != nil {
				ct.Names = append(ct.Names, a.Names...)
				k.changed()
				continue
			}
			e.Kind, e.Code, e.Country, e.CAMEO = KindCountry, code, code, code
			k.countries[code] = e
			k.add(e)
			continue
		case a.HasDates():
			e.Kind = KindPerson
		case strings.HasPrefix(code, "IGO"):
			e.Kind = KindIGO
		default:
			e.Kind = KindOrg
		}
		if len(code) >= 3 {
			if ct := k.countries[code[:3]]; ct != nil {
				e.Country = ct.Country
			}
		}
		k.addActor(e)
	}
	k.changed()
	return nil
}

// LoadAgents reads a PETRARCH agent dictionary into the knowledge base.
func (k *KB) LoadAgents(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return k.ReadAgents(f)
}

// ReadAgents is LoadAgents from a reader.
func (k *KB) ReadAgents(r io.Reader) error {
	ags, _, err := dict.ParseAgents(r)
	if err != nil {
		return err
	}
	for _, a := range ags {
		k.add(&Entry{Kind: KindAgent, Canonical: strings.ToLower(a.Phrase), Code: a.Code, AgentPrefix: a.Prefix, Names: []string{a.Phrase}})
	}
	return nil
}

// displayName turns a dictionary's upper-case phrase into a readable name.
func displayName(s string) string {
	if strings.ToUpper(s) != s {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if i > 0 && (w == "of" || w == "the" || w == "and") {
			continue
		}
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// Entries returns every entry (for statistics and tools).
func (k *KB) Entries() []*Entry {
	k.ensure()
	return k.entries
}

// Country returns the country with this ISO2, ISO3 or CAMEO code, or name.
func (k *KB) Country(codeOrName string) *Entry {
	k.ensure()
	if e := k.countries[strings.ToUpper(codeOrName)]; e != nil && len(codeOrName) <= 3 {
		return e
	}
	for _, id := range k.byName[normName(codeOrName)] {
		if e := k.entries[id]; e.Kind == KindCountry || e.Kind == KindDemonym {
			return k.countries[e.Country]
		}
	}
	return nil
}

// Person returns the person known by this name, or nil.
func (k *KB) Person(name string) *Entry {
	k.ensure()
	var buf [64]byte
	for _, id := range k.byName[string(appendNormName(buf[:0], name))] {
		if e := k.entries[id]; e.Kind == KindPerson {
			return e
		}
	}
	return nil
}

// Lookup returns every entry known by exactly this name (any kind).
func (k *KB) Lookup(name string) []*Entry {
	k.ensure()
	ids := k.byName[normName(name)]
	out := make([]*Entry, 0, len(ids))
	for _, id := range ids {
		out = append(out, k.entries[id])
	}
	return out
}

// Place resolves a place name: among the cities, capitals, sites and
// regions of that name it prefers those in preferCountries (ISO3 codes, e.g.
// the countries an article mentions), then capitals, then larger
// populations. It returns nil when no place has the name.
func (k *KB) Place(name string, preferCountries []string) *Entry {
	k.ensure()
	var cands []*Entry
	var buf [64]byte
	for _, id := range k.byName[string(appendNormName(buf[:0], name))] {
		if e := k.entries[id]; isPlace(e.Kind) {
			cands = append(cands, e)
		}
	}
	return bestPlace(cands, preferCountries)
}

func isPlace(k Kind) bool { return k == KindPlace || k == KindCapital || k == KindRegion }

// placeScore weighs a candidate: log population, plus 3 (a factor of a
// thousand) for a preferred country and 2 for a capital, so that a
// preferred country's town beats a foreign city of similar size but not a
// foreign capital (an article about the USA that says "Paris" still means
// France's capital).
func placeScore(e *Entry, prefer []string) float64 {
	s := math.Log10(float64(e.Population) + 10)
	if e.Population == 0 {
		s = 5 // hand-written sites and regions: as notable as a sizeable town
	}
	for _, p := range prefer {
		if p == e.Country {
			s += 3
			break
		}
	}
	if e.Kind == KindCapital {
		s += 2
	}
	return s
}

func bestPlace(cands []*Entry, prefer []string) *Entry {
	var best *Entry
	bestScore := math.Inf(-1)
	for _, e := range cands {
		if s := placeScore(e, prefer); s > bestScore {
			best, bestScore = e, s
		}
	}
	return best
}

// ensure builds the index if loads changed the entries.
func (k *KB) ensure() {
	if k.built.Load() {
		return
	}
	k.mu.Lock()
	if k.dirty || k.index == nil {
		k.build()
	}
	k.built.Store(true)
	k.mu.Unlock()
}

// changed marks the index out of date: the entries changed.
func (k *KB) changed() {
	k.dirty = true
	k.built.Store(false)
}

// Stats counts entries by kind.
func (k *KB) Stats() map[Kind]int {
	k.ensure()
	m := map[Kind]int{}
	for _, e := range k.entries {
		m[e.Kind]++
	}
	return m
}

// sortPhrases orders a first-key bucket longest first, so the first full
// match is the longest.
func (k *KB) sortPhrases(ids []int32) {
	sort.SliceStable(ids, func(i, j int) bool { return len(k.phrases[ids[i]].keys) > len(k.phrases[ids[j]].keys) })
}
