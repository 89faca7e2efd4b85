// Package ingest reads input files into raw articles: page-text dumps, JSON
// Lines, HTML pages, RSS/Atom/JSON feeds and WARC archives, plain or
// gzip-compressed. Readers stream one article at a time, like bufio.Scanner
// or encoding/csv, so a large WARC never sits in memory, and a bad record is
// reported with its origin while the rest of the input still lands.
//
// Readers do not clean: an article's Body is the input's text with
// paragraphs separated by a single "\n" (blank lines dropped, line ends
// trimmed, invalid UTF-8 replaced by U+FFFD); widget lines, tag lines and
// captions are the clean package's job. Readers never compute IDs: ID is the
// input's own id or empty.
//
// Metadata precedence: a field the input carries wins; Options.Source and
// Options.Published only fill fields the input lacks. Feeds are the one
// exception for Source: the feed's title is not the article's outlet, so
// Options.Source, when set, replaces it.
package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
)

// Formats Open and Detect know.
const (
	FormatPagetext = "pagetext"
	FormatJSONL    = "jsonl"
	FormatHTML     = "html"
	FormatFeed     = "feed"
	FormatWARC     = "warc"
)

// DefaultMaxRecordBytes caps one record (a JSONL line, an HTML page, a feed,
// a WARC payload) when Options.MaxRecordBytes is zero.
const DefaultMaxRecordBytes = 64 << 20

// Reader yields articles one at a time.
type Reader interface {
	// Next returns the next article; io.EOF at the end; a *RecordError for
	// one bad record, after which Next may be called again; any other error
	// means this input cannot be read further (Next keeps returning it; it
	// does not name the file, which the caller knows and Walk adds).
	Next() (*detente.Article, error)
}

// RecordError is a problem with one record (or, from Open and Walk, one
// file): where it is and why.
type RecordError struct {
	// Origin is the file, with line, byte offset or item index when the
	// problem is one record in it: "news.jsonl:line 12".
	Origin string
	Err    error
}

func (e *RecordError) Error() string { return e.Origin + ": " + e.Err.Error() }

// Unwrap lets errors.Is and errors.As see the cause.
func (e *RecordError) Unwrap() error { return e.Err }

// Options configure how inputs are read.
type Options struct {
	// Format is "" to detect, else one of the Format constants.
	Format string
	// Source is the outlet for articles whose input lacks one (and, for
	// feeds, replaces the feed title).
	Source string
	// Published is the publication date, "YYYY-MM-DD" or RFC 3339, for
	// articles whose input lacks one: user-supplied metadata, never a guess.
	Published string
	// PageCache is a directory of fetched pages for feed items that carry
	// only a summary; see FeedPageCachePaths for the layout.
	PageCache string
	// MaxRecordBytes caps one record; a larger one is a *RecordError.
	// Zero means DefaultMaxRecordBytes.
	MaxRecordBytes int
}

// ErrNotText is the per-file error for binary input (images, archives,
// anything with NUL bytes) that no reader understands.
var ErrNotText = errors.New("not a text/news format")

// sniffBytes is how much of a file's (decompressed) start Detect sees.
const sniffBytes = 8 << 10

// Open opens one file ("-" is standard input), decompresses gzip
// transparently (by magic bytes), detects its format unless opts.Format is
// set and returns a Reader over its articles. The Closer closes the file.
// Errors are *RecordError naming the file.
func Open(path string, opts Options) (Reader, io.Closer, error) {
	name := path
	var f io.ReadCloser
	if path == "-" {
		name = "stdin"
		f = io.NopCloser(os.Stdin)
	} else {
		file, err := os.Open(path)
		if err != nil {
			return nil, nil, &RecordError{Origin: name, Err: err}
		}
		if st, err := file.Stat(); err == nil && st.IsDir() {
			file.Close()
			return nil, nil, &RecordError{Origin: name, Err: errors.New("is a directory")}
		}
		f = file
	}
	r, err := NewReader(f, name, opts)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return r, f, nil
}

