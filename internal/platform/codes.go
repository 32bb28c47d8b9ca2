package platform

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
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
	refused := func(err error) (int, error) {
		var p *api.Problem
		if errors.As(err, &p) {
			return 0, &commitAnyway{err: p}
		}
		return 0, err
	}
	if err := d.admitAddressGuess(ctx, actor); err != nil {
		return refused(err)
	}
	vc, err := d.store.VerificationCode(ctx, channel, to, purpose)
	if errors.Is(err, store.ErrNotFound) {
		d.wrongGuess(ctx, actor) // the address pays; the number has nothing to lose
		return 0, bad("no code was sent to this address for this purpose, or it was used up; ask for a new one")
	}
	if err != nil {
		return 0, err
	}
	if !d.now().Before(vc.ExpiresAt) || vc.Attempts >= codeMaxAttempts {
		_ = d.store.DeleteVerificationCode(ctx, channel, to, purpose)
		return 0, bad("the code has expired; ask for a new one")
	}
	if err := d.admitNumberGuess(ctx, channel, to); err != nil {
		if errors.Is(err, errNumberLocked) {
			// The number is over its cap for the day: its code goes.
			_ = d.store.DeleteVerificationCode(ctx, channel, to, purpose)
		}
		return refused(err)
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
