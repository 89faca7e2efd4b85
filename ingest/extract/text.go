package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TextFromHTMLFragment converts a small HTML fragment, such as a feed's
// content:encoded or description, to plain text: one paragraph a line,
// separated by "\n", block elements and <br> breaking lines, entities
// decoded, whitespace inside a paragraph collapsed, scripts and styles
// dropped. Text that is not HTML at all comes back with only its
// whitespace tidied.
func TextFromHTMLFragment(fragment string) string {
	if strings.TrimSpace(fragment) == "" {
		return ""
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		// The tokenizer accepts any input, so this is only a read error
		// from a strings.Reader, which cannot happen; keep the text.
		return strings.Join(strings.Fields(fragment), " ")
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	return nodeText(body)
}

// nodeText renders the text of a tree as paragraphs separated by "\n":
// block elements and <br> end a line, inline elements run on without
// added spaces (so "<b>Ex</b>ample" stays one word), and <pre> keeps its
// line breaks.
func nodeText(root *html.Node) string {
	r := textRenderer{}
	r.walk(root)
	r.flush()
	return strings.Join(r.lines, "\n")
}

// textRenderer accumulates the current line and the finished ones.
type textRenderer struct {
	lines []string
	cur   strings.Builder
	pre   int  // depth of <pre> elements around the current node
	gap   bool // an inline element began or ended since the last text
}

// flush ends the current line, keeping it only when it has text.
func (r *textRenderer) flush() {
	if r.cur.Len() == 0 {
		return
	}
	line := strings.Join(strings.Fields(r.cur.String()), " ")
	r.cur.Reset()
	r.gap = false
	if line != "" {
		r.lines = append(r.lines, line)
	}
}

func (r *textRenderer) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if r.pre > 0 {
			for i, part := range strings.Split(n.Data, "\n") {
				if i > 0 {
					r.flush()
				}
				r.text(part)
			}
			return
		}
		r.text(n.Data)
		return
	case html.ElementNode:
		// handled below
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.walk(c)
		}
		return
	default: // comments, doctypes
		return
	}

	// Trees built by go-trafilatura create elements by name only, without
	// their atom, so look the atom up from the name when it is missing.
	a := n.DataAtom
	if a == 0 {
		a = atom.Lookup([]byte(strings.ToLower(n.Data)))
	}
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head,
		atom.Iframe, atom.Svg, atom.Math, atom.Object, atom.Select, atom.Button:
		return
	case atom.Br, atom.Hr:
		r.flush()
		return
	case atom.Td, atom.Th:
		// Cells of a row share its line, kept apart by a space.
		r.cur.WriteByte(' ')
		r.children(n)
		r.cur.WriteByte(' ')
		return
	case atom.Pre:
		r.flush()
		r.pre++
		r.children(n)
		r.pre--
		r.flush()
		return
	}
	if blockElements[a] {
		r.flush()
		r.children(n)
		r.flush()
		return
	}
	// An inline element's edges may have lost their whitespace: trafilatura
	// trims text nodes, so "<a>AppleInsider</a> staff" reaches us as
	// "AppleInsider" + "staff". Mark the edges as word breaks.
	r.gap = true
	r.children(n)
	r.gap = true
}

// text appends text to the current line, first inserting a space at a
// marked inline-element edge unless whitespace is already there or the
// punctuation on either side binds to its word.
func (r *textRenderer) text(s string) {
	if s == "" {
		return
	}
	if r.gap {
		r.gap = false
		cur := r.cur.String()
		if cur != "" {
			last, _ := utf8.DecodeLastRuneInString(cur)
			next, _ := utf8.DecodeRuneInString(s)
			if !unicode.IsSpace(last) && !unicode.IsSpace(next) &&
				!strings.ContainsRune(opening, last) && !strings.ContainsRune(closing, next) {
				r.cur.WriteByte(' ')
			}
		}
	}
	r.cur.WriteString(s)
}

// Punctuation that binds to the following (opening) or preceding
// (closing) word, so no space is inserted next to it.
const (
	opening = "([{‘“«¿¡$£€#@/-–'\""
	closing = ".,;:!?)]}’”»%…/-–'\""
)

func (r *textRenderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c)
	}
}

// blockElements are the elements that start and end a line of text.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Body: true, atom.Caption: true, atom.Center: true, atom.Dd: true, atom.Details: true,
	atom.Dialog: true, atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true,
	atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Html: true, atom.Legend: true, atom.Li: true,
	atom.Main: true, atom.Menu: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Section: true, atom.Summary: true, atom.Table: true, atom.Tbody: true,
	atom.Tfoot: true, atom.Thead: true, atom.Tr: true, atom.Ul: true,
}
