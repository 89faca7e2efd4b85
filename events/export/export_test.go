package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo/gdelt"
	"github.com/detente/detente/store/sqlite"
)

// hostile is text with everything that breaks naive tab-separated or CSV
// output: a tab, line breaks, quotes and a comma.
const hostile = "said \"no\",\tthen\nleft\r\n"

// store holds two articles (outlets are stored trimmed) from two outlets that report one event, and a
// copy of the first: one event, three mentions.
func store(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	body := "China and South Korea agreed to meet in Seoul.\nTalks follow."
	ev := func(id string) detente.Event {
		return detente.Event{Source: "CHN", Target: "KOR", CAMEO: "036", Date: "2024-05-06",
			Location: &detente.Location{Name: "Seoul", Country: "KOR", Lat: 37.56667, Lon: 126.97806},
			Mentions: []detente.EventMention{{ArticleID: id, Sentence: detente.Span{Start: 0, End: 46},
				SourceSpan: detente.Span{Start: 0, End: 5}, TargetSpan: detente.Span{Start: 10, End: 21},
				VerbSpan: detente.Span{Start: 22, End: 28}, RootEvent: true, Confidence: 0.85, Explanation: "agreed to meet " + hostile}}}
	}
	items := []detente.PutItem{
		{Article: &detente.Article{ID: "a1", URL: "https://example.org/a?x=1\t2", Source: "Outlet " + hostile, Published: "2024-05-06", Body: body},
			Fingerprint: detente.Fingerprint{Exact: "h1"}, Annotations: &detente.Annotations{Sentences: []detente.Span{{Start: 0, End: 46}, {Start: 47, End: 60}}},
			Events: []detente.Event{ev("a1")}},
		{Article: &detente.Article{ID: "a2", Source: "Yonhap", Body: body + " More."}, Fingerprint: detente.Fingerprint{Exact: "h2"},
			Events: []detente.Event{ev("a2")}},
		{Article: &detente.Article{ID: "a3", URL: "https://copy.example/3", Source: "Copier", Body: body}, Fingerprint: detente.Fingerprint{Exact: "h1"},
			Duplicate: &detente.Duplicate{Of: "a1", Kind: detente.CopyExact, Similarity: 1}},
	}
	if _, err := db.PutBatch(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	return db
}

func export(t *testing.T, db *sqlite.DB, format string, o Options) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := Write(context.Background(), &b, db, format, detente.EventFilter{}, o); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.String()
}

func TestGDELTExportsHaveGDELTsColumnsWhateverTheText(t *testing.T) {
	db := store(t)
	cases := []struct {
		format  string
		columns int
		records int
	}{
		{"gdelt-events", 61, 1},
		{"gdelt-mentions", 16, 3},
	}
	for _, c := range cases {
		t.Run(c.format, func(t *testing.T) {
			out := export(t, db, c.format, Options{})
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != c.records {
				t.Fatalf("%d lines, want %d records:\n%s", len(lines), c.records, out)
			}
			for i, l := range lines {
				if n := len(strings.Split(l, "\t")); n != c.columns {
					t.Errorf("record %d has %d fields, want %d: %q", i, n, c.columns, l)
				}
				if strings.ContainsAny(l, "\r\"") {
					t.Errorf("record %d carries a raw quote or carriage return: %q", i, l)
				}
			}
			withHeader := export(t, db, c.format, Options{Header: true})
			if !strings.HasPrefix(withHeader, "GlobalEventID\t") || strings.Count(withHeader, "\n") != c.records+1 {
				t.Errorf("with header: %q", withHeader)
			}
		})
	}
}

func TestGDELTEventsRecordCarriesTheMergedCounts(t *testing.T) {
	f := strings.Split(strings.TrimSuffix(export(t, store(t), "gdelt-events", Options{}), "\n"), "\t")
	want := map[string]string{
		"Day": "20240506", "Actor1Code": "CHN", "Actor2Code": "KOR", "IsRootEvent": "1", "EventCode": "036",
		"EventRootCode": "03", "QuadClass": "1", "NumMentions": "3", "NumSources": "3", "NumArticles": "3",
		"ActionGeo_FullName": "Seoul", "ActionGeo_CountryCode": "KS", "SOURCEURL": "https://example.org/a?x=1 2",
	}
	cols := map[string]int{}
	for i, c := range gdelt.EventColumns {
		cols[c] = i
	}
	for col, v := range want {
		if got := f[cols[col]]; got != v {
			t.Errorf("%s = %q, want %q", col, got, v)
		}
	}
}

