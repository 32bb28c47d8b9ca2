package platform

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/beian-dev/beian/internal/accountrules"
	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/ident"
	"github.com/beian-dev/beian/internal/sms"
	"github.com/beian-dev/beian/internal/store"
)

// Verification codes (SPEC §2): six digits, stored hashed, valid for ten
// minutes, five wrong guesses and the code is gone. How often codes may be
// sent and tried across codes is bounded by Limits (limits.go).
const (
	codeDigits      = 6
	codeTTL         = 10 * time.Minute
	codeMaxAttempts = 5
)

// Channels and purposes of verification codes, as stored.
const (
	channelSMS    = "sms"
	channelEmail  = "email"
	purposeEmail  = "email"
	purposeReset  = string(api.SMSResetPassword)
	purposeSignup = string(api.SMSRegister)
)

// SendSMSCode texts a verification code for registration or a password
// reset. It answers the same whether or not the number has an account: a
// number that cannot use the code is told so by text instead (a register
// code to a number with an account, a reset code to one without).
func (d *Desk) SendSMSCode(ctx context.Context, actor Actor, req api.SMSCodeRequest) error {
	var errs []api.FieldError
	mobile, err := ident.NormalizeMobile(req.Mobile)
	if err != nil {
		errs = append(errs, ruleField("mobile", err))
	}
	if req.Purpose != api.SMSRegister && req.Purpose != api.SMSResetPassword {
		errs = append(errs, api.FieldError{Field: "purpose", Code: "enum_invalid", Message: "purpose must be register or reset_password"})
	}
	if len(errs) > 0 {
		return fieldProblem(errs...)
	}
	if err := d.admitSend(ctx, actor, channelSMS, mobile, string(req.Purpose)); err != nil {
		return d.problem(ctx, actor, err)
	}
	_, err = d.store.AccountByMobile(ctx, mobile)
	switch {
	case err == nil && req.Purpose == api.SMSRegister:
		return d.sendNotice(ctx, actor, mobile, noticeHasAccount)
	case errors.Is(err, store.ErrNotFound) && req.Purpose == api.SMSResetPassword:
		return d.sendNotice(ctx, actor, mobile, noticeNoAccount)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return d.problem(ctx, actor, err)
	}
	return d.sendCode(ctx, actor, channelSMS, mobile, string(req.Purpose))
}

// The texts sent instead of a code the number could not use.
const (
	noticeHasAccount = "【公安备案】有人用本手机号申请注册；本号已有账号，忘记密码请用“重置密码”。Someone asked to register with this number, which already has an account; if it was you, reset your password instead."
	noticeNoAccount  = "【公安备案】有人为本手机号申请重置密码，但本号没有账号，请先注册。Someone asked to reset a password for this number, which has no account; register first."
)

func (d *Desk) sendNotice(ctx context.Context, actor Actor, to, body string) error {
	if err := d.send(ctx, sms.Message{Channel: channelSMS, To: to, Body: body}); err != nil {
		if errors.Is(err, sms.ErrBlacklisted) {
			return d.blacklisted(to)
		}
		d.log.WarnContext(ctx, "desk: sending an account notice failed", "err", err)
	}
	return nil
}

// sendCode stores a new hashed code and sends it; the caller has admitted
// the send (admitSend). A blacklisted number gets sms_blacklisted naming the
// support address (FAQ item 12).
func (d *Desk) sendCode(ctx context.Context, actor Actor, channel, to, purpose string) error {
	now := d.now()
	code, err := randomDigits(codeDigits)
	if err != nil {
		return d.problem(ctx, actor, err)
	}
	vc := store.VerificationCode{Channel: channel, To: to, Purpose: purpose, CodeHash: codeHash(channel, to, purpose, code), ExpiresAt: now.Add(codeTTL)}
	if err := d.store.PutVerificationCode(ctx, vc); err != nil {
		return d.problem(ctx, actor, err)
	}
	body := fmt.Sprintf("【公安备案】验证码 %s，%d 分钟内有效。Your verification code is %s (valid %d minutes).", code, int(codeTTL.Minutes()), code, int(codeTTL.Minutes()))
	if err := d.send(ctx, sms.Message{Channel: channel, To: to, Body: body, Code: code}); err != nil {
		_ = d.store.DeleteVerificationCode(ctx, channel, to, purpose)
		if errors.Is(err, sms.ErrBlacklisted) {
			return d.blacklisted(to)
		}
		d.log.ErrorContext(ctx, "desk: sending a verification code failed", "channel", channel, "err", err)
		p := api.NewProblem(api.CodeUnavailable, "the message could not be sent; retry later")
		p.RetryAfter = 30
		return p
	}
	return nil
}

