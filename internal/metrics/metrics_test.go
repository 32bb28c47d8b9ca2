package metrics

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/beian-dev/beian/internal/httpmw"
)

// apiMux is a stand-in for the API's mux: one real pattern.
func apiMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/sites/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"id":"`+r.PathValue("id")+`"}`)
	})
	return mux
}

func do(t *testing.T, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	return rec
}

func TestMetrics(t *testing.T) {
	queue, queueErr := 7, error(nil)
	m := NewMetrics(func(context.Context) (int, error) { return queue, queueErr })
	h := httpmw.Chain(httpmw.Routed(apiMux()), httpmw.RequestID, httpmw.Observe(m.Observe))
	do(t, h, "GET", "/v1/sites/a", "")
	do(t, h, "GET", "/v1/sites/b", "")
	do(t, h, "GET", "/v1/sites/../../etc/passwd", "")
	do(t, h, "GET", "/random-scanner-path", "")

	if got := testutil.ToFloat64(m.requests.WithLabelValues("GET /v1/sites/{id}", "200")); got != 2 {
		t.Errorf("requests{route=GET /v1/sites/{id},status=200} = %v, want 2 (one series for both ids)", got)
	}
	if got := testutil.ToFloat64(m.requests.WithLabelValues("unmatched", "404")); got != 1 {
		t.Errorf("requests{route=unmatched,status=404} = %v, want 1", got)
	}

	scrape := func() string {
		rec := do(t, m.Handler(), "GET", "/metrics", "")
		if rec.Code != 200 {
			t.Fatalf("/metrics status %d", rec.Code)
		}
		return rec.Body.String()
	}
	body := scrape()
	for _, want := range []string{
		"beian_review_queue_length 7",
		`beian_http_request_duration_seconds_count{route="GET /v1/sites/{id}"} 2`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "/v1/sites/a") || strings.Contains(body, "scanner") {
		t.Error("raw paths leaked into metric labels")
	}

	// A store that does not answer leaves the gauge out instead of
	// reporting an empty queue.
	queueErr = io.ErrUnexpectedEOF
	if body := scrape(); strings.Contains(body, "beian_review_queue_length ") {
		t.Errorf("queue gauge reported while the store failed")
	}
}

func TestMetricsSeparateRegistries(t *testing.T) {
	// Two servers in one process (tests, two replicas in one test binary)
	// must not panic on duplicate registration.
	NewMetrics(nil)
	NewMetrics(nil)
}
