package annotate

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
)

func entityTypes(ents []detente.Entity) map[string]string {
	out := map[string]string{}
	for _, e := range ents {
		out[e.Text] = e.Type
	}
	return out
}

func TestMatchReportCountriesAreTeams(t *testing.T) {
	an := New(lex, nil)
	report := "Ruritania beat China 2-0 in the match on Sunday. The coach praised the goalkeeper. " +
		"China scored late but the goal was ruled out. Ruritania won 3 – 1 in the return match in China."
	got := an.Annotate(&detente.Article{Body: report, Language: "en"}).Entities
	teams, places := 0, 0
	for _, e := range got {
		switch e.Type {
		case detente.EntityOrg:
			teams++
		case detente.EntityGPE:
			places++
			if e.Start != utf8.RuneCountInString(report[:strings.LastIndex(report, "China")]) {
				t.Errorf("%q at %d read as a place in a match report", e.Text, e.Start)
			}
		}
	}
	if teams != 4 || places != 1 {
		t.Errorf("teams %d, places %d, want 4 and 1 ('in China' stays a place): %+v", teams, places, got)
	}

	// The same countries outside a match report are countries.
	news := "Ruritania and China signed a trade deal on Sunday."
	for text, typ := range entityTypes(an.Annotate(&detente.Article{Body: news, Language: "en"}).Entities) {
		if typ != detente.EntityGPE && typ != "" {
			t.Errorf("%q is %s outside a match report", text, typ)
		}
	}
}
