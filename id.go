package detente

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// ArticleID returns the stable ID of an article: its own ID when the input
// gave one, else a hash of its URL, else a hash of its outlet, title and
// body. The same article read twice gets the same ID, which is what makes
// ingest idempotent.
func ArticleID(a *Article) string {
	if a.ID != "" {
		return a.ID
	}
	h := sha256.New()
	if u := strings.TrimSpace(a.URL); u != "" {
		h.Write([]byte("url\x00"))
		h.Write([]byte(u))
	} else {
		h.Write([]byte("text\x00"))
		h.Write([]byte(a.Source))
		h.Write([]byte{0})
		h.Write([]byte(a.Title))
		h.Write([]byte{0})
		h.Write([]byte(a.Body))
	}
	return "a" + hex.EncodeToString(h.Sum(nil))[:20]
}
