// Command gumlist prints GUM's gold named mentions (NameSpans) with context,
// for checking the name rule by eye; with -misc after the folder, the
// names of things trained as MISC.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/detente/detente/nlp/ner"
)

func main() {
	misc := len(os.Args) > 2 && os.Args[2] == "-misc"
	sents, err := ner.LoadGUM(os.Args[1])
	if err != nil {
		panic(err)
	}
	for _, s := range sents {
		if misc {
			// The names of things trained as MISC (MiscSpans).
			for _, sp := range s.MiscSpans() {
				fmt.Printf("%s\tMISC\t%s\n", s.Doc[9:], strings.Join(s.Tokens[sp.Start:sp.End], " "))
			}
			continue
		}
		for _, sp := range s.NameSpans(true) {
			full := ""
			for _, m := range s.Mentions {
				if m.Start <= sp.Start && m.End >= sp.End && m.Identity != "" && ner.MapType(m.Type) == sp.Type {
					full = strings.Join(s.Tokens[m.Start:m.End], " ")
					break
				}
			}
			fmt.Printf("%s\t%s\t%s\t| %s\n", s.Doc[9:], sp.Type, strings.Join(s.Tokens[sp.Start:sp.End], " "), full)
		}
	}
}
