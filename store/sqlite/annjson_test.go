package sqlite

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/detente/detente"
)

// fill sets every field reachable from v to a value distinct from its
// zero, so a round trip that drops a field (one added to a type later,
// say) shows up as a difference.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
		v.Set(s)
	case reflect.String:
		v.SetString(strings.Repeat("é\"\\\n<x>", *n%3+1) + string(rune('a'+*n%26)))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * 7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.1234567891)
	}
}

func TestPackedAnnotationsRoundTripEveryField(t *testing.T) {
	var ann detente.Annotations
	n := 0
	fill(reflect.ValueOf(&ann).Elem(), &n)
	b, err := packAnnotations(&ann)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Fatalf("not JSON: %s", b)
	}
	got, err := unpackAnnotations(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &ann) {
		t.Errorf("round trip changed the annotations:\n got %+v\nwant %+v", got, &ann)
	}
	// The top level keeps one array element per entity for SQL.
	var top map[string][]json.RawMessage
	_ = json.Unmarshal(b, &top)
	if len(top["entities"]) != len(ann.Entities) {
		t.Errorf("'$.entities' has %d elements, want %d", len(top["entities"]), len(ann.Entities))
	}
}

func TestPackedAnnotationsAreSmallerThanPlainJSON(t *testing.T) {
	lat, lon := 30.1841, 67.0014
	ann := &detente.Annotations{Sentences: []detente.Span{{Start: 0, End: 86}}, Acronyms: []detente.Acronym{},
		Times: []detente.TimeExpr{}, Quotes: []detente.Quote{}}
	for range 50 {
		ann.Entities = append(ann.Entities, detente.Entity{Text: "Quetta", Start: 32, End: 38, Type: "GPE",
			Canonical: "Quetta", Country: "PAK", Lat: &lat, Lon: &lon, Source: "kb"})
	}
	packed, _ := packAnnotations(ann)
	plain, _ := json.Marshal(ann)
	if len(packed)*2 > len(plain) {
		t.Errorf("packed %d bytes, plain JSON %d: want under half", len(packed), len(plain))
	}
}

func TestUnpackReadsPlainJSONAndEvolvedLayouts(t *testing.T) {
	lat := 1.5
	want := &detente.Annotations{Sentences: []detente.Span{{Start: 0, End: 9}},
		Entities: []detente.Entity{{Text: "Iran", Start: 0, End: 4, Type: "GPE", Lat: &lat}}}
	plain, _ := json.Marshal(want)
	got, err := unpackAnnotations(plain)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("plain JSON (format 1) read as %+v, %v", got, err)
	}
	// A row whose header lists fields in another order, one this version
	// does not know, and lacks others, reads by name.
	evolved := `{"v":2,"fields":{"Span":["end","start"],"Entity":["type","gone","text","lat"]},` +
		`"sentences":[[9,0]],"entities":[["GPE",42,"Iran",1.5]]}`
	got, err = unpackAnnotations([]byte(evolved))
	want = &detente.Annotations{Sentences: []detente.Span{{Start: 0, End: 9}},
		Entities: []detente.Entity{{Text: "Iran", Type: "GPE", Lat: &lat}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("evolved layout read as %+v, %v; want %+v", got, err, want)
	}
	if _, err := unpackAnnotations([]byte(`{"v":9}`)); err == nil {
		t.Error("an unknown format version was read without error")
	}
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "quote \" and \\ back", "tab\tnew\nline\r\x01\x1f", "é 中文 🙂", "bad \xff\xfe utf8", "\u2028"} {
		var want string
		b, _ := json.Marshal(s)
		_ = json.Unmarshal(b, &want)
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil || got != want {
			t.Errorf("appendString(%q) decodes to %q, %v; encoding/json gives %q", s, got, err, want)
		}
	}
}