// NewReader is Open for an input already open: name is used for detection
// (its extension) and in origins. The caller closes in.
func NewReader(in io.Reader, name string, opts Options) (Reader, error) {
	fail := func(err error) error { return &RecordError{Origin: name, Err: err} }
	if opts.MaxRecordBytes <= 0 {
		opts.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if opts.Published != "" {
		p, ok := normalizeDate(opts.Published)
		if !ok {
			return nil, fail(fmt.Errorf("option published %q is not a date (want YYYY-MM-DD or RFC 3339)", opts.Published))
		}
		opts.Published = p
	}
	raw := bufio.NewReaderSize(in, 64<<10)
	peek, err := raw.Peek(64 << 10)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fail(err)
	}
	if len(peek) == 0 {
		return nil, fail(errors.New("empty file: nothing to read"))
	}
	compressed := isGzip(peek)
	head := peek
	if compressed {
		head, err = gunzipHead(peek)
		if err != nil {
			return nil, fail(err)
		}
	}
	if len(head) > sniffBytes {
		head = head[:sniffBytes]
	}
	format := opts.Format
	if format == "" {
		format, err = Detect(name, head)
		if err != nil {
			return nil, fail(err)
		}
	}
	// gowarc reads gzip members itself so that offsets are the file's.
	if format == FormatWARC {
		return newWARCReader(raw, name, opts)
	}
	var text io.Reader = raw
	if compressed {
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, fail(fmt.Errorf("gzip: %w", err))
		}
		text = gzipErrors{zr}
	}
	switch format {
	case FormatPagetext:
		return newPagetextReader(text, name, opts), nil
	case FormatJSONL:
		return newJSONLReader(text, name, opts), nil
	case FormatHTML:
		return newHTMLReader(text, name, opts), nil
	case FormatFeed:
		return newFeedReader(text, name, opts), nil
	}
	return nil, fail(fmt.Errorf("unknown format %q (want pagetext, jsonl, html, feed or warc)", format))
}

// gzipErrors says what a gzip failure means: the file is cut short or
// damaged, not that its content is bad.
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip: compressed file is truncated or corrupt: %w", err)
	}
	return n, err
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// gunzipHead decompresses what it can of the first bytes of a gzip stream,
// for sniffing only.
func gunzipHead(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gzip: corrupt header: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, sniffBytes))
	if err != nil && len(out) == 0 && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("gzip: corrupt data: %w", err)
	}
	return out, nil
}

// Detect names the format of a file from its first bytes (decompressed),
// falling back to its extension (".gz" ignored) when the content is
// ambiguous. Content wins: a WARC named .txt is read as WARC.
//
// Plain text that is none of the structured formats is read as pagetext
// when the file is .txt, .text or has no extension; other text files (a
// README.md, a .csv) are not news inputs and get an error.
func Detect(name string, head []byte) (string, error) {
	base := strings.ToLower(filepath.Base(name))
	base = strings.TrimSuffix(base, ".gz")
	ext := filepath.Ext(base)
	byExt := map[string]string{
		".txt": FormatPagetext, ".text": FormatPagetext,
		".jsonl": FormatJSONL, ".ndjson": FormatJSONL, ".json": FormatJSONL,
		".html": FormatHTML, ".htm": FormatHTML, ".xhtml": FormatHTML,
		".xml": FormatFeed, ".rss": FormatFeed, ".atom": FormatFeed,
		".warc": FormatWARC,
	}[ext]

	h := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	h = bytes.TrimLeft(h, " \t\r\n")
	switch {
	case len(h) == 0:
		if byExt != "" {
			return byExt, nil
		}
		return "", errors.New("empty file")
	case bytes.HasPrefix(h, []byte("WARC/")):
		return FormatWARC, nil
	case isBinary(head):
		return "", ErrNotText
	case h[0] == '{':
		if isJSONFeed(h) {
			return FormatFeed, nil
		}
		return FormatJSONL, nil
	case h[0] == '[' && (byExt == FormatJSONL || byExt == ""):
		return FormatJSONL, nil
	case h[0] == '<':
		if isFeedXML(h) {
			return FormatFeed, nil
		}
		return FormatHTML, nil
	}
	if byExt == FormatPagetext || ext == "" {
		return FormatPagetext, nil
	}
	if byExt != "" {
		return byExt, nil
	}
	return "", fmt.Errorf("%w: unrecognized %s file", ErrNotText, ext)
}

// binaryMagic are starts of common binary files that may hold no NUL in
// their first bytes.
var binaryMagic = [][]byte{
	[]byte("\x89PNG"), []byte("\xff\xd8\xff"), []byte("GIF8"), []byte("%PDF"),
	[]byte("PK\x03\x04"), []byte("\x7fELF"), []byte("BZh"), []byte("\xfd7zXZ"),
	[]byte("\x28\xb5\x2f\xfd"), []byte("RIFF"), []byte("OggS"), []byte("ID3"),
}

// isBinary reports bytes no text format holds: a known binary magic, a NUL,
// or mostly invalid UTF-8 (a few bad bytes are tolerated and replaced).
func isBinary(b []byte) bool {
	for _, m := range binaryMagic {
		if bytes.HasPrefix(b, m) {
			return true
		}
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	bad := 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 && i < len(b)-utf8.UTFMax {
			bad++
		}
		i += n
	}
	return bad*10 > len(b)
}

