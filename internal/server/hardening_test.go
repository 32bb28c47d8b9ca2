package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// Issue 9 item 14: the smaller hardening of the attack run.
func TestHardening(t *testing.T) {
	env := servertest.Start(t)
	u := filedSponsor(t, env, "hardening")

	t.Run("security headers on every answer", func(t *testing.T) {
		for _, path := range []string{"/v1/account", "/v1/meta", "/healthz", "/v1/nowhere", "/records/11010202000000"} {
			res := env.CallUnchecked(t, http.MethodGet, path, u.Token, nil)
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"X-Frame-Options":        "DENY",
			} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("GET %s: %s = %q, want %q", path, h, got, want)
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("GET %s: Content-Security-Policy %q has no frame-ancestors 'none'", path, csp)
			}
		}
	})

	t.Run("a weak ETag never matches", func(t *testing.T) {
		d := draftSite(t, env, u, "weak-etag.cn")
		res := env.Call(t, http.MethodPut, "/v1/sites/"+d.ID, u.Token, api.SiteWrite{Site: d.Site}, "If-Match", `W/"1"`)
		problem(t, res, api.CodeVersionConflict)
		call(t, env, http.MethodPut, "/v1/sites/"+d.ID, u.Token, api.SiteWrite{Site: d.Site}, http.StatusOK, nil, "If-Match", `"1"`)
	})

	t.Run("a lookalike domain is filed with a warning", func(t *testing.T) {
		var chk api.DomainCheck
		call(t, env, http.MethodGet, "/v1/domain-checks/ex%D0%B0mple.cn", u.Token, nil, http.StatusOK, &chk)
		if chk.Status != api.DomainAvailable || !strings.Contains(chk.Warning, "mixes scripts") {
			t.Errorf("check of a Cyrillic-а lookalike: %+v", chk)
		}
		var plain api.DomainCheck
		call(t, env, http.MethodGet, "/v1/domain-checks/example-shop.cn", u.Token, nil, http.StatusOK, &plain)
		if plain.Warning != "" {
			t.Errorf("plain domain warned: %q", plain.Warning)
		}
	})
}
