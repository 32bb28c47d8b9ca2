//go:build linux || darwin || freebsd || netbsd || openbsd

package ptytest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/platform"
)

func siteWrite(s filing.Site) api.SiteWrite { return api.SiteWrite{Site: s} }

// submitLast submits the account's newest draft.
func submitLast(t *testing.T, srv *filingServer, a platform.Actor) {
	t.Helper()
	list := srv.sites(a, "")
	for _, s := range list {
		if s.State == filing.StateDraft {
			if _, err := srv.Desk.SubmitSite(context.Background(), a, s.ID); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("no draft to submit")
}

// The server stops in the middle of `beian file`: it creates the site and
// dies before answering. beian exits 1 and prints the resume command; once
// a server runs again on the same database, `beian file --resume` sends the
// same keyed requests, and the account has one site, not two.
func TestServerStoppedMidFileThenResume(t *testing.T) {
	srv := newFilingServer(t)
	var stopped atomic.Bool
	srv.Wrap = func(s *filingServer, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/v1/sites" && r.URL.Query().Get("dry_run") == "" && stopped.CompareAndSwap(false, true) {
				next.ServeHTTP(httptest.NewRecorder(), r) // the site is created…
				s.srv.Close()                             // …and the server goes down before it answers
				panic(http.ErrAbortHandler)
			}
			next.ServeHTTP(w, r)
		})
	}
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-unlucky", &subject)
	home := t.TempDir()

	tm := start(t, beianEnv(t, home, srv.URL, token), "file")
	fileTheSite(tm, "stopped-example.cn", false)
	confirmAndSubmit(tm)
	tm.expect("beian file --resume")
	if code := tm.wait(); code != 1 {
		t.Fatalf("exit %d with the server down, want 1", code)
	}
	screen := tm.screen()
	if !strings.Contains(screen, "cannot reach the server") {
		t.Errorf("no word of the server being down:\n%s", screen)
	}
	id := resumeID(t, screen)

	// The operator restarts the server on the same database.
	srv.Stop()
	srv.Wrap = nil
	srv.Start()
	created := srv.sites(me, "stopped-example.cn")
	if len(created) != 1 || created[0].State != filing.StateDraft {
		t.Fatalf("before the resume the server holds %d sites (%+v), want the one draft it created", len(created), created)
	}

	code, out, errOut := run(t, beianEnv(t, home, srv.URL, token), "file", "--resume", id, "--output", "json")
	if code != 0 {
		t.Fatalf("resume exited %d:\n%s%s", code, out, errOut)
	}
	got := srv.sites(me, "stopped-example.cn")
	if len(got) != 1 {
		t.Fatalf("%d sites after the resume, want 1", len(got))
	}
	if got[0].ID != created[0].ID || got[0].State != filing.StateUnderReview {
		t.Errorf("resumed site %s is %s; the created one was %s", got[0].ID, got[0].State, created[0].ID)
	}
	if got[0].Site.EmergencyContact.Email != "ops@stopped-example.cn" || got[0].Site.AccessProvider.AreaCode != "330106" {
		t.Errorf("the resumed filing is not the answers typed: %+v", got[0].Site)
	}
	if !strings.Contains(out, got[0].ID) {
		t.Errorf("stdout does not report the site:\n%s", out)
	}
	// The journal is gone: nothing is left to resume.
	if code, _, _ := run(t, beianEnv(t, home, srv.URL, token), "file", "--resume", id); code != 1 {
		t.Errorf("second resume exited %d, want 1 (nothing to resume)", code)
	}
}