func (d *Desk) blacklisted(to string) *api.Problem {
	support := d.opts.SupportEmail
	if support == "" {
		support = "the platform's support address"
	}
	return api.NewProblem(api.CodeSMSBlacklisted, fmt.Sprintf(
		"the SMS provider refuses messages to %s (blacklisted); email %s with the number and the cause to have it removed", to, support))
}

// checkCode consumes a verification code: right → deleted and nil; wrong →
// one attempt used; expired or exhausted → gone. Every try counts against
// the number's and the address's limits before the code is compared
// (admitGuess), across re-issued codes. The store writes happen outside any
// transaction so a wrong guess counts even when the request fails.
func (d *Desk) checkCode(ctx context.Context, actor Actor, channel, to, purpose, code, field string) error {
	_, err := d.proveCode(ctx, actor, channel, to, purpose, code, field, true)
	return err
}

// proveCode is checkCode, leaving a right code in place unless consume:
// the caller deletes it once what it proves has been done, or counts an
// attempt if that fails (spendCode). It returns the attempts already used.
func (d *Desk) proveCode(ctx context.Context, actor Actor, channel, to, purpose, code, field string, consume bool) (int, error) {
	attempts, err := d.proveCodeOnce(ctx, actor, channel, to, purpose, code, field)
	if err != nil || !consume {
		return attempts, err
	}
	return attempts, d.store.DeleteVerificationCode(ctx, channel, to, purpose)
}

// spendCode uses one attempt of a right code whose purpose failed (a
// registration refused for a taken login name): the user may correct the
// name and use the code again, a bounded number of times, so that the code
// does not let anyone try login names without end.
func (d *Desk) spendCode(ctx context.Context, channel, to, purpose string, attempts int) {
	if attempts+1 >= codeMaxAttempts {
		_ = d.store.DeleteVerificationCode(ctx, channel, to, purpose)
		return
	}
	_ = d.store.UpdateVerificationAttempts(ctx, channel, to, purpose, attempts+1)
}

func (d *Desk) proveCodeOnce(ctx context.Context, actor Actor, channel, to, purpose, code, field string) (int, error) {
	bad := func(msg string) error {
		p := api.NewProblem(api.CodeSMSCodeInvalid, msg)
		p.Errors = []api.FieldError{{Field: field, Code: string(api.CodeSMSCodeInvalid), Message: msg}}
		return &commitAnyway{err: p}
	}
	if err := d.admitGuess(ctx, actor, channel, to); err != nil {
		var p *api.Problem
		if errors.As(err, &p) {
			if errors.Is(err, errNumberLocked) {
				// The number is over its cap for the day: its code goes.
				// An address over its own cap leaves the owner's code be.
				_ = d.store.DeleteVerificationCode(ctx, channel, to, purpose)
			}
			return 0, &commitAnyway{err: p}
		}
		return 0, err
	}
	vc, err := d.store.VerificationCode(ctx, channel, to, purpose)
	if errors.Is(err, store.ErrNotFound) {
		d.wrongGuess(ctx, actor)
		return 0, bad("no code was sent to this address for this purpose, or it was used up; ask for a new one")
	}
	if err != nil {
		return 0, err
	}
	if !d.now().Before(vc.ExpiresAt) || vc.Attempts >= codeMaxAttempts {
		_ = d.store.DeleteVerificationCode(ctx, channel, to, purpose)
		return 0, bad("the code has expired; ask for a new one")
	}
	want := codeHash(channel, to, purpose, strings.TrimSpace(code))
	if subtle.ConstantTimeCompare([]byte(want), []byte(vc.CodeHash)) != 1 {
		d.wrongGuess(ctx, actor)
		if vc.Attempts+1 >= codeMaxAttempts {
			_ = d.store.DeleteVerificationCode(ctx, channel, to, purpose)
		} else {
			_ = d.store.UpdateVerificationAttempts(ctx, channel, to, purpose, vc.Attempts+1)
		}
		return 0, bad("the code is wrong")
	}
	// The right code: this number's guessing count starts again.
	_ = d.store.ClearLimit(ctx, keyCodeGuess(channel, to))
	return vc.Attempts, nil
}

