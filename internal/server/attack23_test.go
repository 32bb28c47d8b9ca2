package server_test

// Attack scripts of issue 23 (round two), each named by its finding's
// number, run against the real server on SQLite and PostgreSQL with the
// production limits. `go test -run Attack ./...` runs them with the rest.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// productionEnv is attackEnv with more server options.
func productionEnv(t *testing.T, db servertest.Option, opts ...servertest.Option) (*servertest.Env, *testClock) {
	clock := &testClock{t: time.Now().UTC()}
	all := append([]servertest.Option{db, servertest.DeskOptions(func(o *platform.Options) {
		o.Clock = clock.Now
		o.Limits = platform.DefaultLimits()
	})}, opts...)
	return servertest.Start(t, all...), clock
}

// Finding 1a: every keyed claim counts. `beian claim` sends a fresh
// Idempotency-Key with each try; the refused tries must still be counted,
// so the sixth within the hour is refused with 429.
func TestAttack23_01KeyedClaimsAreCounted(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, _ := productionEnv(t, db)
		admin := env.CreateAdmin(t, "keyed-admin")
		call(t, env, http.MethodPost, "/v1/admin/imports", admin.Token, []byte("keyed-shop.cn,42011102000556,91420111MA4K00556X,旧商城\n"), http.StatusOK, nil, "Content-Type", "text/csv")
		thief := filedSponsor(t, env, "keyed-thief")
		limit := platform.DefaultLimits().ClaimAttempts
		var statuses []int
		for i := range limit + 3 {
			res := env.CallUnchecked(t, http.MethodPost, "/v1/claims", thief.Token, api.ClaimRequest{Domain: "keyed-shop.cn"},
				api.HeaderIdempotencyKey, fmt.Sprintf("claim-try-%d", i))
			statuses = append(statuses, res.Status)
		}
		for i, st := range statuses {
			want := http.StatusForbidden
			if i >= limit {
				want = http.StatusTooManyRequests
			}
			if st != want {
				t.Errorf("keyed claim %d answered %d, want %d (all: %v)", i+1, st, want, statuses)
			}
		}
	})
}

// Finding 1b: no network I/O inside a transaction. Seven claims whose
// domain never answers hang in the claim fetch; meanwhile an unrelated
// write (a registration code) and another account's read go through at
// once. Before the fix the fetch ran inside the keyed transaction: on
// SQLite every write waited for it, on PostgreSQL the pool ran dry.
func TestAttack23_01DeadDomainClaimsHoldNoTransaction(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		release := make(chan struct{})
		var hanging atomic.Int32
		hang := servertest.DeskOptions(func(o *platform.Options) {
			o.ClaimFetcher = func(ctx context.Context, domain string) ([]byte, error) {
				hanging.Add(1)
				select {
				case <-release:
				case <-ctx.Done():
				}
				return nil, errors.New("no answer")
			}
		})
		env, _ := productionEnv(t, db, hang)
		admin := env.CreateAdmin(t, "dead-admin")
		const claims = 7
		var csv []byte
		for i := range claims {
			csv = fmt.Appendf(csv, "dead-%d.cn,4201110200%04d,%s,旧站\n", i, 600+i, uscc(t, 600+i))
		}
		call(t, env, http.MethodPost, "/v1/admin/imports", admin.Token, csv, http.StatusOK, nil, "Content-Type", "text/csv")
		var claimers []*servertest.User
		for i := range claims {
			u := filedSponsor(t, env, fmt.Sprintf("dead-claimer-%d", i))
			call(t, env, http.MethodPost, "/v1/claim-challenges", u.Token, api.ClaimChallengeRequest{Domain: fmt.Sprintf("dead-%d.cn", i)}, http.StatusOK, nil)
			claimers = append(claimers, u)
		}
		bystander := env.RegisterSponsor(t, "bystander")

		var wg sync.WaitGroup
		for i, u := range claimers {
			wg.Go(func() {
				env.CallUnchecked(t, http.MethodPost, "/v1/claims", u.Token, api.ClaimRequest{Domain: fmt.Sprintf("dead-%d.cn", i)},
					api.HeaderIdempotencyKey, fmt.Sprintf("dead-claim-%d", i))
			})
		}
		defer func() { close(release); wg.Wait() }()
		deadline := time.Now().Add(30 * time.Second)
		for hanging.Load() < claims {
			if time.Now().After(deadline) {
				t.Fatalf("only %d of %d claims reached the fetch", hanging.Load(), claims)
			}
			time.Sleep(5 * time.Millisecond)
		}

		start := time.Now()
		env.Call(t, http.MethodPost, "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: "13912345601", Purpose: api.SMSRegister}).Want(t, http.StatusAccepted)
		write := time.Since(start)
		start = time.Now()
		env.Call(t, http.MethodGet, "/v1/account", bystander.Token, nil).Want(t, http.StatusOK)
		read := time.Since(start)
		t.Logf("during %d hanging claims: an unrelated write took %v, another account's read %v", claims, write, read)
		// The figure in docs/security.md is under 100 ms; the bound here
		// leaves room for -race on a loaded machine, and is still far from
		// the claim fetch's 10 s that a held transaction would cost.
		if write > time.Second || read > time.Second {
			t.Errorf("an unrelated write took %v and a read %v while claims hung, want < 1s", write, read)
		}
	})
}

