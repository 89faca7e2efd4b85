// Package gdelt writes detente events and their mentions in the GDELT 2.0
// export formats — the 61-column Events table and the 16-column Mentions
// table, tab-separated, one record a line, no header — so scripts written
// for GDELT's 15-minute files read detente's output unchanged.
//
// Column lists and value formats follow "The GDELT Event Database Data
// Format Codebook V2.0" (2/19/2015, http://data.gdeltproject.org/
// documentation/GDELT-Event_Codebook-V2.0.pdf): Day YYYYMMDD, MonthYear
// YYYYMM, FractionDate YYYY.FFFF, DATEADDED and the mention timestamps
// YYYYMMDDHHMMSS (UTC), Geo_Type 1 country … 5 world state, Confidence a
// percentage. Actor country columns hold CAMEO codes, Geo country columns
// FIPS 10-4 (see FIPS).
package gdelt

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
)

// EventColumns are the 61 columns of a GDELT 2.0 Events record, in order.
var EventColumns = [61]string{
	"GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
	"Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
	"Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
	"Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
	"Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
	"IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
	"NumMentions", "NumSources", "NumArticles", "AvgTone",
	"Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
	"Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
	"Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
	"Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
	"ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
	"ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
	"DATEADDED", "SOURCEURL",
}

// MentionColumns are the 16 columns of a GDELT 2.0 Mentions record, in order.
var MentionColumns = [16]string{
	"GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
	"MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
	"InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
}

// Geo_Type values (codebook: 1 COUNTRY, 2 USSTATE, 3 USCITY, 4 WORLDCITY,
// 5 WORLDSTATE).
const (
	GeoCountry    = 1
	GeoUSState    = 2
	GeoUSCity     = 3
	GeoWorldCity  = 4
	GeoWorldState = 5
)

// EventMeta is what an Events record needs beyond detente.Event. All of it
// is optional; zero values give GDELT's blanks.
type EventMeta struct {
	// GlobalEventID is GDELT's numeric event id; 0 lets the writer number
	// events 1, 2, 3… in the order written.
	GlobalEventID int64
	// SourceName and TargetName are the actors' names as GDELT prints them
	// ("CHINA", "SOUTH KOREA"); the writer upper-cases them.
	SourceName, TargetName string
	// SourceGeo and TargetGeo place the actors; Event.Location is the
	// action's place.
	SourceGeo, TargetGeo *detente.Location
	AvgTone              float64   // average tone of the reporting documents
	DateAdded            time.Time // when detente first recorded the event; zero: the event's date
	SourceURL            string    // URL (or citation) of the first article reporting it
}

// EventWriter writes GDELT 2.0 Events records.
type EventWriter struct {
	w    *bufio.Writer
	next int64
}

// NewEventWriter returns a writer of Events records to w. Call Flush when
// done.
func NewEventWriter(w io.Writer) *EventWriter {
	return &EventWriter{w: bufio.NewWriter(w), next: 1}
}

// WriteHeader writes the column names as a first line. GDELT's own files
// have none; use it for readers that want one.
func (w *EventWriter) WriteHeader() error { return writeRecord(w.w, EventColumns[:]) }

// Write writes one event; meta (at most one) adds what the Event lacks. It
// returns the GlobalEventID written, for the event's Mentions records.
func (w *EventWriter) Write(ev detente.Event, meta ...EventMeta) (int64, error) {
	var m EventMeta
	if len(meta) > 0 {
		m = meta[0]
	}
	id := m.GlobalEventID
	if id == 0 {
		id = w.next
		w.next++
	}
	rec, err := EventRecord(id, ev, m)
	if err != nil {
		return 0, err
	}
	return id, writeRecord(w.w, rec)
}

// Flush writes buffered records to the underlying writer.
func (w *EventWriter) Flush() error { return w.w.Flush() }

// EventRecord returns the 61 fields of ev's Events record.
func EventRecord(id int64, ev detente.Event, m EventMeta) ([]string, error) {
	code := ev.CAMEO
	c, ok := cameo.Lookup(code)
	if !ok {
		return nil, fmt.Errorf("gdelt: event %s: %q is not a CAMEO code", ev.ID, code)
	}
	rec := make([]string, 0, 61)
	rec = append(rec, strconv.FormatInt(id, 10))
	day, err := parseDay(ev.Date)
	if err != nil {
		return nil, fmt.Errorf("gdelt: event %s: %w", ev.ID, err)
	}
	if day.IsZero() {
		rec = append(rec, "", "", "", "")
	} else {
		rec = append(rec, day.Format("20060102"), day.Format("200601"), day.Format("2006"),
			strconv.FormatFloat(float64(day.Year())+float64(day.YearDay())/365, 'f', 4, 64))
	}
	rec = append(rec, actorFields(ev.Source, m.SourceName)...)
	rec = append(rec, actorFields(ev.Target, m.TargetName)...)
	root := 0
	for _, mn := range ev.Mentions {
		if mn.RootEvent {
			root = 1
		}
	}
	rec = append(rec, strconv.Itoa(root), c.Code, gdeltBase(c), c.Root, strconv.Itoa(c.Quad),
		strconv.FormatFloat(c.Goldstein, 'f', -1, 64),
		strconv.Itoa(ev.NumMentions), strconv.Itoa(ev.NumSources), strconv.Itoa(ev.NumArticles),
		strconv.FormatFloat(m.AvgTone, 'f', -1, 64))
	rec = append(rec, geoFields(m.SourceGeo)...)
	rec = append(rec, geoFields(m.TargetGeo)...)
	rec = append(rec, geoFields(ev.Location)...)
	added := m.DateAdded
	if added.IsZero() {
		added = day
	}
	rec = append(rec, timestamp(added), clean(m.SourceURL))
	return rec, nil
}

