package dict

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ReadDiscardsFile reads a PETRARCH discard list.
func ReadDiscardsFile(path string) ([]Discard, []ParseError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	ds, errs := ReadDiscards(f, filepath.Base(path))
	return ds, errs, nil
}

// ReadDiscards reads a PETRARCH discard list: one phrase a line, "+phrase"
// for a story-level discard, a trailing "_" when the phrase must end at a
// word boundary, "#" and "<!-- -->" comments.
func ReadDiscards(r io.Reader, name string) ([]Discard, []ParseError) {
	var out []Discard
	var errs []ParseError
	sc := bufio.NewScanner(r)
	line := 0
	inXML := false
	for sc.Scan() {
		line++
		text, in := stripXMLComment(sc.Text(), inXML)
		inXML = in
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		d := Discard{Source: name + ":" + itoa(line)}
		if strings.HasPrefix(text, "+") {
			d.Story = true
			text = strings.TrimSpace(text[1:])
		}
		if strings.HasSuffix(text, "_") {
			d.WholeWord = true
		}
		d.Text = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(text, "_", " ")), " "))
		if d.Text == "" || strings.ContainsAny(d.Text, "[]{}") {
			errs = append(errs, ParseError{File: name, Line: line, Reason: "discard must be a plain phrase", Text: sc.Text()})
			continue
		}
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, ParseError{File: name, Line: line, Reason: "read error: " + err.Error()})
	}
	return out, errs
}