// Finding 2: logins are one account whatever their case. A case variant
// cannot be registered beside an account (it was the way to earn the
// limiter's trust for a name that folds to the victim's), signs in to the
// same account, and guesses in every spelling share one count.
func TestAttack23_02CaseVariantLogins(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, _ := productionEnv(t, db)
		victim := env.RegisterSponsor(t, "uffqmuaad")

		mobile := "13912345602"
		env.Call(t, http.MethodPost, "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}).Want(t, http.StatusAccepted)
		res := env.CallUnchecked(t, http.MethodPost, "/v1/accounts", "", api.RegisterRequest{
			Login: "UFFQMUAAD", Mobile: mobile, SMSCode: env.SMSCode(t, mobile), Password: servertest.Password, Email: "variant@example.com",
		})
		problem(t, res.Want(t, http.StatusConflict), api.CodeLoginTaken)

		// Any spelling signs in to the one account.
		var s api.Session
		env.Call(t, http.MethodPost, "/v1/sessions", "", api.LoginRequest{Login: "UffQmuaad", Password: victim.Password}).Want(t, http.StatusCreated).JSON(t, &s)
		if s.Account.ID != victim.Account.ID {
			t.Fatalf("UffQmuaad signed in to %s, want the victim %s", s.Account.ID, victim.Account.ID)
		}

		// Guesses in rotating spellings from one address: one count.
		guesser := env.From(t, "127.0.0.23")
		limit := platform.DefaultLimits().LoginFailures
		spellings := []string{"UFFQMUAAD", "Uffqmuaad", "uFFQMUAAD", "uffqmuaaD", "UfFqMuAaD"}
		tried := 0
		for i := range 3 * limit {
			res := guesser.CallUnchecked(t, http.MethodPost, "/v1/sessions", "", api.LoginRequest{Login: spellings[i%len(spellings)], Password: fmt.Sprintf("guess-%d-password", i)})
			if res.Status == http.StatusTooManyRequests {
				break
			}
			res.Want(t, http.StatusUnauthorized)
			tried++
		}
		if tried > limit {
			t.Errorf("%d guesses in rotating spellings were tried from one address, want at most %d", tried, limit)
		}
		// The victim's own address still signs in at once.
		env.Login(t, "uffqmuaad", victim.Password)
	})
}

// Finding 7: guesses at a number that has no live code used up its day:
// eleven resets with any code, sent before the victim asked for one, then
// refused the victim's own reset for 24 hours. Now they cost only the
// guessing address; the victim's code, asked for afterwards, works.
func TestAttack23_07GuessesWithoutACodeLockNothing(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, _ := productionEnv(t, db)
		victim := env.RegisterSponsor(t, "reset-victim")
		for i := range 11 {
			attacker := env.From(t, fmt.Sprintf("127.0.2.%d", i+1))
			res := attacker.CallUnchecked(t, http.MethodPost, "/v1/password-resets", "", api.PasswordResetRequest{
				Mobile: victim.Mobile, SMSCode: fmt.Sprintf("%06d", 100000+i), NewPassword: "attacker-chosen-secret"})
			if res.Status == http.StatusNoContent || res.Status == http.StatusTooManyRequests {
				t.Fatalf("guess %d without a code: %d %s", i+1, res.Status, res.Body)
			}
		}
		env.Call(t, http.MethodPost, "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: victim.Mobile, Purpose: api.SMSResetPassword}).Want(t, http.StatusAccepted)
		env.Call(t, http.MethodPost, "/v1/password-resets", "", api.PasswordResetRequest{
			Mobile: victim.Mobile, SMSCode: env.SMSCode(t, victim.Mobile), NewPassword: "victims-new-password-2"}).Want(t, http.StatusNoContent)
		env.Login(t, victim.Login, "victims-new-password-2")
	})
}

