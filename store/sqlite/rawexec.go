package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// rawStmts are statements PutBatch prepared on its kept connection's
// driver connection (see rawExec), by SQL; they live as long as the
// connection, and closeRaw closes them before it goes.
type rawStmts map[string]driver.Stmt

// rawExec runs query with args on the writer's kept connection through the
// driver directly, when the writer has one (PutBatch's), else through its
// transaction. The rows an article brings (events, mentions, entities,
// bands: about 1,400 values) went through database/sql, which for each
// statement takes the connection's lock, copies the arguments into a new
// slice of driver.NamedValue, converts each one, and wraps the result:
// more garbage than anything else the writer makes. Here the values are
// the driver's types already (int64, float64, bool, string, nil) and the
// slice is reused. The statements run in the writer's transaction, which
// is the connection's.
func (w *writer) rawExec(query string, args []any) (driver.Result, error) {
	if w.conn == nil {
		s, err := w.txStmt(query)
		if err != nil {
			return nil, err
		}
		return s.ExecContext(w.ctx, args...)
	}
	var res driver.Result
	err := w.conn.Raw(func(dc any) error {
		s, ok := (*w.raw)[query]
		if !ok {
			p, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return fmt.Errorf("sqlite: driver cannot prepare")
			}
			var err error
			if s, err = p.PrepareContext(w.ctx, query); err != nil {
				return fmt.Errorf("sqlite: prepare %q: %w", query, err)
			}
			if *w.raw == nil {
				*w.raw = rawStmts{}
			}
			(*w.raw)[query] = s
		}
		nv := w.nv[:0]
		for i, a := range args {
			if n, ok := a.(int); ok {
				a = int64(n)
			}
			nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: a})
		}
		w.nv = nv
		var err error
		res, err = s.(driver.StmtExecContext).ExecContext(w.ctx, nv)
		clear(nv)
		return err
	})
	return res, err
}

// txStmt is query prepared in the writer's transaction, once.
func (w *writer) txStmt(query string) (*sql.Stmt, error) {
	if s, ok := w.txStmts[query]; ok {
		return s, nil
	}
	s, err := w.tx.PrepareContext(w.ctx, query)
	if err != nil {
		return nil, fmt.Errorf("sqlite: prepare %q: %w", query, err)
	}
	if w.txStmts == nil {
		w.txStmts = map[string]*sql.Stmt{}
	}
	w.txStmts[query] = s
	return s, nil
}

// closeRaw closes the statements prepared on conn's driver connection.
func closeRaw(conn *sql.Conn, raw *rawStmts) {
	if len(*raw) == 0 {
		return
	}
	conn.Raw(func(any) error {
		for _, s := range *raw {
			s.Close()
		}
		return nil
	})
	*raw = nil
}
