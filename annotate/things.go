package annotate

import (
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/nlp/ner"
)

// Names of things: vehicles, products and works ("Space Shuttle
// Atlantis", "Internet Explorer 9", "the cruise ship Freewinds", "the
// 1969 film Easy Rider") are no person, organization or place, though the
// tagger and the gazetteer often read them as one ("Atlantis" is a town
// in GeoNames, "Freewinds" looks like a surname). News marks them three
// ways, and markThings reads all three:
//
//   - a noun naming the kind of thing right before the name, possibly
//     with a comma or an opening quote between ("cruise ship, Freewinds",
//     "their robot \"Robogee\"");
//   - a vehicle word inside the name, before the vehicle's own name
//     ("Space Shuttle Columbia", "Shuttle Atlantis"), or ending a name
//     that has no other head ("Space Shuttle");
//   - a version or model number after an organization or person the
//     tagger found ("Internet Explorer 9", "Vostok 1", "HTML 5").
//
// Such a name stays an entity, of no name type, and so do its other
// mentions in the article, the vehicle's own name included ("Columbia"
// after "Space Shuttle Columbia").

// thingNouns name kinds of things written before a thing's name.
// Publications are left out (news and CoNLL file newspapers as
// organizations), and so are words with another common sense before names
// ("play", "carrier").
var thingNouns = map[string]bool{
	"ship": true, "vessel": true, "yacht": true, "ferry": true, "tanker": true, "freighter": true,
	"submarine": true, "boat": true, "spacecraft": true, "shuttle": true, "orbiter": true, "rocket": true,
	"satellite": true, "telescope": true, "rover": true, "capsule": true, "airliner": true, "aircraft": true,
	"film": true, "movie": true, "documentary": true, "novel": true, "book": true, "memoir": true,
	"album": true, "song": true, "opera": true, "musical": true, "sitcom": true, "series": true,
	"videogame": true, "browser": true, "software": true, "app": true, "robot": true, "painting": true,
	"sculpture": true, "car": true, "truck": true, "smartphone": true, "console": true,
}

// vehicleWords inside a capitalized name make it a vehicle's or its
// programme's ("Space Shuttle Atlantis", "Shuttle Orbiters").
var vehicleWords = map[string]bool{
	"shuttle": true, "shuttles": true, "orbiter": true, "orbiters": true, "spacecraft": true,
	"rover": true, "rovers": true, "capsule": true, "airliner": true,
}

// thingCue says whether a noun naming a kind of thing stands right before
// the name starting at t.
func thingCue(w []string, t int) bool {
	k := t - 1
	for k >= 0 && (w[k] == `"` || w[k] == "“" || w[k] == "'" || w[k] == "‘" || w[k] == ",") {
		k--
	}
	return k >= 0 && k >= t-2 && thingNouns[w[k]]
}

// vehicleName says whether the name w is a vehicle's: a vehicle word in
// it followed by the vehicle's own name, or ending it with no other head.
// It returns where the own name starts (len(w) when there is none).
func vehicleName(w []string) (bool, int) {
	for k, x := range w {
		if !isCapitalized(x) || !inLower(vehicleWords, x) {
			continue
		}
		if k == len(w)-1 {
			return true, len(w)
		}
		if inLower(vehicleWords, w[k+1]) {
			continue // "Shuttle Orbiters": the next word says it
		}
		if nameHeadType(w) == "" && isCapitalized(w[k+1]) {
			return true, k + 1
		}
	}
	return false, 0
}

