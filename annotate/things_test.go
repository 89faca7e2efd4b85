package annotate

import (
	"strings"
	"testing"

	"github.com/detente/detente"
)

func TestThingsAreNotNamedTypes(t *testing.T) {
	an := builtinAnnotator()
	cases := []struct {
		text   string
		things []string // no name type
		names  []string // still typed
	}{
		{"The cruise ship Seabourn Quest docked in Lisbon on Monday. Officials said the Seabourn Quest would sail on Friday.",
			[]string{"Seabourn Quest"}, []string{"Lisbon"}},
		{"Space Shuttle Discovery landed in Florida on Monday. Discovery flew 39 missions for NASA.",
			[]string{"Space Shuttle Discovery", "Discovery"}, []string{"Florida"}},
		{"Users of Netscape Navigator 4 complained to Netscape. Reuters said Netscape Navigator lost its lead.",
			[]string{"Netscape Navigator"}, []string{"Reuters"}},
	}
	for _, c := range cases {
		got := an.Annotate(&detente.Article{Body: c.text, Language: "en"}).Entities
		typed := map[string]bool{}
		for _, e := range got {
			if e.Type == detente.EntityPerson || e.Type == detente.EntityOrg || e.Type == detente.EntityGPE || e.Type == detente.EntityLoc {
				typed[e.Text] = true
			}
		}
		for _, th := range c.things {
			if typed[th] {
				t.Errorf("%q: the thing %q has a name type: %+v", c.text, th, got)
			}
		}
		for _, n := range c.names {
			if !typed[n] {
				t.Errorf("%q: %q lost its name type: %+v", c.text, n, got)
			}
		}
	}
}

func TestVersionAfter(t *testing.T) {
	for _, c := range []struct {
		s    string
		at   int
		want bool
	}{
		{"Internet Explorer 9 ( IE9 )", 2, true},
		{"its name was Explorer 6 .", 4, true},
		{"Liverpool 2 - 1 Chelsea", 1, false},
		{"in March 2011 ,", 2, false},
		{"rose 5 % on", 1, false},
		{"Vostok 1 into space", 1, true},
	} {
		if got := versionAfter(strings.Fields(c.s), c.at); got != c.want {
			t.Errorf("versionAfter(%q, %d) = %v, want %v", c.s, c.at, got, c.want)
		}
	}
}

func TestVehicleName(t *testing.T) {
	for _, c := range []struct {
		s   string
		ok  bool
		own int
	}{
		{"Space Shuttle Atlantis", true, 2},
		{"Space Shuttle", true, 2},
		{"Shuttle Orbiters", true, 2},
		{"Space Shuttle Program", false, 0},
		{"Kennedy Space Center", false, 0},
	} {
		ok, own := vehicleName(strings.Fields(c.s))
		if ok != c.ok || own != c.own {
			t.Errorf("vehicleName(%q) = %v, %d, want %v, %d", c.s, ok, own, c.ok, c.own)
		}
	}
}

func TestAwardName(t *testing.T) {
	cases := []struct {
		text       string
		start, end int
		want       bool
	}{
		{"Silva was named the Castrol Player of the Tournament", 4, 6, true},
		{"Atwood , a Booker Prize-winner , was there", 3, 5, true},
		{"Atwood , a Booker Prize - winner , was there", 3, 7, true},
		{"he won the Nobel Prize in 2009", 3, 5, true},
		{"the Nobel Prize Committee met", 1, 4, false},
		{"Kane met Manchester United on Sunday", 2, 4, false},
		{"the Isle of Man of the Irish Sea", 1, 4, false},
	}
	for _, c := range cases {
		if got := awardName(strings.Fields(c.text), c.start, c.end); got != c.want {
			t.Errorf("%q [%d,%d): awardName %v, want %v", c.text, c.start, c.end, got, c.want)
		}
	}
}
