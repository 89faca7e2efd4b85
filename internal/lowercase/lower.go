// Package lowercase lower-cases text into a caller's buffer, as strings.ToLower
// would, so hot paths (the NER tagger's missed words, clean's line checks,
// the annotator's head look-ups) need not allocate a string to look a word
// up in lower case.
package lowercase

import (
	"unicode"
	"unicode/utf8"
)

// ASCII appends s in lower case to b when s is ASCII, as strings.ToLower
// would write it; ok is false, and b unchanged, otherwise.
func ASCII(b []byte, s string) (out []byte, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return b, false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b, true
}

// Append appends the bytes of strings.ToLower(s) to b: ASCII through
// ASCII, other text rune by rune as strings.ToLower maps it
// (unicode.ToLower, an invalid byte as U+FFFD).
func Append(b []byte, s string) []byte {
	if low, ok := ASCII(b, s); ok {
		return low
	}
	for _, r := range s {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}
