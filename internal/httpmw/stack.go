package httpmw

import (
	"log/slog"
	"net/http"
	"time"
)

// Observer hears of one request once it is answered: its route pattern
// (never the raw path), its status and the time it took.
type Observer func(route string, status int, elapsed time.Duration)

// Observe tells o of every request that passes through it.
func Observe(o Observer) Middleware {
	return after(func(r *http.Request, ri *requestInfo, rec *recorder, elapsed time.Duration) {
		o(routeOf(ri, r), rec.status, elapsed)
	})
}

// Options configure Stack.
type Options struct {
	Logger *slog.Logger // required
	// Observe hears of every request (internal/metrics counts them for
	// Prometheus); nil: nobody.
	Observe Observer
	// FaultPercent is the sandbox's share of /v1 requests answered 503
	// (see FaultInjection); 0 in production.
	FaultPercent int
	// FaultRoll replaces the random roll (0–99) that FaultInjection
	// compares with FaultPercent; tests use it to fail a known share of
	// requests deterministically. nil: random.
	FaultRoll func() int
}

// Stack wraps the API handler (internal/server's, which ends in a
// ServeMux) in every middleware, in the one order that works: the request
// ID first so everything below can log it; the log and the metrics outside
// Recover so that they see the 500 a panic becomes; fault injection inside,
// so injected 503s are logged and counted like real ones.
func Stack(api http.Handler, o Options) http.Handler {
	mws := []Middleware{SecurityHeaders, RequestID, Log(o.Logger)}
	if o.Observe != nil {
		mws = append(mws, Observe(o.Observe))
	}
	mws = append(mws, Recover(o.Logger))
	if o.FaultPercent > 0 {
		if o.FaultRoll != nil {
			mws = append(mws, faultInjection(o.FaultPercent, o.FaultRoll))
		} else {
			mws = append(mws, FaultInjection(o.FaultPercent))
		}
	}
	return Chain(Routed(api), mws...)
}

// SecurityHeaders sets the headers every answer carries: nothing is
// content-sniffed, no page is framed by another site (clickjacking), no
// URL leaks in a Referer, and answers with a session are not cached by
// shared caches. Handlers may tighten them (the HTML pages set their own
// Content-Security-Policy, frame-ancestors included).
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		if r.Header.Get("Authorization") != "" {
			h.Set("Cache-Control", "private, no-store")
		}
		next.ServeHTTP(w, r)
	})
}
