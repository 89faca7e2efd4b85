package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/pipeline"
	"github.com/prometheus/client_golang/prometheus"
)

// Figures for the report: requests the security tests served, hostile
// values they sent, and answers that were server errors.
var (
	secRequests atomic.Int64
	secHostile  atomic.Int64
	secErrors   atomic.Int64
)

// counted wraps h to count the requests and 5xx answers of these tests.
func counted(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secRequests.Add(1)
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.status >= 500 {
			secErrors.Add(1)
		}
	})
}

func TestMain(m *testing.M) {
	code := m.Run()
	if n := secRequests.Load(); n > 0 && testing.Verbose() {
		println("web security tests: requests", n, "hostile values", secHostile.Load(), "server errors", secErrors.Load())
	}
	os.Exit(code)
}

const (
	writeToken = "write-token-0123456789abcdef"
	readToken  = "read-token-0123456789abcdef"
)

func post(target, contentType string, body io.Reader) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func ingestForm(t testing.TB, fields map[string]string, fileName, fileBody string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if fileName != "" {
		fw, err := mw.CreateFormFile("files", fileName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte(fileBody))
	}
	_ = mw.Close()
	return &b, mw.FormDataContentType()
}

// storeCounts is what must not change when requests are refused.
func storeCounts(t testing.TB, a detente.Archive) detente.Stats {
	t.Helper()
	st, err := a.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// concrete turns a route pattern into a path that reaches it.
func concrete(pattern string, f *fixture) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	if path == "" {
		return "", method
	}
	r := strings.NewReplacer("{id}", f.first.ID, "{a}", "ATL", "{b}", "LEM", "{code}", "ATL", "{$}", "")
	path = r.Replace(path)
	if strings.HasSuffix(path, "/static/") {
		path += "app.js"
	}
	return method, path
}

func TestEveryWriteRouteNeedsTheWriteToken(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db, Ingest: plainIngest(f.db), Token: writeToken, ReadToken: readToken})
	h := counted(s)
	before := storeCounts(t, f.db)
	jsonl := `{"id":"sneaky","title":"Sneaky","source":"X","body":"Atlantis sneaked an article in."}` + "\n"
	writes := 0
	for _, rt := range s.routeTable() {
		method, path := concrete(rt.pattern, f)
		if method == "" || method == http.MethodGet {
			continue
		}
		if path == "/login" || path == "/logout" {
			continue // they change only the caller's own cookie
		}
		writes++
		// Every way of asking short of the write token is refused.
		for name, auth := range map[string]func(*http.Request){
			"nothing":      func(*http.Request) {},
			"wrong bearer": func(r *http.Request) { r.Header.Set("Authorization", "Bearer not-the-token-at-all-1234") },
			"read bearer":  func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+readToken) },
			"read session": func(r *http.Request) {
				r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.newSession(accessRead, time.Now())})
			},
			"forged write session": func(r *http.Request) {
				v := s.newSession(accessRead, time.Now())
				r.AddCookie(&http.Cookie{Name: sessionCookie, Value: "w" + v[1:]})
			},
		} {
			var r *http.Request
			if path == "/ingest" {
				b, ct := ingestForm(t, map[string]string{"body": "Atlantis sneaked an article in.", "token": readToken}, "", "")
				r = post(path, ct, b)
			} else {
				r = post(path+"?name=x.jsonl", "application/x-ndjson", strings.NewReader(jsonl))
			}
			auth(r)
			res, body := do(t, h, r)
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s with %s: status %d, want 401: %s", method, path, name, res.StatusCode, body)
			}
		}
	}
	if writes != 2 {
		t.Errorf("found %d write routes, want 2 (POST /ingest and POST /api/articles): a new one needs a row here", writes)
	}
	// No other method changes anything either.
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		for _, path := range []string{"/api/articles", "/api/articles/" + f.first.ID, "/ingest", "/search"} {
			res, _ := do(t, h, httptest.NewRequest(method, path, strings.NewReader(jsonl)))
			if res.StatusCode < 400 {
				t.Errorf("%s %s: status %d", method, path, res.StatusCode)
			}
		}
	}
	if after := storeCounts(t, f.db); after != before {
		t.Fatalf("refused writes changed the store: %+v → %+v", before, after)
	}

	// The write token works: as bearer, as the form's field, and as a
	// session from the login form.
	r := post("/api/articles?name=x.jsonl", "", strings.NewReader(jsonl))
	r.Header.Set("Authorization", "Bearer "+writeToken)
	if res, body := do(t, h, r); res.StatusCode != http.StatusOK {
		t.Errorf("bearer write token: %d %s", res.StatusCode, body)
	}
	b, ct := ingestForm(t, map[string]string{"body": "Lemuria answered on Tuesday.", "token": writeToken}, "", "")
	r = post("/ingest", ct, b)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.newSession(accessRead, time.Now())})
	if res, _ := do(t, h, r); res.StatusCode != http.StatusSeeOther {
		t.Errorf("form with the write token: %d", res.StatusCode)
	}
	b, ct = ingestForm(t, map[string]string{"body": "Lemuria answered again on Wednesday."}, "", "")
	r = post("/ingest", ct, b)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.newSession(accessWrite, time.Now())})
	if res, _ := do(t, h, r); res.StatusCode != http.StatusSeeOther {
		t.Errorf("form with a write session: %d", res.StatusCode)
	}
	// A file before the token is refused unread: the server stops at its
	// part's header, and the rest of the upload is never pulled.
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	fw, _ := mw.CreateFormFile("files", "big.jsonl")
	_, _ = fw.Write([]byte(strings.Repeat(" ", 64<<10)))
	trap := &readTrap{}
	r = post("/ingest", mw.FormDataContentType(), io.MultiReader(&head, trap))
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.newSession(accessRead, time.Now())})
	if res, body := do(t, h, r); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "before the files") {
		t.Errorf("file before the token: %d %s", res.StatusCode, body)
	}
	if trap.read {
		t.Errorf("the upload after a refused file part was read")
	}
	// With the token first, the same kind of form goes through.
	b, ct = ingestForm(t, map[string]string{"token": writeToken}, "small.jsonl", `{"id":"tok-first","title":"T","source":"S","body":"Lemuria wrote."}`+"\n")
	r = post("/ingest", ct, b)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.newSession(accessRead, time.Now())})
	if res, body := do(t, h, r); res.StatusCode != http.StatusSeeOther {
		t.Errorf("token before the file: %d %s", res.StatusCode, body)
	}
	// The ingest page asks for the token only of those without write access.
	for _, c := range []struct {
		a    access
		want bool
	}{{accessRead, true}, {accessWrite, false}} {
		r := httptest.NewRequest(http.MethodGet, "/ingest", nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.newSession(c.a, time.Now())})
		_, page := do(t, h, r)
		if got := strings.Contains(page, `name="token"`); got != c.want {
			t.Errorf("ingest page for access %d asks for the token: %v, want %v", c.a, got, c.want)
		}
	}
}

