package web

import (
	"container/list"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxRateClients bounds the clients the rate limiter remembers; the one
// seen longest ago is forgotten first (it starts again with a full bucket,
// which is the state an idle client's bucket would have reached anyway).
const maxRateClients = 10_000

// limiter keeps a token bucket per client.
type limiter struct {
	rate  rate.Limit
	burst int
	max   int

	mu    sync.Mutex
	byKey map[netip.Addr]*list.Element
	lru   *list.List // of *bucket, most recently seen first
}

type bucket struct {
	key netip.Addr
	lim *rate.Limiter
}

func newLimiter(perSecond float64, burst, maxClients int) *limiter {
	if burst < 1 {
		burst = max(1, int(math.Ceil(perSecond)))
	}
	return &limiter{rate: rate.Limit(perSecond), burst: burst, max: maxClients,
		byKey: map[netip.Addr]*list.Element{}, lru: list.New()}
}

// allow takes a token from key's bucket; when there is none it says how
// long until there will be.
func (l *limiter) allow(key netip.Addr, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	var lim *rate.Limiter
	if e, ok := l.byKey[key]; ok {
		l.lru.MoveToFront(e)
		lim = e.Value.(*bucket).lim
	} else {
		if l.lru.Len() >= l.max {
			old := l.lru.Back()
			l.lru.Remove(old)
			delete(l.byKey, old.Value.(*bucket).key)
		}
		lim = rate.NewLimiter(l.rate, l.burst)
		l.byKey[key] = l.lru.PushFront(&bucket{key: key, lim: lim})
	}
	l.mu.Unlock()
	res := lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now) // a refused request costs nothing
		return false, d
	}
	return true, 0
}

func (l *limiter) clients() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// clientIP is the address requests are counted by: the peer's, or with
// TrustProxy the last address in X-Forwarded-For (the one the proxy in
// front of us appended; earlier ones are the client's to invent).
func (s *Server) clientIP(r *http.Request) netip.Addr {
	if s.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a, err := netip.ParseAddr(strings.TrimSpace(last)); err == nil {
				return a.Unmap()
			}
		}
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return a.Unmap()
	}
	return netip.Addr{}
}

// clientAddr is the client's address for logs.
func (s *Server) clientAddr(r *http.Request) string {
	if a := s.clientIP(r); a.IsValid() {
		return a.String()
	}
	return r.RemoteAddr
}

// rateKey groups an IPv6 client by its /64, which one host usually owns
// whole and could otherwise walk through for fresh buckets.
func rateKey(a netip.Addr) netip.Addr {
	if a.Is6() {
		p, err := a.Prefix(64)
		if err == nil {
			return p.Addr()
		}
	}
	return a
}

// rateLimit answers 429 with Retry-After to a client over its rate.
// Loopback clients pass unless RateLimitLoopback is set: local use and
// the soak test are not throttled.
func (s *Server) rateLimit(h http.Handler) http.Handler {
	if s.limiter == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := s.clientIP(r)
		if ip.IsLoopback() && !s.cfg.RateLimitLoopback {
			h.ServeHTTP(w, r)
			return
		}
		ok, wait := s.limiter.allow(rateKey(ip), time.Now())
		if !ok {
			s.metrics.rateLimited.Inc()
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
			s.fail(w, r, &statusError{status: http.StatusTooManyRequests, msg: "too many requests: slow down and retry later"})
			return
		}
		h.ServeHTTP(w, r)
	})
}
