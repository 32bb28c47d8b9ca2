// Package httpmw holds the HTTP middleware every beian-server request goes
// through, outermost first: RequestID, Log, Metrics, Recover and — in the
// sandbox only — FaultInjection. None of them reads a request body, and none
// of them logs or labels anything a user typed: only the method, the route
// pattern, the status and the time taken.
package httpmw

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/beian-dev/beian/internal/api"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so that the first one given is the outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// requestInfo travels in the request context from the outermost middleware
// to the innermost, so that the route pattern the mux chose (known only after
// routing) reaches the access log and the metrics even when a middleware in
// between copied the request with WithContext.
type requestInfo struct {
	id      string
	pattern string
}

type infoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	ri, _ := ctx.Value(infoKey{}).(*requestInfo)
	return ri
}

// withInfo returns the request's info, installing one when no outer
// middleware has.
func withInfo(r *http.Request) (*requestInfo, *http.Request) {
	if ri := infoFrom(r.Context()); ri != nil {
		return ri, r
	}
	ri := &requestInfo{}
	return ri, r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
}

// RequestIDFrom is the request ID of the request ctx belongs to, or "".
func RequestIDFrom(ctx context.Context) string {
	if ri := infoFrom(ctx); ri != nil {
		return ri.id
	}
	return ""
}

// SetRoute records the route pattern that served the request, for the log
// and the metrics. Routed does it for a ServeMux; a handler that routes by
// itself may call it.
func SetRoute(r *http.Request, pattern string) {
	if ri := infoFrom(r.Context()); ri != nil && pattern != "" {
		ri.pattern = pattern
	}
}

// Routed wraps a ServeMux (or a handler that ends in one) and records the
// pattern it matched. Put it innermost, right around the API's mux.
func Routed(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		SetRoute(r, r.Pattern)
	})
}

// routeOf is the pattern recorded for r, falling back to the one the mux
// set on the very request value we passed on. Unmatched requests share one
// label so that scanners cannot blow up the metrics' cardinality.
func routeOf(ri *requestInfo, r *http.Request) string {
	switch {
	case ri.pattern != "":
		return ri.pattern
	case r.Pattern != "":
		return r.Pattern
	}
	return "unmatched"
}

// writeProblem answers with an application/problem+json body carrying the
// request ID, like every error of the API.
func writeProblem(w http.ResponseWriter, r *http.Request, p *api.Problem) {
	p.RequestID = RequestIDFrom(r.Context())
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	w.Header().Set("Content-Type", api.ContentTypeProblem)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// recorder remembers the status and size of a response. It unwraps to the
// underlying writer so that http.ResponseController (flush, deadlines)
// still works through it.
type recorder struct {
	http.ResponseWriter
	status  int
	bytes   int64
	written bool
}

func (rec *recorder) WriteHeader(code int) {
	if !rec.written {
		rec.status = code
		rec.written = code >= 200 // 1xx informational answers are not the final status
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if !rec.written {
		rec.status, rec.written = http.StatusOK, true
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

func (rec *recorder) Flush() {
	if !rec.written {
		rec.status, rec.written = http.StatusOK, true
	}
	if f, ok := rec.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// record wraps w unless it already is a recorder.
func record(w http.ResponseWriter) *recorder {
	if rec, ok := w.(*recorder); ok {
		return rec
	}
	return &recorder{ResponseWriter: w, status: http.StatusOK}
}
