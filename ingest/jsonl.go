package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/ingest/extract"
)

// Field names the JSONL reader accepts, first match wins. They cover the
// corpora detente meets: its own export, news-please (maintext,
// date_publish, source_domain), NewsAPI (content, publishedAt, source.name)
// and common scrapers.
var (
	idKeys        = []string{"id", "_id", "guid"}
	titleKeys     = []string{"title", "headline"}
	bodyKeys      = []string{"body", "text", "content", "maintext", "article", "articleBody"}
	sourceKeys    = []string{"source", "outlet", "site", "source_domain", "site_name", "publisher"}
	urlKeys       = []string{"url", "link"}
	publishedKeys = []string{"published", "date", "date_publish", "published_at", "publishedAt", "pubDate", "publish_date", "datePublished"}
	crawledKeys   = []string{"crawled", "date_download"}
	tagKeys       = []string{"tags", "keywords", "categories"}
	authorKeys    = []string{"author", "authors", "byline"}
	languageKeys  = []string{"language", "lang"}
	textFromKeys  = []string{"text_from"}
)

// jsonlReader reads one JSON object per line, or a JSON array of such
// objects (a .json file). Lines are read with a cap: a line longer than
// MaxRecordBytes is skipped to its newline without being held in memory
// and reported as a *RecordError.
type jsonlReader struct {
	br    *bufio.Reader
	name  string
	opts  Options
	line  int
	err   error
	array *json.Decoder // set once the input turns out to be a JSON array
	item  int
	start bool
}

func newJSONLReader(r io.Reader, name string, opts Options) *jsonlReader {
	return &jsonlReader{br: bufio.NewReaderSize(r, 64<<10), name: name, opts: opts, start: true}
}

var errLineTooLong = errors.New("line too long")

func (j *jsonlReader) Next() (*detente.Article, error) {
	if j.err != nil {
		return nil, j.err
	}
	if j.start {
		j.start = false
		if err := j.sniffArray(); err != nil {
			j.err = err
			return nil, err
		}
	}
	if j.array != nil {
		return j.nextItem()
	}
	for {
		line, err := j.readLine()
		if err == errLineTooLong {
			return nil, &RecordError{Origin: j.origin(), Err: fmt.Errorf("line longer than the %d-byte record limit; skipped", j.opts.MaxRecordBytes)}
		}
		if err != nil && (err != io.EOF || len(line) == 0) {
			j.err = err
			return nil, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		a, rerr := decodeArticle(line)
		if rerr != nil {
			return nil, &RecordError{Origin: j.origin(), Err: rerr}
		}
		fillDefaults(a, &j.opts, j.origin())
		return a, nil
	}
}

func (j *jsonlReader) origin() string { return fmt.Sprintf("%s:line %d", j.name, j.line) }

// sniffArray switches to array mode when the first byte that is not white
// space (or a byte-order mark) is '['.
func (j *jsonlReader) sniffArray() error {
	for {
		b, err := j.br.Peek(1)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch b[0] {
		case ' ', '\t', '\r':
			j.br.Discard(1)
			continue
		case '\n':
			j.br.Discard(1)
			j.line++
			continue
		case 0xef:
			if bom, _ := j.br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
				j.br.Discard(3)
				continue
			}
		case '[':
			j.array = json.NewDecoder(j.br)
			if _, err := j.array.Token(); err != nil {
				return err
			}
		}
		return nil
	}
}

// nextItem decodes one element of a JSON array. A malformed element that
// is still valid JSON is a *RecordError; a syntax error ends the input
// since an array cannot be resynchronized.
func (j *jsonlReader) nextItem() (*detente.Article, error) {
	if !j.array.More() {
		j.err = io.EOF
		return nil, io.EOF
	}
	j.item++
	origin := fmt.Sprintf("%s:item %d", j.name, j.item)
	var raw json.RawMessage
	if err := j.array.Decode(&raw); err != nil {
		j.err = fmt.Errorf("JSON array item %d: %w", j.item, err)
		return nil, j.err
	}
	if len(raw) > j.opts.MaxRecordBytes {
		return nil, &RecordError{Origin: origin, Err: fmt.Errorf("item larger than the %d-byte record limit", j.opts.MaxRecordBytes)}
	}
	a, err := decodeArticle(raw)
	if err != nil {
		return nil, &RecordError{Origin: origin, Err: err}
	}
	fillDefaults(a, &j.opts, origin)
	return a, nil
}

