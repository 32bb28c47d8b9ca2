package httpmw

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/beian-dev/beian/internal/api"
)

// Recover turns a panicking handler into a 500 problem+json (code
// "internal") and logs the panic with its stack and request ID. A handler
// that already started its answer cannot be helped; the connection is cut
// as net/http would. http.ErrAbortHandler passes through untouched.
func Recover(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := record(w)
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic",
					slog.Any("panic", v),
					slog.String("stack", string(debug.Stack())),
					slog.String("request_id", RequestIDFrom(r.Context())),
				)
				if rec.written {
					panic(http.ErrAbortHandler)
				}
				writeProblem(rec, r, api.NewProblem(api.CodeInternal, "the server failed; quote the request ID when reporting it"))
			}()
			next.ServeHTTP(rec, r)
		})
	}
}