func TestReadTokenAndLogin(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db, Ingest: plainIngest(f.db), Token: writeToken, ReadToken: readToken})
	h := counted(s)
	// Every route that shows the store is closed without a token; the
	// public ones stay open.
	for _, rt := range s.routeTable() {
		method, path := concrete(rt.pattern, f)
		if method != http.MethodGet {
			continue
		}
		res, body := getURL(t, h, path)
		switch {
		case rt.public:
			if res.StatusCode != http.StatusOK {
				t.Errorf("public %s: %d", path, res.StatusCode)
			}
		case strings.HasPrefix(path, "/api/") || path == "/metrics":
			if res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" || !strings.Contains(body, `"error"`) {
				t.Errorf("%s without a token: %d %q", path, res.StatusCode, body)
			}
		default:
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") || strings.Contains(body, "Atlantis") {
				t.Errorf("%s without a token: %d → %q", path, res.StatusCode, loc)
			}
		}
		// Either token opens it, as a bearer.
		for _, tok := range []string{readToken, writeToken} {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.Header.Set("Authorization", "Bearer "+tok)
			if res, _ := do(t, h, r); res.StatusCode >= 300 && path != "/" && !strings.Contains(path, "/jobs/") {
				t.Errorf("%s with a token: %d", path, res.StatusCode)
			}
		}
	}
	if res, _ := getURL(t, h, "/api/ingest/jobs/nope"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a job's status without a token: %d", res.StatusCode)
	}

	// The login form: a wrong token is refused, a right one sets a
	// session cookie and goes back where the reader was going.
	login := func(tok, next string, tweak func(*http.Request)) *http.Response {
		r := post("/login", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"token": {tok}, "next": {next}}.Encode()))
		if tweak != nil {
			tweak(r)
		}
		res, _ := do(t, h, r)
		return res
	}
	if res := login("wrong-token-0123456789", "/events", nil); res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 {
		t.Errorf("wrong token: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	res := login(readToken, "/events?a=ATL&b=LEM", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/events?a=ATL&b=LEM" || len(res.Cookies()) != 1 {
		t.Fatalf("login: %d → %s, cookies %v", res.StatusCode, res.Header.Get("Location"), res.Cookies())
	}
	c := res.Cookies()[0]
	if c.Name != sessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/" || c.MaxAge <= 0 {
		t.Errorf("session cookie over plain HTTP = %+v", c)
	}
	if strings.Contains(c.Value, readToken) {
		t.Error("the cookie holds the token itself")
	}
	r := httptest.NewRequest(http.MethodGet, "/events", nil)
	r.AddCookie(c)
	if res, body := do(t, h, r); res.StatusCode != http.StatusOK || !strings.Contains(body, "Log out") {
		t.Errorf("page with the session: %d", res.StatusCode)
	}
	// Over TLS the cookie is Secure, and HSTS is sent.
	res = login(readToken, "/search", func(r *http.Request) { r.TLS = &tls.ConnectionState{} })
	if cs := res.Cookies(); len(cs) != 1 || !cs[0].Secure || res.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("login over TLS: cookies %+v, HSTS %q", cs, res.Header.Get("Strict-Transport-Security"))
	}
	// The login goes nowhere but this server.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "evil", "/%0d%0aSet-Cookie:x=1", "\x00/x"} {
		res := login(readToken, next, nil)
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || (loc != "/search" && !strings.HasPrefix(loc, "/%0d")) || strings.ContainsAny(loc, "\r\n") {
			t.Errorf("next=%q: %d → %q", next, res.StatusCode, loc)
		}
	}
	// A login from another site's page is refused (login CSRF).
	if res := login(readToken, "/search", func(r *http.Request) {
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://evil.example")
	}); res.StatusCode != http.StatusForbidden || len(res.Cookies()) != 0 {
		t.Errorf("cross-site login: %d", res.StatusCode)
	}
	// Sessions that are expired, tampered with, or signed under other
	// tokens are worth nothing.
	old := s.newSession(accessWrite, time.Now().Add(-sessionTTL-time.Minute))
	other := newTestServer(t, Config{Archive: f.db, Token: "another-token-0123456789", ReadToken: readToken})
	for name, v := range map[string]string{
		"expired":      old,
		"other server": other.newSession(accessWrite, time.Now()),
		"bad mac":      s.newSession(accessRead, time.Now()) + "x",
		"longer life":  strings.Replace(s.newSession(accessRead, time.Now()), ".", ".9", 1),
		"garbage":      "w.99999999999.",
		"empty":        "",
	} {
		if a := s.verifySession(v, time.Now()); a != accessNone {
			t.Errorf("%s session grants %d", name, a)
		}
	}
	// Logging out clears the cookie.
	r = post("/logout", "application/x-www-form-urlencoded", nil)
	r.AddCookie(c)
	res, _ = do(t, h, r)
	if cs := res.Cookies(); res.StatusCode != http.StatusSeeOther || len(cs) != 1 || cs[0].MaxAge >= 0 || cs[0].Value != "" {
		t.Errorf("logout: %d %+v", res.StatusCode, cs)
	}
	// A read token without a write token, or the same token twice, is a
	// configuration mistake.
	if _, err := New(Config{Archive: f.db, ReadToken: readToken}); err == nil {
		t.Error("a read token without a write token was accepted")
	}
	if _, err := New(Config{Archive: f.db, Token: writeToken, ReadToken: writeToken}); err == nil {
		t.Error("the write token as read token was accepted")
	}
}

