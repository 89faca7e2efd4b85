package gdelt

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/detente/detente"
)

// MentionType values (codebook: 1 WEB, 2 CITATIONONLY, 3 CORE, 4 DTIC,
// 5 JSTOR, 6 NONTEXTUALSOURCE).
const (
	MentionWeb          = 1
	MentionCitationOnly = 2
)

// MentionMeta is what a Mentions record needs beyond detente.EventMention.
type MentionMeta struct {
	EventTimeDate   time.Time // when the event was first recorded (its DATEADDED)
	MentionTimeDate time.Time // when this mention was recorded (article fetch or publication time)
	SourceName      string    // outlet's domain or name ("cgtn.com")
	// Identifier locates the document: its URL (MentionType WEB) or a
	// citation; the type is WEB when it starts with http(s)://.
	Identifier string
	SentenceID int     // 1-based sentence number in the document
	DocLen     int     // document length in characters
	DocTone    float64 // document tone
	// TranslationInfo is GDELT's "srclc:…;eng:…" note; "" for English.
	TranslationInfo string
	Extras          string
}

// MentionWriter writes GDELT 2.0 Mentions records.
type MentionWriter struct{ w *bufio.Writer }

// NewMentionWriter returns a writer of Mentions records to w. Call Flush
// when done.
func NewMentionWriter(w io.Writer) *MentionWriter { return &MentionWriter{w: bufio.NewWriter(w)} }

// WriteHeader writes the column names as a first line (GDELT's files have none).
func (w *MentionWriter) WriteHeader() error { return writeRecord(w.w, MentionColumns[:]) }

// Write writes one mention of the event numbered eventID.
func (w *MentionWriter) Write(eventID int64, mn detente.EventMention, m MentionMeta) error {
	return writeRecord(w.w, MentionRecord(eventID, mn, m))
}

// Flush writes buffered records to the underlying writer.
func (w *MentionWriter) Flush() error { return w.w.Flush() }

// MentionRecord returns the 16 fields of a Mentions record. Character
// offsets are the words' start offsets (code points into the body, as
// detente keeps them; GDELT counts characters too), −1 when the word is
// absent, as GDELT does. InRawText is 1: detente codes the text as it
// reads it, without GDELT's pre-processing rewrites.
func MentionRecord(eventID int64, mn detente.EventMention, m MentionMeta) []string {
	typ := MentionCitationOnly
	if strings.HasPrefix(m.Identifier, "http://") || strings.HasPrefix(m.Identifier, "https://") {
		typ = MentionWeb
	}
	conf := int(math.Round(mn.Confidence * 100))
	conf = max(0, min(100, conf))
	return []string{
		strconv.FormatInt(eventID, 10),
		timestamp(m.EventTimeDate),
		timestamp(m.MentionTimeDate),
		strconv.Itoa(typ),
		clean(m.SourceName),
		clean(m.Identifier),
		strconv.Itoa(m.SentenceID),
		offset(mn.SourceSpan),
		offset(mn.TargetSpan),
		offset(mn.VerbSpan),
		"1",
		strconv.Itoa(conf),
		strconv.Itoa(m.DocLen),
		strconv.FormatFloat(m.DocTone, 'f', -1, 64),
		clean(m.TranslationInfo),
		clean(m.Extras),
	}
}

func offset(s detente.Span) string {
	if s.End <= s.Start {
		return "-1"
	}
	return strconv.Itoa(s.Start)
}
