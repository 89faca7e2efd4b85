package postgres

import (
	"fmt"

	"github.com/detente/detente"
	"github.com/detente/detente/events"
)

// report is one event an original reports, waiting for its batch's
// events to be stored together.
type report struct {
	article articleInfo
	event   detente.Event
	ord     *int64 // the article's input position, nil in input order
}

type eventKey struct{ source, target, cameo, date string }

// eventState is what the batch knows of one event's row.
type eventState struct {
	seq              int64
	mode             string
	negated          bool
	loc              *detente.Location // nil when it has none
	firstOrd, locOrd *int64
	created          int // the report that created the row, -1 when stored before
	changed          bool
}

// resolveEvents stores the batch's reports in a few statements whatever
// their number, where one statement per event was most of the store's
// work: the events already stored are read and locked (in seq order, as
// every writer locks them), the new ones inserted in the order they are
// first reported (so GlobalEventIDs follow the input as in SQLite), then
// each report is replayed in order to settle every event's mode,
// negation and location exactly as storing them one by one would, the
// events that changed are updated, and the mentions queued for COPY.
func (w *writer) resolveEvents() error {
	if len(w.reports) == 0 {
		return nil
	}
	states := map[eventKey]*eventState{}
	var keys []eventKey
	firstReport := map[eventKey]int{}
	for i, r := range w.reports {
		k := eventKey{pgText(r.event.Source), pgText(r.event.Target), r.event.CAMEO, r.event.Date}
		if _, ok := firstReport[k]; !ok {
			firstReport[k] = i
			keys = append(keys, k)
		}
	}
	if err := w.lockStoredEvents(keys, states); err != nil {
		return err
	}
	if err := w.insertEvents(keys, firstReport, states); err != nil {
		return err
	}
	// Replay the reports in order.
	for i, r := range w.reports {
		e := r.event
		st := states[eventKey{pgText(e.Source), pgText(e.Target), e.CAMEO, e.Date}]
		if st.created == i {
			continue
		}
		if r.ord == nil {
			if e.Location != nil && st.loc == nil {
				st.loc, st.changed = e.Location, true
			}
			continue
		}
		if st.firstOrd != nil && *r.ord < *st.firstOrd {
			st.mode, st.negated, st.firstOrd, st.changed = pgText(e.Mode), e.Negated, r.ord, true
		}
		if e.Location != nil && (st.loc == nil || st.locOrd != nil && *r.ord < *st.locOrd) {
			st.loc, st.locOrd, st.changed = e.Location, r.ord, true
		}
	}
	if err := w.updateEvents(states); err != nil {
		return err
	}
	for _, r := range w.reports {
		e := r.event
		seq := states[eventKey{pgText(e.Source), pgText(e.Target), e.CAMEO, e.Date}].seq
		a := r.article
		skey := events.SourceKey(a.outlet, a.id)
		mentions := e.Mentions
		if len(mentions) == 0 {
			// An event with no mention is still reported once, by the article.
			mentions = []detente.EventMention{{}}
		}
		for _, mn := range mentions {
			k := mentionKey{seq, a.id, [2]int{mn.Sentence.Start, mn.Sentence.End}, [2]int{mn.VerbSpan.Start, mn.VerbSpan.End}}
			if w.mentionSeen[k] {
				continue
			}
			w.mentionSeen[k] = true
			w.mentions = append(w.mentions, []any{seq, a.id, a.seq, mn.Sentence.Start, mn.Sentence.End,
				mn.SourceSpan.Start, mn.SourceSpan.End, mn.TargetSpan.Start, mn.TargetSpan.End,
				mn.VerbSpan.Start, mn.VerbSpan.End, mn.RootEvent, clamp01(mn.Confidence), pgText(mn.Explanation),
				a.outlet, skey, sentenceNo(a.sentences, mn.Sentence), a.docLen, w.now})
		}
		w.touched[seq] = true
	}
	w.reports = w.reports[:0]
	return nil
}

func keyArrays(keys []eventKey) (src, tgt, cam, date []string) {
	for _, k := range keys {
		src, tgt, cam, date = append(src, k.source), append(tgt, k.target), append(cam, k.cameo), append(date, k.date)
	}
	return
}

