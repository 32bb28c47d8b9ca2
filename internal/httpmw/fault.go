package httpmw

import (
	"math/rand/v2"
	"net/http"
	"strings"

	"github.com/beian-dev/beian/internal/api"
)

// FaultRetryAfter is the Retry-After, in seconds, of an injected 503.
const FaultRetryAfter = 1

// FaultRoute is the route label of injected failures in the log and the
// metrics: they never reach the mux, and must not pass for real outages.
const FaultRoute = "sandbox_fault"

// FaultInjection is a sandbox switch (beian-server serve --sandbox
// --sandbox-fail-percent N, env BEIAN_SERVER_SANDBOX_FAIL_PERCENT): it
// answers percent% of /v1 requests, chosen at random, with 503 problem+json
// "unavailable" and Retry-After: 1 before any handler runs — so nothing
// happened, and a retry is always safe. Clients prove their retries (and
// their journalling of typed answers) against it, as pebble's nonce
// rejection makes ACME clients prove theirs.
//
// Left alone: everything outside /v1 (health, metrics, public pages), the
// OpenAPI document, and /v1/sandbox/* — the controls a test uses to drive
// the sandbox must stay dependable. percent ≤ 0 disables it; ≥ 100 fails
// every /v1 request.
func FaultInjection(percent int) Middleware {
	return faultInjection(percent, func() int { return rand.IntN(100) })
}

func faultInjection(percent int, roll func() int) Middleware {
	return func(next http.Handler) http.Handler {
		if percent <= 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if faultable(r.URL.Path) && roll() < percent {
				p := api.NewProblem(api.CodeUnavailable, "sandbox: injected failure (--sandbox-fail-percent); retry")
				p.RetryAfter = FaultRetryAfter
				SetRoute(r, FaultRoute)
				writeProblem(w, r, p)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func faultable(path string) bool {
	return strings.HasPrefix(path, "/v1/") &&
		path != "/v1/openapi.yaml" &&
		!strings.HasPrefix(path, "/v1/sandbox/")
}
