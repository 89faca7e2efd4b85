package nlp

// Abbreviation kinds decide what a period after the word means.
const (
	abNone   = iota
	abTitle  // precedes a name, never ends a sentence: Mr. Dr. Gen.
	abOther  // keeps its period; may end a sentence: Inc. Jan. Calif.
	abNumber // keeps its period only before a number: No. 10
)

// abbrevs are English abbreviations common in news (AP style titles,
// months, US state abbreviations, company suffixes). Dotted forms such as
// U.S. and a.m. need no entry: the tokenizer recognizes letter.letter.
var abbrevs = map[string]uint8{}

func init() {
	for _, w := range []string{
		"Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr",
		"Cdr", "Sgt", "Cpl", "Pvt", "Adm", "Brig", "Sen", "Sens", "Rep", "Reps", "Gov", "Govs", "Pres",
		"Rev", "Fr", "Hon", "Amb", "Atty", "Supt", "Insp", "Det", "St", "Ste", "Mt", "Ft", "Sr", "Jr",
		"Gens", "Drs", "Mssrs", "Lieut", "Comdr", "Sec", "Secy", "Pfc", "Spc", "Cmdt", "Msgr", "Sra", "Sgto",
	} {
		abbrevs[w] = abTitle
	}
	// Sr. and Jr. follow a name and can end a sentence.
	abbrevs["Sr"], abbrevs["Jr"] = abOther, abOther
	for _, w := range []string{
		"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
		"Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat",
		"Inc", "Corp", "Co", "Ltd", "Bros", "Cos", "Plc", "Dept", "Univ", "Assn", "Ave", "Blvd", "Rd",
		"etc", "vs", "approx", "est", "ca", "cf", "al", "Ph", "Jos", "Wm", "Chas", "Geo",
		"Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Kans",
		"Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore",
		"Pa", "Penn", "Tenn", "Tex", "Vt", "Va", "Wash", "Wis", "Wyo",
	} {
		abbrevs[w] = abOther
	}
	for _, w := range []string{"No", "Nos", "no", "Vol", "vol", "Art", "art", "Fig", "fig", "Nr", "pp", "p"} {
		abbrevs[w] = abNumber
	}
}

// starters are words that, capitalized after an abbreviation's period,
// show a new sentence begins ("in the U.S. The"), while a name after it
// ("U.S. State Department", "J.R.R. Tolkien") shows the sentence goes on.
var starters = map[string]bool{}

func init() {
	for _, w := range []string{
		"The", "A", "An", "He", "She", "It", "They", "We", "You", "I", "But", "And", "Or", "So", "Yet",
		"In", "On", "At", "For", "From", "By", "With", "To", "Of", "This", "That", "These", "Those",
		"There", "Here", "His", "Her", "Their", "Its", "Our", "My", "Your", "Some", "Many", "Most",
		"Both", "Each", "All", "No", "Not", "If", "When", "While", "After", "Before", "As", "Since",
		"Although", "Though", "However", "Meanwhile", "Still", "Also", "Then", "Now", "Last", "Next",
		"What", "Why", "How", "Who", "Where", "Which", "According", "Officials", "Police", "Under",
		"During", "Despite", "Instead", "Other", "Such", "Even", "Only", "Among", "Earlier", "Later",
		"Another", "Several", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
	} {
		starters[w] = true
	}
}

// speechVerbs introduce direct speech.
var speechVerbs = map[string]bool{}

func init() {
	for _, w := range []string{
		"said", "says", "say", "told", "tells", "tell", "added", "adds", "stated", "states", "noted", "notes",
		"warned", "warns", "explained", "explains", "insisted", "insists", "argued", "argues", "claimed",
		"claims", "declared", "declares", "announced", "announces", "wrote", "writes", "asked", "asks",
		"replied", "replies", "responded", "responds", "continued", "continues", "stressed", "stresses",
		"emphasized", "emphasised", "emphasizes", "emphasises", "urged", "urges", "suggested", "suggests",
		"acknowledged", "acknowledges", "admitted", "admits", "recalled", "recalls", "concluded",
		"observed", "remarked", "tweeted", "tweets", "posted", "read", "reads", "quipped", "cautioned",
		"vowed", "vows", "promised", "predicted", "complained", "countered", "conceded", "maintained",
		"affirmed", "reiterated", "confirmed", "underlined", "underscored", "pointed", "saying",
		"telling", "adding", "writing", "asking", "demanded", "demands", "shouted", "yelled", "screamed",
		"whispered", "testified", "alleged", "charged", "contended", "contends", "mused",
		"wondered", "joked", "exclaimed", "stating", "noting", "warning", "explaining", "arguing",
		"insisting", "announcing", "declaring", "stressing", "claiming", "urging",
	} {
		speechVerbs[w] = true
	}
}

// pronouns can be speakers; the annotator resolves them to a named person.
var pronouns = map[string]bool{
	"he": true, "she": true, "they": true, "we": true, "i": true, "it": true, "you": true,
	"He": true, "She": true, "They": true, "We": true, "I": true, "It": true, "You": true,
}

// determiners open a descriptive noun phrase ("the ministry", "his spokesman").
var determiners = map[string]bool{
	"the": true, "a": true, "an": true, "his": true, "her": true, "its": true, "their": true, "our": true,
	"this": true, "that": true, "these": true, "those": true, "another": true, "one": true, "some": true,
	"The": true, "A": true, "An": true, "His": true, "Her": true, "Its": true, "Their": true, "Our": true,
	"This": true, "That": true, "These": true, "Those": true, "Another": true, "One": true, "Some": true,
}

// stopWords end a noun phrase: function words, auxiliaries, adverbs of
// reporting. Matched in lower case.
var stopWords = map[string]bool{}

func init() {
	for _, w := range []string{
		"and", "or", "but", "nor", "so", "yet", "that", "which", "who", "whom", "whose", "when", "where",
		"while", "as", "if", "because", "since", "after", "before", "though", "although", "than",
		"to", "in", "on", "at", "by", "with", "from", "into", "about", "over", "under", "against",
		"during", "without", "through", "between", "among", "also", "later", "then", "has", "had", "have",
		"is", "was", "were", "are", "be", "been", "will", "would", "could", "can", "may", "might",
		"should", "shall", "must", "did", "does", "do", "not", "recently", "previously", "once",
		"reportedly", "again", "further", "earlier", "separately", "repeatedly", "publicly", "privately",
		"meanwhile", "however", "still", "now", "here", "there", "today", "yesterday", "tomorrow",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"according", "quoted", "just", "even", "only", "too", "very", "all", "both", "it", "he", "she",
		"they", "we", "i", "you", "him", "them", "us", "me", "what", "how", "why", "being", "having",
		"of", "for", "more", "most", "such", "said", "says", "told", "last", "next", "this", "week",
		"month", "year", "interview", "conference", "briefing", "speech", "called", "whether",
	} {
		stopWords[w] = true
	}
}

// isStop reports whether w is a stop word in any case.
func isStop(w string) bool {
	var buf [24]byte
	if len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return stopWords[string(buf[:len(w)])]
}
