package main

import (
	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
)

// newAnnotator returns the annotation stage over the built-in knowledge
// base and entity model.
func newAnnotator() func(*detente.Article) *detente.Annotations {
	an := annotate.New(annotate.NewKBLexicon(kb.Default()), ner.Default())
	return an.Annotate
}