// lockStoredEvents reads the stored events among keys into states,
// locking their rows until the transaction ends.
func (w *writer) lockStoredEvents(keys []eventKey, states map[eventKey]*eventState) error {
	src, tgt, cam, date := keyArrays(keys)
	rows, err := w.tx.Query(w.ctx, `SELECT e.seq, e.source, e.target, e.cameo, e.date, e.mode, e.negated,
			e.loc_name, e.loc_country, e.loc_lat, e.loc_lon, e.first_ord, e.loc_ord
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(source, target, cameo, date)
		JOIN events e ON e.source = k.source AND e.target = k.target AND e.cameo = k.cameo AND e.date = k.date
		ORDER BY e.seq FOR NO KEY UPDATE OF e`, src, tgt, cam, date)
	if err != nil {
		return fmt.Errorf("postgres: look up events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k eventKey
		st := &eventState{created: -1}
		var name, country string
		var lat, lon *float64
		if err := rows.Scan(&st.seq, &k.source, &k.target, &k.cameo, &k.date, &st.mode, &st.negated,
			&name, &country, &lat, &lon, &st.firstOrd, &st.locOrd); err != nil {
			return fmt.Errorf("postgres: look up events: %w", err)
		}
		if name != "" || lat != nil {
			st.loc = &detente.Location{Name: name, Country: country}
			if lat != nil {
				st.loc.Lat = *lat
			}
			if lon != nil {
				st.loc.Lon = *lon
			}
		}
		states[k] = st
	}
	return rows.Err()
}

// insertEvents inserts the events not stored yet, in the order first
// reported; a key another writer inserted meanwhile is read (and locked)
// as stored.
func (w *writer) insertEvents(keys []eventKey, firstReport map[eventKey]int, states map[eventKey]*eventState) error {
	var missing []eventKey
	for _, k := range keys {
		if states[k] == nil {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	n := len(missing)
	ids, bases, roots, plovers, modes, names, countries := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	quads, negated := make([]int32, n), make([]bool, n)
	golds := make([]float64, n)
	lats, lons := make([]*float64, n), make([]*float64, n)
	firstOrds, locOrds := make([]*int64, n), make([]*int64, n)
	for i, k := range missing {
		r := w.reports[firstReport[k]]
		e := r.event
		ids[i], bases[i], roots[i], plovers[i], modes[i] = e.ID, e.Base, e.Root, pgText(e.PLOVER), pgText(e.Mode)
		quads[i], negated[i], golds[i] = int32(e.Quad), e.Negated, e.Goldstein
		firstOrds[i] = r.ord
		if l := e.Location; l != nil {
			names[i], countries[i], lats[i], lons[i], locOrds[i] = pgText(l.Name), pgText(l.Country), &l.Lat, &l.Lon, r.ord
		}
	}
	src, tgt, cam, date := keyArrays(missing)
	rows, err := w.tx.Query(w.ctx, `INSERT INTO events (id, source, target, cameo, base, root, quad, goldstein, plover,
			mode, negated, date, loc_name, loc_country, loc_lat, loc_lon, first_seen, first_ord, loc_ord)
		SELECT id, source, target, cameo, base, root, quad, goldstein, plover, mode, negated, date,
			loc_name, loc_country, loc_lat, loc_lon, $17, first_ord, loc_ord
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::float8[],
			$9::text[], $10::text[], $11::bool[], $12::text[], $13::text[], $14::text[], $15::float8[], $16::float8[],
			$18::bigint[], $19::bigint[]) WITH ORDINALITY
			AS u(id, source, target, cameo, base, root, quad, goldstein, plover, mode, negated, date,
				loc_name, loc_country, loc_lat, loc_lon, first_ord, loc_ord, n)
		ORDER BY n
		ON CONFLICT (source, target, cameo, date) DO NOTHING
		RETURNING seq, source, target, cameo, date`,
		ids, src, tgt, cam, bases, roots, quads, golds, plovers, modes, negated, date, names, countries, lats, lons,
		w.now, firstOrds, locOrds)
	if err != nil {
		return fmt.Errorf("postgres: store events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k eventKey
		var seq int64
		if err := rows.Scan(&seq, &k.source, &k.target, &k.cameo, &k.date); err != nil {
			return fmt.Errorf("postgres: store events: %w", err)
		}
		r := w.reports[firstReport[k]]
		st := &eventState{seq: seq, mode: pgText(r.event.Mode), negated: r.event.Negated, loc: r.event.Location,
			firstOrd: r.ord, created: firstReport[k]}
		if st.loc != nil {
			st.locOrd = r.ord
		}
		states[k] = st
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: store events: %w", err)
	}
	rows.Close()
	var raced []eventKey
	for _, k := range missing {
		if states[k] == nil {
			raced = append(raced, k)
		}
	}
	if len(raced) > 0 {
		if err := w.lockStoredEvents(raced, states); err != nil {
			return err
		}
		for _, k := range raced {
			if states[k] == nil {
				return fmt.Errorf("postgres: event %s>%s %s %s neither stored nor found", k.source, k.target, k.cameo, k.date)
			}
		}
	}
	return nil
}

// updateEvents writes the events whose mode, negation or location a
// later report (or an earlier one in the input) changed.
func (w *writer) updateEvents(states map[eventKey]*eventState) error {
	var seqs []int64
	var modes, names, countries []string
	var negated []bool
	var lats, lons []*float64
	var firstOrds, locOrds []*int64
	for _, st := range states {
		if !st.changed {
			continue
		}
		seqs, modes, negated, firstOrds, locOrds = append(seqs, st.seq), append(modes, st.mode),
			append(negated, st.negated), append(firstOrds, st.firstOrd), append(locOrds, st.locOrd)
		var name, country string
		var lat, lon *float64
		if l := st.loc; l != nil {
			name, country, lat, lon = pgText(l.Name), pgText(l.Country), &l.Lat, &l.Lon
		}
		names, countries, lats, lons = append(names, name), append(countries, country), append(lats, lat), append(lons, lon)
	}
	if len(seqs) == 0 {
		return nil
	}
	_, err := w.tx.Exec(w.ctx, `UPDATE events e SET mode = u.mode, negated = u.negated, loc_name = u.loc_name,
			loc_country = u.loc_country, loc_lat = u.loc_lat, loc_lon = u.loc_lon, first_ord = u.first_ord, loc_ord = u.loc_ord
		FROM unnest($1::bigint[], $2::text[], $3::bool[], $4::text[], $5::text[], $6::float8[], $7::float8[],
			$8::bigint[], $9::bigint[]) AS u(seq, mode, negated, loc_name, loc_country, loc_lat, loc_lon, first_ord, loc_ord)
		WHERE e.seq = u.seq`, seqs, modes, negated, names, countries, lats, lons, firstOrds, locOrds)
	if err != nil {
		return fmt.Errorf("postgres: update events: %w", err)
	}
	return nil
}