// Finding 8: per-address limits keyed on the full IPv6 address let 25
// addresses of one /64 pass every cap. Requests from one /64, through the
// whole stack, now share one count: code sends stop at the cap.
func TestAttack23_08IPv6ClientsCountedBySlash64(t *testing.T) {
	env, _ := productionEnv(t, servertest.SQLite())
	limit := platform.DefaultLimits().CodesPerAddress
	accepted := 0
	for i := range limit + 10 {
		body := mustJSON(t, api.SMSCodeRequest{Mobile: fmt.Sprintf("1371234%04d", i), Purpose: api.SMSRegister})
		req := httptest.NewRequest(http.MethodPost, "/v1/sms-codes", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = fmt.Sprintf("[2001:db8:aa:bb::%x]:40000", i+1)
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		if rec.Code == http.StatusAccepted {
			accepted++
		}
	}
	if accepted > limit {
		t.Errorf("%d codes sent from %d addresses of one /64, want at most %d", accepted, limit+10, limit)
	}
}

// Finding 15: a reviewer could download B's attachment through A's draft
// that names B's attachment ID.
func TestAttack23_15AttachmentsOnlyThroughTheirOwnersSite(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env := servertest.Start(t, db)
		a := filedSponsor(t, env, "att-a")
		b := filedSponsor(t, env, "att-b")
		theirs := upload(t, env, b.Token, "b-cert.png", tinyPNG)
		var d api.SiteRecord
		call(t, env, http.MethodPost, "/v1/sites", a.Token, api.SiteWrite{Site: importantSite("names-theirs.cn", filing.Attachment{ID: theirs.ID})}, http.StatusCreated, &d)
		reviewer := env.CreateAdmin(t, "att-reviewer")
		res := env.CallUnchecked(t, http.MethodGet, "/v1/review/sites/"+d.ID+"/attachments/"+theirs.ID, reviewer.Token, nil)
		if res.Status == http.StatusOK {
			t.Fatalf("B's attachment was served through A's draft: %d bytes", len(res.Body))
		}
		res.Want(t, http.StatusNotFound)
	})
}

// Finding 18: the idempotency table kept SHA-256 of the whole registration
// body, password and SMS code included, for 24 hours. The stored hash now
// covers the body without them; a retry with the same key still replays.
func TestAttack23_18NoFastHashOfThePassword(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env := servertest.Start(t, db)
		mobile := "13912345618"
		env.Call(t, http.MethodPost, "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}).Want(t, http.StatusAccepted)
		req := api.RegisterRequest{Login: "keyed-reg", Mobile: mobile, SMSCode: env.SMSCode(t, mobile), Password: "dictionary-word-1", Email: "keyed@example.com"}
		first := env.Call(t, http.MethodPost, "/v1/accounts", "", req, api.HeaderIdempotencyKey, "reg-key-18").Want(t, http.StatusCreated)
		again := env.Call(t, http.MethodPost, "/v1/accounts", "", req, api.HeaderIdempotencyKey, "reg-key-18").Want(t, http.StatusCreated)
		if string(first.Body) != string(again.Body) {
			t.Errorf("the retry was not replayed: %s vs %s", first.Body, again.Body)
		}
		row, err := env.Store.Idempotency(context.Background(), "", "reg-key-18")
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{req.Password, req.SMSCode} {
			if strings.Contains(string(row.Body), secret) {
				t.Errorf("the stored answer holds %q", secret)
			}
		}
		// The hash a dictionary attack would recompute: the full body.
		full := mustJSON(t, req)
		h := sha256.New()
		fmt.Fprintf(h, "%s\n%s\n%s\n", http.MethodPost, "/v1/accounts", "")
		h.Write(full)
		if row.RequestHash == hex.EncodeToString(h.Sum(nil)) {
			t.Error("the stored request hash is SHA-256 of the body with the password")
		}
	})
}
