package platform_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/platform"
)

// The attack of issue 9 item 1: guess five codes wrong, ask for a new one,
// repeat. The number's guessing cap holds across every re-issued code, and
// the codes themselves back off exponentially up to a daily cap.
func TestResetCodesHoldAcrossReissues(t *testing.T) {
	f := newFixture(t, platform.Options{})
	victim, mobile := f.sponsor("victim")
	_ = victim
	attacker := platform.Actor{Addr: "203.0.113.7"}
	lim := platform.DefaultLimits()
	guesses, codes := 0, 0
	var waited time.Duration
	for round := 0; round < 50; round++ {
		err := f.desk.SendSMSCode(f.ctx, attacker, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSResetPassword})
		var p *api.Problem
		if errors.As(err, &p) && p.Code == api.CodeRateLimited {
			if p.RetryAfter <= 0 {
				t.Fatalf("rate_limited without Retry-After: %+v", p)
			}
			wait := time.Duration(p.RetryAfter) * time.Second
			if waited+wait >= lim.CodeWindow {
				break // one window: the caps are per day
			}
			waited += wait
			f.clock.Add(wait)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		codes++
		code := f.lastCode(mobile)
		for range 5 {
			err := f.desk.ResetPassword(f.ctx, attacker, api.PasswordResetRequest{Mobile: mobile, SMSCode: wrong(code), NewPassword: "attacker-chosen-1"})
			if errors.As(err, &p) && p.Code == api.CodeSMSCodeInvalid && p.Detail == "the code is wrong" { // compared with a live code
				guesses++
			}
		}
	}
	if guesses > lim.GuessesPerDestination {
		t.Errorf("%d wrong codes were compared in a day, want at most %d", guesses, lim.GuessesPerDestination)
	}
	if codes > lim.CodesPerDestination {
		t.Errorf("%d codes were texted to the victim in a day, want at most %d", codes, lim.CodesPerDestination)
	}
	t.Logf("in %s of simulated time: %d codes sent, %d guesses compared", waited, codes, guesses)

	// Once over the cap, even the right code is refused until the window
	// passes; the owner, the next day, resets at once.
	f.clock.Add(lim.CodeWindow)
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, platform.Actor{Addr: "198.51.100.1"}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSResetPassword}))(t)
	must(struct{}{}, f.desk.ResetPassword(f.ctx, platform.Actor{Addr: "198.51.100.1"}, api.PasswordResetRequest{Mobile: mobile, SMSCode: f.lastCode(mobile), NewPassword: "owner-new-secret"}))(t)
}

func TestRightCodeOverTheGuessCapIsRefused(t *testing.T) {
	f := newFixture(t, platform.Options{Limits: platform.Limits{GuessesPerDestination: 3}})
	_, mobile := f.sponsor("capped")
	for i := range 2 {
		f.clock.Add(time.Hour)
		must(struct{}{}, f.desk.SendSMSCode(f.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSResetPassword}))(t)
		if i == 0 {
			for range 3 {
				wantCode(t, f.desk.ResetPassword(f.ctx, platform.Actor{}, api.PasswordResetRequest{Mobile: mobile, SMSCode: wrong(f.lastCode(mobile)), NewPassword: "whatever-it-is"}), api.CodeSMSCodeInvalid)
			}
		}
	}
	p := wantProblem(t, f.desk.ResetPassword(f.ctx, platform.Actor{}, api.PasswordResetRequest{Mobile: mobile, SMSCode: f.lastCode(mobile), NewPassword: "whatever-it-is"}), api.CodeRateLimited)
	if !strings.Contains(p.Detail, "too many wrong codes") {
		t.Errorf("detail %q", p.Detail)
	}
}

func TestCodeResendBacksOff(t *testing.T) {
	f := newFixture(t, platform.Options{})
	mobile := newMobile()
	req := api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}
	var waits []int
	for range 5 {
		must(struct{}{}, f.desk.SendSMSCode(f.ctx, platform.Actor{}, req))(t)
		p := wantProblem(t, f.desk.SendSMSCode(f.ctx, platform.Actor{}, req), api.CodeRateLimited)
		waits = append(waits, p.RetryAfter)
		f.clock.Add(time.Duration(p.RetryAfter) * time.Second)
	}
	if got, want := fmt.Sprint(waits), "[60 120 240 480 960]"; got != want {
		t.Errorf("waits between codes %s, want %s", got, want)
	}
}