// versionAfter says whether a version or model number follows the name
// ending at end: one or two digits, not a score or a range.
func versionAfter(w []string, end int) bool {
	if end >= len(w) {
		return false
	}
	v := w[end]
	if len(v) == 0 || len(v) > 2 {
		return false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	if end+1 < len(w) {
		switch w[end+1] {
		case "-", "–", "—", "%", ":", ".", "/":
			if w[end+1] != "." || end+2 < len(w) {
				return false
			}
		}
	}
	return true
}

// thingModified are nouns of things whose own name a name before them
// gives ("the Polaroid photograph", "the Silver Clouds installation", "the
// NEMISIS database"), unlike an exhibit or a study, often named after
// its maker. Only organizations the tagger found count, not the knowledge
// base's, and only that mention: a maker may share the name.
var thingModified = map[string]bool{
	"database": true, "installation": true, "demo": true,
}

// numberedNouns are numbered without being products: "Channel 4",
// "Route 66", "Terminal 5", "Season 2", "World War 2".
var numberedNouns = map[string]bool{
	"channel": true, "radio": true, "route": true, "highway": true, "interstate": true, "flight": true,
	"gate": true, "terminal": true, "platform": true, "pier": true, "ligue": true, "division": true,
	"league": true, "group": true, "chapter": true, "article": true, "section": true, "phase": true,
	"stage": true, "level": true, "category": true, "season": true, "episode": true, "page": true,
	"day": true, "week": true, "round": true, "game": true, "act": true, "room": true, "district": true,
	"ward": true, "zone": true, "region": true, "sector": true, "block": true, "unit": true, "line": true,
	"street": true, "avenue": true, "road": true, "no": true, "no.": true, "number": true, "class": true,
	"grade": true, "type": true, "war": true, "pad": true, "building": true, "hall": true, "floor": true,
	"camp": true, "base": true, "station": true, "studio": true, "court": true, "lot": true, "area": true,
}

// thingKinds may be read as things: names the tagger found or a rule
// made, and the gazetteer's towns and people, not its countries or
// nationalities.
func thingKind(m *mention) bool {
	switch m.entry.Kind {
	case KindCountry, KindDemonym, KindAgent, KindWeapon, KindEvent:
		return false
	}
	switch entityType(m.entry) {
	case detente.EntityPerson, detente.EntityOrg, detente.EntityGPE, detente.EntityLoc:
		return true
	}
	return false
}

// markThings finds the names of things and takes their name types away.
func (d *document) markThings() {
	var names map[string]bool
	var local []*mention
	add := func(s string) {
		if names == nil {
			names = map[string]bool{}
		}
		names[s] = true
	}
	sports := -1
	notSports := func() bool {
		if sports < 0 {
			sports = 0
			if d.matchReport() {
				sports = 1
			}
		}
		return sports == 0
	}
	// A run of capitalized words before a version number is a product's
	// name, whatever mention it is in ("Its name was Internet Explorer
	// 6": "Internet Explorer" elsewhere is the product).
	for sent, w := range d.words {
		for t := 1; t < len(w); t++ {
			if !versionAfter(w, t) || !isCapitalized(w[t-1]) || inLower(numberedNouns, w[t-1]) || d.isTimeSpan(sent, t-1, t+1) {
				continue
			}
			if t+1 < len(w) && isCapitalized(w[t+1]) || !notSports() {
				continue // "Liverpool 2 Chelsea 1"
			}
			from := t - 1
			for from > 0 && from > t-4 && isCapitalized(w[from-1]) && !(from-1 == 0 && ner.CapitalizationOf(w[0]) < 4) {
				from--
			}
			add(strings.Join(w[from:t], " "))
		}
	}
	for _, m := range d.ms {
		if m.dropped || !thingKind(m) {
			continue
		}
		w := d.words[m.sent]
		name := w[m.start:m.end]
		if ok, own := vehicleName(name); ok {
			add(strings.Join(name, " "))
			if own < len(name) {
				add(strings.Join(name[own:], " "))
			}
			continue
		}
		switch {
		case thingCue(w, m.start):
			add(strings.Join(name, " "))
		case awardName(w, m.start, m.end):
			local = append(local, m)
		default:
			t := entityType(m.entry)
			if t != detente.EntityOrg && t != detente.EntityPerson || m.source == "kb" {
				continue
			}
			if t == detente.EntityOrg && m.end < len(w) && thingModified[w[m.end]] {
				local = append(local, m) // this mention only: the maker may be named alike
				continue
			}
			// The number may be the name's last word ("Internet Explorer
			// 6" tagged whole): the name is the words before it.
			end := m.end
			if len(name) > 1 && versionAfter(w, end-1) && isCapitalized(w[end-2]) {
				end--
			}
			if versionAfter(w, end) && notSports() {
				add(strings.Join(w[m.start:end], " "))
				add(strings.Join(name, " "))
			}
		}
	}
	for _, m := range local {
		m.entry = Entry{Kind: KindOther, Type: detente.EntityUnknown, Canonical: m.entry.Canonical}
		m.source = "thing"
	}
	if names == nil {
		return
	}
	for _, m := range d.ms {
		if m.dropped || !thingKind(m) || !names[strings.Join(d.words[m.sent][m.start:m.end], " ")] {
			continue
		}
		m.entry = Entry{Kind: KindOther, Type: detente.EntityUnknown, Canonical: m.entry.Canonical}
		m.source = "thing"
	}
}

// awardHeads end the names of awards: "the Nobel Prize", "a Booker
// Prize-winner", "the Ballon d'Or Trophy".
var awardHeads = map[string]bool{
	"prize": true, "award": true, "medal": true, "trophy": true,
}

// awardWinners are the words that may follow an award's name inside the
// name the tagger found ("Booker Prize-winner").
var awardWinners = map[string]bool{"-": true, "winner": true, "winning": true, "laureate": true}

// awardName says whether the name [start, end) names an award or its
// winner: a capitalized award head after its first word followed only by
// winner words, or a sponsor's name ending in "Man"/"Woman"/"Player"
// followed by "of the" and a capitalized word ("the Castrol Player of the Tournament", "Player of the
// Year").
func awardName(w []string, start, end int) bool {
	for k := start + 1; k < end; k++ {
		if k == end-1 {
			if head, winner, ok := strings.Cut(w[k], "-"); ok && isCapitalized(head) && inLower(awardHeads, head) && inLower(awardWinners, winner) {
				return true // "Prize-winner" written as one word
			}
		}
		if !isCapitalized(w[k]) || !inLower(awardHeads, w[k]) {
			continue
		}
		rest := true
		for _, x := range w[k+1 : end] {
			if !inLower(awardWinners, x) {
				rest = false
				break
			}
		}
		if rest {
			return true
		}
	}
	switch w[end-1] {
	case "Man", "Woman", "Player":
		// A sponsor's name before it, not "of" ("the Isle of Man").
		return end-start >= 2 && isCapitalized(w[end-2]) && end+2 < len(w) && w[end] == "of" && w[end+1] == "the" && isCapitalized(w[end+2])
	}
	return false
}

// eventHeads end the names of events: "Google Science Fair", "FIFA World
// Cup", "Robot Olympics", "Edinburgh Festival".
var eventHeads = map[string]bool{
	"fair": true, "festival": true, "olympics": true, "olympiad": true, "games": true, "cup": true,
	"championship": true, "championships": true, "expo": true, "summit": true, "conference": true,
	"awards": true, "marathon": true, "tournament": true, "convention": true,
}

// eventEnd returns where the event name that the name [start, end) opens
// ends: at an event head among the next three capitalized words, or at
// its own last word. It returns 0 when the name opens no event's name.
func eventEnd(w []string, start, end int) int {
	if end-start > 1 && isCapitalized(w[end-1]) && inLower(eventHeads, w[end-1]) {
		return end
	}
	for e := end; e < len(w) && e < end+3; e++ {
		if !isCapitalized(w[e]) {
			break
		}
		if inLower(eventHeads, w[e]) {
			return e + 1
		}
	}
	return 0
}

// markEvents reads an organization or person opening an event's name as
// the event ("the [Google Science Fair]", "[FIFA World Cup] 2018"): a
// sponsor or organizer inside an event's name is no name of its own.
func (d *document) markEvents() {
	for _, m := range d.ms {
		if m.dropped {
			continue
		}
		if t := entityType(m.entry); t != detente.EntityOrg && t != detente.EntityPerson || m.entry.Kind == KindAgent {
			continue
		}
		w := d.words[m.sent]
		end := eventEnd(w, m.start, m.end)
		if end == 0 {
			continue
		}
		ok := true
		var inside []*mention
		for _, o := range d.ms {
			if o == m || o.dropped || o.sent != m.sent || o.end <= m.start || o.start >= end {
				continue
			}
			if o.start >= m.start && o.end > end && o.entry.Kind == KindEvent {
				end = o.end // "FIFA [World Cup 2018]"
			}
			if o.start < m.start || o.end > end {
				ok = false // crosses the event's name
				break
			}
			inside = append(inside, o)
		}
		if !ok {
			continue
		}
		for _, o := range inside {
			o.dropped = true
		}
		m.end = end
		m.entry = Entry{Kind: KindEvent, Type: detente.EntityEvent, Canonical: strings.Join(w[m.start:end], " ")}
		m.source = "event"
	}
}

// inLower says whether the ASCII word w, lower-cased, is in set, without
// allocating; longer or non-ASCII words are looked up as written.
func inLower(set map[string]bool, w string) bool {
	var buf [24]byte
	if len(w) > len(buf) {
		return set[w]
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 {
			return set[w]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return set[string(buf[:len(w)])]
}
