package main

import (
	"fmt"
	"strings"

	"github.com/detente/detente/events/export"
	"github.com/spf13/cobra"
)

func newExportCmd() *cobra.Command {
	var (
		ef     eventFlags
		format string
		header bool
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write stored events as GDELT 2.0 events or mentions, JSON Lines or CSV",
		Long: `Streams the stored events (all of them, or those the filters match) to standard
output. gdelt-events writes GDELT 2.0's 61 event columns and gdelt-mentions its
16 mention columns, tab-separated without a header as GDELT's files are, so
scripts written for GDELT read them; GlobalEventID is the same number in both.
jsonl writes one event a line with every mention and its article; csv one event
a row with a header.`,
		Example: `  detente export --format gdelt-events > events.tsv
  detente export --format gdelt-mentions --between CHN,KOR > mentions.tsv
  detente export --format jsonl --from 2024-05 --code 19*`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := ef.filter()
			if err != nil {
				return err
			}
			f.Limit = limit
			if f.Sort == "" {
				f.Sort = "first_seen" // GDELT's order: by GlobalEventID
			}
			db, err := openArchive(cmd.Context(), ef.dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			n, err := export.Write(cmd.Context(), cmd.OutOrStdout(), db, format, f, export.Options{Header: header})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "exported %d records\n", n)
			return nil
		},
	}
	ef.register(cmd)
	cmd.Flags().StringVar(&format, "format", "jsonl", "output format: "+strings.Join(export.Formats, ", "))
	cmd.Flags().BoolVar(&header, "header", false, "write column names first in the GDELT formats")
	cmd.Flags().IntVar(&limit, "limit", 0, "export at most this many events (0: all)")
	return cmd
}
