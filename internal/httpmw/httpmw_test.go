package httpmw

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
)

// apiMux is a small stand-in for the API's mux: a few of its real patterns.
func apiMux(t *testing.T) *http.ServeMux {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/sites/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"`+r.PathValue("id")+`"}`)
	})
	mux.HandleFunc("POST /v1/sessions", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"token":"secret-token-value"}`)
	})
	mux.HandleFunc("GET /v1/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.HandleFunc("GET /v1/sandbox/outbox", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "{}") })
	mux.HandleFunc("GET /v1/openapi.yaml", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "openapi: 3.1.0") })
	return mux
}

func do(t *testing.T, h http.Handler, method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) api.Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != api.ContentTypeProblem {
		t.Fatalf("Content-Type = %q, want %q", ct, api.ContentTypeProblem)
	}
	var p api.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body %q: %v", rec.Body, err)
	}
	return p
}

func TestRequestID(t *testing.T) {
	var seen string
	h := RequestID(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = RequestIDFrom(r.Context()) }))

	tests := []struct {
		name, given string
		keep        bool
	}{
		{"absent: generated", "", false},
		{"plain: kept", "req-2024.07_abc", true},
		{"spaces: replaced", "a b", false},
		{"newline injection: replaced", "x\nlevel=ERROR", false},
		{"too long: replaced", strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec *httptest.ResponseRecorder
			if tt.given == "" {
				rec = do(t, h, "GET", "/v1/account", "")
			} else {
				rec = do(t, h, "GET", "/v1/account", "", api.HeaderRequestID, tt.given)
			}
			got := rec.Header().Get(api.HeaderRequestID)
			if got != seen {
				t.Errorf("header %q, context %q: must be the same", got, seen)
			}
			if tt.keep && got != tt.given {
				t.Errorf("id = %q, want the caller's %q", got, tt.given)
			}
			if !tt.keep && (got == tt.given || len(got) != 32) {
				t.Errorf("id = %q, want a fresh 32-hex-digit id", got)
			}
		})
	}
	if a, b := NewRequestID(), NewRequestID(); a == b {
		t.Errorf("two generated ids are equal: %q", a)
	}
}

func TestLogRecordsRouteAndNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	h := Chain(Routed(apiMux(t)), RequestID, Log(logger))

	rec := do(t, h, "POST", "/v1/sessions?token=query-secret", `{"login":"zhang","password":"hunter2-pass"}`,
		"Authorization", "Bearer bearer-secret", api.HeaderRequestID, "rid-1")
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d", rec.Code)
	}
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log line %q: %v", buf.String(), err)
	}
	want := map[string]any{"msg": "request", "method": "POST", "route": "POST /v1/sessions", "path": "/v1/sessions",
		"status": float64(201), "request_id": "rid-1", "level": "INFO"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log %s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Error("log has no duration")
	}
	for _, secret := range []string{"hunter2-pass", "bearer-secret", "query-secret", "secret-token-value"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the access log leaks %q: %s", secret, buf.String())
		}
	}
}

func TestLogLevelsAndUnmatched(t *testing.T) {
	var buf bytes.Buffer
	h := Log(slog.New(slog.NewJSONHandler(&buf, nil)))(apiMux(t)) // no RequestID, no Routed: still works
	do(t, h, "GET", "/nowhere/1234", "")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if line["route"] != "unmatched" || line["status"] != float64(404) || line["level"] != "WARN" {
		t.Errorf("log = %v, want route unmatched, status 404, level WARN", line)
	}
	buf.Reset()
	do(t, h, "GET", "/v1/sites/s1", "")
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if line["route"] != "GET /v1/sites/{id}" {
		t.Errorf("route = %v: the mux's pattern must reach the log even without Routed", line["route"])
	}
}

func TestRecover(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	h := Chain(Routed(apiMux(t)), RequestID, Log(logger), Recover(logger))
	rec := do(t, h, "GET", "/v1/panic", "", api.HeaderRequestID, "rid-panic")
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	p := decodeProblem(t, rec)
	if p.Code != api.CodeInternal || p.RequestID != "rid-panic" || p.Status != 500 {
		t.Errorf("problem = %+v", p)
	}
	if !strings.Contains(buf.String(), `"panic":"boom"`) || !strings.Contains(buf.String(), `"status":500`) {
		t.Errorf("log lacks the panic or the 500: %s", buf.String())
	}

	// A panic after the answer started cannot become a problem; the
	// connection is aborted instead (net/http's own recovery).
	late := Recover(logger)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "partial")
		panic("late")
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	do(t, late, "GET", "/v1/x", "")
}

