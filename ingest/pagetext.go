package ingest

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/detente/detente"
)

// pagetextReader reads a page-text dump: the visible text of one web page,
// one article per file.
//
// Layout (see the seed article): line 1 the title, line 2 the outlet, then
// everything else (tag-list line, widget lines, paragraphs) as the body,
// one paragraph a line. Line 2 counts as the outlet only when it looks like
// a name: at most 60 characters and 8 words, not ending like a sentence and
// not a JSON line. Otherwise the file is plain prose: line 1 is still the
// title, there is no outlet, and the rest is the body.
type pagetextReader struct {
	r    io.Reader
	name string
	opts Options
	done bool
}

func newPagetextReader(r io.Reader, name string, opts Options) *pagetextReader {
	return &pagetextReader{r: r, name: name, opts: opts}
}

func (p *pagetextReader) Next() (*detente.Article, error) {
	if p.done {
		return nil, io.EOF
	}
	p.done = true
	data, err := io.ReadAll(io.LimitReader(p.r, int64(p.opts.MaxRecordBytes)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > p.opts.MaxRecordBytes {
		return nil, &RecordError{Origin: p.name, Err: fmt.Errorf("page text larger than the %d-byte record limit", p.opts.MaxRecordBytes)}
	}
	a, err := parsePagetext(string(data))
	if err != nil {
		return nil, &RecordError{Origin: p.name, Err: err}
	}
	fillDefaults(a, &p.opts, p.name)
	return a, nil
}

// parsePagetext splits a page-text dump into title, outlet and body.
func parsePagetext(s string) (*detente.Article, error) {
	s = strings.TrimPrefix(s, "\ufeff")
	lines := strings.Split(paragraphs(s), "\n")
	if len(lines) == 0 || lines[0] == "" {
		return nil, errors.New("empty page text")
	}
	a := &detente.Article{Title: oneLine(lines[0])}
	rest := lines[1:]
	if len(rest) > 0 && looksLikeOutlet(rest[0]) {
		a.Source = oneLine(rest[0])
		rest = rest[1:]
	}
	a.Body = strings.Join(rest, "\n")
	if a.Body == "" {
		return nil, errors.New("page text has a title but no body")
	}
	return a, nil
}

// looksLikeOutlet tells an outlet name ("CGTN", "The New York Times") from
// a first paragraph or a JSON tag line.
func looksLikeOutlet(line string) bool {
	if line == "" || utf8.RuneCountInString(line) > 60 || len(strings.Fields(line)) > 8 {
		return false
	}
	switch line[0] {
	case '[', '{', '"', '\'':
		return false
	}
	switch line[len(line)-1] {
	case '.', '!', '?', ':', ';', ',', '"':
		return false
	}
	return true
}
