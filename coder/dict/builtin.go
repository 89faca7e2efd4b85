package dict

import (
	"bytes"
	"embed"
	"fmt"
	"sync"
)

//go:generate go run ./gen -shared ../../../shared -out data

//go:embed data/verbs.txt data/verbs-extra.txt data/discards.txt
var builtinFS embed.FS

var (
	builtinOnce sync.Once
	builtinDict *Dictionary
	builtinErr  error
)

// BuiltinFiles are the embedded files Builtin reads, in order: the verbs
// derived from PETRARCH-2, the hand-written supplement, the discards.
var BuiltinFiles = []string{"data/verbs.txt", "data/verbs-extra.txt", "data/discards.txt"}

// Builtin returns detente's built-in dictionary, read once from the embedded
// files. Callers share it and must not modify it. Any malformed line in the
// shipped files is an error (they are tested to have none).
func Builtin() (*Dictionary, error) {
	builtinOnce.Do(func() {
		d := &Dictionary{Synsets: map[string][]string{}}
		for _, name := range BuiltinFiles {
			data, err := builtinFS.ReadFile(name)
			if err != nil {
				builtinErr = err
				return
			}
			part, errs := Read(bytes.NewReader(data), name)
			if len(errs) > 0 {
				builtinErr = fmt.Errorf("built-in dictionary: %d malformed lines, first %v", len(errs), errs[0])
				return
			}
			d.Merge(part)
		}
		builtinDict = d
	})
	return builtinDict, builtinErr
}
