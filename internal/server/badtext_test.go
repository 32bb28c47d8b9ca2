package server_test

import (
	"net/http"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// Issue 9 item 11: text that no name or address has — invalid UTF-8, lone
// surrogates, NUL, ESC, BEL, bidi overrides, zero-width characters — is
// refused with a field error and nothing is stored; text is kept in NFC.
func TestBadTextIsRefused(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env := servertest.Start(t, db)
		u := filedSponsor(t, env, "badtext")
		for _, name := range []string{
			`"bad \u0000 nul"`, `"\u001b]0;pwned\u0007title"`, `"\u001b[2Jclear"`, `"\ud800 lone surrogate"`,
			`"\u202egnp.exe"`, `"zero\u200bwidth"`, `"bom\ufeff"`, "\"invalid \xff utf-8\"",
		} {
			site := publicSite("badtext.cn")
			body := mustJSON(t, api.SiteWrite{Site: site})
			body = []byte(replaceOnce(string(body), `"name":"`+site.Name+`"`, `"name":`+name))
			res := env.CallUnchecked(t, http.MethodPost, "/v1/sites", u.Token, body, "Content-Type", "application/json")
			if res.Status == http.StatusCreated {
				t.Errorf("a site named %s was stored", name)
				continue
			}
			p := res.Problem(t)
			found := false
			for _, e := range p.Errors {
				found = found || (e.Field == "site.name" && e.Code == filing.CodeTextInvalid)
			}
			if !found {
				t.Errorf("name %s: %d %+v, want text_invalid on site.name", name, res.Status, p)
			}
		}
		var list api.SiteList
		call(t, env, http.MethodGet, "/v1/sites", u.Token, nil, http.StatusOK, &list)
		if len(list.Items) != 0 {
			t.Errorf("%d sites stored", len(list.Items))
		}
		// NFD in, NFC stored.
		site := publicSite("nfc-text.cn")
		site.Name = "Cafe\u0301 官网"
		var rec api.SiteRecord
		call(t, env, http.MethodPost, "/v1/sites", u.Token, api.SiteWrite{Site: site}, http.StatusCreated, &rec)
		if rec.Site.Name != "Café 官网" {
			t.Errorf("stored name %q, want NFC", rec.Site.Name)
		}
		// A reviewer's reason with an escape sequence is refused too.
		call(t, env, http.MethodPost, "/v1/sites/"+rec.ID+"/submit", u.Token, nil, http.StatusOK, nil)
		reviewer := env.CreateReviewer(t, "badtext-reviewer", "42")
		problem(t, env.Call(t, http.MethodPost, "/v1/review/sites/"+rec.ID+"/return", reviewer.Token, api.ReturnRequest{Reason: "\x1b[31m材料不全"}), api.CodeValidationFailed)
	})
}

func replaceOnce(s, old, repl string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + repl + s[i+len(old):]
		}
	}
	panic("not found: " + old)
}
