package fetch

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Robots is a parsed robots.txt (RFC 9309) as it applies to one crawler:
// the rules of the group naming its product token, else the "*" group.
type Robots struct {
	rules []robotsRule
	// CrawlDelay is the group's Crawl-delay (not in RFC 9309, but widely
	// set); zero when absent.
	CrawlDelay time.Duration
}

type robotsRule struct {
	allow   bool
	pattern string
}

// AllowAll is the robots.txt of a site that has none.
var AllowAll = &Robots{}

// disallowAll stands for a site whose robots.txt could not be fetched
// because the server failed: RFC 9309 says to assume complete disallow.
var disallowAll = &Robots{rules: []robotsRule{{allow: false, pattern: "/"}}}

// ParseRobots reads robots.txt for the crawler whose product token is
// agent (case-insensitive, e.g. "detente"). Lines it does not understand
// are ignored, as the RFC asks.
func ParseRobots(data []byte, agent string) *Robots {
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	inAgents := false // consecutive user-agent lines share one group
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
			inAgents = true
		case "allow", "disallow":
			inAgents = false
			if cur == nil {
				continue
			}
			if val == "" {
				continue // "Disallow:" with nothing allows everything
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: val})
		case "crawl-delay":
			inAgents = false
			if cur == nil {
				continue
			}
			if f, err := strconv.ParseFloat(val, 64); err == nil && f > 0 && f < 86400 {
				cur.delay = time.Duration(f * float64(time.Second))
			}
		default:
			// Sitemap and other lines end the user-agent list but no group.
			if key != "sitemap" {
				inAgents = false
			}
		}
	}
	// The groups naming our token merge; failing that, the "*" groups.
	r := &Robots{}
	for _, want := range []func(string) bool{
		func(a string) bool { return a != "*" && a != "" && strings.HasPrefix(agent, a) },
		func(a string) bool { return a == "*" },
	} {
		found := false
		for _, g := range groups {
			for _, a := range g.agents {
				if want(a) {
					found = true
					r.rules = append(r.rules, g.rules...)
					if g.delay > r.CrawlDelay {
						r.CrawlDelay = g.delay
					}
					break
				}
			}
		}
		if found {
			return r
		}
	}
	return r
}

// Allowed reports whether the crawler may fetch the URL path (with its
// query, as it appears in the request line). The longest matching rule
// wins; between equally long ones, allow wins; no match allows.
func (r *Robots) Allowed(path string) bool {
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" {
		return true
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if !match(rule.pattern, path) {
			continue
		}
		n := len(rule.pattern)
		if n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// match reports whether path matches a robots.txt pattern: a prefix match
// in which '*' matches any run of characters and a final '$' anchors the
// end. Percent-encoding is compared as written.
func match(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	if len(parts) == 1 {
		return !anchored || rest == ""
	}
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last && anchored {
			return strings.HasSuffix(rest, p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return true
}
