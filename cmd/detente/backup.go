package main

import (
	"fmt"

	"github.com/detente/detente"
	"github.com/detente/detente/store/sqlite"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newBackupCmd) }

func newBackupCmd() *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the SQLite store to a new file, safely while ingest runs",
		Long: `Writes a consistent, compacted copy of the whole SQLite store to FILE (SQLite's
VACUUM INTO). It reads one snapshot, so an ingest, watch or server may keep
running: the copy holds exactly the batches committed when it began. To restore,
stop writers and put the copy in place of the database file (see
docs/operations.md). A PostgreSQL store is backed up with pg_dump.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := sqlite.Open(dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			s, err := sqlite.Open(args[0])
			if err != nil {
				return detente.Errorf(detente.EINTERNAL, "the backup %s was written but does not open: %v", args[0], err)
			}
			defer s.Close()
			st, err := s.Stats(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backed up %d articles (%d stories) to %s\n", st.Articles, st.Stories, args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", defaultDB(), "database file (default ./detente.db or $DETENTE_DB)")
	return cmd
}