func TestOpenReadsWithWriteToken(t *testing.T) {
	// With only a write token, reads are open, but a wrong bearer token is
	// refused rather than ignored.
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db, Token: writeToken})
	h := counted(s)
	if res, _ := getURL(t, h, "/api/search?q=atlantis"); res.StatusCode != http.StatusOK {
		t.Errorf("open read: %d", res.StatusCode)
	}
	r := httptest.NewRequest(http.MethodGet, "/api/search?q=atlantis", nil)
	r.Header.Set("Authorization", "Bearer wrong-token-0123456789")
	if res, _ := do(t, h, r); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong bearer on an open read: %d", res.StatusCode)
	}
	_, page := getURL(t, h, "/search")
	if !strings.Contains(page, `href="/login"`) {
		t.Error("a server with a token offers no login link")
	}
}

func TestCORSIsOffByDefault(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db, Ingest: plainIngest(f.db), Token: writeToken})
	h := counted(s)
	noCORS := func(what string, res *http.Response) {
		t.Helper()
		for k := range res.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("%s: header %s: %s", what, k, res.Header.Get(k))
			}
		}
	}
	for _, path := range []string{"/api/search?q=atlantis", "/api/articles/" + f.first.ID, "/api/events", "/api/export", "/search"} {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Header.Set("Origin", "https://evil.example")
		res, _ := do(t, h, r)
		noCORS("GET "+path, res)
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			r = httptest.NewRequest(http.MethodOptions, path, nil)
			r.Header.Set("Origin", "https://evil.example")
			r.Header.Set("Access-Control-Request-Method", method)
			r.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
			res, _ = do(t, h, r)
			noCORS("preflight "+method+" "+path, res)
			if res.StatusCode < 400 {
				t.Errorf("preflight %s %s: status %d", method, path, res.StatusCode)
			}
		}
	}
	// A cross-site POST of the API is refused even with the token: no
	// browser page elsewhere may ingest.
	r := post("/api/articles", "text/plain", strings.NewReader("Atlantis sneaked in."))
	r.Header.Set("Authorization", "Bearer "+writeToken)
	r.Header.Set("Origin", "https://evil.example")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := do(t, h, r); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site API post: %d", res.StatusCode)
	}

	// With an allow-list, only those origins read the GET API, and never
	// with cookies.
	s2 := newTestServer(t, Config{Archive: f.db, Token: writeToken, CORSOrigins: []string{"https://dash.example"}})
	r = httptest.NewRequest(http.MethodGet, "/api/search?q=atlantis", nil)
	r.Header.Set("Origin", "https://dash.example")
	res, _ := do(t, counted(s2), r)
	if res.Header.Get("Access-Control-Allow-Origin") != "https://dash.example" || res.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("allowed origin: %v", res.Header)
	}
	r = httptest.NewRequest(http.MethodOptions, "/api/events", nil)
	r.Header.Set("Origin", "https://dash.example")
	r.Header.Set("Access-Control-Request-Method", "GET")
	res, _ = do(t, counted(s2), r)
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Methods") != "GET" {
		t.Errorf("allowed preflight: %d %v", res.StatusCode, res.Header)
	}
	for _, c := range []struct{ method, origin, path string }{
		{http.MethodGet, "https://evil.example", "/api/search"},
		{http.MethodGet, "https://dash.example", "/search"},
		{http.MethodOptions, "https://dash.example", "/api/articles"}, // preflight of a POST
	} {
		r = httptest.NewRequest(c.method, c.path, nil)
		r.Header.Set("Origin", c.origin)
		if c.method == http.MethodOptions {
			r.Header.Set("Access-Control-Request-Method", "POST")
		}
		res, _ = do(t, counted(s2), r)
		if res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s %s from %s: allowed", c.method, c.path, c.origin)
		}
	}
}