func TestGDELTMentionsCiteEachReportingArticle(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(export(t, store(t), "gdelt-mentions", Options{}), "\n"), "\n")
	type row struct{ typ, source, ident, sentence, actor1 string }
	var got []row
	for _, l := range lines {
		f := strings.Split(l, "\t")
		got = append(got, row{f[3], f[4], f[5], f[6], f[7]})
	}
	want := []row{
		{"1", "Outlet said 'no', then left", "https://example.org/a?x=1 2", "1", "0"},
		{"2", "Yonhap", "a2", "0", "0"},
		{"1", "Copier", "https://copy.example/3", "1", "0"},
	}
	if len(got) != len(want) {
		t.Fatalf("mentions = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mention %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCSVAndJSONLinesKeepTheTextExactly(t *testing.T) {
	db := store(t)
	rows, err := csv.NewReader(strings.NewReader(export(t, db, "csv", Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || len(rows[0]) != len(CSVColumns) || len(rows[1]) != len(CSVColumns) {
		t.Fatalf("csv rows = %q; want a header and one event of %d columns", rows, len(CSVColumns))
	}
	rec := map[string]string{}
	for i, c := range rows[0] {
		rec[c] = rows[1][i]
	}
	if rec["explanation"] != "agreed to meet "+strings.ReplaceAll(hostile, "\r\n", "\n") || rec["cameo_name"] == "" || rec["num_sources"] != "3" {
		t.Errorf("csv record = %q", rec)
	}
	var r Record
	if err := json.Unmarshal([]byte(export(t, db, "jsonl", Options{})), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Mentions) != 3 || r.Mentions[0].Outlet != "Outlet "+strings.TrimSpace(hostile) || r.Mentions[0].Explanation != "agreed to meet "+hostile || r.GlobalEventID == 0 {
		t.Errorf("jsonl record = %+v", r)
	}
}

func TestAnUnknownFormatIsInvalid(t *testing.T) {
	if _, err := Write(context.Background(), &bytes.Buffer{}, store(t), "xml", detente.EventFilter{}, Options{}); detente.ErrorCode(err) != detente.EINVALID {
		t.Errorf("format xml: %v, want EINVALID", err)
	}
}

func TestCSVTextCellsAreNeverSpreadsheetFormulas(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil.example","x")`: `'=HYPERLINK("http://evil.example","x")`,
		"+1+1":                                  "'+1+1",
		"-2+3":                                  "'-2+3",
		"@SUM(A1)":                              "'@SUM(A1)",
		"\tcmd":                                 "'\tcmd",
		"agreed to meet":                        "agreed to meet",
		"":                                      "",
		"https://example.org/":                  "https://example.org/",
	} {
		if got := textCell(in); got != want {
			t.Errorf("textCell(%q) = %q, want %q", in, got, want)
		}
	}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	body := "Rebels attacked the town."
	item := detente.PutItem{Article: &detente.Article{ID: "f1", URL: "=cmd|' /C calc'!A0", Source: "X", Published: "2024-05-06", Body: body},
		Fingerprint: detente.Fingerprint{Exact: "f1"},
		Events: []detente.Event{{Source: "=1+1", Target: "GOV", CAMEO: "190", Date: "2024-05-06", Goldstein: -10,
			Mentions: []detente.EventMention{{ArticleID: "f1", Sentence: detente.Span{Start: 0, End: 25}, Explanation: "@attacked → 190"}}}}}
	if _, err := db.PutBatch(context.Background(), []detente.PutItem{item}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(export(t, db, "csv", Options{}))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv: %v %q", err, rows)
	}
	for i, cell := range rows[1] {
		col := rows[0][i]
		if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
			t.Errorf("column %s starts a formula: %q", col, cell)
		}
		if col == "goldstein" && cell != "-10" {
			t.Errorf("goldstein = %q: numbers must stay numbers", cell)
		}
	}
}
