package annotate

import (
	"strings"

	"github.com/detente/detente"
)

// Entity conventions the knowledge base and the tagger cannot see from one
// phrase: what a name stands for in its article.

// sportsCues are words that mark a match report. One alone proves nothing
// ("goal", "match" and "coach" have other senses); several, with a score,
// do.
var sportsCues = map[string]bool{
	"goal": true, "goals": true, "scored": true, "scoring": true, "scores": true, "goalkeeper": true,
	"striker": true, "midfielder": true, "penalty": true, "referee": true, "equaliser": true,
	"equalizer": true, "equalise": true, "equalize": true, "equalising": true, "equalizing": true,
	"header": true, "match": true, "coach": true, "squad": true, "tournament": true, "semi-final": true,
	"quarter-final": true, "semifinal": true, "quarterfinal": true, "kick-off": true, "half-time": true,
	"halftime": true, "innings": true, "wicket": true, "wickets": true, "touchdown": true, "inning": true,
	"playoff": true, "playoffs": true, "championship": true, "captain": true, "substituted": true,
}

// isScore says whether tokens at i read as a game's score: "3-0", "3 – 0",
// "1–2" with small numbers (a year range is not a score).
func isScore(w []string, i int) bool {
	small := func(s string) bool {
		if s == "" || len(s) > 2 {
			return false
		}
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	dash := func(s string) bool { return s == "-" || s == "–" || s == "—" }
	if i+2 < len(w) && small(w[i]) && dash(w[i+1]) && small(w[i+2]) {
		return true
	}
	for _, d := range []string{"-", "–"} {
		if a, b, ok := strings.Cut(w[i], d); ok && small(a) && small(b) {
			return true
		}
	}
	return false
}

// matchReport says whether the article reports sports matches: at least
// two scores and four cue words, or six cue words.
func (d *document) matchReport() bool {
	scores, cues := 0, 0
	for _, w := range d.words {
		for i, x := range w {
			if isScore(w, i) {
				scores++
			}
			if sportsCues[strings.ToLower(x)] {
				cues++
			}
		}
	}
	return scores >= 2 && cues >= 4 || cues >= 6 && scores >= 1
}

// placePrepositions before a country name keep it a place even in a match
// report ("played in Russia").
var placePrepositions = map[string]bool{"in": true, "at": true, "across": true, "near": true, "throughout": true, "around": true}

// markNationalTeams reads the countries a match report names as their
// national teams: "Sweden defeated South Korea 1-0" is a game between two
// organizations, not an act of one state on another. Plural demonyms after
// "the" ("putting the Belgians in the lead") are the team too.
func (d *document) markNationalTeams() {
	if !d.matchReport() {
		return
	}
	for _, m := range d.ms {
		if m.dropped {
			continue
		}
		w := d.words[m.sent]
		before := ""
		if m.start > 0 {
			before = strings.ToLower(w[m.start-1])
		}
		switch {
		case m.entry.Kind == KindCountry && !placePrepositions[before]:
		case m.entry.Kind == KindDemonym && before == "the" && strings.HasSuffix(w[m.end-1], "s"):
		default:
			continue
		}
		name := m.entry.CountryName
		if name == "" {
			name = d.surface(m)
		}
		m.entry = Entry{Kind: KindOrg, Type: detente.EntityOrg, Canonical: name + " national team", Country: m.entry.Country}
		m.source = "team"
	}
}
