package client

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/beian-dev/beian/internal/api"
)

func newTestClient(t *testing.T, url string, mod func(*Options)) *Client {
	t.Helper()
	o := Options{BaseURL: url, RetryWait: time.Millisecond, RetryMaxWait: 5 * time.Millisecond, Getenv: func(string) string { return "" }}
	if mod != nil {
		mod(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeProblem(w http.ResponseWriter, p *api.Problem, retryAfter string) {
	w.Header().Set("Content-Type", api.ContentTypeProblem)
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

func TestGetRetriedOn503(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			writeProblem(w, api.NewProblem(api.CodeUnavailable, "injected"), "")
			return
		}
		json.NewEncoder(w).Encode(api.Account{ID: "acc-1", Login: "alice"})
	}))
	defer srv.Close()
	acc, err := newTestClient(t, srv.URL, nil).Account(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if acc.Login != "alice" || n.Load() != 3 {
		t.Errorf("login %q after %d attempts", acc.Login, n.Load())
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	var times []time.Time
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		first := len(times) == 1
		mu.Unlock()
		if first {
			writeProblem(w, api.NewProblem(api.CodeRateLimited, ""), "1")
			return
		}
		json.NewEncoder(w).Encode(api.Account{ID: "acc-1"})
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, func(o *Options) { o.RetryMaxWait = 3 * time.Second })
	if _, err := c.Account(context.Background()); err != nil {
		t.Fatal(err)
	}
	if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, Retry-After said 1s", gap)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"-1":                            0,
		"Thu, 01 Jan 2026 00:00:05 GMT": 5 * time.Second,
		"soon":                          0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// A POST without an Idempotency-Key may have created something before the
// connection broke: it is never sent twice after a network failure.
func TestUnkeyedPostNotRetriedAfterNetworkFailure(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // the answer is lost
		}
	}))
	defer srv.Close()
	_, err := newTestClient(t, srv.URL, nil).Login(context.Background(), api.LoginRequest{Login: "a", Password: "b"})
	if err == nil {
		t.Fatal("a lost answer passed for success")
	}
	if n.Load() != 1 {
		t.Errorf("login sent %d times after a broken connection", n.Load())
	}
}