// SMS pumping (item 6): one address asking for codes to many numbers.
func TestCodesAreLimitedPerAddressAndPlatformWide(t *testing.T) {
	f := newFixture(t, platform.Options{Limits: platform.Limits{CodesPerAddress: 5, CodesPerMinute: 8}})
	pump := platform.Actor{Addr: "203.0.113.9"}
	sent := 0
	for range 60 {
		if f.desk.SendSMSCode(f.ctx, pump, api.SMSCodeRequest{Mobile: newMobile(), Purpose: api.SMSRegister}) == nil {
			sent++
		}
	}
	if sent != 5 {
		t.Errorf("one address got %d of 60 codes sent, want 5", sent)
	}
	// Many addresses: the platform-wide cap per minute.
	sent = 0
	for i := range 20 {
		if f.desk.SendSMSCode(f.ctx, platform.Actor{Addr: fmt.Sprintf("198.51.100.%d", i)}, api.SMSCodeRequest{Mobile: newMobile(), Purpose: api.SMSRegister}) == nil {
			sent++
		}
	}
	if sent != 3 { // 8 per minute, 5 already gone
		t.Errorf("20 addresses got %d codes in the same minute, want 3", sent)
	}
	f.clock.Add(time.Minute + time.Second)
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, platform.Actor{Addr: "198.51.100.200"}, api.SMSCodeRequest{Mobile: newMobile(), Purpose: api.SMSRegister}))(t)
}

// Number enumeration (item 6): registering an existing number and resetting
// an unknown one answer exactly as the ordinary cases do.
func TestCodeRequestsDoNotTellWhichNumbersHaveAccounts(t *testing.T) {
	f := newFixture(t, platform.Options{})
	_, taken := f.sponsor("known")
	free := newMobile()
	f.clock.Add(time.Hour)
	for _, tc := range []struct {
		mobile  string
		purpose api.SMSPurpose
		notice  string
	}{
		{taken, api.SMSRegister, "already has an account"},
		{free, api.SMSResetPassword, "has no account"},
	} {
		if err := f.desk.SendSMSCode(f.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: tc.mobile, Purpose: tc.purpose}); err != nil {
			t.Fatalf("%s for %s: %v, want the same answer as any number", tc.purpose, tc.mobile, err)
		}
		if m := f.lastMessage(tc.mobile); m.Code != "" || !strings.Contains(m.Body, tc.notice) {
			t.Errorf("%s: the number got %q", tc.purpose, m.Body)
		}
		// And the same back-off as a number that got a code.
		wantCode(t, f.desk.SendSMSCode(f.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: tc.mobile, Purpose: tc.purpose}), api.CodeRateLimited)
	}
}

// Email verification codes have the same caps as SMS codes.
func TestEmailCodesHoldAcrossReissues(t *testing.T) {
	f := newFixture(t, platform.Options{Limits: platform.Limits{GuessesPerDestination: 4}})
	a, _ := f.sponsor("mailer")
	compared := 0
	for range 6 {
		f.clock.Add(2 * time.Hour)
		if err := f.desk.SendEmailCode(f.ctx, a); err != nil {
			continue
		}
		code := f.lastCode("mailer@example.com")
		for range 5 {
			err := f.desk.VerifyEmail(f.ctx, a, api.EmailVerifyRequest{Code: wrong(code)})
			var p *api.Problem
			if errors.As(err, &p) && p.Code == api.CodeSMSCodeInvalid && p.Detail == "the code is wrong" {
				compared++
			}
		}
	}
	if compared > 4 {
		t.Errorf("%d wrong email codes compared, want at most 4", compared)
	}
}

// Item 14: a full disk is 503 with Retry-After, not a 500, and the desk
// reports it (the server's /readyz) until a write works again.
func TestFullDiskIsUnavailableNotInternal(t *testing.T) {
	dir := t.TempDir() + "/attachments"
	f := newFixture(t, platform.Options{AttachmentDir: dir})
	err := platform.StorageProblemForTest(f.desk, &os.PathError{Op: "write", Path: dir + "/x", Err: syscall.ENOSPC})
	p := wantProblem(t, err, api.CodeUnavailable)
	if p.RetryAfter <= 0 {
		t.Errorf("no Retry-After: %+v", p)
	}
	if !f.desk.StorageFull() {
		t.Fatal("after ENOSPC (and with the directory unwritable) the desk says storage is fine")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if f.desk.StorageFull() {
		t.Error("a write works again, but the desk still says storage is full")
	}
}

// A guesser whose address is over its own cap is refused without deleting
// the code the number's owner is about to type.
func TestAddressOverItsCapLeavesTheOwnersCode(t *testing.T) {
	f := newFixture(t, platform.Options{Limits: platform.Limits{GuessesPerAddress: 2, GuessesPerDestination: 100}})
	_, mobile := f.sponsor("kept-code")
	f.clock.Add(time.Hour)
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSResetPassword}))(t)
	code := f.lastCode(mobile)
	spray := platform.Actor{Addr: "203.0.113.50"}
	for range 2 {
		_ = f.desk.ResetPassword(f.ctx, spray, api.PasswordResetRequest{Mobile: newMobile(), SMSCode: "000000", NewPassword: "whatever-it-is"})
	}
	wantCode(t, f.desk.ResetPassword(f.ctx, spray, api.PasswordResetRequest{Mobile: mobile, SMSCode: wrong(code), NewPassword: "attacker-chosen-1"}), api.CodeRateLimited)
	must(struct{}{}, f.desk.ResetPassword(f.ctx, platform.Actor{Addr: "198.51.100.9"}, api.PasswordResetRequest{Mobile: mobile, SMSCode: code, NewPassword: "owner-new-secret"}))(t)
}
