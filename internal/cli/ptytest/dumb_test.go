//go:build linux || darwin || freebsd || netbsd || openbsd

package ptytest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/filing/filingtest"
)

// Issue 10: TERM=dumb (and NO_COLOR) means no escape sequence at all — not
// in help, not in tables, not in the line prompts of accessible mode.
func TestDumbTerminalGetsNoEscapes(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	_, token := srv.sponsor("pty-dumb", &subject)
	home := t.TempDir()
	env := beianEnv(t, home, srv.URL, token)
	for i, kv := range env {
		if strings.HasPrefix(kv, "TERM=") {
			env[i] = "TERM=dumb"
		}
	}
	var clean []string
	for _, kv := range env {
		if kv != "NO_COLOR=1" {
			clean = append(clean, kv) // TERM=dumb alone must be enough
		}
	}
	for _, args := range [][]string{{"--help"}, {"sites"}, {"whoami"}, {"check", "dumb-example.cn", "exаmple.cn"}} {
		tm := start(t, clean, args...)
		tm.wait()
		if raw := tm.rawBytes(); bytes.Contains(raw, []byte{0x1b}) {
			t.Errorf("TERM=dumb beian %s wrote escape sequences:\n%q", strings.Join(args, " "), raw)
		}
	}
	// The form, in accessible line prompts: a few answers, then Ctrl-C.
	tm := start(t, append(clean, "BEIAN_ACCESSIBLE=1"), "file")
	tm.expect("Site name")
	tm.send("示例网站\r")
	tm.send("\x03")
	tm.wait()
	if raw := tm.rawBytes(); bytes.Contains(raw, []byte{0x1b}) {
		t.Errorf("TERM=dumb beian file wrote escape sequences:\n%q", raw)
	}
}