func codeHash(channel, to, purpose, code string) string {
	sum := sha256.Sum256([]byte(channel + "\x00" + to + "\x00" + purpose + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

func randomDigits(n int) (string, error) {
	var b strings.Builder
	for range n {
		v, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			return "", err
		}
		b.WriteByte(byte('0' + v.Int64()))
	}
	return b.String(), nil
}

// send delivers a message through the configured sender, or keeps it in
// the outbox when there is none.
func (d *Desk) send(ctx context.Context, m sms.Message) error {
	if m.Channel == "" {
		m.Channel = channelSMS
	}
	if d.opts.SMS != nil {
		return d.opts.SMS.Send(ctx, m)
	}
	return d.store.AddOutbox(ctx, &store.OutboxMessage{Channel: m.Channel, To: m.To, Body: m.Body, Code: m.Code, SentAt: d.now()})
}

// notifySMS queues a text to mobile for after the commit; a failure is
// logged, never undoes the decision it reports.
func (d *Desk) notifySMS(u *unit, mobile, body string) {
	if mobile == "" {
		return
	}
	u.later(func(ctx context.Context) {
		if err := d.send(ctx, sms.Message{Channel: channelSMS, To: mobile, Body: body}); err != nil {
			d.log.WarnContext(ctx, "desk: notification SMS not sent", "err", err)
		}
	})
}

// accountFields checks the fields shared by registration and user creation.
func accountFields(login, mobile, email, password string) (normMobile, normEmail string, errs []api.FieldError) {
	if accountrules.Login(login) != nil {
		errs = append(errs, api.FieldError{Field: "login", Code: "login_invalid",
			Message: "3–32 characters: a letter, then letters, digits, '_', '.' or '-'"})
	}
	normMobile, err := ident.NormalizeMobile(mobile)
	if err != nil {
		errs = append(errs, ruleField("mobile", err))
	}
	normEmail, err = ident.NormalizeEmail(email)
	if err != nil {
		errs = append(errs, ruleField("email", err))
	}
	if fe, bad := passwordProblem("password", password, login, normMobile); bad {
		errs = append(errs, fe)
	}
	return normMobile, normEmail, errs
}

// ruleField turns a rule error with a Code into a field error.
func ruleField(field string, err error) api.FieldError {
	code := "invalid"
	var c interface{ Code() string }
	if errors.As(err, &c) {
		code = c.Code()
	}
	return api.FieldError{Field: field, Code: code, Message: err.Error()}
}

// Register creates a sponsor account once the SMS code proves the mobile.
func (d *Desk) Register(ctx context.Context, actor Actor, req api.RegisterRequest) (api.Account, error) {
	mobile, email, errs := accountFields(req.Login, req.Mobile, req.Email, req.Password)
	if strings.TrimSpace(req.SMSCode) == "" {
		errs = append(errs, api.FieldError{Field: "sms_code", Code: "required_missing", Message: "the code texted to the mobile"})
	}
	if len(errs) > 0 {
		return api.Account{}, fieldProblem(errs...)
	}
	// Cheap checks first: the code is checked before the password is
	// hashed, so a request that cannot succeed costs no argon2 (and before
	// the transaction: a wrong guess must count though registration fails).
	// The code stays until the account exists: a login name found taken
	// can be corrected without a new text (spendCode bounds the retries).
	attempts, err := d.proveCode(ctx, actor, channelSMS, mobile, purposeSignup, req.SMSCode, "sms_code", false)
	if err != nil {
		return api.Account{}, d.refuse(ctx, actor, err)
	}
	hash, err := d.hashPassword(ctx, req.Password)
	if err != nil {
		return api.Account{}, d.problem(ctx, actor, err)
	}
	a := store.Account{Login: req.Login, Mobile: mobile, Email: email, PasswordHash: hash, Role: string(api.RoleSponsor)}
	err = d.inTx(ctx, actor, func(u *unit) error {
		a.ID = ""
		if err := u.tx.CreateAccount(ctx, &a); err != nil {
			return err
		}
		return d.audit(ctx, u, Actor{AccountID: a.ID, Role: api.RoleSponsor}, store.AuditEvent{Entity: "account", EntityID: a.ID, Action: "register", Detail: a.Login})
	})
	if err != nil {
		d.spendCode(ctx, channelSMS, mobile, purposeSignup, attempts)
		return api.Account{}, err
	}
	_ = d.store.DeleteVerificationCode(ctx, channelSMS, mobile, purposeSignup)
	return accountView(a), nil
}

func accountView(a store.Account) api.Account {
	return api.Account{ID: a.ID, Login: a.Login, Mobile: a.Mobile, Email: a.Email, EmailVerified: a.EmailVerified,
		Role: api.Role(a.Role), AreaPrefix: a.AreaPrefix, CreatedAt: a.CreatedAt}
}

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
	wait, done := d.limiter.begin(now, req.Login, actor.Addr)
	if wait > 0 {
		return api.Session{}, limited("too many failed sign-ins; wait and try again", wait)
	}
	ok := false
	defer func() { done(now, ok) }()
	a, err := d.store.AccountByLogin(ctx, req.Login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return api.Session{}, d.problem(ctx, actor, err)
	}
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
	t, err := d.store.TokenByHash(ctx, tokenHash(token))
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, api.NewProblem(api.CodeUnauthenticated, "the token is unknown or was revoked; sign in again")
	}
	if err != nil {
		return Actor{}, d.problem(ctx, Actor{}, err)
	}
	if !d.now().Before(t.ExpiresAt) {
		return Actor{}, api.NewProblem(api.CodeTokenExpired, "the session has expired; sign in again")
	}
	a, err := d.store.AccountByID(ctx, t.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, api.NewProblem(api.CodeUnauthenticated, "the account no longer exists")
	}
	if err != nil {
		return Actor{}, d.problem(ctx, Actor{}, err)
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

// ResetPassword sets a new password (every session of the account ends) once the SMS code proves the mobile.
func (d *Desk) ResetPassword(ctx context.Context, actor Actor, req api.PasswordResetRequest) error {
	var errs []api.FieldError
	mobile, err := ident.NormalizeMobile(req.Mobile)
	if err != nil {
		errs = append(errs, ruleField("mobile", err))
	}
	if strings.TrimSpace(req.SMSCode) == "" {
		errs = append(errs, api.FieldError{Field: "sms_code", Code: "required_missing", Message: "the code texted to the mobile"})
	}
	if fe, bad := passwordProblem("new_password", req.NewPassword, "", mobile); bad {
		errs = append(errs, fe)
	}
	if len(errs) > 0 {
		return fieldProblem(errs...)
	}
	if err := d.checkCode(ctx, actor, channelSMS, mobile, purposeReset, req.SMSCode, "sms_code"); err != nil {
		return d.refuse(ctx, actor, err)
	}
	hash, err := d.hashPassword(ctx, req.NewPassword)
	if err != nil {
		return d.problem(ctx, actor, err)
	}
	return d.inTx(ctx, actor, func(u *unit) error {
		a, err := u.tx.AccountByMobile(ctx, mobile)
		if errors.Is(err, store.ErrNotFound) {
			return api.NewProblem(api.CodeSMSCodeInvalid, "no account has this mobile number")
		}
		if err != nil {
			return err
		}
		a.PasswordHash = hash
		if err := u.tx.UpdateAccount(ctx, &a); err != nil {
			return err
		}
		// Whoever knew the old password is signed out with it.
		if _, err := u.tx.DeleteAccountTokens(ctx, a.ID); err != nil {
			return err
		}
		return d.audit(ctx, u, Actor{AccountID: a.ID, Role: api.Role(a.Role)}, store.AuditEvent{Entity: "account", EntityID: a.ID, Action: "reset_password"})
	})
}

// Account returns the signed-in account.
func (d *Desk) Account(ctx context.Context, actor Actor) (api.Account, error) {
	if actor.Anonymous() {
		return api.Account{}, unauthenticated()
	}
	a, err := d.store.AccountByID(ctx, actor.AccountID)
	if err != nil {
		return api.Account{}, d.problem(ctx, actor, err)
	}
	return accountView(a), nil
}

// SendEmailCode mails a code to the account's address to verify it.
func (d *Desk) SendEmailCode(ctx context.Context, actor Actor) error {
	a, err := d.Account(ctx, actor)
	if err != nil {
		return err
	}
	if a.EmailVerified {
		return nil
	}
	if err := d.admitSend(ctx, actor, channelEmail, a.Email, purposeEmail); err != nil {
		return d.problem(ctx, actor, err)
	}
	return d.sendCode(ctx, actor, channelEmail, a.Email, purposeEmail)
}

// VerifyEmail marks the account's email verified with the mailed code.
func (d *Desk) VerifyEmail(ctx context.Context, actor Actor, req api.EmailVerifyRequest) error {
	a, err := d.Account(ctx, actor)
	if err != nil {
		return err
	}
	if strings.TrimSpace(req.Code) == "" {
		return fieldProblem(api.FieldError{Field: "code", Code: "required_missing", Message: "the code mailed to the account's address"})
	}
	if err := d.checkCode(ctx, actor, channelEmail, a.Email, purposeEmail, req.Code, "code"); err != nil {
		return d.refuse(ctx, actor, err)
	}
	return d.inTx(ctx, actor, func(u *unit) error {
		acc, err := u.tx.AccountByID(ctx, actor.AccountID)
		if err != nil {
			return err
		}
		acc.EmailVerified = true
		if err := u.tx.UpdateAccount(ctx, &acc); err != nil {
			return err
		}
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "account", EntityID: acc.ID, Action: "verify_email", Field: "email_verified", Old: "false", New: "true"})
	})
}

