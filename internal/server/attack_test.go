package server_test

// Attack scripts of issue 9, run against the real server on 127.0.0.1:0 —
// every client address a loopback address of its own — on SQLite and
// PostgreSQL, with the desk's production limits and a pinned clock so
// that a day of back-off takes no time.

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server/servertest"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// attackEnv is a server with the production limits and a clock the test
// moves.
func attackEnv(t *testing.T, db servertest.Option, edit ...func(*platform.Limits)) (*servertest.Env, *testClock) {
	clock := &testClock{t: time.Now().UTC()}
	env := servertest.Start(t, db, servertest.DeskOptions(func(o *platform.Options) {
		o.Clock = clock.Now
		o.Limits = platform.DefaultLimits()
		for _, fn := range edit {
			fn(&o.Limits)
		}
	}))
	return env, clock
}

// Item 1: guess five codes wrong, ask for a new one, repeat, for a day. The
// number's guess cap holds across every re-issued code; the codes back off.
func TestAttackResetCodeBruteForce(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, clock := attackEnv(t, db)
		victim := env.RegisterSponsor(t, "victim")
		attacker := env.From(t, "127.0.0.2")
		lim := platform.DefaultLimits()
		start := clock.Now()
		compared, texts, limited := 0, 0, 0
		for clock.Now().Sub(start) < lim.CodeWindow {
			res := attacker.CallUnchecked(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: victim.Mobile, Purpose: api.SMSResetPassword})
			if res.Status == http.StatusTooManyRequests {
				limited++
				p := res.Problem(t)
				if p.RetryAfter <= 0 || res.Header.Get("Retry-After") == "" {
					t.Fatalf("429 without Retry-After: %s", res.Body)
				}
				clock.Add(time.Duration(p.RetryAfter) * time.Second)
				continue
			}
			res.Want(t, http.StatusAccepted)
			texts++
			for i := range 5 {
				res := attacker.CallUnchecked(t, "POST", "/v1/password-resets", "", api.PasswordResetRequest{
					Mobile: victim.Mobile, SMSCode: fmt.Sprintf("%06d", 100000+texts*10+i), NewPassword: "attacker-chosen-secret"})
				switch res.Status {
				case http.StatusNoContent:
					t.Fatalf("a guessed code reset the victim's password")
				case http.StatusTooManyRequests:
				default:
					if p := res.Problem(t); p.Code == api.CodeSMSCodeInvalid && p.Detail == "the code is wrong" {
						compared++
					}
				}
			}
		}
		t.Logf("a day of attack: %d codes texted to the victim, %d guesses compared, %d requests refused", texts, compared, limited)
		if compared > lim.GuessesPerDestination {
			t.Errorf("%d guesses were compared in a day, want at most %d", compared, lim.GuessesPerDestination)
		}
		if texts > lim.CodesPerDestination {
			t.Errorf("the victim got %d codes in a day, want at most %d", texts, lim.CodesPerDestination)
		}
		// The victim's own password still works: nothing was reset.
		env.Login(t, victim.Login, victim.Password)
	})
}

// Item 1, concurrently: 40 guesses at once at one code compare at most the
// cap (each try is counted before it is compared).
func TestAttackConcurrentGuessBurst(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, _ := attackEnv(t, db)
		victim := env.RegisterSponsor(t, "burst-victim")
		env.Call(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: victim.Mobile, Purpose: api.SMSResetPassword}).Want(t, http.StatusAccepted)
		var compared atomic.Int32
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				res := env.From(t, fmt.Sprintf("127.0.1.%d", i+1)).CallUnchecked(t, "POST", "/v1/password-resets", "", api.PasswordResetRequest{
					Mobile: victim.Mobile, SMSCode: fmt.Sprintf("%06d", 900000+i), NewPassword: "attacker-chosen-secret"})
				if res.Status == http.StatusNoContent {
					t.Error("a guessed code reset the password")
				}
				// Compared: answered "wrong" with a live code. Once the
				// code is gone, "no code was sent" compares nothing.
				if res.Status != http.StatusTooManyRequests && res.Problem(t).Detail == "the code is wrong" {
					compared.Add(1)
				}
			})
		}
		wg.Wait()
		if n := int(compared.Load()); n > platform.DefaultLimits().GuessesPerDestination {
			t.Errorf("%d of 40 concurrent guesses were compared, want at most %d", n, platform.DefaultLimits().GuessesPerDestination)
		}
	})
}

