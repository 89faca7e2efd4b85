package fetch

import (
	"testing"
	"time"
)

func TestRobotsRulesApplyByGroupAndLongestMatch(t *testing.T) {
	txt := `# comment
User-agent: otherbot
Disallow: /

User-agent: Detente
User-agent: friend
Disallow: /news/private
Allow: /news/private/ok
Disallow: /*.pdf$
Crawl-delay: 2.5

User-agent: *
Disallow: /
`
	r := ParseRobots([]byte(txt), "detente")
	tests := []struct {
		path string
		want bool
	}{
		{"/", true},
		{"/news/story", true},
		{"/news/private/x", false},
		{"/news/private/ok/1", true},
		{"/files/a.pdf", false},
		{"/files/a.pdf?x=1", true},
		{"/robots.txt", true},
	}
	for _, tt := range tests {
		if got := r.Allowed(tt.path); got != tt.want {
			t.Errorf("Allowed(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if r.CrawlDelay != 2500*time.Millisecond {
		t.Errorf("CrawlDelay = %v, want 2.5s", r.CrawlDelay)
	}
}

func TestRobotsFallsBackToTheStarGroup(t *testing.T) {
	r := ParseRobots([]byte("User-agent: *\nDisallow: /search\nDisallow:\n"), "detente")
	if r.Allowed("/search?q=x") || !r.Allowed("/story") {
		t.Errorf("star group not applied: /search allowed=%v, /story allowed=%v", r.Allowed("/search?q=x"), r.Allowed("/story"))
	}
	if !ParseRobots(nil, "detente").Allowed("/anything") {
		t.Error("an empty robots.txt forbids")
	}
}
