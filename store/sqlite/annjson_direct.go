package sqlite

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"

	"github.com/detente/detente"
)

// appendPackedDirect appends a's format-2 encoding to b, byte for byte what
// packAnnotations' reflective walk writes, with the field lists written
// out: the walk asked reflect for every field of every entity, sentence and
// time (about 4% of storing an article). It is used only while
// directLayoutsMatch, that is while the types still have exactly the
// fields written out below; a field added, dropped, renamed or moved
// sends packAnnotations back to the reflective walk (and a test fails).
func appendPackedDirect(b []byte, a *detente.Annotations) ([]byte, error) {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, packedVersion, 10)
	b = append(b, ',')
	b = append(b, packedHeader...)
	b = append(b, `,"sentences":`...)
	b = appendSpans(b, a.Sentences)
	b = append(b, `,"entities":`...)
	b, err := appendEntities(b, a.Entities)
	if err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	b = append(b, `,"acronyms":`...)
	b = appendAcronyms(b, a.Acronyms)
	b = append(b, `,"times":`...)
	b = appendTimes(b, a.Times)
	b = append(b, `,"quotes":`...)
	b = appendQuotes(b, a.Quotes)
	// Both omitempty: left out when nil (reflect's IsZero), an empty
	// caption list included.
	if a.Title != nil {
		b = append(b, `,"title_annotations":`...)
		if b, err = appendTextAnnotations(b, a.Title); err != nil {
			return nil, fmt.Errorf("title_annotations: %w", err)
		}
	}
	if a.Captions != nil {
		b = append(b, `,"caption_annotations":[`...)
		for i := range a.Captions {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendTextAnnotations(b, &a.Captions[i]); err != nil {
				return nil, fmt.Errorf("caption_annotations: %w", err)
			}
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// directLayouts are the packed field names appendPackedDirect writes, by
// type, in order.
var directLayouts = []struct {
	t     reflect.Type
	names []string
}{
	{reflect.TypeFor[detente.Annotations](), []string{"sentences", "entities", "acronyms", "times", "quotes",
		"title_annotations", "caption_annotations"}},
	{reflect.TypeFor[detente.Span](), []string{"start", "end"}},
	{reflect.TypeFor[detente.Entity](), []string{"text", "start", "end", "type", "canonical", "actor", "country",
		"lat", "lon", "source"}},
	{reflect.TypeFor[detente.Acronym](), []string{"short", "long"}},
	{reflect.TypeFor[detente.TimeExpr](), []string{"text", "start", "end", "value", "value_end", "type", "unresolved"}},
	{reflect.TypeFor[detente.Quote](), []string{"text", "start", "end", "speaker", "actor"}},
	{reflect.TypeFor[detente.TextAnnotations](), []string{"entities", "times", "credit"}},
}

// directLayoutsMatch reports whether every type has the fields
// appendPackedDirect writes, and in that order. The field types are the
// compiler's business: a changed type no longer compiles below, or
// compiles to the same encoding (an int of another size).
var directLayoutsMatch = func() bool {
	for _, d := range directLayouts {
		if !slices.Equal(layoutOf(d.t).names, d.names) {
			return false
		}
	}
	return true
}()

func appendSpans(b []byte, s []detente.Span) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(s[i].Start), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(s[i].End), 10)
		b = append(b, ']')
	}
	return append(b, ']')
}

func appendEntities(b []byte, s []detente.Entity) ([]byte, error) {
	if s == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	for i := range s {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendEntity(b, &s[i]); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func appendEntity(b []byte, e *detente.Entity) ([]byte, error) {
	b = append(b, '[')
	b = appendString(b, e.Text)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(e.Start), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(e.End), 10)
	b = append(b, ',')
	b = appendString(b, e.Type)
	b = append(b, ',')
	b = appendString(b, e.Canonical)
	b = append(b, ',')
	b = appendString(b, e.Actor)
	b = append(b, ',')
	b = appendString(b, e.Country)
	b = append(b, ',')
	var err error
	if b, err = appendFloatPtr(b, e.Lat); err != nil {
		return nil, err
	}
	b = append(b, ',')
	if b, err = appendFloatPtr(b, e.Lon); err != nil {
		return nil, err
	}
	b = append(b, ',')
	b = appendString(b, e.Source)
	return append(b, ']'), nil
}

// appendFloatPtr writes what appendPacked writes for a *float64.
func appendFloatPtr(b []byte, f *float64) ([]byte, error) {
	if f == nil {
		return append(b, "null"...), nil
	}
	if math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil, fmt.Errorf("unsupported number %v", *f)
	}
	return strconv.AppendFloat(b, *f, 'g', -1, 64), nil
}

func appendAcronyms(b []byte, s []detente.Acronym) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, s[i].Short)
		b = append(b, ',')
		b = appendString(b, s[i].Long)
		b = append(b, ']')
	}
	return append(b, ']')
}

func appendTimes(b []byte, s []detente.TimeExpr) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range s {
		t := &s[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, t.Text)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(t.Start), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(t.End), 10)
		b = append(b, ',')
		b = appendString(b, t.Value)
		b = append(b, ',')
		b = appendString(b, t.ValueEnd)
		b = append(b, ',')
		b = appendString(b, t.Type)
		b = append(b, ',')
		b = strconv.AppendBool(b, t.Unresolved)
		b = append(b, ']')
	}
	return append(b, ']')
}

func appendQuotes(b []byte, s []detente.Quote) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range s {
		q := &s[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, q.Text)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(q.Start), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(q.End), 10)
		b = append(b, ',')
		b = appendString(b, q.Speaker)
		b = append(b, ',')
		b = appendString(b, q.Actor)
		b = append(b, ']')
	}
	return append(b, ']')
}

func appendTextAnnotations(b []byte, t *detente.TextAnnotations) ([]byte, error) {
	b = append(b, '[')
	b, err := appendEntities(b, t.Entities)
	if err != nil {
		return nil, err
	}
	b = append(b, ',')
	b = appendTimes(b, t.Times)
	b = append(b, ',')
	if t.Credit == nil {
		b = append(b, "null"...)
	} else if b, err = appendEntity(b, t.Credit); err != nil {
		return nil, err
	}
	return append(b, ']'), nil
}
