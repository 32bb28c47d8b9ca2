package platform

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/beian-dev/beian/internal/accountrules"
	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/store"
)

// Login checks a password and opens a session; actor.Addr is the client's
// address, for the limits of loginLimiter.
func (d *Desk) Login(ctx context.Context, actor Actor, req api.LoginRequest) (api.Session, error) {
	var errs []api.FieldError
	if req.Login == "" {
		errs = append(errs, api.FieldError{Field: "login", Code: "required_missing", Message: "login name"})
	}
	if req.Password == "" {
		errs = append(errs, api.FieldError{Field: "password", Code: "required_missing", Message: "password"})
	}
	if len(errs) > 0 {
		return api.Session{}, fieldProblem(errs...)
	}
	if len(req.Password) > 4*maxPasswordLen || len(req.Login) > maxLoginNameLen {
		return api.Session{}, unauthenticatedLogin() // no such account can exist: nothing to count
	}
	now := d.now()
	// The account is found first, so that the limiter counts and trusts
	// accounts, not spellings: "UFFQMUAAD" and "uffqmuaad" are one account
	// (accountrules.FoldLogin) and share one count and one trust list.
	a, err := d.store.AccountByLogin(ctx, req.Login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return api.Session{}, d.problem(ctx, actor, err)
	}
	who := "name:" + accountrules.FoldLogin(req.Login)
	if err == nil {
		who = "id:" + a.ID
	}
	wait, done := d.limiter.begin(now, who, actor.Addr)
	if wait > 0 {
		return api.Session{}, limited("too many failed sign-ins; wait and try again", wait)
	}
	ok := false
	defer func() { done(now, ok) }()
	if err == nil {
		ok, err = checkPassword(ctx, req.Password, a.PasswordHash)
		if err != nil {
			return api.Session{}, d.problem(ctx, actor, err)
		}
	} else {
		// Spend the same time on unknown logins, so timing does not tell
		// which names exist.
		_, _ = checkPassword(ctx, req.Password, dummyHash(d.argon()))
	}
	if !ok {
		return api.Session{}, unauthenticatedLogin()
	}
	token, hash, err := newToken()
	if err != nil {
		return api.Session{}, d.problem(ctx, actor, err)
	}
	t := store.Token{Hash: hash, AccountID: a.ID, ExpiresAt: now.Add(d.opts.SessionTTL), CreatedAt: now}
	if err := d.store.CreateToken(ctx, t); err != nil {
		return api.Session{}, d.problem(ctx, actor, err)
	}
	return api.Session{Token: token, ExpiresAt: t.ExpiresAt, Account: accountView(a)}, nil
}

func unauthenticatedLogin() *api.Problem {
	return api.NewProblem(api.CodeUnauthenticated, "the login name or the password is wrong")
}

var dummyHashes sync.Map // argonParams → PHC string

func dummyHash(p argonParams) string {
	if h, ok := dummyHashes.Load(p); ok {
		return h.(string)
	}
	h, _ := hashPassword(context.Background(), "not a password", p)
	dummyHashes.Store(p, h)
	return h
}

// newToken returns a random bearer token and the hash that is stored.
func newToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenHash(token), nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate finds the account behind a bearer token.
func (d *Desk) Authenticate(ctx context.Context, token string) (Actor, error) {
	if token == "" {
		return Actor{}, unauthenticated()
	}
	t, a, err := d.store.Session(ctx, tokenHash(token))
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, api.NewProblem(api.CodeUnauthenticated, "the token is unknown or was revoked; sign in again")
	}
	if err != nil {
		return Actor{}, d.problem(ctx, Actor{}, err)
	}
	if !d.now().Before(t.ExpiresAt) {
		return Actor{}, api.NewProblem(api.CodeTokenExpired, "the session has expired; sign in again")
	}
	return Actor{AccountID: a.ID, Role: api.Role(a.Role), AreaPrefix: a.AreaPrefix}, nil
}

// Logout revokes the token of the current session.
func (d *Desk) Logout(ctx context.Context, actor Actor, token string) error {
	if actor.Anonymous() {
		return unauthenticated()
	}
	if err := d.store.DeleteToken(ctx, tokenHash(token)); err != nil && !errors.Is(err, store.ErrNotFound) {
		return d.problem(ctx, actor, err)
	}
	return nil
}

// LogoutAll revokes every session of the signed-in account ("sign out
// everywhere") and says how many there were.
func (d *Desk) LogoutAll(ctx context.Context, actor Actor) (int64, error) {
	if actor.Anonymous() {
		return 0, unauthenticated()
	}
	var n int64
	err := d.inTx(ctx, actor, func(u *unit) error {
		var err error
		if n, err = u.tx.DeleteAccountTokens(ctx, actor.AccountID); err != nil {
			return err
		}
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "account", EntityID: actor.AccountID, Action: "logout_all", Detail: fmt.Sprintf("%d sessions", n)})
	})
	return n, err
}

