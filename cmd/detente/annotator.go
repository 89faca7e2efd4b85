package main

import (
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/coder"
	"github.com/spf13/cobra"
)

// knowledgeFlags let a run replace the built-in knowledge with the field's
// dictionaries.
type knowledgeFlags struct {
	actors, agents, verbs, discards string
}

func (k *knowledgeFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&k.actors, "actors", "", "PETRARCH/TABARI actor dictionaries (comma-separated) replacing the built-in named actors")
	cmd.Flags().StringVar(&k.agents, "agents", "", "PETRARCH/TABARI agent dictionaries (comma-separated) replacing the built-in agents")
	cmd.Flags().StringVar(&k.verbs, "verbs", "", "verb dictionary (PETRARCH-1, PETRARCH-2 or detente format) replacing the built-in one")
	cmd.Flags().StringVar(&k.discards, "discards", "", "discards file replacing the built-in one")
}

// load builds the annotator and coder for the run.
func (k *knowledgeFlags) load() (*annotate.Annotator, *coder.Coder, error) {
	return loadKnowledge(k.actors, k.agents, k.verbs, k.discards)
}
