package dict

import (
	"strings"
	"testing"
)

func TestParseDateReadsBothCenturiesAndTypos(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"170510", 20170510},
		{"300101", 20300101},
		{"320101", 19320101},
		{"20170510", 20170510},
		{"9008223", 19900822},    // seven digits: a stray extra digit
		{"201005011", 20100501},  // nine digits
		{"1920030320", 20030320}, // a stray century before YYYYMMDD
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "17x510", "171310", "12"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted a bad date", bad)
		}
	}
}

func TestParseActorsGroupsCodelessPhrasesAndDates(t *testing.T) {
	src := `# comment
THE_UNITED_NATIONS_
UN_
	[IGOUNO]
MOON_JAE_IN_  ; CountryInfo.txt
	[KORGOV 070501-080731]
	[KORELI]
XI_JINPING
+PRESIDENT_XI_JINPING
	[CHNGOV >20121115]
SOMEONE_
	[ABCGOV <900101] [---]
DANGLING_
`
	recs, errs, err := ParseActors(strings.NewReader(src))
	if err != nil || len(errs) != 0 {
		t.Fatalf("err %v, warnings %v", err, errs)
	}
	if len(recs) != 4 {
		t.Fatalf("got %d records, want 4 (the dangling phrase has no code): %+v", len(recs), recs)
	}
	if got := strings.Join(recs[0].Names, "|"); got != "THE UNITED NATIONS|UN" || recs[0].Default != "IGOUNO" {
		t.Errorf("UN record = %q default %q", got, recs[0].Default)
	}
	moon := recs[1]
	if moon.Comment != "CountryInfo.txt" || len(moon.Roles) != 1 || moon.Roles[0] != (Role{"KORGOV", 20070501, 20080731}) || moon.Default != "KORELI" {
		t.Errorf("Moon record = %+v", moon)
	}
	if xi := recs[2]; len(xi.Names) != 2 || xi.Roles[0] != (Role{"CHNGOV", 20121115, 0}) {
		t.Errorf("Xi record = %+v", xi)
	}
	if r := recs[3].Roles; len(r) != 1 || r[0] != (Role{"ABCGOV", 0, 19900101}) {
		t.Errorf("a '<date' role and a null code: %+v", r)
	}
}

func TestParseAgentsExpandsPluralsAndSubstitutions(t *testing.T) {
	src := `!MINIST! = MINISTER, MINISTRY
LAWMAKER [~LEG]
POLICE {} [~COP]
FOREIGN_!MINIST! [~GOV]
CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]
PARTY [~PTY]
PEACEKEEPING_TROOPS {} [IGO~]
MINISTRY_ [~GOV]
`
	ags, errs, err := ParseAgents(strings.NewReader(src))
	if err != nil || len(errs) != 0 {
		t.Fatalf("err %v, warnings %v", err, errs)
	}
	got := map[string]string{}
	for _, a := range ags {
		code := a.Code
		if a.Prefix {
			code += "~"
		}
		got[a.Phrase] = code
	}
	want := map[string]string{"LAWMAKER": "LEG", "LAWMAKERS": "LEG", "POLICE": "COP", "FOREIGN MINISTER": "GOV",
		"FOREIGN MINISTRY": "GOV", "CHAMBER OF COMMERCE": "BUS", "CHAMBERS OF COMMERCE": "BUS", "PARTY": "PTY",
		"PARTIES": "PTY", "PEACEKEEPING TROOPS": "IGO~", "MINISTRY": "GOV"}
	for p, c := range want {
		if got[p] != c {
			t.Errorf("%q = %q, want %q", p, got[p], c)
		}
	}
	for _, never := range []string{"POLICES", "MINISTRYS", "MINISTRIES", "FOREIGN MINISTRYS"} {
		if _, ok := got[never]; ok {
			t.Errorf("%q should not be generated", never)
		}
	}
}
