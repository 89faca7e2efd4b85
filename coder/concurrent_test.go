package coder

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/detente/detente"
)

// One Coder codes from many goroutines at once (the pipeline's workers
// share it): each gets the events it gets alone. Run with -race, this
// also checks that the coder's pooled buffers are per call.
func TestCodeFromManyGoroutines(t *testing.T) {
	an, c := builtin(t)
	texts := []string{
		benchBody,
		"China and South Korea agreed on Tuesday to normalize relations. Seoul said it would not deploy more missile batteries.",
		"Russian forces attacked Ukrainian positions near Kharkiv, Kyiv said. The United Nations condemned the attack.",
		"The Iranian foreign minister met his French counterpart in Paris on Monday to discuss the nuclear deal.",
	}
	type job struct {
		a   *detente.Article
		ann *detente.Annotations
	}
	var jobs []job
	var want [][]detente.Event
	for i, body := range texts {
		a := &detente.Article{ID: fmt.Sprintf("a%d", i), Body: body, Published: "2023-03-01", Language: "en"}
		ann := an.Annotate(a)
		jobs = append(jobs, job{a, ann})
		want = append(want, c.Code(a, ann))
	}
	if len(want[1]) == 0 || len(want[2]) == 0 {
		t.Fatalf("the test texts code no events: %v", want)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 6 {
				i := (g + r) % len(jobs)
				if got := c.Code(jobs[i].a, jobs[i].ann); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("goroutine %d, text %d: %d events, want %d", g, i, len(got), len(want[i]))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	var msgs []string
	for m := range errs {
		msgs = append(msgs, m)
	}
	if len(msgs) > 0 {
		t.Errorf("concurrent coding differs from coding alone:\n%s", strings.Join(msgs, "\n"))
	}
}
