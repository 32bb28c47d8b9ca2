package server_test

import (
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/server/servertest"
)

// /metrics counts the filings by state and province (issue 14), read from
// the store at scrape time.
func TestMetricsCountFilingsByStateAndProvince(t *testing.T) {
	env := servertest.Start(t)
	w := newWorld(t, env) // one recorded site of the owner in Wuhan (42)
	w.underReview()
	w.underReview()
	w.draft()
	body := string(env.Call(t, "GET", "/metrics", "", nil).Want(t, 200).Body)
	for _, want := range []string{
		`beian_sites{province="42",state="recorded"} 1`,
		`beian_sites{province="42",state="under_review"} 2`,
		`beian_sites{province="42",state="draft"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, grep(body, "beian_sites"))
		}
	}
}

func grep(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