// Observe hears of every request under its route pattern, never the raw
// path: one series for every id, one "unmatched" for scanners.
func TestObserve(t *testing.T) {
	var seen []string
	h := Chain(Routed(apiMux(t)), RequestID, Observe(func(route string, status int, elapsed time.Duration) {
		if elapsed < 0 {
			t.Errorf("elapsed %v", elapsed)
		}
		seen = append(seen, route+" "+strconv.Itoa(status))
	}))
	do(t, h, "GET", "/v1/sites/a", "")
	do(t, h, "GET", "/v1/sites/b", "")
	do(t, h, "GET", "/random-scanner-path", "")
	want := []string{"GET /v1/sites/{id} 200", "GET /v1/sites/{id} 200", "unmatched 404"}
	if !slices.Equal(seen, want) {
		t.Errorf("observed %q, want %q", seen, want)
	}
}

func TestFaultInjection(t *testing.T) {
	tests := []struct {
		path    string
		percent int
		roll    int
		failed  bool
	}{
		{"/v1/sites/x", 100, 99, true},
		{"/v1/sites/x", 30, 29, true},
		{"/v1/sites/x", 30, 30, false},
		{"/v1/sites/x", 0, 0, false},
		{"/healthz", 100, 0, false},
		{"/v1/openapi.yaml", 100, 0, false},
		{"/v1/sandbox/outbox", 100, 0, false},
	}
	for _, tt := range tests {
		h := Chain(apiMux(t), RequestID, faultInjection(tt.percent, func() int { return tt.roll }))
		rec := do(t, h, "GET", tt.path, "", api.HeaderRequestID, "rid-f")
		if got := rec.Code == http.StatusServiceUnavailable; got != tt.failed {
			t.Errorf("%s at %d%% rolling %d: status %d, want injected failure %v", tt.path, tt.percent, tt.roll, rec.Code, tt.failed)
			continue
		}
		if tt.failed {
			p := decodeProblem(t, rec)
			if p.Code != api.CodeUnavailable || p.RetryAfter != FaultRetryAfter || p.RequestID != "rid-f" {
				t.Errorf("problem = %+v", p)
			}
			if rec.Header().Get("Retry-After") != "1" {
				t.Errorf("Retry-After = %q", rec.Header().Get("Retry-After"))
			}
		}
	}

	// With the real dice, 50% fails roughly half of 2000 requests.
	h := FaultInjection(50)(apiMux(t))
	failed := 0
	for range 2000 {
		if do(t, h, "GET", "/v1/sites/x", "").Code == http.StatusServiceUnavailable {
			failed++
		}
	}
	if failed < 800 || failed > 1200 {
		t.Errorf("50%% injection failed %d of 2000", failed)
	}
}

func TestTimeouts(t *testing.T) {
	var s http.Server
	Timeouts{Write: 90 * time.Second}.Apply(&s)
	if s.ReadHeaderTimeout != 5*time.Second || s.ReadTimeout != 60*time.Second ||
		s.WriteTimeout != 90*time.Second || s.IdleTimeout != 120*time.Second {
		t.Errorf("timeouts = %v %v %v %v", s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout, s.IdleTimeout)
	}
	if DefaultTimeouts.Write < DefaultTimeouts.Read {
		t.Error("a write deadline shorter than the read one cuts off uploads that were allowed to arrive")
	}
	if got := (Timeouts{}).ShutdownGrace(); got != 25*time.Second {
		t.Errorf("ShutdownGrace = %v", got)
	}
}

func TestChainOrder(t *testing.T) {
	var order []string
	mw := func(name string) Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	do(t, Chain(http.NotFoundHandler(), mw("a"), mw("b"), mw("c")), "GET", "/", "")
	if strings.Join(order, "") != "abc" {
		t.Errorf("order = %v, want the first middleware outermost", order)
	}
}

func TestStack(t *testing.T) {
	var buf bytes.Buffer
	counts := map[string]int{}
	observe := func(route string, status int, _ time.Duration) { counts[route+" "+strconv.Itoa(status)]++ }
	h := Stack(apiMux(t), Options{Logger: slog.New(slog.NewJSONHandler(&buf, nil)), Observe: observe, FaultPercent: 100})
	rec := do(t, h, "GET", "/v1/sites/a", "")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get(api.HeaderRequestID) == "" {
		t.Fatalf("status %d, request id %q", rec.Code, rec.Header().Get(api.HeaderRequestID))
	}
	if !strings.Contains(buf.String(), `"status":503`) {
		t.Errorf("an injected failure is not logged: %s", buf.String())
	}
	if got := counts[FaultRoute+" 503"]; got != 1 {
		t.Errorf("injected failure observed %v times (%v)", got, counts)
	}
	h = Stack(apiMux(t), Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Observe: observe})
	if rec := do(t, h, "GET", "/v1/panic", ""); rec.Code != 500 {
		t.Errorf("panic: status %d", rec.Code)
	}
	if got := counts["GET /v1/panic 500"]; got != 1 {
		t.Errorf("a recovered panic observed %v times under its route (%v)", got, counts)
	}
}
