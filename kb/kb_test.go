package kb

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestMoonJaeInIsKORGOVOnlyFromMay2017(t *testing.T) {
	moon := Default().Person("Moon Jae-in")
	if moon == nil {
		t.Fatal("Moon Jae-in is not in the knowledge base")
	}
	tests := []struct {
		date, want string
	}{
		{"2017-10-31", "KORGOV"},
		{"2017-05-10", "KORGOV"},
		{"2017-05-09", ""},       // between his party posts and the presidency
		{"2015-06-01", "KOROPP"}, // leader of the opposition party
		{"2007-06-01", "KORGOV"}, // what the Phoenix file says: presidential chief of staff
		{"2023-01-01", ""},
	}
	for _, tt := range tests {
		if got := moon.RoleAt(day(tt.date)); got != tt.want {
			t.Errorf("RoleAt(%s) = %q, want %q", tt.date, got, tt.want)
		}
	}
	if moon.Canonical != "Moon Jae-in" || moon.Country != "KOR" {
		t.Errorf("canonical %q country %q", moon.Canonical, moon.Country)
	}
	if p := Default().Person("MOON JAE IN"); p != moon {
		t.Error("the name in another case and spelling finds another entry")
	}
}

func TestMatchResolvesNewsPhrases(t *testing.T) {
	tests := []struct {
		text      string
		phrase    string
		kind      Kind
		code      string
		country   string
		canonical string
	}{
		{"a South Korean official", "South Korean", KindDemonym, "KOR", "KOR", "South Korean"},
		{"Seoul said on Monday", "Seoul", KindCapital, "KOR", "KOR", "Seoul"},
		{"the Kremlin denied it", "Kremlin", KindSeat, "RUSGOV", "RUS", "Kremlin"},
		{"the White House said", "White House", KindSeat, "USAGOV", "USA", "White House"},
		{"Downing Street said", "Downing Street", KindSeat, "GBRGOV", "GBR", "Downing Street"},
		{"at the APEC summit", "APEC", KindIGO, "IGOAPC", "", "Asia-Pacific Economic Cooperation"},
		{"the United Nations said", "United Nations", KindIGO, "IGOUNO", "", "United Nations"},
		{"China 's Foreign Ministry said", "Foreign Ministry", KindAgent, "GOV", "", "foreign ministry"},
		{"she told lawmakers", "lawmakers", KindAgent, "LEG", "", "lawmakers"},
		{"Troops moved", "Troops", KindAgent, "MIL", "", "troops"},
		{"the US military said", "military", KindAgent, "MIL", "", "military"},
		{"arrives in Seongju , April 26", "Seongju", KindPlace, "", "KOR", "Seongju"},
		{"tension on the Korean Peninsula", "Korean Peninsula", KindRegion, "", "", "Korean Peninsula"},
		{"deployment of THAAD", "THAAD", KindWeapon, "", "USA", "Terminal High Altitude Area Defense"},
		{"it tested a Hwasong-15 missile", "Hwasong-15", KindWeapon, "", "PRK", "Hwasong-15"},
		{"Turkey said", "Turkey", KindCountry, "TUR", "TUR", "Türkiye"},
		{"Republic of Korea troops", "Republic of Korea", KindCountry, "KOR", "KOR", "South Korea"},
		{"leaders of ROK and Japan", "ROK", KindCountry, "KOR", "KOR", "South Korea"},
		{"U.S. officials", "U.S.", KindCountry, "USA", "USA", "United States"},
		{"Kosovo declared", "Kosovo", KindCountry, "KSV", "XKX", "Kosovo"},
		{"Chinese President Xi Jinping", "Xi Jinping", KindPerson, "CHNGOV", "CHN", "Xi Jinping"},
		{"the Houthis attacked a ship", "Houthis", KindGroup, "YEMREB", "YEM", "Houthis"},
		{"two Islamic Jihad commanders", "Islamic Jihad", KindGroup, "PSEREB", "PSE", "Islamic Jihad"},
		{"Hezbollah fired rockets", "Hezbollah", KindGroup, "LBNREB", "LBN", "Hezbollah"},
	}
	k := Default()
	for _, tt := range tests {
		toks := strings.Fields(tt.text)
		var got *Match
		for _, m := range k.Match(toks) {
			if strings.Join(toks[m.Start:m.End], " ") == tt.phrase {
				m := m
				got = &m
			}
		}
		if got == nil {
			t.Errorf("%q: no match for %q in %v", tt.text, tt.phrase, k.Match(toks))
			continue
		}
		if got.Kind != tt.kind || got.Code != tt.code || got.Country != tt.country || got.Canonical != tt.canonical {
			t.Errorf("%q: got %s %q %q %q, want %s %q %q %q", tt.phrase, got.Kind, got.Code, got.Country, got.Canonical,
				tt.kind, tt.code, tt.country, tt.canonical)
		}
	}
}

