package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
	"github.com/spf13/cobra"
)

func newSearchCmd() *cobra.Command {
	var (
		f      detente.SearchFilter
		dbPath string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Full-text search over stored articles, ranked by BM25",
		Long: `Searches titles and bodies of stored articles. Words are all required; "quoted
words" must appear as a phrase. Query syntax characters are taken literally.
An empty query ("") with filters lists the newest articles that match them.`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				f.Query = args[0]
			}
			f.Country = strings.ToUpper(strings.TrimSpace(f.Country))
			for _, d := range []*string{&f.From, &f.To} {
				if *d == "" {
					continue
				}
				n, err := clean.Date(*d)
				if err != nil {
					return detente.Errorf(detente.EINVALID, "%q is not a date: %v", *d, err)
				}
				*d = n[:10]
			}
			db, err := openArchive(cmd.Context(), dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			hits, total, err := db.Search(cmd.Context(), f)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if hits == nil {
					hits = []detente.SearchHit{}
				}
				return enc.Encode(struct {
					Total int                 `json:"total"`
					Hits  []detente.SearchHit `json:"hits"`
				}{total, hits})
			}
			if total > detente.SearchTotalLimit {
				fmt.Fprintf(out, "more than %d matching stories", detente.SearchTotalLimit)
			} else {
				fmt.Fprintf(out, "%d matching stories", total)
			}
			if total > len(hits) {
				fmt.Fprintf(out, ", showing %d–%d", f.Offset+1, f.Offset+len(hits))
			}
			fmt.Fprintln(out)
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			for i, h := range hits {
				outlets := h.Source
				if h.Copies > 1 {
					outlets += fmt.Sprintf(" +%d", h.Copies-1)
				}
				fmt.Fprintf(tw, "%d.\t%s\t%s\t%s\n", f.Offset+i+1, orDash(h.Published), outlets, h.Title)
				fmt.Fprintf(tw, "\t\t%s\t%s\n", h.ArticleID, oneLine(h.Snippet))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", defaultDB(), "database file")
	cmd.Flags().StringVar(&f.Source, "source", "", "only stories carried by this outlet")
	cmd.Flags().StringVar(&f.From, "from", "", "published on or after this date")
	cmd.Flags().StringVar(&f.To, "to", "", "published on or before this date")
	cmd.Flags().StringVar(&f.Entity, "entity", "", "only articles mentioning this entity (canonical name or actor code, e.g. \"Xi Jinping\" or CHNGOV)")
	cmd.Flags().StringVar(&f.Country, "country", "", "only articles mentioning an entity of this country (ISO3, e.g. KOR)")
	cmd.Flags().IntVar(&f.Limit, "limit", 20, "results per page")
	cmd.Flags().IntVar(&f.Offset, "offset", 0, "skip this many results")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print results as JSON")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	if len(s) > 10 {
		return s[:10]
	}
	return s
}

// dash shows an empty value as "-".
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func newShowCmd() *cobra.Command {
	var (
		dbPath string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a stored article with its captions and every outlet that carried it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openArchive(cmd.Context(), dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			st, err := db.Article(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			ann, err := db.Annotations(cmd.Context(), st.ID)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(struct {
					*detente.Story
					Annotations *detente.Annotations `json:"annotations,omitempty"`
				}{st, ann})
			}
			a := st.Original
			fmt.Fprintf(out, "%s\n%s\n\n", a.Title, strings.Repeat("=", min(len([]rune(a.Title)), 80)))
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			row := func(k, v string) {
				if v != "" {
					fmt.Fprintf(tw, "%s\t%s\n", k, v)
				}
			}
			row("id", a.ID)
			row("source", a.Source)
			row("url", a.URL)
			row("published", a.Published)
			row("author", a.Author)
			row("language", a.Language)
			row("tags", strings.Join(a.Tags, ", "))
			row("text from", a.TextFrom)
			_ = tw.Flush()
			fmt.Fprintln(out)
			fmt.Fprintln(out, strings.ReplaceAll(a.Body, "\n", "\n\n"))
			for _, c := range a.Captions {
				fmt.Fprintf(out, "\n[caption] %s", c.Text)
				if c.Credit != "" {
					fmt.Fprintf(out, " (credit: %s)", c.Credit)
				}
				fmt.Fprintln(out)
			}
			if ann != nil {
				writeAnnotations(out, ann)
			}
			if len(st.Copies) > 1 {
				fmt.Fprintf(out, "\ncarried by %d outlets:\n", len(st.Copies))
				tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				for _, c := range st.Copies {
					fmt.Fprintf(tw, "  %s\t%s\t%s\t%.2f\t%s\n", c.Kind, orDash(c.Published), c.Source, c.Similarity, c.URL)
				}
				_ = tw.Flush()
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", defaultDB(), "database file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the story as JSON")
	return cmd
}

// writeAnnotations prints an article's entities (each name once, with its
// actor code and how often it is mentioned), times and quotes.
func writeAnnotations(out io.Writer, ann *detente.Annotations) {
	type row struct {
		name, typ, actor, country string
		n                         int
	}
	var rows []*row
	seen := map[string]*row{}
	for _, e := range ann.Entities {
		name := e.Canonical
		if name == "" {
			name = e.Text
		}
		key := name + "\x00" + e.Actor
		if r, ok := seen[key]; ok {
			r.n++
			continue
		}
		r := &row{name: name, typ: e.Type, actor: e.Actor, country: e.Country, n: 1}
		seen[key] = r
		rows = append(rows, r)
	}
	if len(rows) > 0 {
		fmt.Fprintf(out, "\nentities:\n")
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		for _, r := range rows {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t×%d\n", r.name, dash(r.typ), dash(r.actor), dash(r.country), r.n)
		}
		_ = tw.Flush()
	}
	if len(ann.Times) > 0 {
		fmt.Fprintf(out, "\ntimes:\n")
		for _, t := range ann.Times {
			v := t.Value
			if t.ValueEnd != "" {
				v += " … " + t.ValueEnd
			}
			if t.Unresolved {
				v += " (unresolved: no publication date)"
			}
			fmt.Fprintf(out, "  %q → %s\n", t.Text, v)
		}
	}
	if len(ann.Quotes) > 0 {
		fmt.Fprintf(out, "\nquotes:\n")
		for _, q := range ann.Quotes {
			who := q.Speaker
			if q.Actor != "" {
				who += " (" + q.Actor + ")"
			}
			fmt.Fprintf(out, "  %s: %q\n", dash(who), q.Text)
		}
	}
}