func TestRateLimitPerClient(t *testing.T) {
	f := newFixture(t)
	reg := newRegistry()
	// One request per 1,000 s after a burst of 3: the fourth is refused
	// however slowly the test runs.
	s := newTestServer(t, Config{Archive: f.db, RateLimit: 0.001, RateBurst: 3, Registry: reg})
	h := counted(s)
	from := func(addr, path string, hdr ...string) *http.Response {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = addr
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		res, _ := do(t, h, r)
		return res
	}
	for i := range 3 {
		if res := from("203.0.113.5:4000", "/api/search?q=atlantis"); res.StatusCode != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i+1, res.StatusCode)
		}
	}
	res := from("203.0.113.5:4001", "/api/search?q=atlantis")
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("over the rate: %d", res.StatusCode)
	}
	if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After = %q", res.Header.Get("Retry-After"))
	}
	if res := from("203.0.113.5:4002", "/search"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a page over the rate: %d", res.StatusCode)
	}
	// X-Forwarded-For is not believed unless told to.
	if res := from("203.0.113.5:4003", "/api/search", "X-Forwarded-For", "198.51.100.9"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For escaped the limit: %d", res.StatusCode)
	}
	// Other clients have their own buckets; loopback is not limited.
	if res := from("198.51.100.7:5000", "/api/search"); res.StatusCode != http.StatusOK {
		t.Errorf("another client: %d", res.StatusCode)
	}
	for i := range 10 {
		if res := from("127.0.0.1:6000", "/healthz"); res.StatusCode != http.StatusOK {
			t.Fatalf("loopback request %d: %d", i, res.StatusCode)
		}
		if res := from("[::1]:6000", "/healthz"); res.StatusCode != http.StatusOK {
			t.Fatalf("IPv6 loopback request %d: %d", i, res.StatusCode)
		}
	}
	// An IPv6 host's /64 is one client.
	for i := range 3 {
		from("[2001:db8:1:2::"+strconv.Itoa(i+1)+"]:80", "/healthz")
	}
	if res := from("[2001:db8:1:2::ff]:80", "/healthz"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a fresh address in the same /64: %d", res.StatusCode)
	}
	if res := from("[2001:db8:1:3::1]:80", "/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("another /64: %d", res.StatusCode)
	}
	if got := metricValue(t, reg, "detente_http_rate_limited_total"); got != 4 {
		t.Errorf("rate_limited_total = %v, want 4", got)
	}

	// Loopback limited when asked; behind a trusted proxy, clients are
	// told apart by the proxy's X-Forwarded-For.
	s = newTestServer(t, Config{Archive: f.db, RateLimit: 0.001, RateBurst: 1, RateLimitLoopback: true, TrustProxy: true})
	h = counted(s)
	xff := func(v string) *http.Response { return from("127.0.0.1:7000", "/healthz", "X-Forwarded-For", v) }
	if res := xff("10.0.0.1, 192.0.2.1"); res.StatusCode != http.StatusOK {
		t.Fatalf("first through the proxy: %d", res.StatusCode)
	}
	if res := xff("10.0.0.2, 192.0.2.1"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the same client with another invented first hop: %d", res.StatusCode)
	}
	if res := xff("192.0.2.2"); res.StatusCode != http.StatusOK {
		t.Errorf("another client through the proxy: %d", res.StatusCode)
	}
	if res := from("127.0.0.1:7000", "/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("loopback itself, first time: %d", res.StatusCode)
	}
	if res := from("127.0.0.1:7000", "/healthz"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("loopback with --rate-limit-loopback: %d", res.StatusCode)
	}
}

