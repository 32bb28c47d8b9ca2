// Package server is the Filing API v1 over HTTP: routes.go lists every
// route, the handlers decode a request, call one method of the filing desk
// (internal/platform) and encode its answer. Nothing here knows a filing
// rule; everything here knows HTTP: content types, body limits, bearer
// tokens, ETag/If-Match, Idempotency-Key, cursors and problem+json.
//
// Operations concerns — request IDs, logs, metrics, fault injection — are
// internal/httpmw's, wrapped around the handler New returns.
package server

import (
	"log/slog"
	"net/http"

	"github.com/beian-dev/beian/internal/httpmw"
	"github.com/beian-dev/beian/internal/platform"
)

// Options configure the HTTP layer.
type Options struct {
	// OpenAPI is the document served at GET /v1/openapi.yaml; nil answers 404.
	OpenAPI []byte
	// Metrics serves GET /metrics; nil answers 404.
	Metrics http.Handler
	// Middleware wraps the whole handler (internal/httpmw.Stack, typically).
	Middleware func(http.Handler) http.Handler
	// Logger receives errors the client only sees as "internal". Nil discards.
	Logger *slog.Logger
}

// server holds the dependencies of the handlers.
type server struct {
	desk *platform.Desk
	opts Options
	log  *slog.Logger
	mux  *http.ServeMux
}

// New returns the HTTP handler of the Filing API v1 over desk.
func New(desk *platform.Desk, opts Options) http.Handler {
	s := &server{desk: desk, opts: opts, log: opts.Logger, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, rt := range s.routes() {
		if rt.sandbox && !desk.Sandbox() {
			continue
		}
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
	// Everything unmatched gets a problem+json 404 or 405, like every other
	// error of the API.
	s.mux.HandleFunc("/", s.unmatched)
	h := httpmw.Routed(s.mux)
	if opts.Middleware != nil {
		h = opts.Middleware(h)
	}
	return h
}

// Routes lists every route pattern the server may serve (sandbox routes
// included), for metrics labels and for the contract test that compares
// them with docs/openapi.yaml.
func Routes() []string {
	s := &server{}
	rs := s.routes()
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.pattern
	}
	return out
}
