// Package dict holds detente's verb dictionary: the phrases that turn a
// sentence's verb and its surroundings into a CAMEO event code.
//
// One neutral model (Dictionary) is read from three layouts: the field's
// PETRARCH-1 and PETRARCH-2 verb-pattern files (ReadPetrarch), their discard
// lists (ReadDiscards), and detente's own readable format (Read, documented
// in docs/dictionary.md). Builtin returns the dictionary shipped in data/,
// derived from the MIT-licensed PETRARCH-2 dictionary and extended by hand.
//
// All words in the model are lower case; synset names are upper case without
// the leading '&'.
package dict

import (
	"fmt"
	"sort"
	"strings"
)

// NullCode is the code that means "no event": a verb or pattern carrying it
// blocks coding instead of producing one.
const NullCode = "---"

// Dictionary is everything the coder matches sentences against.
type Dictionary struct {
	// Verbs are the verb entries; verbs of one Class share their Patterns.
	Verbs []Verb
	// Synsets maps a synset name (no '&') to its member phrases, already
	// expanded: plurals generated, nested synsets flattened.
	Synsets map[string][]string
	// Discards are phrases that stop a sentence or a whole story from
	// being coded (sports, entertainment, history).
	Discards []Discard
	// Transformations rewrite an event about an event (PETRARCH-2's "~" lines),
	// kept for the engine; most dictionaries have none.
	Transformations []Transformation
}

// Verb is one verb (or multi-word verb such as "cordon off") with its forms,
// the code of the bare verb and the patterns of its class.
type Verb struct {
	// Lemma is the verb's head word in its base form, e.g. "ask".
	Lemma string
	// Pre and Post are words that must stand directly before and after the
	// head word for a multi-word verb: "wire tap" has Pre ["wire"],
	// "ask for" has Post ["for"].
	Pre, Post []string
	// Forms are all inflections of the head word, the lemma included.
	Forms []string
	// Code is the code of the bare verb when no pattern matches; NullCode
	// when the verb alone is no event.
	Code string
	// ReverseCode, when set, is the code of a second event from target to
	// source for the bare verb ("visit" is 042:043: a visit and a hosting).
	ReverseCode string
	// Class names the synonym block the verb came from ("ASK"); verbs of a
	// class share one Patterns slice.
	Class string
	// Patterns are tried against the verb's context, most specific first
	// is the engine's business; order here is the file's order.
	Patterns []Pattern
	// Source is where the verb was defined, "file:line".
	Source string
}

// Phrase is the verb written out in its base form, e.g. "cordon off".
func (v Verb) Phrase() string {
	parts := append(append(append([]string{}, v.Pre...), v.Lemma), v.Post...)
	return strings.Join(parts, " ")
}

// Pattern is one ordered sequence of words and slots around the verb that,
// when found, gives the event its code.
type Pattern struct {
	// Elements are in sentence order; exactly one has Kind Verb.
	Elements []Element
	// Code is the event code from source to target: "" when only the
	// reverse event is coded, NullCode when the pattern blocks coding.
	Code string
	// ReverseCode, when set, is a second event from target to source
	// (PETRARCH's "[042:043]": a visit by A is hosting by B).
	ReverseCode string
	// Source is where the pattern was defined, "file:line", for explanations.
	Source string
}

// Kind says what an Element matches.
type Kind uint8

// The element kinds of a pattern.
const (
	// Word matches one literal word (Text).
	Word Kind = iota
	// Synset matches any phrase of the synset named by Text.
	Synset
	// SourceSlot marks where the source actor is ("$").
	SourceSlot
	// TargetSlot marks where the target actor is ("+").
	TargetSlot
	// CompoundSlot marks a compound actor whose members act on each other
	// ("%": "Arnor and Gondor agreed").
	CompoundSlot
	// VerbSlot is the position of the verb itself ("*").
	VerbSlot
	// Skip passes over one noun phrase without using it ("^").
	Skip
	// NounPhrase is a group of words within one noun phrase, the head word
	// last (PETRARCH-2's "{FINANCIAL AID}"); Elems are its words.
	NounPhrase
	// Prep is a prepositional phrase: Text is the preposition and Elems
	// its object (PETRARCH-2's "(TO BORDER)"; an empty object matches any).
	Prep
	// Choice matches any one of Alternatives (TABARI's "{A | B}").
	Choice
)

var kindNames = [...]string{"word", "synset", "source", "target", "compound", "verb", "skip", "noun-phrase", "prep", "choice"}

// String names the kind for messages and explanations.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Element is one word, slot or group of a pattern.
type Element struct {
	Kind Kind
	// Text is the word, the synset name or the preposition.
	Text string
	// Alternatives are the words or phrases a Choice accepts.
	Alternatives []string
	// Elems are the contents of a NounPhrase or the object of a Prep.
	Elems []Element
	// Joined says the element must directly follow the previous one
	// (PETRARCH's "_" connector); otherwise words may come between.
	Joined bool
}