func TestMatchKeepsHyphenatedCountryModifiers(t *testing.T) {
	toks := []string{"the", "US-led", "missile", "defense"}
	ms := Default().Match(toks)
	if len(ms) == 0 || ms[0].Start != 1 || ms[0].End != 2 || !ms[0].Partial || ms[0].Code != "USA" {
		t.Fatalf("US-led: %+v", ms)
	}
}

func TestMatchNeedsCapitalsForProperNames(t *testing.T) {
	tests := []struct {
		text string
		none string // a phrase that must not match
	}{
		{"we will eat turkey tonight", "turkey"},
		{"a china plate", "china"},
		{"Who knows", "Who"},
		{"The dog said nothing", "The"},
		{"In May it rained", "May"},
		{"the police came", ""},
	}
	k := Default()
	for _, tt := range tests {
		for _, m := range k.Match(strings.Fields(tt.text)) {
			got := strings.Join(strings.Fields(tt.text)[m.Start:m.End], " ")
			if tt.none != "" && got == tt.none {
				t.Errorf("%q: %q matched as %s %s", tt.text, got, m.Kind, m.Canonical)
			}
			if tt.none == "" && m.Kind != KindAgent {
				t.Errorf("%q: %q matched as %s, want only the agent word", tt.text, got, m.Kind)
			}
		}
	}
}

func TestPlacePrefersTheArticlesCountries(t *testing.T) {
	k := Default()
	tests := []struct {
		name    string
		prefer  []string
		country string
	}{
		{"Birmingham", nil, "GBR"},
		{"Birmingham", []string{"USA"}, "USA"},
		{"Paris", nil, "FRA"},
		{"Paris", []string{"USA"}, "FRA"}, // a capital outweighs a small namesake
		{"Seongju", []string{"USA"}, "KOR"},
		{"Georgia", nil, ""}, // a country, not a place
	}
	for _, tt := range tests {
		p := k.Place(tt.name, tt.prefer)
		got := ""
		if p != nil {
			got = p.Country
		}
		if got != tt.country {
			t.Errorf("Place(%q, %v) = %q, want %q", tt.name, tt.prefer, got, tt.country)
		}
	}
	s := k.Place("Seongju", nil)
	if s == nil || !s.HasCoord || s.Lat < 35.8 || s.Lat > 36.0 || s.Lon < 128.2 || s.Lon > 128.4 {
		t.Errorf("Seongju coordinates: %+v", s)
	}
	if g := k.Country("Georgia"); g == nil || g.Country != "GEO" {
		t.Errorf("Country(Georgia) = %+v", g)
	}
}

func TestMatchPreferResolvesAmbiguousCities(t *testing.T) {
	toks := []string{"officials", "in", "Birmingham", "said"}
	if ms := Default().MatchPrefer(toks, []string{"USA"}); len(ms) < 2 || ms[1].Country != "USA" {
		t.Errorf("Birmingham preferring USA: %+v", ms)
	}
	if ms := Default().Match(toks); len(ms) < 2 || ms[1].Country != "GBR" {
		t.Errorf("Birmingham with no preference: %+v", ms)
	}
}

func TestCountryCodes(t *testing.T) {
	k := Default()
	for _, tt := range []struct{ in, iso3, cameo string }{
		{"KR", "KOR", "KOR"}, {"KOR", "KOR", "KOR"}, {"TLS", "TLS", "TMP"}, {"TMP", "TLS", "TMP"},
		{"South Korea", "KOR", "KOR"}, {"Republic of Korea", "KOR", "KOR"}, {"Puerto Rico", "PRI", "USAPRI"},
	} {
		c := k.Country(tt.in)
		if c == nil || c.Country != tt.iso3 || c.CAMEO != tt.cameo {
			t.Errorf("Country(%q) = %+v, want %s/%s", tt.in, c, tt.iso3, tt.cameo)
		}
	}
}

func TestDefaultIsSafeForConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ms := Default().Match([]string{"Erdoğan", "met", "Putin", "in", "Ankara"}); len(ms) != 3 {
				t.Errorf("got %d matches: %+v", len(ms), ms)
			}
		}()
	}
	wg.Wait()
}

func TestOpenReplacesActorsAndAgentsWithFixtureFiles(t *testing.T) {
	k, err := Open(Options{ActorFiles: []string{"testdata/actors.txt"}, AgentFiles: []string{"testdata/agents.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	toks := strings.Fields("Arnorian rangers and the White Council met Strider while watchmen and Ents watched Fornost ; Xi Jinping was absent")
	got := map[string]string{}
	for _, m := range k.Match(toks) {
		got[strings.Join(toks[m.Start:m.End], " ")] = m.Kind.String() + ":" + m.CodeAt(day("2019-01-01"))
	}
	want := map[string]string{"Arnorian": "Country:ARN", "rangers": "Agent:MIL", "White Council": "IGO:IGOWCN",
		"Strider": "Person:ARNGOV", "watchmen": "Agent:COP", "Ents": "Agent:AGR", "Fornost": "Country:ARN"}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%q = %q, want %q (all: %v)", p, got[p], w, got)
		}
	}
	if _, ok := got["Xi Jinping"]; ok {
		t.Error("built-in people should be replaced by the actor file")
	}
	strider := k.Person("Aragorn Elessar")
	if strider == nil || strider.RoleAt(day("2017-01-01")) != "ARNREB" || strider.RoleAt(day("2019-01-01")) != "ARNGOV" {
		t.Errorf("Aragorn's dated roles: %+v", strider)
	}
	if b := k.Person("Boromir"); b == nil || b.RoleAt(day("2018-01-01")) != "GONMIL" || b.RoleAt(day("2020-01-01")) != "GONELI" {
		t.Errorf("Boromir: before 2019-02-25 GONMIL, after it the default GONELI: %+v", b)
	}
	// Built-in countries and places stay.
	if ms := k.Match([]string{"Seoul"}); len(ms) != 1 || ms[0].Code != "KOR" {
		t.Errorf("Seoul in a custom KB: %+v", ms)
	}
}

func TestLoadActorsAddsToAnExistingKB(t *testing.T) {
	k, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := k.LoadActors("testdata/actors.txt"); err != nil {
		t.Fatal(err)
	}
	if p := k.Person("Strider"); p == nil || p.Country != "" && p.Country != "ARN" {
		t.Errorf("Strider after LoadActors: %+v", p)
	}
	if err := k.LoadActors("testdata/missing.txt"); err == nil {
		t.Error("a missing file gives no error")
	}
}

func BenchmarkMatch(b *testing.B) {
	k := Default()
	text := strings.Fields(`China and South Korea have agreed to get their relations back on track following high level talks between the two countries , state media said on Tuesday . South Korea 's Foreign Ministry said both countries agreed to normalize all forms of cooperation . Foreign Minister Kang Kyung-wha told lawmakers Seoul will not participate in the US-led missile defense networks . Chinese President Xi Jinping will meet his South Korean counterpart Moon Jae-in at the APEC summit in Vietnam on November 10-11 . The troops of the Pentagon arrived in Seongju near Daegu while protesters gathered .`)
	b.SetBytes(int64(len(text))) // "bytes" here are tokens: MB/s reads as million tokens/s
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k.Match(text)
	}
}

func TestADemonymSharedWithTerritoriesBelongsToTheSovereignState(t *testing.T) {
	k := Default()
	for word, want := range map[string]string{"French": "FRA", "American": "USA", "Dutch": "NLD", "British": "GBR"} {
		ms := k.Match([]string{word, "officials"})
		if len(ms) == 0 || ms[0].Country != want {
			t.Errorf("%s → %+v, want %s", word, ms, want)
		}
	}
}

func TestACapitalNamedWithItsDistrictIsFoundByItsOwnName(t *testing.T) {
	ms := Default().Match([]string{"Washington", "said"})
	if len(ms) == 0 || ms[0].Kind != KindCapital || ms[0].Country != "USA" {
		t.Errorf("Washington → %+v, want the capital of the United States", ms)
	}
}