func TestRateLimiterForgetsTheLeastRecentClient(t *testing.T) {
	l := newLimiter(0.001, 1, 2)
	now := time.Now()
	a, b, c := mustAddr("192.0.2.1"), mustAddr("192.0.2.2"), mustAddr("192.0.2.3")
	for _, k := range []netip.Addr{a, b} {
		if ok, _ := l.allow(k, now); !ok {
			t.Fatal("first request refused")
		}
	}
	if ok, _ := l.allow(a, now); ok { // a is now the most recent
		t.Fatal("a's second request allowed")
	}
	if ok, _ := l.allow(c, now); !ok { // evicts b
		t.Fatal("c refused")
	}
	if l.clients() != 2 {
		t.Errorf("%d clients remembered, want 2", l.clients())
	}
	if ok, _ := l.allow(a, now); ok {
		t.Error("a was forgotten instead of b")
	}
	if ok, _ := l.allow(b, now); !ok {
		t.Error("b was not forgotten")
	}
}

func TestHostAllowList(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db, AllowedHosts: []string{"localhost", "127.0.0.1", "::1"}})
	h := counted(s)
	for host, want := range map[string]int{
		"127.0.0.1:8080": http.StatusOK, "localhost": http.StatusOK, "[::1]:8080": http.StatusOK, "LOCALHOST:1": http.StatusOK,
		"rebind.evil.example:8080": http.StatusMisdirectedRequest, "127.0.0.1.evil.example": http.StatusMisdirectedRequest,
	} {
		r := httptest.NewRequest(http.MethodGet, "/api/search?q=atlantis", nil)
		r.Host = host
		if res, _ := do(t, h, r); res.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, res.StatusCode, want)
		}
	}
}

// panicArchive panics in every query, as a bug deep in a store would.
type panicArchive struct{ detente.Archive }

func (panicArchive) Search(context.Context, detente.SearchFilter) ([]detente.SearchHit, int, error) {
	panic("boom: secret detail at /home/build/store/sqlite/search.go:42")
}

func (panicArchive) Events(context.Context, detente.EventFilter) ([]detente.Event, int, error) {
	panic("boom: secret detail in Events")
}

// leakyArchive fails with an error that holds internals.
type leakyArchive struct{ detente.Archive }

func (leakyArchive) Article(context.Context, string) (*detente.Story, error) {
	return nil, errors.New(`sqlite: SQL logic error: near "DROP": syntax error (/var/lib/detente/secret.db)`)
}

func TestNoStackTracesOrInternalsReachClients(t *testing.T) {
	f := newFixture(t)
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	s := newTestServer(t, Config{Archive: panicArchive{f.db}, Logger: log})
	h := counted(s)
	for _, path := range []string{"/search?q=x", "/api/search?q=x", "/events", "/api/events", "/api/export?format=csv"} {
		res, body := getURL(t, h, path)
		if res.StatusCode != http.StatusInternalServerError {
			t.Errorf("%s: %d, want 500", path, res.StatusCode)
		}
		for _, leak := range []string{"boom", "secret", "goroutine", ".go:", "panic"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s: answer holds %q: %s", path, leak, body)
			}
		}
	}
	if !strings.Contains(logged.String(), "secret detail") || !strings.Contains(logged.String(), "goroutine") {
		t.Error("the panic and its stack did not reach the log")
	}
	secErrors.Add(-5) // those were the point
	s = newTestServer(t, Config{Archive: leakyArchive{f.db}, Logger: log})
	for _, path := range []string{"/articles/x", "/api/articles/x"} {
		res, body := getURL(t, counted(s), path)
		if res.StatusCode != http.StatusInternalServerError || strings.Contains(body, "sqlite") || strings.Contains(body, "secret") || !strings.Contains(body, "internal error") {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
		secErrors.Add(-1)
	}
}

func TestSecurityHeadersComplete(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	h := counted(s)
	for _, path := range []string{"/search", "/api/search", "/static/style.css", "/no/such", "/api/export", "/healthz", "/login"} {
		res, _ := getURL(t, h, path)
		csp := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
			"base-uri 'none'", "form-action 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %s", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe") || strings.Contains(csp, "*") {
			t.Errorf("%s: CSP %q allows too much", path, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
			"X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin"} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		for _, k := range []string{"Server", "X-Powered-By", "Strict-Transport-Security"} {
			if v := res.Header.Get(k); v != "" {
				t.Errorf("%s: %s = %q", path, k, v)
			}
		}
	}
}

func TestRequestLimits(t *testing.T) {
	f := newFixture(t)
	slow := make(chan struct{})
	defer close(slow)
	s := newTestServer(t, Config{Archive: slowArchive{f.db, slow}, Ingest: plainIngest(f.db), MaxUploadBytes: 2048,
		HandlerTimeout: 50 * time.Millisecond})
	h := counted(s)
	// A handler over its time answers 503 with a message.
	res, body := getURL(t, h, "/api/search?q=atlantis")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "too long") {
		t.Errorf("slow search: %d %q", res.StatusCode, body)
	}
	secErrors.Add(-1)
	// A form upload over the limit is refused, declared or not.
	b, ct := ingestForm(t, map[string]string{"source": "x"}, "big.txt", strings.Repeat("Atlantis ", 400))
	r := post("/ingest", ct, b)
	if res, _ := do(t, h, r); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form: %d", res.StatusCode)
	}
	b, ct = ingestForm(t, map[string]string{"source": "x"}, "big.txt", strings.Repeat("Atlantis ", 400))
	r = post("/ingest", ct, io.MultiReader(b)) // no Content-Length: cut while reading
	r.ContentLength = -1
	if res, _ := do(t, h, r); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form without a length: %d", res.StatusCode)
	}
	// A login form is a small body.
	r = post("/login", "application/x-www-form-urlencoded", strings.NewReader("token="+strings.Repeat("x", maxQueryBytes+1)))
	if res, _ := do(t, h, r); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized login: %d", res.StatusCode)
	}
}

