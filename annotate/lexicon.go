package annotate

// Kind is what a knowledge-base entry names.
type Kind int

// Kinds of entries.
const (
	KindOther   Kind = iota
	KindCountry      // "South Korea": a country as a whole
	KindDemonym      // "South Korean", "Chinese": a nationality word
	KindCapital      // "Seoul": a capital, standing for its government as well as a place
	KindSeat         // "the Kremlin": a seat of government, standing for it
	KindIGO          // "APEC": an intergovernmental organization
	KindAgent        // "Foreign Ministry", "lawmakers": a sector word with an agent code
	KindPerson       // a person
	KindGroup        // a non-state group (armed, ethnic, religious)
	KindOrg          // another organization
	KindWeapon       // a weapon system
	KindPlace        // a populated place
	KindRegion       // a region, sea, peninsula
	KindEvent        // a named event
)

// Entry is what the knowledge base (or the tagger) knows of a mention.
type Entry struct {
	Kind      Kind
	Type      string // detente entity type (detente.EntityPerson…)
	Canonical string
	// Actor is the full CAMEO actor code when the entry is an actor on its
	// own ("KOR", "USAGOV", "IGOUNOAPEC"…), "" otherwise.
	Actor   string
	Country string // ISO 3166-1 alpha-3, "" when none
	// Agent is the sector code of an agent word ("GOV", "MIL", "LEG").
	Agent string
	// AgentPrefix says the agent code goes before the country code
	// ("[NGO~]" in PETRARCH agents files) rather than after it ("[~GOV]").
	AgentPrefix bool
	// CountryName is the name of the entry's country ("South Korea" for
	// "South Korean"), for naming what a description composes.
	CountryName string
	// Prefix is the CAMEO country code a description builds on ("KOR" for
	// "South Korean"); "" when the entry has no country.
	Prefix   string
	Lat, Lon *float64
	// Population of a place, 0 when unknown: small places need the article's
	// support before a name is read as them.
	Population int
}

// LexMatch is a lexicon match over a sentence's tokens [Start, End).
type LexMatch struct {
	Start, End int
	Entry      Entry
}

// Lexicon is the knowledge the annotator consults. The built-in knowledge
// base implements it; so can dictionaries users load.
type Lexicon interface {
	// Match finds the longest dictionary phrases in a sentence's tokens.
	// date ("YYYY-MM-DD" or "") chooses people's roles.
	Match(words []string, date string) []LexMatch
	// Person looks up a person's name, with the role held on date.
	Person(name, date string) (Entry, bool)
	// Place looks up a place name, preferring places in the given countries.
	Place(name string, prefer []string) (Entry, bool)
}
