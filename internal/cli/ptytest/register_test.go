//go:build linux || darwin || freebsd || netbsd || openbsd

package ptytest

import (
	"context"
	"strings"
	"testing"
)

// Issue 10: beian register on a terminal keeps what was typed across the
// refusals a person can put right. A wrong code is asked again; a login
// name found taken (only once the mobile is proven does the server say)
// is asked again, with the same texted code: no new text, no retyping of
// the mobile, email or password.
func TestRegisterKeepsTheAnswersAcrossRefusals(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	srv.sponsor("taken-name", nil)
	env := beianEnv(t, t.TempDir(), srv.URL, "")
	tm := start(t, env, "register")
	tm.fullScreen = false // line prompts
	const mobile = "13912340001"
	answer := func(prompt, text string) {
		tm.expect(prompt)
		tm.write(text + enter)
	}
	answer("Login name:", "taken-name")
	answer("Mobile number:", mobile)
	answer("Email:", "newcomer@example.com")
	answer("Choose a password:", "a long enough passphrase 7")
	answer("The password again:", "a long enough passphrase 7")
	tm.expect("a verification code was texted to " + mobile)
	msgs, err := srv.store.Outbox(context.Background(), mobile)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("outbox of %s: %v %v", mobile, msgs, err)
	}
	code := msgs[0].Code
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	answer("Verification code:", wrong)
	tm.expect("the SMS verification code is wrong or expired")
	answer("Verification code:", code)
	tm.expect("the login name is already taken")
	answer("Login name:", "fresh-name")
	tm.expect("account fresh-name created")
	if got := tm.wait(); got != 0 {
		t.Fatalf("register exited %d", got)
	}
	if msgs, _ := srv.store.Outbox(context.Background(), mobile); len(msgs) != 1 {
		t.Errorf("%d texts to %s, want the one code", len(msgs), mobile)
	}
	code2, out, errOut := run(t, env, "whoami")
	if code2 != 0 || !strings.Contains(out+errOut, "fresh-name") {
		t.Errorf("whoami after register: exit %d\n%s%s", code2, out, errOut)
	}
}