// slowArchive's search waits until its request is given up.
type slowArchive struct {
	detente.Archive
	release chan struct{}
}

func (a slowArchive) Search(ctx context.Context, _ detente.SearchFilter) ([]detente.SearchHit, int, error) {
	select {
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	case <-a.release:
		return nil, 0, nil
	}
}

func TestHTTPServerCutsSlowHeadersAndHugeHeaders(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	hs := HTTPServer("127.0.0.1:0", counted(s), nil)
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Fatalf("server limits: %+v", hs)
	}
	hs.ReadHeaderTimeout = 200 * time.Millisecond // the mechanism, quicker
	ts := httptest.NewUnstartedServer(hs.Handler)
	ts.Config = hs
	ts.Start()
	defer ts.Close()
	// Slowloris: a request line and one header, then silence. The server
	// hangs up; the read deadline only keeps a broken test from hanging.
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /search HTTP/1.1\r\nHost: x\r\nX-Slow: ")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	got, err := io.ReadAll(conn)
	if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
		t.Fatal("the server kept a connection whose headers never ended")
	}
	if strings.Contains(string(got), "200 OK") {
		t.Errorf("slow headers were served: %q", got)
	}
	// Headers over the limit: 431.
	r, _ := http.NewRequest(http.MethodGet, ts.URL+"/search", nil)
	r.Header.Set("X-Big", strings.Repeat("x", MaxHeaderBytes+4096))
	res, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("huge headers: %d", res.StatusCode)
	}
}

func TestPathTraversalIsImpossible(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db, Ingest: plainIngest(f.db)})
	h := counted(s)
	appJS, _ := staticFS.ReadFile("static/app.js")
	styleCSS, _ := staticFS.ReadFile("static/style.css")
	// Nothing but the embedded assets comes out of /static/.
	for _, path := range []string{
		"/static/../server.go", "/static/..%2fserver.go", "/static/%2e%2e/server.go", "/static/%2e%2e%2fserver.go",
		"/static/%2e%2e%2f%2e%2e%2fgo.mod", "/static/..%5cserver.go", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
		"/static/app.js%00.png", "/static/app.js%00", "/static/../templates/layout.html", "/static/.%2e/templates/layout.html",
		"/static/%252e%252e/server.go", "/static/C:%5cwindows%5cwin.ini", "/static/templates/layout.html", "/static/",
		"/static/.", "/static/...", "/static/%c0%ae%c0%ae/server.go",
	} {
		secHostile.Add(1)
		res, body := getURL(t, h, path)
		if res.StatusCode == http.StatusOK && body != string(appJS) && body != string(styleCSS) {
			t.Errorf("%s: served %d bytes that are not an asset: %.80q", path, len(body), body)
		}
		if res.StatusCode >= 500 {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
		if loc := res.Header.Get("Location"); loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//")) {
			t.Errorf("%s: redirects off the server to %q", path, loc)
		}
		for _, leak := range []string{"package web", "{{define", "root:", "module github.com"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s: answer holds %q", path, leak)
			}
		}
	}
	// IDs in paths are looked up, never opened.
	for _, id := range []string{"..%2f..%2fetc%2fpasswd", "%2e%2e", "%2fetc%2fpasswd", "%00", "x%00y", "..", "....%2f", "%5c..%5c"} {
		for _, p := range []string{"/articles/", "/api/articles/", "/ingest/jobs/", "/api/ingest/jobs/"} {
			secHostile.Add(1)
			res, body := getURL(t, h, p+id)
			switch res.StatusCode {
			case http.StatusNotFound, http.StatusBadRequest:
			case http.StatusMovedPermanently, http.StatusTemporaryRedirect: // the mux cleans "..": a path here
				if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
					t.Errorf("%s%s: redirects to %q", p, id, loc)
				}
			default:
				t.Errorf("%s%s: %d %s", p, id, res.StatusCode, body)
			}
			if strings.Contains(body, "root:") {
				t.Errorf("%s%s: answer holds a system file", p, id)
			}
		}
	}
	// Upload names are names: nothing is read from or written to them.
	dir := t.TempDir()
	target := filepath.Join(dir, "pwned.txt")
	for _, name := range []string{target, "../../../../" + strings.TrimPrefix(target, "/"), "..\\..\\pwned.txt", "x\x00.txt"} {
		secHostile.Add(1)
		b, ct := ingestForm(t, nil, name, `{"id":"upl-`+strconv.Itoa(len(name))+`","title":"Upload","source":"U","body":"Atlantis uploaded a file."}`+"\n")
		r := post("/ingest", ct, b)
		// A NUL byte in the name breaks the MIME header: a clean 400.
		if res, body := do(t, h, r); res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusBadRequest {
			t.Errorf("upload named %q: %d %s", name, res.StatusCode, body)
		}
	}
	// The API's name and format choose a reader; the body is what is read.
	for _, name := range []string{"/etc/passwd", "../../etc/passwd", "/proc/self/environ"} {
		secHostile.Add(1)
		r := post("/api/articles?format=pagetext&name="+url.QueryEscape(name), "text/plain", strings.NewReader("Talks in Poseidonia\n\nAtlantis hosted Lemuria for talks on fishing quotas.\n"))
		res, body := do(t, h, r)
		if res.StatusCode != http.StatusOK || strings.Contains(body, "root:") {
			t.Errorf("POST name=%s: %d %s", name, res.StatusCode, body)
		}
	}
	if r, _ := getURL(t, h, "/api/export?format="+url.QueryEscape("../../etc/passwd")); r.StatusCode != http.StatusBadRequest {
		t.Errorf("export format path: %d", r.StatusCode)
	}
	waitForJobs(t, s)
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an upload name created %s", target)
	}
	_, body := getURL(t, h, "/api/search?q=passwd")
	if strings.Contains(body, "root:") {
		t.Error("a system file reached the store")
	}
}

