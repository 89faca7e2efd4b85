package sqlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/detente/detente"
)

// Annotations are stored as compact JSON (format 2): the top level is an
// object with the same keys as detente.Annotations' own JSON, so SQL's
// json_* functions still find '$.entities' and the rest with one element
// per entity, but every element is an array of its field values in
// declaration order instead of an object repeating each field's name. A
// "fields" header names the fields of each element type, so a row stays
// readable after a field is added, dropped or moved. An article with 116
// entities takes 8 KB rather than 20, and encoding needs no reflection
// over map keys. Rows written before format 2 are plain JSON objects and
// are read as such.
const packedVersion = 2

// packedLayout describes how one struct type is packed.
type packedLayout struct {
	name   string   // the header key: the Go type's name
	fields []int    // indexes of the packed fields, in order
	names  []string // their JSON names
}

var (
	layoutsMu sync.RWMutex
	layouts   = map[reflect.Type]*packedLayout{}
	// packedHeader is `"fields":{…}` for every struct type reachable from
	// detente.Annotations.
	packedHeader = func() []byte {
		var b bytes.Buffer
		b.WriteString(`"fields":{`)
		seen := map[reflect.Type]bool{}
		var walk func(t reflect.Type)
		first := true
		walk = func(t reflect.Type) {
			switch t.Kind() {
			case reflect.Pointer, reflect.Slice:
				walk(t.Elem())
			case reflect.Struct:
				if seen[t] {
					return
				}
				seen[t] = true
				l := layoutOf(t)
				if t != reflect.TypeFor[detente.Annotations]() {
					if !first {
						b.WriteByte(',')
					}
					first = false
					names, _ := json.Marshal(l.names)
					fmt.Fprintf(&b, "%q:%s", l.name, names)
				}
				for _, i := range l.fields {
					walk(t.Field(i).Type)
				}
			}
		}
		walk(reflect.TypeFor[detente.Annotations]())
		b.WriteByte('}')
		return b.Bytes()
	}()
)

// layoutOf returns the packed layout of struct type t: its exported fields
// with their JSON names, skipping those tagged "-".
func layoutOf(t reflect.Type) *packedLayout {
	layoutsMu.RLock()
	l := layouts[t]
	layoutsMu.RUnlock()
	if l != nil {
		return l
	}
	l = &packedLayout{name: t.Name()}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		l.fields = append(l.fields, i)
		l.names = append(l.names, name)
	}
	layoutsMu.Lock()
	layouts[t] = l
	layoutsMu.Unlock()
	return l
}

// packAnnotations encodes annotations in format 2. Top-level lists the
// caller wants as [] rather than null must be non-nil.
func packAnnotations(a *detente.Annotations) ([]byte, error) {
	return appendAnnotations(make([]byte, 0, 4096), a)
}

// appendAnnotations appends a's format-2 encoding to b: written out field
// by field (appendPackedDirect) while the types have the fields it knows,
// else by the reflective walk.
func appendAnnotations(b []byte, a *detente.Annotations) ([]byte, error) {
	if directLayoutsMatch {
		return appendPackedDirect(b, a)
	}
	return appendPackedReflect(b, a)
}

// appendPackedReflect is the format-2 encoding of any fields the types
// have, found by reflection.
func appendPackedReflect(b []byte, a *detente.Annotations) ([]byte, error) {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, packedVersion, 10)
	b = append(b, ',')
	b = append(b, packedHeader...)
	v := reflect.ValueOf(a).Elem()
	l := layoutOf(v.Type())
	for k, i := range l.fields {
		f := v.Field(i)
		if strings.Contains(v.Type().Field(i).Tag.Get("json"), ",omitempty") && f.IsZero() {
			continue
		}
		b = append(b, ',')
		b = appendString(b, l.names[k])
		b = append(b, ':')
		var err error
		if b, err = appendPacked(b, f); err != nil {
			return nil, fmt.Errorf("%s: %w", l.names[k], err)
		}
	}
	return append(b, '}'), nil
}