// loginLimiter counts failed sign-ins in a sliding window. It is per
// process: with several replicas an attacker gets a few more tries per
// replica, which the window still bounds. Its limits (Limits, SPEC §6):
//
//   - a (login, address) pair that failed LoginFailures times waits out the
//     window: the guesser is stopped, the owner elsewhere is not;
//   - an address that failed LoginFailuresPerAddress times, over any logins,
//     waits too (spraying one password over many accounts);
//   - an account that failed LoginFailures times from all addresses together
//     is only slowed down, to one attempt per LoginSlowdown, and not at all
//     from an address that signed in to it before: a flood never locks the
//     owner out.
type loginLimiter struct {
	lim      Limits
	mu       sync.Mutex
	fails    map[string][]time.Time
	inFlight map[string]int                  // attempts still checking their password
	trusted  map[string]map[string]time.Time // login → address → last sign-in
}

// Bounds of the limiter's memory: a login name longer than any valid one is
// refused before it is counted, and keys are swept when there are many.
const (
	maxLoginNameLen   = 64
	limiterSweepAbove = 100_000
	trustFor          = 30 * 24 * time.Hour
	maxTrustedAddrs   = 16
)

func newLoginLimiter(l Limits) *loginLimiter {
	return &loginLimiter{lim: l, fails: map[string][]time.Time{}, inFlight: map[string]int{}, trusted: map[string]map[string]time.Time{}}
}

// begin admits one sign-in attempt, or says how long to wait. Attempts
// still checking their password count as failures until they end, so a
// concurrent burst cannot slip past the limit while every hash is running.
// The returned done records the outcome.
//
// login is the account the attempt is for ("id:…"), or the folded name
// when no account has it ("name:…"): never the spelling as typed.
func (l *loginLimiter) begin(now time.Time, login, addr string) (time.Duration, func(time.Time, bool)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > limiterSweepAbove {
		l.sweepLocked(now)
	}
	pair, byAddr, acct := "pair:"+login+"\x00"+addr, "addr:"+addr, "login:"+login
	var wait time.Duration
	hard := func(k string, limit int) {
		ts := l.prune(now, k)
		if len(ts)+l.inFlight[k] >= limit {
			w := time.Second // only in-flight attempts: they end within a hash
			if len(ts) > 0 {
				w = max(w, ts[0].Add(l.lim.LoginWindow).Sub(now))
			}
			wait = max(wait, w)
		}
	}
	hard(pair, l.lim.LoginFailures)
	hard(byAddr, l.lim.LoginFailuresPerAddress)
	if _, known := l.trusted[login][addr]; !known {
		ts := l.prune(now, acct)
		if len(ts)+l.inFlight[acct] >= l.lim.LoginFailures {
			w := l.lim.LoginSlowdown
			if l.inFlight[acct] == 0 && len(ts) > 0 {
				w = ts[len(ts)-1].Add(l.lim.LoginSlowdown).Sub(now)
			}
			wait = max(wait, w)
		}
	}
	if wait > 0 {
		return wait, func(time.Time, bool) {}
	}
	keys := []string{pair, byAddr, acct}
	for _, k := range keys {
		l.inFlight[k]++
	}
	return 0, func(end time.Time, ok bool) {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, k := range keys {
			if l.inFlight[k]--; l.inFlight[k] <= 0 {
				delete(l.inFlight, k)
			}
			if !ok {
				l.fails[k] = append(l.prune(end, k), end)
			}
		}
		if ok {
			delete(l.fails, pair)
			t := l.trusted[login]
			if t == nil {
				t = map[string]time.Time{}
				l.trusted[login] = t
			}
			if len(t) >= maxTrustedAddrs {
				oldest := ""
				for a, at := range t {
					if oldest == "" || at.Before(t[oldest]) {
						oldest = a
					}
				}
				delete(t, oldest)
			}
			t[addr] = end
		}
	}
}

func (l *loginLimiter) prune(now time.Time, k string) []time.Time {
	ts := l.fails[k]
	i := 0
	for i < len(ts) && !ts[i].Add(l.lim.LoginWindow).After(now) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, k)
		return nil
	}
	l.fails[k] = ts
	return ts
}

// sweep drops every count whose window has passed and trust older than
// trustFor.
func (l *loginLimiter) sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweepLocked(now)
}

func (l *loginLimiter) sweepLocked(now time.Time) {
	for k := range l.fails {
		l.prune(now, k)
	}
	for login, t := range l.trusted {
		for a, at := range t {
			if now.Sub(at) > trustFor {
				delete(t, a)
			}
		}
		if len(t) == 0 {
			delete(l.trusted, login)
		}
	}
}

// keys reports how many counts the limiter holds (tests).
func (l *loginLimiter) keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.fails) + len(l.trusted)
}
