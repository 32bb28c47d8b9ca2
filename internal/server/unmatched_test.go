package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// TestUnmatchedRoutesAnswerProblems: unknown paths are 404 and known paths
// under another method are 405 with Allow, both as problem+json.
func TestUnmatchedRoutesAnswerProblems(t *testing.T) {
	env := servertest.Start(t)
	u := env.RegisterSponsor(t, "lost")
	problem(t, env.CallUnchecked(t, "GET", "/v1/nothing-here", u.Token, nil), api.CodeNotFound)
	res := env.CallUnchecked(t, "PATCH", "/v1/sites/abc", u.Token, nil)
	problem(t, res, api.CodeMethodNotAllowed)
	allow := res.Header.Get("Allow")
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		if !strings.Contains(allow, m) {
			t.Errorf("Allow %q lacks %s", allow, m)
		}
	}
	// A bad token is refused before anything else; the problem says how to authenticate.
	res = env.Call(t, "GET", "/v1/account", "not-a-token", nil)
	problem(t, res, api.CodeUnauthenticated)
	if res.Header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate header")
	}
	if p := res.Problem(t); p.RequestID == "" || p.RequestID != res.Header.Get(api.HeaderRequestID) {
		t.Errorf("problem request_id %q, header %q", p.RequestID, res.Header.Get(api.HeaderRequestID))
	}
	call(t, env, "GET", "/readyz", "", nil, http.StatusOK, nil)
}
