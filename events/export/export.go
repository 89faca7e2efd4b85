// Package export writes stored events in the formats `detente export` and
// `detente events` offer: GDELT 2.0 Events and Mentions (tab-separated, via
// cameo/gdelt), JSON Lines and CSV. Every writer streams: it takes events
// one at a time from the store and keeps none.
package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
	"github.com/detente/detente/cameo/gdelt"
)

// Formats are the export formats, as the --format flag names them.
var Formats = []string{"gdelt-events", "gdelt-mentions", "jsonl", "csv"}

// Source streams stored events; every detente.EventStore is one.
type Source interface {
	EachEvent(ctx context.Context, f detente.EventFilter, mentions bool, fn func(*detente.StoredEvent) error) error
}

// Options control an export.
type Options struct {
	// Header writes the column names first in the GDELT formats, which
	// GDELT's own files do not (CSV always has its header).
	Header bool
}

// Write exports the events f matches from src to w in format and returns
// how many records it wrote. Limit 0 exports every match.
func Write(ctx context.Context, w io.Writer, src Source, format string, f detente.EventFilter, o Options) (int, error) {
	switch format {
	case "gdelt-events":
		return gdeltEvents(ctx, w, src, f, o)
	case "gdelt-mentions":
		return gdeltMentions(ctx, w, src, f, o)
	case "jsonl":
		return jsonLines(ctx, w, src, f)
	case "csv":
		cw := NewCSV(w)
		n := 0
		err := src.EachEvent(ctx, f, true, func(se *detente.StoredEvent) error {
			n++
			return cw.Write(se)
		})
		if err != nil {
			return n, err
		}
		return n, cw.Flush()
	}
	return 0, detente.Errorf(detente.EINVALID, "unknown export format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// firstSeen parses the store's RFC 3339 time; zero when it cannot.
func firstSeen(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// identifier is how a GDELT record cites an article: its URL, else its
// detente ID (a citation, as GDELT's CITATIONONLY mentions have).
func identifier(url, id string) string {
	if url != "" {
		return url
	}
	return id
}

func gdeltEvents(ctx context.Context, w io.Writer, src Source, f detente.EventFilter, o Options) (int, error) {
	ew := gdelt.NewEventWriter(w)
	if o.Header {
		if err := ew.WriteHeader(); err != nil {
			return 0, err
		}
	}
	n := 0
	err := src.EachEvent(ctx, f, true, func(se *detente.StoredEvent) error {
		url := se.SourceURL
		if url == "" && len(se.Reports) > 0 {
			url = identifier("", se.Reports[0].ArticleID)
		}
		if _, err := ew.Write(se.Event, gdelt.EventMeta{GlobalEventID: se.Seq, DateAdded: firstSeen(se.FirstSeen), SourceURL: url}); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, ew.Flush()
}

// mentionTime is when an article reported: its publication time when
// known, else when detente stored it.
func mentionTime(m detente.EventReport) time.Time {
	if p := m.Published; p != "" {
		if t, err := time.Parse(time.RFC3339, p); err == nil {
			return t
		}
		if t, err := time.Parse("2006-01-02", p); err == nil {
			return t
		}
	}
	return firstSeen(m.AddedAt)
}

func gdeltMentions(ctx context.Context, w io.Writer, src Source, f detente.EventFilter, o Options) (int, error) {
	mw := gdelt.NewMentionWriter(w)
	if o.Header {
		if err := mw.WriteHeader(); err != nil {
			return 0, err
		}
	}
	n := 0
	err := src.EachEvent(ctx, f, true, func(se *detente.StoredEvent) error {
		added := firstSeen(se.FirstSeen)
		for _, m := range se.Reports {
			if err := mw.Write(se.Seq, m.EventMention, gdelt.MentionMeta{
				EventTimeDate: added, MentionTimeDate: mentionTime(m), SourceName: m.Outlet,
				Identifier: identifier(m.URL, m.ArticleID), SentenceID: m.SentenceNo, DocLen: m.DocLen,
			}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, mw.Flush()
}

// Record is an event as JSON Lines export it: the event with its GDELT
// ID, when it was first stored, and every mention with its article.
type Record struct {
	detente.Event
	GlobalEventID int64                 `json:"global_event_id"`
	FirstSeen     string                `json:"first_seen"`
	SourceURL     string                `json:"source_url"`
	Mentions      []detente.EventReport `json:"mentions"`
}

func jsonLines(ctx context.Context, w io.Writer, src Source, f detente.EventFilter) (int, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	err := src.EachEvent(ctx, f, true, func(se *detente.StoredEvent) error {
		r := Record{Event: se.Event, GlobalEventID: se.Seq, FirstSeen: se.FirstSeen, SourceURL: se.SourceURL, Mentions: se.Reports}
		if r.Mentions == nil {
			r.Mentions = []detente.EventReport{}
		}
		n++
		return enc.Encode(&r)
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// CSVColumns are the columns of the CSV export, one event a row.
var CSVColumns = []string{"id", "global_event_id", "date", "source", "target", "cameo", "cameo_name", "base", "root",
	"quad", "goldstein", "plover", "mode", "negated", "location", "country", "lat", "lon",
	"num_mentions", "num_sources", "num_articles", "first_seen", "source_url", "explanation"}

// CSV writes events as CSV (RFC 4180 quoting, so commas, quotes and line
// breaks in values survive), with a header row.
type CSV struct {
	w      *csv.Writer
	header bool
}

// NewCSV returns a CSV writer to w. Call Flush when done.
func NewCSV(w io.Writer) *CSV { return &CSV{w: csv.NewWriter(w)} }

// Write writes one event; its explanation is its first mention's.
func (c *CSV) Write(se *detente.StoredEvent) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(CSVColumns); err != nil {
			return err
		}
	}
	e := se.Event
	var loc, country, lat, lon string
	if l := e.Location; l != nil {
		loc, country = l.Name, l.Country
		lat, lon = strconv.FormatFloat(l.Lat, 'f', -1, 64), strconv.FormatFloat(l.Lon, 'f', -1, 64)
	}
	name := ""
	if c, ok := cameo.Lookup(e.CAMEO); ok {
		name = c.Name
	}
	expl := ""
	if len(e.Mentions) > 0 {
		expl = e.Mentions[0].Explanation
	}
	return c.w.Write([]string{e.ID, strconv.FormatInt(se.Seq, 10), e.Date, textCell(e.Source), textCell(e.Target), e.CAMEO, name,
		e.Base, e.Root, strconv.Itoa(e.Quad), strconv.FormatFloat(e.Goldstein, 'f', -1, 64), e.PLOVER, e.Mode,
		strconv.FormatBool(e.Negated), textCell(loc), textCell(country), lat, lon, strconv.Itoa(e.NumMentions),
		strconv.Itoa(e.NumSources), strconv.Itoa(e.NumArticles), se.FirstSeen, textCell(se.SourceURL), textCell(expl)})
}

// textCell keeps a CSV cell of text from articles or dictionaries from
// being run as a formula when the file is opened in a spreadsheet (CSV
// injection): text starting with =, +, -, @, a tab or a carriage return
// gets a leading apostrophe, which spreadsheets show as plain text.
// Numbers never pass through here, so "-3.5" stays a number.
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Flush writes buffered rows (the header alone when there were none).
func (c *CSV) Flush() error {
	if !c.header {
		c.header = true
		if err := c.w.Write(CSVColumns); err != nil {
			return err
		}
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}
