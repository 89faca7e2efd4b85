// Command trainner retrains the shipped NER model from the shared gold sets
// (the same as `detente train ner`): go run ./nlp/ner/internal/trainner
// -shared ../shared -o nlp/ner/model.bin.gz
package main

import (
	"bytes"
	"flag"
	"log"
	"os"

	"github.com/detente/detente/nlp/ner"
)

func main() {
	shared := flag.String("shared", "../shared", "shared data folder")
	out := flag.String("o", "nlp/ner/model.bin.gz", "model file to write")
	flag.Parse()
	var buf bytes.Buffer
	if err := ner.TrainFromShared(*shared, &buf, os.Stderr); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