// readLine returns the next line without its newline. A line longer than
// the cap is consumed up to its newline but not kept: errLineTooLong.
func (j *jsonlReader) readLine() ([]byte, error) {
	j.line++
	var buf []byte
	tooLong := false
	for {
		frag, err := j.br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(frag) > j.opts.MaxRecordBytes+1 { // +1: the newline
				tooLong, buf = true, nil
			} else {
				buf = append(buf, frag...)
			}
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil:
			if tooLong {
				return nil, errLineTooLong
			}
			return buf, nil
		default:
			if tooLong {
				return nil, errLineTooLong
			}
			return buf, err
		}
	}
}

// decodeArticle maps one JSON object to an article.
func decodeArticle(line []byte) (*detente.Article, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
		}
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	a := &detente.Article{
		ID:       oneLine(scalar(first(m, idKeys))),
		Title:    oneLine(scalar(first(m, titleKeys))),
		URL:      oneLine(scalar(first(m, urlKeys))),
		Source:   oneLine(sourceName(first(m, sourceKeys))),
		Author:   oneLine(strings.Join(names(first(m, authorKeys)), ", ")),
		Language: extract.Language(scalar(first(m, languageKeys))),
		TextFrom: oneLine(scalar(first(m, textFromKeys))),
		Tags:     names(first(m, tagKeys)),
		Body:     paragraphs(strings.Join(texts(first(m, bodyKeys)), "\n")),
	}
	if a.Body == "" {
		return nil, errors.New("record has no body text (body, text, content or maintext)")
	}
	a.Published, _ = normalizeDate(dateValue(first(m, publishedKeys)))
	if c, ok := normalizeDate(dateValue(first(m, crawledKeys))); ok {
		if t, err := time.Parse("2006-01-02", c); err == nil {
			c = t.Format(time.RFC3339)
		}
		a.Crawled = c
	}
	return a, nil
}

// first returns the value of the first key present and not null.
func first(m map[string]json.RawMessage, keys []string) json.RawMessage {
	for _, k := range keys {
		if v, ok := m[k]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return v
		}
	}
	return nil
}

// scalar reads a string, number or boolean as text; anything else is "".
func scalar(v json.RawMessage) string {
	if len(v) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String()
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return strconv.FormatBool(b)
	}
	return ""
}

// texts reads a string or an array of strings (paragraph lists).
func texts(v json.RawMessage) []string {
	if s := scalar(v); s != "" {
		return []string{s}
	}
	var list []json.RawMessage
	if json.Unmarshal(v, &list) != nil {
		return nil
	}
	var out []string
	for _, e := range list {
		if s := scalar(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// names reads a name list: an array of strings or {"name": …} objects, or
// one string (comma-separated when it is a keyword list).
func names(v json.RawMessage) []string {
	if len(v) == 0 {
		return nil
	}
	var out []string
	add := func(s string) {
		if s = oneLine(s); s != "" {
			out = append(out, s)
		}
	}
	if s := scalar(v); s != "" {
		for _, part := range strings.Split(s, ",") {
			add(part)
		}
		return out
	}
	var list []json.RawMessage
	if json.Unmarshal(v, &list) == nil {
		for _, e := range list {
			if s := scalar(e); s != "" {
				add(s)
			} else {
				add(sourceName(e))
			}
		}
		return out
	}
	add(sourceName(v))
	return out
}

// sourceName reads a string or an object with a name ({"id": …, "name": …}).
func sourceName(v json.RawMessage) string {
	if s := scalar(v); s != "" {
		return s
	}
	var o struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(v, &o) == nil {
		return o.Name
	}
	return ""
}

// dateValue reads a date string, or a Unix time in seconds or milliseconds.
func dateValue(v json.RawMessage) string {
	var n float64
	if len(v) > 0 && v[0] != '"' && json.Unmarshal(v, &n) == nil {
		if n > 1e11 {
			n /= 1000
		}
		if n <= 0 || n > math.MaxInt32*4 {
			return ""
		}
		return time.Unix(int64(n), 0).UTC().Format(time.RFC3339)
	}
	return scalar(v)
}