// Item 6: SMS pumping from one address, and answers that do not tell which
// numbers have accounts.
func TestAttackSMSPumpingAndEnumeration(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, clock := attackEnv(t, db)
		known := env.RegisterSponsor(t, "known-number")
		clock.Add(10 * time.Minute) // past its registration code's back-off
		pump := env.From(t, "127.0.0.3")
		sent := 0
		for i := range 60 {
			res := pump.CallUnchecked(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: fmt.Sprintf("1370000%04d", i), Purpose: api.SMSRegister})
			if res.Status == http.StatusAccepted {
				sent++
			}
		}
		if want := platform.DefaultLimits().CodesPerAddress; sent > want {
			t.Errorf("one address had %d of 60 codes sent, want at most %d", sent, want)
		}
		// Register for a number with an account, reset for one without:
		// 202 like any other number.
		other := env.From(t, "127.0.0.4")
		other.Call(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: known.Mobile, Purpose: api.SMSRegister}).Want(t, http.StatusAccepted)
		other.Call(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: "13712345678", Purpose: api.SMSResetPassword}).Want(t, http.StatusAccepted)
	})
}

// Item 4: registrations with wrong codes hash no passwords, so they cannot
// starve sign-ins of CPU.
func TestAttackWrongCodeRegistrationsHashNothing(t *testing.T) {
	env := servertest.Start(t)
	env.RegisterSponsor(t, "warm")
	before := platform.PasswordHashes()
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			env.CallUnchecked(t, "POST", "/v1/accounts", "", api.RegisterRequest{Login: fmt.Sprintf("cpu%02d", i), Mobile: fmt.Sprintf("1360000%04d", i),
				SMSCode: "123456", Password: "a-long-enough-password", Email: "x@example.com"})
		})
	}
	wg.Wait()
	if n := platform.PasswordHashes() - before; n != 0 {
		t.Errorf("32 registrations with wrong codes computed %d password hashes, want 0", n)
	}
}

// Item 7: a flood of wrong passwords from one address does not lock the
// owner out from another.
func TestAttackLoginFloodDoesNotLockOutTheOwner(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, clock := attackEnv(t, db)
		owner := env.RegisterSponsor(t, "owner-7") // signed in from 127.0.0.1
		flood := env.From(t, "127.0.0.5")
		for range 10 {
			flood.CallUnchecked(t, "POST", "/v1/sessions", "", api.LoginRequest{Login: owner.Login, Password: "wrong-password-1"}).Want(t, http.StatusUnauthorized)
		}
		flood.CallUnchecked(t, "POST", "/v1/sessions", "", api.LoginRequest{Login: owner.Login, Password: owner.Password}).Want(t, http.StatusTooManyRequests)
		env.Login(t, owner.Login, owner.Password) // the owner's usual address: at once
		elsewhere := env.From(t, "127.0.0.6")
		res := elsewhere.CallUnchecked(t, "POST", "/v1/sessions", "", api.LoginRequest{Login: owner.Login, Password: owner.Password}).Want(t, http.StatusTooManyRequests)
		if p := res.Problem(t); p.RetryAfter > 2 {
			t.Errorf("a new address of the owner waits %ds, want ≤ 2", p.RetryAfter)
		}
		clock.Add(2 * time.Second)
		elsewhere.Login(t, owner.Login, owner.Password)
	})
}

// Item 8: a password reset ends every session; DELETE /v1/sessions does too.
func TestAttackSessionsEndOnPasswordReset(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, _ := attackEnv(t, db)
		u := env.RegisterSponsor(t, "reset-sessions")
		stolen := env.Login(t, u.Login, u.Password)
		env.Call(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: u.Mobile, Purpose: api.SMSResetPassword}).Want(t, http.StatusAccepted)
		env.Call(t, "POST", "/v1/password-resets", "", api.PasswordResetRequest{Mobile: u.Mobile, SMSCode: env.SMSCode(t, u.Mobile), NewPassword: "a-new-password-42"}).Want(t, http.StatusNoContent)
		for _, tok := range []string{stolen, u.Token} {
			env.Call(t, "GET", "/v1/account", tok, nil).Want(t, http.StatusUnauthorized)
		}
		a := env.Login(t, u.Login, "a-new-password-42")
		b := env.Login(t, u.Login, "a-new-password-42")
		env.Call(t, "DELETE", "/v1/sessions", a, nil).Want(t, http.StatusNoContent)
		env.Call(t, "GET", "/v1/account", b, nil).Want(t, http.StatusUnauthorized)
	})
}
