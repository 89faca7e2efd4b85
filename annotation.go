package detente

// The types in this file are what the annotation layer (package nlp, with
// the knowledge in package kb) adds to an article: sentences, entities,
// acronyms, time expressions and quotes. All offsets are Unicode code point
// offsets into Article.Body, Start inclusive and End exclusive.

// Span is a range of code points in an article's body.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Token is one word or punctuation mark.
type Token struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Entity types.
const (
	EntityPerson  = "PERSON"
	EntityOrg     = "ORG"
	EntityGPE     = "GPE" // countries, cities, states: places with a government
	EntityLoc     = "LOC" // other places: regions, seas, mountains
	EntityNORP    = "NORP"
	EntityWeapon  = "WEAPON"
	EntityEvent   = "EVENT"
	EntityUnknown = ""
)

// Entity is one mention of a named (or described) entity.
type Entity struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
	// Canonical is the entity's name as the knowledge base or the article's
	// fullest mention gives it ("Xi Jinping" for a later "Xi").
	Canonical string `json:"canonical"`
	// Actor is the CAMEO actor code (country + sector, e.g. "CHNGOV"), or ""
	// when the mention is not a political actor.
	Actor string `json:"actor"`
	// Country is the ISO 3166-1 alpha-3 code the entity belongs to, or "".
	Country string   `json:"country"`
	Lat     *float64 `json:"lat,omitempty"`
	Lon     *float64 `json:"lon,omitempty"`
	// Source says what found it, so an analyst can see why: "kb",
	// "model", "alias", "acronym", "description" (a country and sector
	// word before a name), "context" (a sector word took the country of an
	// actor before it), "agent" (a sector word with no country: "---GOV").
	Source string `json:"source,omitempty"`
}

// Acronym pairs a short form with its long form defined in the article.
type Acronym struct {
	Short string `json:"short"`
	Long  string `json:"long"`
}

// TimeExpr is a time expression normalized to a TIMEX3-style value
// ("2017-10-31", "2017-11", "2017-W44", "PRESENT_REF"); a range puts its end
// in ValueEnd. Unresolved is set when the value depends on a publication
// date the article does not have.
type TimeExpr struct {
	Text       string `json:"text"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Value      string `json:"value"`
	ValueEnd   string `json:"value_end,omitempty"`
	Type       string `json:"type,omitempty"` // DATE, TIME, DURATION, SET
	Unresolved bool   `json:"unresolved,omitempty"`
}

// Quote is a direct quotation with its speaker.
type Quote struct {
	Text    string `json:"text"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Speaker string `json:"speaker"`
	Actor   string `json:"actor"`
}

// Annotations are everything the annotation layer finds in one article.
// Sentences, entities, times and quotes point into the body; the title and
// each caption are annotated too, with offsets into their own text.
type Annotations struct {
	Sentences []Span     `json:"sentences"`
	Entities  []Entity   `json:"entities"`
	Acronyms  []Acronym  `json:"acronyms"`
	Times     []TimeExpr `json:"times"`
	Quotes    []Quote    `json:"quotes"`
	// Title holds the entities and times of the headline.
	Title *TextAnnotations `json:"title_annotations,omitempty"`
	// Captions holds the entities and times of each caption, in the order
	// of Article.Captions.
	Captions []TextAnnotations `json:"caption_annotations,omitempty"`
	// Segmentation is the annotation layer's segmentation of the body (an
	// *nlp.Text: sentences and their tokens), handed to the coder in the
	// same process so it need not segment the body again. It is never
	// serialized: annotations read back from a store or JSON lack it, and
	// the coder then segments the body itself.
	Segmentation any `json:"-"`
}

// TextAnnotations are the entities and times of a short text outside the
// body (a headline, a caption), with offsets into that text.
type TextAnnotations struct {
	Entities []Entity   `json:"entities"`
	Times    []TimeExpr `json:"times"`
	// Credit is the entity a caption's credit names ("Reuters Photo" →
	// Reuters, MED), if any.
	Credit *Entity `json:"credit,omitempty"`
}
