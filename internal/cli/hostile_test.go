package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Issue 9 items 12 and 13: beian against a server that sends hostile data.

// evilName is a site name with a window-title OSC, a clear-screen CSI and
// an OSC 8 hyperlink, as JSON escapes.
const evilName = `\u001b]0;pwned\u0007\u001b[2J\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007`

// TestServerTextIsSanitisedOnTheTerminal runs sites, status and
// notifications against a real server behind a proxy that plants escape
// sequences in every site name and notification: none reaches the output,
// while -o json keeps the exact text.
func TestServerTextIsSanitisedOnTheTerminal(t *testing.T) {
	env, rec := configuredServer(t)
	target, _ := url.Parse(env["BEIAN_SERVER"])
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(r *http.Response) error {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		b = bytes.ReplaceAll(b, []byte(`"name":"`+"示例科技官网"+`"`), []byte(`"name":"`+evilName+`"`))
		b = bytes.ReplaceAll(b, []byte(`"primary_domain":"light-example.com.cn"`), []byte(`"primary_domain":"light-example.com.cn`+evilName+`"`))
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
		r.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	evil := httptest.NewServer(proxy)
	defer evil.Close()
	env["BEIAN_SERVER"] = evil.URL

	for _, args := range [][]string{{"sites"}, {"status", rec.ID}, {"notifications"}, {"sites", "--list", "draft"}} {
		_, out, errOut := run(t, env, nil, args...)
		for _, ctl := range []string{"\x1b", "\x07", "\x9b"} {
			if strings.Contains(out+errOut, ctl) {
				t.Errorf("beian %s printed a raw %q:\n%q\n%q", strings.Join(args, " "), ctl, out, errOut)
			}
		}
		if args[0] == "sites" && len(args) == 1 && !strings.Contains(out, `\x1b]0;pwned`) {
			t.Errorf("beian sites does not show the escaped name visibly:\n%s", out)
		}
	}
	code, out, _ := run(t, env, nil, "sites", "-o", "json")
	if code != 0 || !strings.Contains(out, `\u001b]0;pwned\u0007`) {
		t.Errorf("-o json changed the server's text (exit %d):\n%s", code, out)
	}
}

// TestEndlessAnswerIsRefused: a server answering GET /v1/sites with an
// endless JSON list is cut off at the response cap, and beian names it.
func TestEndlessAnswerIsRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"items":[`)
		item := []byte(`{"id":"x","state":"draft","version":1,"site":{"name":"` + strings.Repeat("长", 1000) + `"}},`)
		for r.Context().Err() == nil {
			if _, err := w.Write(item); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	env := isolated(t)
	env["BEIAN_SERVER"], env["BEIAN_TOKEN"], env["BEIAN_RETRIES"] = srv.URL, "t", "0"
	start := time.Now()
	code, out, errOut := run(t, env, nil, "sites")
	if code == 0 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, srv.URL) || !strings.Contains(errOut, "larger than") {
		t.Errorf("stderr does not name the server and the cap:\n%s", errOut)
	}
	t.Logf("refused after %s", time.Since(start))
}

// TestStalledBodyIsBoundedWithRetries: a server that sends headers and
// then nothing holds a command for the total timeout, not for retries ×
// timeout, and beian names the server.
func TestStalledBodyIsBoundedWithRetries(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"items":[`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	env := isolated(t)
	env["BEIAN_SERVER"], env["BEIAN_TOKEN"] = srv.URL, "t"
	env["BEIAN_TIMEOUT"], env["BEIAN_TOTAL_TIMEOUT"], env["BEIAN_RETRIES"] = "1s", "3s", "4"
	start := time.Now()
	code, _, errOut := run(t, env, nil, "notifications")
	took := time.Since(start)
	if code == 0 || !strings.Contains(errOut, srv.URL) || !strings.Contains(errOut, "in time") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	// 4 retries × 1 s would be 5 s and more; the total bound is 3 s. The
	// check is loose (a busy machine), but far below retries × timeout
	// with the defaults (150 s).
	if took > 15*time.Second {
		t.Errorf("a stalled server held beian for %s", took)
	}
	t.Logf("gave up after %s", took)
}
