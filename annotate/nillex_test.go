package annotate

import (
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/nlp/ner"
)

// An annotator without a lexicon (New(nil, model)) annotates an
// organization whose name starts like a formal polity name ("State of …")
// without looking it up: the polity rule once did, and panicked.
func TestPolityNamesWithoutALexicon(t *testing.T) {
	an := New(nil, ner.Default())
	out := an.Annotate(&detente.Article{Body: "The State of Palestine Liberation Office issued a statement on Monday.", Language: "en"})
	if len(out.Entities) == 0 || out.Entities[0].Type != detente.EntityOrg {
		t.Fatalf("entities = %+v, want the office as an organization", out.Entities)
	}
}