func appendPacked(b []byte, v reflect.Value) ([]byte, error) {
	switch v.Kind() {
	case reflect.Struct:
		l := layoutOf(v.Type())
		b = append(b, '[')
		for k, i := range l.fields {
			if k > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendPacked(b, v.Field(i)); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendPacked(b, v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendPacked(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("unsupported number %v", f)
		}
		return strconv.AppendFloat(b, f, 'g', -1, v.Type().Bits()), nil
	}
	return nil, fmt.Errorf("cannot pack a %s", v.Type())
}

// appendString appends s as a JSON string; invalid UTF-8 becomes U+FFFD
// byte by byte, as encoding/json does.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// unpackAnnotations decodes stored annotations in either format.
func unpackAnnotations(data []byte) (*detente.Annotations, error) {
	var ann detente.Annotations
	if !bytes.HasPrefix(data, []byte(`{"v":`)) {
		if err := json.Unmarshal(data, &ann); err != nil {
			return nil, err
		}
		return &ann, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	var version int
	if err := json.Unmarshal(top["v"], &version); err != nil || version != packedVersion {
		return nil, fmt.Errorf("annotations in unknown format %s", top["v"])
	}
	u := unpacker{}
	if err := json.Unmarshal(top["fields"], &u.fields); err != nil {
		return nil, fmt.Errorf("annotations header: %w", err)
	}
	v := reflect.ValueOf(&ann).Elem()
	l := layoutOf(v.Type())
	for k, i := range l.fields {
		raw, ok := top[l.names[k]]
		if !ok {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var x any
		if err := dec.Decode(&x); err != nil {
			return nil, fmt.Errorf("annotations %s: %w", l.names[k], err)
		}
		if err := u.decode(v.Field(i), x); err != nil {
			return nil, fmt.Errorf("annotations %s: %w", l.names[k], err)
		}
	}
	return &ann, nil
}

type unpacker struct {
	fields map[string][]string // element type name → its packed fields' JSON names
}

var errPackedShape = errors.New("stored value does not fit the type")

func (u *unpacker) decode(v reflect.Value, x any) error {
	switch v.Kind() {
	case reflect.Struct:
		arr, ok := x.([]any)
		if !ok {
			return errPackedShape
		}
		l := layoutOf(v.Type())
		names, ok := u.fields[l.name]
		if !ok {
			names = l.names
		}
		for k, name := range names {
			if k >= len(arr) {
				break
			}
			for j, n := range l.names {
				if n == name {
					if err := u.decode(v.Field(l.fields[j]), arr[k]); err != nil {
						return fmt.Errorf("%s.%s: %w", l.name, name, err)
					}
					break
				}
			}
		}
		return nil
	case reflect.Pointer:
		if x == nil {
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := u.decode(p.Elem(), x); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Slice:
		if x == nil {
			return nil
		}
		arr, ok := x.([]any)
		if !ok {
			return errPackedShape
		}
		s := reflect.MakeSlice(v.Type(), len(arr), len(arr))
		for i, e := range arr {
			if err := u.decode(s.Index(i), e); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.String:
		s, ok := x.(string)
		if !ok {
			return errPackedShape
		}
		v.SetString(s)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := x.(json.Number)
		if !ok {
			return errPackedShape
		}
		i, err := n.Int64()
		if err != nil {
			return err
		}
		v.SetInt(i)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := x.(json.Number)
		if !ok {
			return errPackedShape
		}
		i, err := strconv.ParseUint(n.String(), 10, 64)
		if err != nil {
			return err
		}
		v.SetUint(i)
		return nil
	case reflect.Bool:
		t, ok := x.(bool)
		if !ok {
			return errPackedShape
		}
		v.SetBool(t)
		return nil
	case reflect.Float32, reflect.Float64:
		n, ok := x.(json.Number)
		if !ok {
			return errPackedShape
		}
		f, err := strconv.ParseFloat(n.String(), v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetFloat(f)
		return nil
	}
	return fmt.Errorf("cannot unpack a %s", v.Type())
}
