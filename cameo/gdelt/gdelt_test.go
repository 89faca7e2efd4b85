package gdelt

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/detente/detente"

	"github.com/detente/detente/internal/shareddata"
)

// example is a worked event: China and South Korea's governments agree to
// meet, reported twice, located in Beijing.
func example() (detente.Event, EventMeta) {
	ev := detente.Event{
		ID: "ev1", Source: "CHNGOV", Target: "KORGOV",
		CAMEO: "036", Base: "036", Root: "03", Quad: 1, Goldstein: 4, PLOVER: "AGREE", Mode: "future",
		Date:     "2024-03-05",
		Location: &detente.Location{Name: "Beijing, China", Country: "CHN", Lat: 39.9075, Lon: 116.39723},
		Mentions: []detente.EventMention{
			{ArticleID: "a1", SourceSpan: detente.Span{Start: 0, End: 5}, TargetSpan: detente.Span{Start: 10, End: 21},
				VerbSpan: detente.Span{Start: 27, End: 31}, RootEvent: true, Confidence: 0.8},
		},
		NumMentions: 2, NumSources: 1, NumArticles: 2,
	}
	meta := EventMeta{
		GlobalEventID: 1001,
		SourceName:    "China", TargetName: "South Korea",
		SourceGeo: &detente.Location{Name: "China", Country: "CHN"},
		AvgTone:   1.25,
		DateAdded: time.Date(2024, 3, 5, 14, 15, 0, 0, time.UTC),
		SourceURL: "https://example.org/news/1",
	}
	return ev, meta
}

func readTSV(t *testing.T, s string, fields int) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = '\t'
	r.FieldsPerRecord = fields
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV reader: %v\n%s", err, s)
	}
	return recs
}

func TestThereAre61EventAnd16MentionColumns(t *testing.T) {
	if len(EventColumns) != 61 || len(MentionColumns) != 16 {
		t.Fatalf("columns: %d events, %d mentions", len(EventColumns), len(MentionColumns))
	}
	seen := map[string]bool{}
	for _, c := range append(EventColumns[:], MentionColumns[1:]...) {
		if seen[c] {
			t.Errorf("column %s repeated", c)
		}
		seen[c] = true
	}
}