// CreateUser is the admin's way to add reviewers (with an area scope) and
// other admins; `beian-server user add` calls it with the System actor.
func (d *Desk) CreateUser(ctx context.Context, actor Actor, req api.UserCreateRequest) (api.Account, error) {
	if actor.Anonymous() {
		return api.Account{}, unauthenticated()
	}
	if actor.Role != api.RoleAdmin && actor.Role != roleSystem {
		return api.Account{}, forbidden("only an admin may create users")
	}
	mobile, email, errs := accountFields(req.Login, req.Mobile, req.Email, req.Password)
	switch req.Role {
	case api.RoleSponsor, api.RoleAdmin:
		if req.AreaPrefix != "" {
			errs = append(errs, api.FieldError{Field: "area_prefix", Code: "not_applicable", Message: "only reviewers have an area scope"})
		}
	case api.RoleReviewer:
		if !validAreaPrefix(req.AreaPrefix) {
			errs = append(errs, api.FieldError{Field: "area_prefix", Code: "area_invalid",
				Message: "a reviewer's scope is a GB/T 2260 prefix: 2 (province), 4 (city) or 6 (county) digits"})
		}
	default:
		errs = append(errs, api.FieldError{Field: "role", Code: "enum_invalid", Message: "role must be sponsor, reviewer or admin"})
	}
	if len(errs) > 0 {
		return api.Account{}, fieldProblem(errs...)
	}
	hash, err := d.hashPassword(ctx, req.Password)
	if err != nil {
		return api.Account{}, d.problem(ctx, actor, err)
	}
	a := store.Account{Login: req.Login, Mobile: mobile, Email: email, PasswordHash: hash, Role: string(req.Role), AreaPrefix: req.AreaPrefix}
	err = d.inTx(ctx, actor, func(u *unit) error {
		a.ID = ""
		if err := u.tx.CreateAccount(ctx, &a); err != nil {
			return err
		}
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "account", EntityID: a.ID, Action: "create_user",
			Detail: fmt.Sprintf("%s %s %s", a.Login, a.Role, a.AreaPrefix)})
	})
	if err != nil {
		return api.Account{}, err
	}
	return accountView(a), nil
}

// validAreaPrefix accepts a province, city or county code prefix whose
// province exists ("42", "4201", "420111").
func validAreaPrefix(p string) bool {
	if len(p) != 2 && len(p) != 4 && len(p) != 6 {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	if !area.ValidProvince(p[:2]) {
		return false
	}
	if len(p) == 2 {
		return true
	}
	_, ok := area.Lookup(p + strings.Repeat("0", 6-len(p)))
	return ok
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
func (l *loginLimiter) begin(now time.Time, login, addr string) (time.Duration, func(time.Time, bool)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > limiterSweepAbove {
		l.sweepLocked(now)
	}
	login = strings.ToLower(login)
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
