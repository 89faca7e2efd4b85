package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/events/export"
	"github.com/detente/detente/store/sqlite"
	"github.com/spf13/cobra"
)

// eventFlags are the filter flags `events` and `export` share.
type eventFlags struct {
	f       detente.EventFilter
	between string
	dbPath  string
}

func (e *eventFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&e.dbPath, "db", defaultDB(), "database file")
	fl.StringVar(&e.f.Source, "source", "", "source actor code, exact or a prefix ending in * (CHN*)")
	fl.StringVar(&e.f.Target, "target", "", "target actor code, exact or a prefix ending in *")
	fl.StringVar(&e.between, "between", "", "a dyad in either direction: two actor codes A,B")
	fl.StringVar(&e.f.Code, "code", "", "CAMEO event code, exact (036) or a prefix ending in * (03*)")
	fl.StringVar(&e.f.Root, "root", "", "CAMEO root category (03)")
	fl.StringVar(&e.f.PLOVER, "plover", "", "PLOVER event type (CONSULT)")
	fl.IntVar(&e.f.Quad, "quad", 0, "quad class: 1 verbal cooperation … 4 material conflict")
	fl.StringVar(&e.f.From, "from", "", "events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	fl.StringVar(&e.f.To, "to", "", "events on or before this date")
	fl.StringVar(&e.f.Country, "country", "", "events with an actor of, or taking place in, this country (ISO3)")
	fl.StringVar(&e.f.Sort, "sort", "", "order: date, mentions, goldstein or first_seen; - for descending (default -date)")
}

// filter checks the flags and returns the filter they make.
func (e *eventFlags) filter() (detente.EventFilter, error) {
	f := e.f
	if e.between != "" {
		a, b, ok := strings.Cut(e.between, ",")
		if !ok || strings.TrimSpace(a) == "" || strings.TrimSpace(b) == "" {
			return f, detente.Errorf(detente.EINVALID, "--between wants two actor codes A,B, got %q", e.between)
		}
		f.Between = [2]string{strings.TrimSpace(a), strings.TrimSpace(b)}
	}
	for _, d := range []*string{&f.From, &f.To} {
		if *d == "" || isDatePrefix(*d) {
			continue
		}
		n, err := clean.Date(*d)
		if err != nil {
			return f, detente.Errorf(detente.EINVALID, "%q is not a date: %v", *d, err)
		}
		*d = n[:10]
	}
	return f, nil
}

// isDatePrefix reports whether s is YYYY, YYYY-MM or YYYY-MM-DD, which the
// store compares at that precision.
func isDatePrefix(s string) bool {
	if len(s) != 4 && len(s) != 7 && len(s) != 10 {
		return false
	}
	for i, r := range s {
		if (i == 4 || i == 7) != (r == '-') || (r != '-' && (r < '0' || r > '9')) {
			return false
		}
	}
	return true
}

func newEventsCmd() *cobra.Command {
	var (
		ef     eventFlags
		asJSON bool
		asCSV  bool
	)
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List stored events: who did what to whom, when, and how often it was reported",
		Long: `Lists the events coded from stored articles, newest first. Each event merges
every sentence, article and outlet that reported it (same actors, CAMEO code and
date); "mentions" counts them. Actor and event codes take a trailing * for a
prefix: --source CHN* is every Chinese actor, --code 03* every code under 03.`,
		Example: `  detente events --between CHN,KOR --from 2024-05
  detente events --code 19* --country UKR --json
  detente events --source USA* --plover CONSULT --csv > consult.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := ef.filter()
			if err != nil {
				return err
			}
			if asJSON && asCSV {
				return detente.Errorf(detente.EINVALID, "--json and --csv exclude each other")
			}
			db, err := openArchive(cmd.Context(), ef.dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			out := cmd.OutOrStdout()
			if asCSV {
				if f.Limit <= 0 {
					f.Limit = sqlite.DefaultLimit
				}
				_, err := export.Write(cmd.Context(), out, db, "csv", f, export.Options{})
				return err
			}
			evs, total, err := db.Events(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(struct {
					Total  int             `json:"total"`
					Events []detente.Event `json:"events"`
				}{total, evs})
			}
			fmt.Fprintf(out, "%d matching events", total)
			if total > len(evs) {
				fmt.Fprintf(out, ", showing %d–%d", f.Offset+1, f.Offset+len(evs))
			}
			fmt.Fprintln(out)
			if len(evs) == 0 {
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATE\tSOURCE\tTARGET\tCAMEO\tPLOVER\tGOLDSTEIN\tMENTIONS\tWHY")
			for _, e := range evs {
				code := e.CAMEO
				if c, ok := cameo.Lookup(e.CAMEO); ok {
					code += " " + shorten(c.Name, 36)
				}
				if m := modeLabel(e); m != "" {
					code += " [" + m + "]"
				}
				why := ""
				if len(e.Mentions) > 0 {
					why = shorten(oneLine(e.Mentions[0].Explanation), 60)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", dash(e.Date), dash(e.Source), dash(e.Target), code,
					dash(e.PLOVER), strconv.FormatFloat(e.Goldstein, 'f', 1, 64), e.NumMentions, dash(why))
			}
			return tw.Flush()
		},
	}
	ef.register(cmd)
	cmd.Flags().IntVar(&ef.f.Limit, "limit", sqlite.DefaultLimit, "events per page")
	cmd.Flags().IntVar(&ef.f.Offset, "offset", 0, "skip this many events")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the events as JSON, with their first mentions")
	cmd.Flags().BoolVar(&asCSV, "csv", false, "print the events as CSV (see `detente export --format csv`)")
	return cmd
}

// modeLabel says when an event is not simply one that happened.
func modeLabel(e detente.Event) string {
	var parts []string
	if e.Mode != "" {
		parts = append(parts, e.Mode)
	}
	if e.Negated {
		parts = append(parts, "negated")
	}
	return strings.Join(parts, ", ")
}

// shorten cuts s to n code points, marking the cut with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