// waitForJobs waits for the background ingest jobs to finish.
func waitForJobs(t testing.TB, s *Server) {
	t.Helper()
	for range 1000 {
		s.jobs.mu.Lock()
		busy := 0
		for _, j := range s.jobs.byID {
			if !j.Done {
				busy++
			}
		}
		s.jobs.mu.Unlock()
		if busy == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("ingest jobs did not finish")
}

// hostileValues are sent through every parameter of every route: FTS5
// syntax, SQL, markup, paths, numbers out of range, bytes that are not
// text.
var hostileValues = []string{
	`"`, `'`, `''`, `*`, `^`, `:`, `-`, `+`, `(`, `)`, `{`, `}`, `[`, `]`, `\`, `%`, `_`, `;`, `,`,
	`NEAR(`, `NEAR(atlantis lemuria, 2)`, `NEAR/3`, `atlantis NEAR lemuria`, `body:`, `body:atlantis`, `title:`, `{title body}:x`,
	`- atlantis`, `^atlantis`, `atlantis*`, `*atlantis`, `"atlantis`, `atlantis"`, `a"b"c*`, `AND`, `OR`, `NOT`, `atlantis NOT lemuria`,
	`'; DROP TABLE articles; --`, `" OR 1=1 --`, `') OR ('1'='1`, `1; SELECT * FROM sqlite_master`, `atlantis' UNION SELECT sql FROM sqlite_master--`,
	`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `javascript:alert(1)`,
	`../../etc/passwd`, `/etc/passwd`, `C:\Windows\win.ini`,
	"\x00", "atlantis\x00lemuria", "\xff\xfe", "\xc0\xae", "a\u202eb", "ＮＥＡＲ(ａ ｂ)", "🙂*",
	`-1`, `0`, `99999999999999999999`, `1e9`, `NaN`, `0x10`, `2020-13-45`, `9999-99-99`, `*****`, `CHN**`,
	strings.Repeat("atlantis ", 2000), strings.Repeat(`"`, 1001), strings.Repeat("(", 3000), strings.Repeat("é", 400),
}

// paramRoutes lists every GET route with the parameters it reads. Path
// parameters are marked by their {name}.
var paramRoutes = []struct {
	path   string
	params []string
}{
	{"/search", []string{"q", "source", "entity", "from", "to", "country", "root", "limit", "offset", "page"}},
	{"/api/search", []string{"q", "source", "entity", "from", "to", "country", "root", "limit", "offset", "page", "facets"}},
	{"/events", []string{"source", "target", "a", "b", "code", "root", "plover", "quad", "from", "to", "country", "sort", "limit", "offset", "page"}},
	{"/api/events", []string{"source", "target", "a", "b", "code", "root", "plover", "quad", "from", "to", "country", "sort", "limit", "offset", "page"}},
	{"/api/export", []string{"format", "source", "target", "a", "b", "code", "root", "quad", "from", "to", "sort", "limit", "header"}},
	{"/dyads/{a}/{b}", []string{"{a}", "{b}", "bucket", "from", "to", "exact", "at"}},
	{"/dyads", []string{"a", "b"}},
	{"/api/dyads/{a}/{b}/timeline", []string{"{a}", "{b}", "bucket", "from", "to"}},
	{"/actors/{code}", []string{"{code}", "bucket"}},
	{"/actors", []string{"code"}},
	{"/api/actors/{code}", []string{"{code}", "bucket"}},
	{"/articles/{id}", []string{"{id}"}},
	{"/api/articles/{id}", []string{"{id}"}},
	{"/ingest/jobs/{id}", []string{"{id}"}},
	{"/api/ingest/jobs/{id}", []string{"{id}"}},
	{"/login", []string{"next"}},
}

func TestHostileParametersNeverBreakTheStore(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	h := counted(s)
	before := storeCounts(t, f.db)
	defaults := map[string]string{"{a}": "ATL", "{b}": "LEM", "{code}": "ATL", "{id}": f.first.ID}
	leaks := []string{"sqlite", "SQL", "fts5", "syntax error", "goroutine", "panic", "no such table", "no such column"}
	n := 0
	for _, rt := range paramRoutes {
		for _, p := range rt.params {
			for _, v := range hostileValues {
				path, query := rt.path, url.Values{}
				for k, d := range defaults {
					val := d
					if k == p {
						val = v
					}
					path = strings.ReplaceAll(path, k, url.PathEscape(val))
				}
				if !strings.HasPrefix(p, "{") {
					query.Set(p, v)
				}
				if rt.path == "/dyads" && p == "a" {
					query.Set("b", "LEM")
				}
				target := path
				if len(query) > 0 {
					target += "?" + query.Encode()
				}
				n++
				secHostile.Add(1)
				res, body := getURL(t, h, target)
				switch res.StatusCode {
				case http.StatusOK, http.StatusFound, http.StatusSeeOther, http.StatusMovedPermanently,
					http.StatusBadRequest, http.StatusNotFound:
				default:
					t.Errorf("%s %s=%.40q: status %d: %.200s", rt.path, p, v, res.StatusCode, body)
					continue
				}
				for _, leak := range leaks {
					// An echo of the value itself is not a leak.
					if strings.Contains(body, leak) && !strings.Contains(strings.ToLower(v), strings.ToLower(leak)) {
						t.Errorf("%s %s=%.40q: answer holds %q", rt.path, p, v, leak)
					}
				}
				if strings.HasPrefix(rt.path, "/api/") && rt.path != "/api/export" || res.StatusCode >= 400 && strings.HasPrefix(rt.path, "/api/") {
					if !json.Valid([]byte(body)) {
						t.Errorf("%s %s=%.40q: answer is not JSON: %.100s", rt.path, p, v, body)
					}
				}
				if rt.path == "/api/search" && p == "q" && res.StatusCode == http.StatusOK {
					var sr apiSearchResult
					if err := json.Unmarshal([]byte(body), &sr); err != nil || sr.Total > 2 {
						t.Errorf("q=%.40q: %d hits of 2 stories (%v)", v, sr.Total, err)
					}
				}
			}
		}
	}
	t.Logf("%d hostile requests", n)
	if after := storeCounts(t, f.db); after != before {
		t.Errorf("the store changed: %+v → %+v", before, after)
	}
	_, body := getURL(t, h, "/api/search?q=fishing")
	var sr apiSearchResult
	if err := json.Unmarshal([]byte(body), &sr); err != nil || sr.Total != 1 || sr.Hits[0].ArticleID != f.second.ID {
		t.Errorf("after the hostile queries, fishing = %+v (%v)", sr, err)
	}
	// Invalid UTF-8 anywhere in the address is a clean 400.
	for _, target := range []string{"/search?q=%ff", "/api/search?q=a%c3", "/articles/%ff%fe", "/api/events?%ff=1"} {
		if res, _ := getURL(t, h, target); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", target, res.StatusCode)
		}
	}
}

func TestGetCutsOnACharacterBoundary(t *testing.T) {
	v := url.Values{"q": {strings.Repeat("é", 400)}}
	if got := get(v, "q"); len(got) > maxParamBytes || !utf8.ValidString(got) {
		t.Errorf("cut to %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func newRegistry() *prometheus.Registry { return prometheus.NewRegistry() }

// metricValue is the value of a counter without labels.
func metricValue(t testing.TB, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

func TestIngestPanicsStayInTheirRequest(t *testing.T) {
	f := newFixture(t)
	boom := func(ctx context.Context, in <-chan pipeline.Input, _ func(pipeline.Summary)) (pipeline.Summary, error) {
		for range in {
		}
		panic("boom: ingest bug")
	}
	s := newTestServer(t, Config{Archive: f.db, Ingest: boom})
	h := counted(s)
	// From the form the run is a background job: its panic fails the job.
	b, ct := ingestForm(t, map[string]string{"body": "Atlantis spoke."}, "", "")
	res, _ := do(t, h, post("/ingest", ct, b))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("form: %d", res.StatusCode)
	}
	waitForJobs(t, s)
	j, _ := s.jobs.get(strings.TrimPrefix(res.Header.Get("Location"), "/ingest/jobs/"))
	if !j.Done || j.Error != "internal error" {
		t.Errorf("job after a panic = %+v", j)
	}
	// Through the API it is the request's: a 500 without details.
	res, body := do(t, h, post("/api/articles", "text/plain", strings.NewReader("Atlantis spoke.")))
	if res.StatusCode != http.StatusInternalServerError || strings.Contains(body, "boom") {
		t.Errorf("API: %d %s", res.StatusCode, body)
	}
	secErrors.Add(-1)
	if res, _ := getURL(t, h, "/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("server after the panics: %d", res.StatusCode)
	}
}

// readTrap is the tail of a request body that must never be read.
type readTrap struct{ read bool }

func (r *readTrap) Read(p []byte) (int, error) {
	r.read = true
	return 0, io.EOF
}