// A 503 says the server did not act (an outage rolled back, or the
// sandbox's injected failure answered before any handler): even an unkeyed
// POST is sent again, and succeeds once the server is back.
func TestUnkeyedPostRetriedOn503(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			writeProblem(w, api.NewProblem(api.CodeUnavailable, ""), "")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"token":"t","expires_at":"2030-01-01T00:00:00Z","account":{"id":"a","login":"a","mobile":"","email":"","email_verified":false,"role":"sponsor","created_at":"2026-01-01T00:00:00Z"}}`))
	}))
	defer srv.Close()
	s, err := newTestClient(t, srv.URL, nil).Login(context.Background(), api.LoginRequest{Login: "a", Password: "b"})
	if err != nil {
		t.Fatalf("login after two 503s: %v", err)
	}
	if s.Token != "t" || n.Load() != 3 {
		t.Errorf("token %q after %d attempts, want t after 3", s.Token, n.Load())
	}
}

// A keyed POST is retried with the same key and the same body.
func TestKeyedPostRetriedWithSameKey(t *testing.T) {
	var keys, bodies []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		keys = append(keys, r.Header.Get(api.HeaderIdempotencyKey))
		bodies = append(bodies, string(b))
		attempt := len(keys)
		mu.Unlock()
		if attempt < 3 {
			writeProblem(w, api.NewProblem(api.CodeUnavailable, ""), "")
			return
		}
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(api.SiteRecord{ID: "site-1", State: "draft"})
	}))
	defer srv.Close()
	rec, err := newTestClient(t, srv.URL, nil).CreateSite(context.Background(), api.SiteWrite{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if rec.ID != "site-1" || len(keys) != 3 {
		t.Fatalf("rec %+v after %d attempts", rec, len(keys))
	}
	if keys[0] == "" || keys[0] != keys[1] || keys[1] != keys[2] {
		t.Errorf("keys differ across retries: %q", keys)
	}
	if bodies[0] == "" || bodies[0] != bodies[2] {
		t.Errorf("bodies differ: %q", bodies)
	}
	// A second logical operation gets a new key.
	keys = nil
	newTestClient(t, srv.URL, func(o *Options) { o.Retries = -1 }).CreateSite(context.Background(), api.SiteWrite{}, false)
	if len(keys) != 1 || keys[0] == "" {
		t.Errorf("second operation keys %q", keys)
	}
}

func TestGivenIdempotencyKeyUsed(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get(api.HeaderIdempotencyKey)
		json.NewEncoder(w).Encode(api.SiteRecord{ID: "s"})
	}))
	defer srv.Close()
	newTestClient(t, srv.URL, nil).SubmitSite(context.Background(), "s", WithIdempotencyKey("journal-key-1"))
	if got != "journal-key-1" {
		t.Errorf("key = %q", got)
	}
}

func TestConnectionErrorRetriedForGet(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	var attempts atomic.Int32
	c := newTestClient(t, url, func(o *Options) { o.Retries = 2 })
	c.r.AddRetryHook(func(*resty.Response, error) { attempts.Add(1) })
	_, err := c.Account(context.Background())
	var ne *NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("err = %T %v", err, err)
	}
	if ne.Code() != "server_unreachable" || !strings.Contains(ne.Error(), url) {
		t.Errorf("error %q", ne.Error())
	}
	// resty calls the hook after every failed attempt: the first and two retries.
	if attempts.Load() != 3 {
		t.Errorf("%d failed attempts, want 3", attempts.Load())
	}
}

func TestProblemDecoded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := api.Invalid([]api.FieldError{{Field: "site.primary_domain", Code: "domain_invalid"}, {Field: "site.name", Code: "required_missing"}})
		writeProblem(w, p, "")
	}))
	defer srv.Close()
	_, err := newTestClient(t, srv.URL, nil).CreateSite(context.Background(), api.SiteWrite{}, true)
	var p *api.Problem
	if !errors.As(err, &p) {
		t.Fatalf("err = %v", err)
	}
	if p.Code != api.CodeValidationFailed || len(p.Errors) != 2 || p.Errors[0].Code != "domain_invalid" {
		t.Errorf("problem %+v", p)
	}
}

func TestNonProblemErrorBecomesProblem(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html>bad gateway</html>")
	}))
	defer srv.Close()
	_, err := newTestClient(t, srv.URL, func(o *Options) { o.Retries = -1 }).Account(context.Background())
	var p *api.Problem
	if !errors.As(err, &p) || p.Code != api.CodeUnavailable || !strings.Contains(p.Detail, "502") {
		t.Fatalf("err = %v", err)
	}
}

func TestHeaders(t *testing.T) {
	var h http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h = r.Header.Clone()
		json.NewEncoder(w).Encode(api.SiteRecord{ID: "s", Version: 4})
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, func(o *Options) { o.Token = "tok-123"; o.UserAgent = "beian/9.9 (test)" })
	if _, err := c.UpdateSite(context.Background(), "s", 3, api.SiteWrite{}); err != nil {
		t.Fatal(err)
	}
	if h.Get("Authorization") != "Bearer tok-123" || h.Get("User-Agent") != "beian/9.9 (test)" || h.Get("If-Match") != `"3"` {
		t.Errorf("headers %v", h)
	}
	if c.WithToken("other").Token() != "other" {
		t.Error("WithToken")
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL, func(o *Options) { o.Timeout = 100 * time.Millisecond; o.Retries = -1 })
	start := time.Now()
	_, err := c.Account(context.Background())
	var ne *NetworkError
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

func TestDebugRedactsSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(api.Session{Token: "server-token-xyz", Account: api.Account{Login: "alice"}})
	}))
	defer srv.Close()
	var trace bytes.Buffer
	c := newTestClient(t, srv.URL, func(o *Options) { o.Token = "old-token-abc"; o.Debug = &trace })
	if _, err := c.Login(context.Background(), api.LoginRequest{Login: "alice", Password: "hunter2-secret"}); err != nil {
		t.Fatal(err)
	}
	out := trace.String()
	for _, secret := range []string{"old-token-abc", "hunter2-secret", "server-token-xyz"} {
		if strings.Contains(out, secret) {
			t.Errorf("trace leaks %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"> POST " + srv.URL + "/v1/sessions", "Authorization: Bearer [REDACTED]", `"login":"alice"`, "< HTTP/1.1 201 Created"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
}

func TestProxyFromEnvironment(t *testing.T) {
	var seen string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.URL.String() // a proxy receives the absolute URL
		json.NewEncoder(w).Encode(api.Account{Login: "via-proxy"})
	}))
	defer proxy.Close()
	env := map[string]string{"HTTP_PROXY": proxy.URL, "NO_PROXY": "skip.example"}
	c := newTestClient(t, "http://beian.example", func(o *Options) { o.Getenv = func(k string) string { return env[k] } })
	acc, err := c.Account(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if acc.Login != "via-proxy" || seen != "http://beian.example/v1/account" {
		t.Errorf("login %q, proxy saw %q", acc.Login, seen)
	}
	// NO_PROXY is honoured: the request goes direct (and fails to resolve).
	seen = ""
	c2 := newTestClient(t, "http://skip.example", func(o *Options) {
		o.Getenv = func(k string) string { return env[k] }
		o.Retries = -1
		o.ConnectTimeout = time.Second
	})
	if _, err := c2.Account(context.Background()); err == nil || seen != "" {
		t.Errorf("NO_PROXY host went through the proxy (err %v, seen %q)", err, seen)
	}
}

func TestCACert(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(api.Account{Login: "tls"})
	}))
	defer srv.Close()
	// Without the CA the certificate is refused.
	if _, err := newTestClient(t, srv.URL, func(o *Options) { o.Retries = -1 }).Account(context.Background()); err == nil {
		t.Fatal("self-signed certificate accepted without --ca-cert")
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	acc, err := newTestClient(t, srv.URL, func(o *Options) { o.CACertFiles = []string{ca} }).Account(context.Background())
	if err != nil || acc.Login != "tls" {
		t.Fatalf("with --ca-cert: %v %+v", err, acc)
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)
	if _, err := New(Options{BaseURL: srv.URL, CACertFiles: []string{bad}}); err == nil {
		t.Error("a file without certificates accepted")
	}
}

func TestBadBaseURL(t *testing.T) {
	for _, u := range []string{"", "beian.example", "ftp://beian.example"} {
		if _, err := New(Options{BaseURL: u}); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}
