package detente

// Event is one political event: who did what to whom, when and where, coded
// in CAMEO and PLOVER, and traceable to the words it was coded from. Events
// follow GDELT 2.0's model: mentions of the same event (same actors, code
// and date) merge into one Event that counts them.
type Event struct {
	ID     string `json:"id"`
	Source string `json:"source"` // CAMEO actor code of who acted ("CHNGOV")
	Target string `json:"target"` // CAMEO actor code of whom it was done to; "" when none
	// CAMEO is the event code ("036"); Base its three-digit parent ("036"),
	// Root its two-digit root category ("03").
	CAMEO     string  `json:"cameo"`
	Base      string  `json:"base"`
	Root      string  `json:"root"`
	Quad      int     `json:"quad"`      // 1 verbal cooperation … 4 material conflict
	Goldstein float64 `json:"goldstein"` // −10 … +10
	PLOVER    string  `json:"plover"`    // PLOVER event type ("CONSULT")
	// Mode is PLOVER's mode: "" for an event that happened, or "intend",
	// "threaten", "refuse", "future", "hypothetical"…
	Mode    string `json:"mode,omitempty"`
	Negated bool   `json:"negated,omitempty"`
	// Date is the event's date: the sentence's time expression, else the
	// article's publication date ("YYYY-MM-DD"; "" when neither is known).
	Date     string         `json:"date"`
	Location *Location      `json:"location,omitempty"`
	Mentions []EventMention `json:"mentions"`
	// Counts over all mentions, as GDELT keeps them.
	NumMentions int `json:"num_mentions"`
	NumSources  int `json:"num_sources"`
	NumArticles int `json:"num_articles"`
}

// Location is where an event happened: a place named in its sentence.
type Location struct {
	Name    string  `json:"name"`
	Country string  `json:"country"` // ISO3
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
}

// EventMention is one sentence that reports an event.
type EventMention struct {
	ArticleID string `json:"article_id"`
	Sentence  Span   `json:"sentence"`
	// Offsets of the words the event was coded from, in the body.
	SourceSpan Span `json:"source_span"`
	TargetSpan Span `json:"target_span"`
	VerbSpan   Span `json:"verb_span"`
	// RootEvent is set when the sentence is in the lead paragraph.
	RootEvent  bool    `json:"root_event"`
	Confidence float64 `json:"confidence"`
	// Explanation says which dictionary pattern matched which words.
	Explanation string `json:"explanation"`
}