// Discard is a phrase that keeps text from being coded.
type Discard struct {
	// Text is the phrase, lower case.
	Text string
	// Story says the whole story is discarded, not only the sentence.
	Story bool
	// WholeWord says the phrase must end at a word boundary; otherwise it
	// is a stem ("basketball" also discards "basketballer").
	WholeWord bool
	// Source is "file:line".
	Source string
}

// Transformation is a PETRARCH-2 rewrite of a nested event, kept verbatim:
// Pattern is the left side ("a (a b ATTACK) SAY"), Result the right ("a b 015").
type Transformation struct {
	Pattern, Result string
	Source          string
}

// ParseError is one malformed line; parsing goes on past it.
type ParseError struct {
	File   string
	Line   int
	Reason string
	Text   string
}

// Error reads "file:line: reason: text".
func (e ParseError) Error() string {
	if e.Text == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %q", e.File, e.Line, e.Reason, e.Text)
}

// Stats counts what a dictionary holds.
type Stats struct {
	Verbs, Classes, Patterns, Synsets, Discards, Transformations int
}

// Stats counts verbs, classes, distinct patterns (shared class patterns
// counted once), synsets and discards.
func (d *Dictionary) Stats() Stats {
	s := Stats{Verbs: len(d.Verbs), Synsets: len(d.Synsets), Discards: len(d.Discards), Transformations: len(d.Transformations)}
	seen := map[*Pattern]bool{}
	classes := map[string]bool{}
	for _, v := range d.Verbs {
		classes[v.Class] = true
		if len(v.Patterns) > 0 && !seen[&v.Patterns[0]] {
			seen[&v.Patterns[0]] = true
			s.Patterns += len(v.Patterns)
		}
	}
	s.Classes = len(classes)
	return s
}

// Codes returns every event code the dictionary can produce (verb codes,
// pattern codes and reverse codes), NullCode excluded, sorted.
func (d *Dictionary) Codes() []string {
	set := map[string]bool{}
	add := func(c string) {
		if c != "" && c != NullCode {
			set[c] = true
		}
	}
	for _, v := range d.Verbs {
		add(v.Code)
		add(v.ReverseCode)
		for _, p := range v.Patterns {
			add(p.Code)
			add(p.ReverseCode)
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Coverage tells which of a list of CAMEO codes the dictionary produces.
type Coverage struct {
	Roots, RootsCovered int
	Codes, CodesCovered int
	// MissingRoots and MissingCodes list what no verb or pattern yields.
	MissingRoots, MissingCodes []string
}

// Coverage checks the dictionary against the CAMEO code list (e.g. the 311
// codes of cameo-codes-goldstein-quad.tsv). Two-digit entries are roots; a
// root counts as covered when any code under it is produced.
func (d *Dictionary) Coverage(cameo []string) Coverage {
	have := map[string]bool{}
	roots := map[string]bool{}
	for _, c := range d.Codes() {
		have[c] = true
		if len(c) >= 2 {
			roots[c[:2]] = true
		}
	}
	var cv Coverage
	for _, c := range cameo {
		if len(c) == 2 {
			cv.Roots++
			if roots[c] {
				cv.RootsCovered++
			} else {
				cv.MissingRoots = append(cv.MissingRoots, c)
			}
			continue
		}
		cv.Codes++
		if have[c] {
			cv.CodesCovered++
		} else {
			cv.MissingCodes = append(cv.MissingCodes, c)
		}
	}
	return cv
}

// Merge appends other's verbs, synsets, discards and transformations to d;
// a synset of the same name gains other's members. It is how the hand-written
// supplement extends the derived dictionary.
func (d *Dictionary) Merge(other *Dictionary) {
	d.Verbs = append(d.Verbs, other.Verbs...)
	if d.Synsets == nil {
		d.Synsets = map[string][]string{}
	}
	for name, members := range other.Synsets {
		d.Synsets[name] = appendNew(d.Synsets[name], members...)
	}
	d.Discards = append(d.Discards, other.Discards...)
	d.Transformations = append(d.Transformations, other.Transformations...)
}

// Index maps every verb form (head word) to the verbs that have it, for the
// engine's first look-up.
func (d *Dictionary) Index() map[string][]*Verb {
	idx := make(map[string][]*Verb, len(d.Verbs)*4)
	for i := range d.Verbs {
		v := &d.Verbs[i]
		for _, f := range v.Forms {
			idx[f] = append(idx[f], v)
		}
	}
	return idx
}

func appendNew(list []string, items ...string) []string {
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		seen[s] = true
	}
	for _, s := range items {
		if !seen[s] {
			seen[s] = true
			list = append(list, s)
		}
	}
	return list
}

// splitCode reads "042", "042:043", ":173" or "---" into forward and reverse.
func splitCode(s string) (code, reverse string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
	}
	return s, ""
}

// joinCode is splitCode's inverse.
func joinCode(code, reverse string) string {
	if reverse == "" {
		return code
	}
	return code + ":" + reverse
}
