//go:build linux || darwin || freebsd || netbsd || openbsd

package ptytest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

// writeFleet writes a fleet of the signed-in account's sites.
func writeFleet(t *testing.T, dir string, sites ...filing.Site) string {
	t.Helper()
	b, err := yaml.Marshal(map[string]any{"sites": sites})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "fleet.yaml")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Issue 13 on a terminal: apply shows the plan and asks; a "no" sends
// nothing (exit 2); a "yes" files every site under a progress bar; pruning
// asks once more, for the word yes, even with --yes.
func TestApplyAsksOnATerminal(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-fleet", &subject)
	dir := t.TempDir()
	fleet := writeFleet(t, dir, publicSite("pty-fleet-one.cn"), publicSite("pty-fleet-two.cn"))
	env := beianEnv(t, t.TempDir(), srv.URL, token)

	tm := start(t, env, "apply", "-f", fleet)
	tm.fullScreen = false // line prompts
	tm.expect("Plan: 2 to create")
	tm.expect("Apply these changes? [y/N]")
	tm.write("n\r")
	if code := tm.wait(); code != 2 {
		t.Fatalf("declined: exit %d", code)
	}
	if got := srv.sites(me, ""); len(got) != 0 {
		t.Fatalf("declined, yet %d sites", len(got))
	}

	tm = start(t, env, "apply", "-f", fleet)
	tm.fullScreen = false
	tm.expect("Apply these changes? [y/N]")
	tm.write("y\r")
	tm.expect("2/2")
	tm.expect("applied 2 steps")
	if code := tm.wait(); code != 0 {
		t.Fatalf("apply: exit %d", code)
	}
	if !strings.Contains(string(tm.rawBytes()), "█") {
		t.Error("no progress bar on a terminal")
	}
	if got := srv.sites(me, ""); len(got) != 2 || got[0].State != filing.StateUnderReview {
		t.Fatalf("sites %+v", got)
	}

	// A draft the fleet does not name: --prune --yes still asks for the
	// word yes on a terminal; "y" is not it.
	if _, err := srv.Desk.CreateSite(context.Background(), me, api.SiteWrite{Site: publicSite("pty-fleet-stray.cn")}, false); err != nil {
		t.Fatal(err)
	}
	tm = start(t, env, "apply", "-f", fleet, "--prune", "--yes")
	tm.fullScreen = false
	tm.expect("- cancel")
	tm.expect("pty-fleet-stray.cn")
	tm.expect("Type yes to go on:")
	tm.write("y\r")
	if code := tm.wait(); code != 2 {
		t.Fatalf("prune declined: exit %d", code)
	}
	if got := srv.sites(me, ""); len(got) != 3 {
		t.Fatalf("a declined prune removed something: %d sites", len(got))
	}
	tm = start(t, env, "apply", "-f", fleet, "--prune", "--yes")
	tm.fullScreen = false
	tm.expect("Type yes to go on:")
	tm.write("yes\r")
	tm.expect("applied 1 steps")
	if code := tm.wait(); code != 0 {
		t.Fatalf("prune: exit %d", code)
	}
	if got := srv.sites(me, "pty-fleet-stray.cn"); len(got) != 0 {
		t.Fatalf("the stray draft is still there: %+v", got)
	}
}
