package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// Issue 9 item 10: a cursor the server did not hand out is a 400
// validation_failed naming "cursor" on every paginated route, never a 500,
// and nothing is logged as an internal error.
func TestBadCursorIsAValidationError(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env := servertest.Start(t, db)
		u := filedSponsor(t, env, "cursor")
		site := draftSite(t, env, u, "cursor-site.cn")
		reviewer := env.CreateReviewer(t, "cursor-reviewer", "42")
		admin := env.CreateAdmin(t, "cursor-admin")
		for _, c := range []struct{ path, token string }{
			{"/v1/sites", u.Token},
			{"/v1/sites/" + site.ID + "/history", u.Token},
			{"/v1/notifications", u.Token},
			{"/v1/review/queue", reviewer.Token},
			{"/v1/admin/audit", admin.Token},
		} {
			for _, cursor := range []string{"!!!!", "AAAA", "eyJ9", strings.Repeat("A", 400), "%00"} {
				res := env.CallUnchecked(t, http.MethodGet, c.path+"?cursor="+cursor, c.token, nil)
				if res.Status != http.StatusBadRequest && res.Status != http.StatusUnprocessableEntity {
					t.Errorf("GET %s?cursor=%.10s: %d %s, want 400", c.path, cursor, res.Status, res.Body)
					continue
				}
				p := res.Problem(t)
				if p.Code != api.CodeValidationFailed || len(p.Errors) == 0 || p.Errors[0].Field != "cursor" {
					t.Errorf("GET %s?cursor=%.10s: %+v, want validation_failed on cursor", c.path, cursor, p)
				}
			}
		}
		if strings.Contains(env.Logs.String(), "internal error") {
			t.Errorf("bad cursors were logged as internal errors:\n%s", env.Logs.String())
		}
	})
}

// A client that hangs up mid-request is not an internal error: logged as
// 499 at info level, never "internal error".
func TestClientHangupIsNotAnInternalError(t *testing.T) {
	env := servertest.Start(t)
	u := env.RegisterSponsor(t, "hangup")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	body := `{"login":"` + u.Login + `","password":"` + u.Password + `"}`
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/sessions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Errorf("a request whose client went away answered %d, want 499 (client closed)", rec.Code)
	}
	if logs := env.Logs.String(); strings.Contains(logs, "internal error") || strings.Contains(logs, `"status":500`) {
		t.Errorf("a hang-up was logged as an internal error:\n%s", logs)
	}
}
