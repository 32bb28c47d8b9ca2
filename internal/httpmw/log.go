package httpmw

import (
	"log/slog"
	"net/http"
	"time"
)

// Log writes one structured line per request: method, route pattern, path,
// status, size, duration and request ID. It never logs headers, query
// strings or bodies — that is where tokens, passwords and SMS codes travel.
// Server errors log at level Error, client errors at Warn, the rest at Info.
func Log(logger *slog.Logger) Middleware {
	return after(func(r *http.Request, ri *requestInfo, rec *recorder, elapsed time.Duration) {
		level := slog.LevelInfo
		switch {
		case rec.status >= 500:
			level = slog.LevelError
		case rec.status >= 400:
			level = slog.LevelWarn
		}
		logger.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("route", routeOf(ri, r)),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", elapsed),
			slog.String("request_id", ri.id),
		)
	})
}

// after runs the handler and then done with what the request turned out to
// be: its info (route, request ID), the recorded status and size, the time.
func after(done func(r *http.Request, ri *requestInfo, rec *recorder, elapsed time.Duration)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ri, r := withInfo(r)
			rec := record(w)
			next.ServeHTTP(rec, r)
			done(r, ri, rec, time.Since(start))
		})
	}
}
