package sqlite

import (
	"strings"
	"sync"
)

// rowInsert inserts many rows into one table with multi-row INSERT
// statements. An article brings a hundred or more entity, mention and band
// rows; one statement per row paid, each time, the statement's start, a
// cursor opened and closed on the table and on every index, and the
// driver's round trip, which cost as much as writing the rows. Any number
// of rows goes out as a sum of chunks of a few fixed sizes. A multi-row
// insert that may fail halfway (a plain INSERT, or any insert into a table
// with immediate foreign keys) makes SQLite keep a statement journal of
// the pages it changes, in memory (temp_store, see dsn); PutBatch's
// inserts avoid it (see putBatch), PutAnnotations' and PutEvents' keep it.
type rowInsert struct {
	head string // "INSERT INTO t (a, b) VALUES "
	cols int

	mu  sync.Mutex
	sql map[int]string // by rows per statement
}

func newRowInsert(verb, table string, cols ...string) *rowInsert {
	return &rowInsert{head: verb + " INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		cols: len(cols), sql: map[int]string{}}
}

func (r *rowInsert) query(rows int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if q, ok := r.sql[rows]; ok {
		return q
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", r.cols), ", ") + ")"
	q := r.head + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
	r.sql[rows] = q
	return q
}

// rowChunks are the rows per statement, largest first; 64 rows of the
// widest table (18 columns) stay far below SQLite's bound-variable limit.
var rowChunks = []int{64, 16, 4, 1}

// insertRows inserts the rows whose values, row after row, are args.
func (w *writer) insertRows(r *rowInsert, args []any) error {
	n := len(args) / r.cols
	for done := 0; done < n; {
		size := rowChunks[len(rowChunks)-1]
		for _, c := range rowChunks {
			if c <= n-done {
				size = c
				break
			}
		}
		if _, err := w.rawExec(r.query(size), args[done*r.cols:(done+size)*r.cols]); err != nil {
			return err
		}
		done += size
	}
	return nil
}