func isJSONFeed(h []byte) bool {
	return bytes.Contains(h, []byte("jsonfeed.org/version"))
}

// isFeedXML reports whether the root element of an XML document is a feed:
// rss, feed (Atom) or rdf:RDF (RSS 1.0).
func isFeedXML(h []byte) bool {
	s := string(h)
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return false
		}
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "<?"):
			j := strings.Index(s, "?>")
			if j < 0 {
				return false
			}
			s = s[j+2:]
		case strings.HasPrefix(s, "<!--"):
			j := strings.Index(s, "-->")
			if j < 0 {
				return false
			}
			s = s[j+3:]
		case strings.HasPrefix(s, "<!"):
			j := strings.IndexByte(s, '>')
			if j < 0 {
				return false
			}
			s = s[j+1:]
		default:
			name := strings.ToLower(s[1:])
			if k := strings.IndexAny(name, " \t\r\n/>"); k >= 0 {
				name = name[:k]
			}
			return name == "rss" || name == "feed" || name == "rdf:rdf"
		}
	}
}

// Walk reads every path: files directly, directories recursively in
// lexical order, skipping hidden files and directories (names starting
// with "."). "-" is standard input. fn gets each article, or a *RecordError
// for a bad record or an unreadable file, after which the walk goes on;
// when fn returns an error, or ctx is done, Walk stops and returns it.
func Walk(ctx context.Context, paths []string, opts Options, fn func(a *detente.Article, err error) error) error {
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "-" {
			if err := readFile(ctx, p, opts, fn); err != nil {
				return err
			}
			continue
		}
		files, err := listFiles(p)
		if err != nil {
			if err := fn(nil, &RecordError{Origin: p, Err: err}); err != nil {
				return err
			}
		}
		for _, f := range files {
			if err := readFile(ctx, f, opts, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// listFiles lists the regular files under root (root itself when it is a
// file). Symbolic links to files are read; links to directories are not
// followed, which keeps cycles out.
func listFiles(root string) ([]string, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{root}, nil
	}
	var files []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case d.Type().IsRegular():
			files = append(files, path)
		case d.Type()&fs.ModeSymlink != 0:
			if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
				files = append(files, path)
			}
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// readFile sends one file's articles and errors to fn; it returns only
// fn's error or ctx's.
func readFile(ctx context.Context, path string, opts Options, fn func(*detente.Article, error) error) error {
	r, c, err := Open(path, opts)
	if err != nil {
		return fn(nil, err)
	}
	defer c.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		a, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) {
				// The file cannot be read further: report it and move on.
				return fn(nil, &RecordError{Origin: originOf(path), Err: err})
			}
			if err := fn(nil, err); err != nil {
				return err
			}
			continue
		}
		if err := fn(a, nil); err != nil {
			return err
		}
	}
}

func originOf(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// fillDefaults applies the options to metadata the input lacked and sets
// the origin.
func fillDefaults(a *detente.Article, opts *Options, origin string) {
	a.Origin = origin
	a.URL = urlText(a.URL)
	if a.Source == "" {
		a.Source = opts.Source
	}
	if a.Published == "" {
		a.Published = opts.Published
	}
}

// paragraphs normalizes raw text to the body contract: valid UTF-8, "\n"
// line ends, no blank lines, each line trimmed of surrounding white space.
// Nothing else changes.
func paragraphs(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		line := s
		if i := strings.IndexAny(s, "\r\n"); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	return b.String()
}

// urlText makes a URL taken from a file valid UTF-8 without losing any of
// it: the bytes of an invalid sequence (a WARC header or an HTML attribute
// in another encoding) are percent-encoded, as a browser sends them, and
// surrounding white space is trimmed.
func urlText(s string) string {
	s = strings.TrimSpace(s)
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, "%%%02X", s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// oneLine makes a metadata value one trimmed line of valid UTF-8.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.Fields(s), " ")
}

var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -0700 MST",
	"2006-01-02T15:04", "2006-01-02 15:04",
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700", time.RFC850, time.ANSIC, time.UnixDate,
}

var dayLayouts = []string{"2006-01-02", "2006/01/02", "January 2, 2006", "Jan 2, 2006", "2 January 2006", "20060102"}

// normalizeDate turns a date as inputs write it into the Article contract:
// "YYYY-MM-DD" for a day, RFC 3339 in UTC for a timestamp. It reports false
// for anything it cannot read, so no date is ever guessed.
func normalizeDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	for _, l := range dayLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC().Format(time.RFC3339), true
		}
	}
	return "", false
}