func TestTheWorkedExampleRoundTripsThroughACSVReader(t *testing.T) {
	ev, meta := example()
	var buf bytes.Buffer
	w := NewEventWriter(&buf)
	if err := w.WriteHeader(); err != nil {
		t.Fatal(err)
	}
	id, err := w.Write(ev, meta)
	if err != nil || id != 1001 {
		t.Fatalf("Write = %d, %v", id, err)
	}
	w.Flush()
	recs := readTSV(t, buf.String(), 61)
	if len(recs) != 2 {
		t.Fatalf("%d lines, want header + 1", len(recs))
	}
	got := map[string]string{}
	for i, name := range recs[0] {
		got[name] = recs[1][i]
	}
	want := map[string]string{
		"GlobalEventID": "1001", "Day": "20240305", "MonthYear": "202403", "Year": "2024", "FractionDate": "2024.1781",
		"Actor1Code": "CHNGOV", "Actor1Name": "CHINA", "Actor1CountryCode": "CHN", "Actor1Type1Code": "GOV",
		"Actor2Code": "KORGOV", "Actor2Name": "SOUTH KOREA", "Actor2CountryCode": "KOR", "Actor2Type1Code": "GOV",
		"IsRootEvent": "1", "EventCode": "036", "EventBaseCode": "036", "EventRootCode": "03",
		"QuadClass": "1", "GoldsteinScale": "4", "NumMentions": "2", "NumSources": "1", "NumArticles": "2",
		"AvgTone":        "1.25",
		"Actor1Geo_Type": "1", "Actor1Geo_FullName": "China", "Actor1Geo_CountryCode": "CH", "Actor1Geo_ADM1Code": "CH",
		"Actor2Geo_Type": "", "Actor2Geo_CountryCode": "",
		"ActionGeo_Type": "4", "ActionGeo_FullName": "Beijing, China", "ActionGeo_CountryCode": "CH",
		"ActionGeo_Lat": "39.9075", "ActionGeo_Long": "116.3972",
		"DATEADDED": "20240305141500", "SOURCEURL": "https://example.org/news/1",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestValuesWithTabsNewlinesAndQuotesStayInOneField(t *testing.T) {
	ev, meta := example()
	meta.SourceName = "Bad\tname\nwith \"quotes\""
	meta.SourceURL = "https://example.org/a\tb"
	var buf bytes.Buffer
	w := NewEventWriter(&buf)
	if _, err := w.Write(ev, meta); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if n := strings.Count(buf.String(), "\n"); n != 1 {
		t.Fatalf("%d lines, want 1", n)
	}
	rec := readTSV(t, buf.String(), 61)[0]
	if rec[6] != "BAD NAME WITH 'QUOTES'" || rec[60] != "https://example.org/a b" {
		t.Errorf("cleaned fields = %q, %q", rec[6], rec[60])
	}
}

func TestEventsWithoutMetaAreNumberedInOrder(t *testing.T) {
	ev, _ := example()
	var buf bytes.Buffer
	w := NewEventWriter(&buf)
	for want := int64(1); want <= 3; want++ {
		id, err := w.Write(ev)
		if err != nil || id != want {
			t.Fatalf("Write = %d, %v; want %d", id, err, want)
		}
	}
	w.Flush()
	recs := readTSV(t, buf.String(), 61)
	if recs[2][0] != "3" || recs[0][59] != "20240305000000" {
		t.Errorf("id %q, DATEADDED %q", recs[2][0], recs[0][59])
	}
}

func TestBadEventsAreRefused(t *testing.T) {
	for name, mut := range map[string]func(*detente.Event){
		"an unknown CAMEO code": func(e *detente.Event) { e.CAMEO = "999" },
		"a malformed date":      func(e *detente.Event) { e.Date = "5 March 2024" },
	} {
		ev, _ := example()
		mut(&ev)
		if _, err := NewEventWriter(&bytes.Buffer{}).Write(ev); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestActorCodesSplitIntoGDELTsColumns(t *testing.T) {
	tests := []struct {
		code string
		want [10]string
	}{
		{"USAMIL", [10]string{"USAMIL", "", "USA", "", "", "", "", "MIL", "", ""}},
		{"IGOUNO", [10]string{"IGOUNO", "", "", "UNO", "", "", "", "IGO", "", ""}},
		{"IRQMOSSHIREB", [10]string{"IRQMOSSHIREB", "", "IRQ", "", "", "MOS", "SHI", "REB", "", ""}},
		{"MEAOPP", [10]string{"MEAOPP", "", "MEA", "", "", "", "", "OPP", "", ""}},
		{"", [10]string{}},
	}
	for _, tt := range tests {
		got := actorFields(tt.code, "")
		if [10]string(got) != tt.want {
			t.Errorf("actorFields(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestMentionsHave16FieldsAndGDELTConventions(t *testing.T) {
	ev, _ := example()
	mn := ev.Mentions[0]
	mn.TargetSpan = detente.Span{}
	var buf bytes.Buffer
	w := NewMentionWriter(&buf)
	w.WriteHeader()
	err := w.Write(1001, mn, MentionMeta{
		EventTimeDate:   time.Date(2024, 3, 5, 14, 15, 0, 0, time.UTC),
		MentionTimeDate: time.Date(2024, 3, 6, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		SourceName:      "example.org", Identifier: "https://example.org/news/1",
		SentenceID: 2, DocLen: 1834, DocTone: -0.5, Extras: "a\tb",
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Flush()
	recs := readTSV(t, buf.String(), 16)
	got := map[string]string{}
	for i, name := range recs[0] {
		got[name] = recs[1][i]
	}
	want := map[string]string{
		"GlobalEventID": "1001", "EventTimeDate": "20240305141500", "MentionTimeDate": "20240306000000",
		"MentionType": "1", "MentionSourceName": "example.org", "MentionIdentifier": "https://example.org/news/1",
		"SentenceID": "2", "Actor1CharOffset": "0", "Actor2CharOffset": "-1", "ActionCharOffset": "27",
		"InRawText": "1", "Confidence": "80", "MentionDocLen": "1834", "MentionDocTone": "-0.5",
		"MentionDocTranslationInfo": "", "Extras": "a b",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if r := MentionRecord(1, mn, MentionMeta{Identifier: "BBC Monitoring, 5 March"}); r[3] != "2" {
		t.Errorf("a citation's MentionType = %s, want 2 (CITATIONONLY)", r[3])
	}
}

func TestFIPSSpotChecks(t *testing.T) {
	for iso, fips := range map[string]string{"CHN": "CH", "DEU": "GM", "GBR": "UK", "KOR": "KS", "PRK": "KN",
		"USA": "US", "RUS": "RS", "ISR": "IS", "PSE": "WE", "AUS": "AS", "AUT": "AU", "XKX": "KV"} {
		if got, ok := FIPS(iso); !ok || got != fips {
			t.Errorf("FIPS(%s) = %q, want %q", iso, got, fips)
		}
	}
	if _, ok := FIPS("XXX"); ok {
		t.Error("FIPS(XXX) found")
	}
	seen := map[string]string{}
	for iso, f := range isoToFIPS {
		if len(f) != 2 {
			t.Errorf("%s → %q: FIPS codes have two letters", iso, f)
		}
		if other, dup := seen[f]; dup && f != "KV" {
			t.Errorf("%s and %s both map to %s", iso, other, f)
		}
		seen[f] = iso
	}
}

// sharedDir finds the shared data, or skips.
func sharedDir(t *testing.T) string {
	t.Helper()
	shareddata.Require(t, "gazetteer", "world-countries.tsv")
	return shareddata.Dir()
}

func TestEveryGazetteerCountryWithAFIPSCodeIsCovered(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedDir(t), "gazetteer", "world-countries.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	noFIPS := map[string]bool{"ALA": true, "BES": true, "UMI": true} // never separately coded in FIPS 10-4
	sc := bufio.NewScanner(f)
	sc.Scan()
	n := 0
	for sc.Scan() {
		iso := strings.Split(sc.Text(), "\t")[1]
		n++
		if _, ok := FIPS(iso); !ok && !noFIPS[iso] {
			t.Errorf("no FIPS code for %s", iso)
		}
	}
	if n < 240 {
		t.Errorf("read %d countries", n)
	}
}
