package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/detente/detente"
	"github.com/detente/detente/ingest"
)

func ExampleOpen() {
	r, c, err := ingest.Open("testdata/accord.txt", ingest.Options{Published: "2021-06-07"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	for {
		a, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *ingest.RecordError
		if errors.As(err, &re) {
			fmt.Println("skipped:", re)
			continue
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s | %s | %s | %s\n", a.Title, a.Source, a.Published, a.Origin)
	}
	// Output: Finland and Sweden sign border cooperation accord | Nordic Wire | 2021-06-07 | testdata/accord.txt
}

func ExampleWalk() {
	err := ingest.Walk(context.Background(), []string{"testdata/articles.jsonl"}, ingest.Options{}, func(a *detente.Article, err error) error {
		if err != nil {
			fmt.Println("error:", err)
			return nil
		}
		fmt.Println(a.Origin, a.Title)
		return nil
	})
	fmt.Println(err)
	// Output:
	// testdata/articles.jsonl:line 1 Parliament passes budget
	// testdata/articles.jsonl:line 2 Talks resume in Geneva
	// error: testdata/articles.jsonl:line 3: invalid JSON at byte 61: unexpected end of JSON input
	// testdata/articles.jsonl:line 4 Port strike ends
	// error: testdata/articles.jsonl:line 5: record has no body text (body, text, content or maintext)
	// testdata/articles.jsonl:line 6 Ministers meet
	// <nil>
}
