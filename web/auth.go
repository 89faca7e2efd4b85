package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// access is what a request may do.
type access int

const (
	accessNone  access = iota
	accessRead         // pages and read-only API
	accessWrite        // ingest too
)

// sessionCookie holds a signed session for browsers, set by the login
// form; the API takes a bearer token instead (or as well).
const sessionCookie = "detente_session"

// sessionTTL is how long a login lasts. Sessions are not stored on the
// server: changing a token ends them all, and so does this expiry.
const sessionTTL = 12 * time.Hour

// tokenMatches compares in constant time whatever the lengths: both sides
// are hashed first.
func tokenMatches(want, presented string) bool {
	if want == "" || presented == "" {
		return false
	}
	w := sha256.Sum256([]byte(want))
	p := sha256.Sum256([]byte(presented))
	return subtle.ConstantTimeCompare(w[:], p[:]) == 1
}

// tokenAccess is what a presented token grants.
func (s *Server) tokenAccess(tok string) access {
	// Both are compared every time, so the answer's timing says nothing
	// about which token came close.
	w := tokenMatches(s.cfg.Token, tok)
	r := tokenMatches(s.cfg.ReadToken, tok)
	switch {
	case w:
		return accessWrite
	case r:
		return accessRead
	}
	return accessNone
}

// access says what r may do: by its bearer token, else its session
// cookie, else what the server grants everyone (all of it when it has no
// token, reads when it has no read token).
func (s *Server) access(r *http.Request) access {
	if s.cfg.Token == "" {
		return accessWrite
	}
	if tok := bearer(r); tok != "" {
		// A wrong bearer token is not topped up by the open reads: the
		// client meant to authenticate and should hear that it failed.
		return s.tokenAccess(tok)
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if a := s.verifySession(c.Value, time.Now()); a != accessNone {
			return a
		}
	}
	if s.cfg.ReadToken == "" {
		return accessRead
	}
	return accessNone
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// sessionKey signs session cookies. It is derived from the tokens, so a
// session outlives a restart but not a change of token.
func (s *Server) sessionKey() []byte {
	m := hmac.New(sha256.New, []byte("detente session key v1"))
	m.Write([]byte(s.cfg.Token))
	m.Write([]byte{0})
	m.Write([]byte(s.cfg.ReadToken))
	return m.Sum(nil)
}

// newSession is a cookie value granting a for sessionTTL from now:
// "<r|w>.<unix expiry>.<base64 HMAC of both>".
func (s *Server) newSession(a access, now time.Time) string {
	role := "r"
	if a == accessWrite {
		role = "w"
	}
	payload := role + "." + strconv.FormatInt(now.Add(sessionTTL).Unix(), 10)
	return payload + "." + s.sign(payload)
}

func (s *Server) sign(payload string) string {
	m := hmac.New(sha256.New, s.sessionKey())
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) verifySession(v string, now time.Time) access {
	i := strings.LastIndexByte(v, '.')
	if i < 0 {
		return accessNone
	}
	payload, mac := v[:i], v[i+1:]
	if !hmac.Equal([]byte(mac), []byte(s.sign(payload))) {
		return accessNone
	}
	role, exp, ok := strings.Cut(payload, ".")
	if !ok {
		return accessNone
	}
	t, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || now.Unix() >= t {
		return accessNone
	}
	switch role {
	case "w":
		return accessWrite
	case "r":
		return accessRead
	}
	return accessNone
}

// secure says whether the client reached us over TLS, directly or (when
// the proxy is trusted) through the proxy.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
}

// localPath returns next when it is a path on this server, else "/search":
// the login form must not redirect anywhere else.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\\\r\n\t\x00") {
		return "/search"
	}
	return next
}

type loginView struct {
	Next    string
	Message string
	// Role is the current access when the visitor is logged in.
	Role string
}

func (loginView) pageTitle() (string, string) { return "Log in", "" }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	v := loginView{Next: localPath(r.URL.Query().Get("next"))}
	if c, err := r.Cookie(sessionCookie); err == nil {
		v.Role = roleName(s.verifySession(c.Value, time.Now()))
	}
	s.render(w, r, http.StatusOK, "login", v)
}

func roleName(a access) string {
	switch a {
	case accessWrite:
		return "read and ingest"
	case accessRead:
		return "read"
	}
	return ""
}

// loginPost checks the token from the form and sets a session cookie.
func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Token == "" {
		http.Redirect(w, r, "/search", http.StatusSeeOther)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, invalid("the form could not be read"))
		return
	}
	next := localPath(r.PostFormValue("next"))
	a := s.tokenAccess(r.PostFormValue("token"))
	if a == accessNone {
		s.metrics.authFailures.Inc()
		s.log.Warn("web: login refused", "client", s.clientAddr(r))
		s.render(w, r, http.StatusUnauthorized, "login", loginView{Next: next, Message: "That token is not valid."})
		return
	}
	s.setSession(w, r, s.newSession(a, time.Now()), int(sessionTTL/time.Second))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logoutPost(w http.ResponseWriter, r *http.Request) {
	s.setSession(w, r, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// denied answers a request that lacks the access it needs: the API with
// 401 and a bearer challenge, a browser's page request with the login form.
func (s *Server) denied(w http.ResponseWriter, r *http.Request, msg string) {
	s.metrics.authFailures.Inc()
	if isAPI(r) || r.Method != http.MethodGet {
		w.Header().Set("WWW-Authenticate", `Bearer realm="detente"`)
		s.fail(w, r, &statusError{status: http.StatusUnauthorized, msg: msg})
		return
	}
	http.Redirect(w, r, "/login?"+url.Values{"next": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
}

func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics"
}

// needRead wraps a route that shows the store: with a read token, only
// holders of a token (or a session) reach it.
func (s *Server) needRead(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.access(r) < accessRead {
			s.denied(w, r, "a valid bearer token is required")
			return
		}
		h.ServeHTTP(w, r)
	})
}