// gdeltBase is GDELT's EventBaseCode: the three-digit level; a root-level
// event (two digits) keeps its two-digit code, as GDELT prints it.
func gdeltBase(c cameo.Code) string { return c.Base }

func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return d, nil
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("20060102150405")
}

// actorFields breaks a CAMEO actor code into GDELT's ten actor columns:
// code, name, country, known group, ethnic, religion 1–2, type 1–3. The
// code is read in three-letter chunks: a leading country or region code,
// then role (type) codes, religion codes, and for international actors
// (IGO, NGO…) the organisation's own code as the known group. Ethnic
// codes are not separated (left blank).
func actorFields(code, name string) []string {
	f := make([]string, 10)
	f[0] = clean(code)
	f[1] = clean(strings.ToUpper(name))
	if len(code)%3 != 0 {
		return f
	}
	var types, rels []string
	for i := 0; i+3 <= len(code); i += 3 {
		ch := code[i : i+3]
		switch {
		case i == 0 && (isCountry(ch) || regions[ch]):
			f[2] = ch
		case typeCodes[ch]:
			types = append(types, ch)
		case religionCodes[ch]:
			rels = append(rels, ch)
		case f[3] == "" && len(types) > 0 && international[types[len(types)-1]]:
			f[3] = ch
		}
	}
	for i := 0; i < len(rels) && i < 2; i++ {
		f[5+i] = rels[i]
	}
	for i := 0; i < len(types) && i < 3; i++ {
		f[7+i] = types[i]
	}
	return f
}

func isCountry(c string) bool { _, ok := isoToFIPS[c]; return ok }

// geoFields gives the eight Geo columns for a place: type, full name,
// FIPS country, ADM1, ADM2, lat, long, feature id. A place with no
// coordinates and a country is typed as the country itself.
func geoFields(l *detente.Location) []string {
	f := make([]string, 8)
	if l == nil {
		return f
	}
	fips, _ := FIPS(l.Country)
	typ := GeoWorldCity
	if l.Lat == 0 && l.Lon == 0 {
		typ = GeoCountry
	} else if fips == "US" {
		typ = GeoUSCity
	}
	f[0] = strconv.Itoa(typ)
	f[1] = clean(l.Name)
	f[2] = fips
	if typ == GeoCountry {
		f[3] = fips // GDELT repeats the country as ADM1 for country-level places
		return f
	}
	f[5] = strconv.FormatFloat(round4(l.Lat), 'f', -1, 64)
	f[6] = strconv.FormatFloat(round4(l.Lon), 'f', -1, 64)
	return f
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// clean makes a value safe for a tab-separated record: tabs, newlines and
// other control characters become spaces, and double quotes become single
// ones so that CSV readers with default quoting (Go's encoding/csv,
// pandas) still split every line into the same fields. GDELT's own files
// never quote.
func clean(s string) string {
	if !strings.ContainsAny(s, "\t\r\n\"\v\f\x00\u2028\u2029\u0085") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r < 0x20, r == 0x7f, r == 0x85, r == 0x2028, r == 0x2029:
			return ' '
		}
		return r
	}, s)
}

func writeRecord(w *bufio.Writer, rec []string) error {
	for i, f := range rec {
		if i > 0 {
			w.WriteByte('\t')
		}
		w.WriteString(f)
	}
	_, err := w.WriteString("\n")
	return err
}

var typeCodes = set("COP GOV INS JUD MIL OPP PTY REB SEP SPY UAF AGR BUS CRM CVL DEV EDU ELI ENV HLH HRI LAB LEG MED REF MOD RAD SET IGO IMG INT MNC NGM NGO UIS PKO")

var international = set("IGO IMG NGO NGM MNC")

var religionCodes = set("ADR ALE ATH BAH BUD CHR CON CPT CTH DOX DRZ HIN HSD ITR JAN JEW JHW LDS MOS MAZ MIN MRN NRM OFF ORT PAG PRO SHI SHN SIK SUF SUN TAO UDS ZRO")

var regions = set("AFR ASA BLK BAL CAU CAS CFR CRB EAF EEU EIN EUR LAM MEA MDT NAF NMR PGS SAF SAM SAS SEA SCN WAF WST")

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}
