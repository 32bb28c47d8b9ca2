package platform

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/store"
)

// Limits are the desk's security limits (docs/security.md). They are kept
// in the store, so every replica shares them and a restart or a re-issued
// code does not reset them. A zero field takes its default.
type Limits struct {
	// CodeResend is the wait after a code before the next one to the same
	// number or address; it doubles with every further code in CodeWindow
	// (1m, 2m, 4m, …).
	CodeResend time.Duration
	// CodesPerDestination caps the codes (and account notices) sent to one
	// mobile number or email address in CodeWindow, every purpose together.
	CodesPerDestination int
	// GuessesPerDestination caps the wrong codes tried against one number
	// or address in CodeWindow, across every code it was sent. A number is
	// an account's, so this is also the per-account cap.
	GuessesPerDestination int
	// CodeWindow is the window of the two caps above.
	CodeWindow time.Duration
	// CodesPerAddress and GuessesPerAddress cap what one client address may
	// ask for and try in AddressWindow, whatever the numbers.
	CodesPerAddress   int
	GuessesPerAddress int
	AddressWindow     time.Duration
	// CodesPerMinute caps the codes the platform sends in one minute
	// (SMS pumping across many addresses).
	CodesPerMinute int
	// ClaimAttempts caps the claim proofs one account tries against one
	// earlier filing, and against all of them, in AddressWindow.
	ClaimAttempts int
	// LoginFailures is how many failed sign-ins a (login, address) pair may
	// make in LoginWindow; an account over it from every address together
	// is slowed to one attempt per LoginSlowdown from addresses that never
	// signed in to it.
	LoginFailures int
	LoginWindow   time.Duration
	LoginSlowdown time.Duration
	// LoginFailuresPerAddress caps failed sign-ins from one address to any
	// accounts in LoginWindow (spraying one password over many logins).
	LoginFailuresPerAddress int
	// UploadBytesPerAccount caps the attachment bytes one account keeps.
	UploadBytesPerAccount int64
}

// DefaultLimits are the limits of docs/security.md.
func DefaultLimits() Limits {
	return Limits{
		CodeResend:              time.Minute,
		CodesPerDestination:     8,
		GuessesPerDestination:   10,
		CodeWindow:              24 * time.Hour,
		CodesPerAddress:         20,
		GuessesPerAddress:       50,
		AddressWindow:           time.Hour,
		CodesPerMinute:          300,
		ClaimAttempts:           5,
		LoginFailures:           10,
		LoginWindow:             15 * time.Minute,
		LoginSlowdown:           2 * time.Second,
		LoginFailuresPerAddress: 30,
		UploadBytesPerAccount:   200 << 20,
	}
}

// withDefaults fills the zero fields of l.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	def := limitFields(&d)
	for i, f := range limitFields(&l) {
		switch {
		case f.dur != nil && *f.dur <= 0:
			*f.dur = *def[i].dur
		case f.num != nil && *f.num <= 0:
			*f.num = *def[i].num
		case f.n64 != nil && *f.n64 <= 0:
			*f.n64 = *def[i].n64
		}
	}
	return l
}

// Limit keys, one family per limit. Destinations are channel:address.
func keyCodeSent(channel, to string) string    { return "code_sent:" + channel + ":" + to }
func keyCodeGuess(channel, to string) string   { return "code_guess:" + channel + ":" + to }
func keyAddrSend(addr string) string           { return "addr_send:" + addr }
func keyAddrGuess(addr string) string          { return "addr_guess:" + addr }
func keyClaim(siteID, accountID string) string { return "claim:" + siteID + ":" + accountID }
func keyClaimAccount(accountID string) string {
	return "claim_account:" + accountID
}

const keyCodesAll = "code_sent_all"

func limited(msg string, retry time.Duration) *api.Problem {
	p := api.NewProblem(api.CodeRateLimited, msg)
	p.RetryAfter = max(1, int(retry.Seconds()+0.999))
	return p
}

// admitSend decides whether a code or notice may go to (channel, to) now,
// and counts it. Every send counts the same whether or not the number has
// an account, so the answers tell nothing about which numbers do.
func (d *Desk) admitSend(ctx context.Context, actor Actor, channel, to, purpose string) error {
	l, now := d.limits, d.now()
	if actor.Addr != "" {
		n, err := d.store.HitLimit(ctx, keyAddrSend(actor.Addr), now, now.Add(-l.AddressWindow))
		if err != nil {
			return err
		}
		if n > l.CodesPerAddress {
			return limited(fmt.Sprintf("at most %d codes per %s from one address; try again later", l.CodesPerAddress, l.AddressWindow), l.AddressWindow)
		}
	}
	// The daily cap counts every purpose; the back-off counts this one's
	// (a registration code does not delay the first reset code).
	dest, key := keyCodeSent(channel, to), keyCodeSent(channel, to)+":"+purpose
	total, _, err := d.store.LimitEvents(ctx, dest, now.Add(-l.CodeWindow))
	if err != nil {
		return err
	}
	if total >= l.CodesPerDestination {
		return limited(fmt.Sprintf("at most %d codes per %s to one number or address; try again tomorrow", l.CodesPerDestination, l.CodeWindow), l.CodeWindow/4)
	}
	prev, newest, err := d.store.LimitEvents(ctx, key, now.Add(-l.CodeWindow))
	if err != nil {
		return err
	}
	if prev > 0 {
		wait := l.CodeResend << min(prev-1, 20)
		if next := newest.Add(wait); now.Before(next) {
			return limited(fmt.Sprintf("a code was sent %s ago; the next one can be sent in %s",
				now.Sub(newest).Round(time.Second), next.Sub(now).Round(time.Second)), next.Sub(now))
		}
	}
	// Only a send every other limit admits counts platform-wide, so one
	// address cannot spend everyone's budget.
	n, err := d.store.HitLimit(ctx, keyCodesAll, now, now.Add(-time.Minute))
	if err != nil {
		return err
	}
	if n > l.CodesPerMinute {
		d.log.WarnContext(ctx, "desk: platform-wide code limit reached", "limit", l.CodesPerMinute)
		return limited("the platform is sending too many codes right now; try again in a minute", time.Minute)
	}
	n, err = d.store.HitLimit(ctx, key, now, now.Add(-l.CodeWindow))
	if err != nil {
		return err
	}
	if n > prev+1 { // another request for this number got in meanwhile
		return limited("a code was just sent to this number", l.CodeResend)
	}
	if n, err = d.store.HitLimit(ctx, dest, now, now.Add(-l.CodeWindow)); err != nil {
		return err
	}
	if n > l.CodesPerDestination {
		return limited(fmt.Sprintf("at most %d codes per %s to one number or address; try again tomorrow", l.CodesPerDestination, l.CodeWindow), l.CodeWindow/4)
	}
	return nil
}

// admitAddressGuess refuses a try at a code from an address over its cap.
func (d *Desk) admitAddressGuess(ctx context.Context, actor Actor) error {
	l, now := d.limits, d.now()
	if actor.Addr != "" {
		n, _, err := d.store.LimitEvents(ctx, keyAddrGuess(actor.Addr), now.Add(-l.AddressWindow))
		if err != nil {
			return err
		}
		if n >= l.GuessesPerAddress {
			return limited(fmt.Sprintf("too many wrong codes from this address (%d per %s); try again later", l.GuessesPerAddress, l.AddressWindow), l.AddressWindow)
		}
	}
	return nil
}

// admitNumberGuess counts one try at the live code sent to (channel, to)
// before it is compared, so a concurrent burst cannot slip past the cap.
// It is called only when a live code exists: a guess at a number that has
// none proves nothing and must not use up its owner's day (issue 23,
// finding 7: eleven guesses before any code was sent locked resets for
// 24 hours).
func (d *Desk) admitNumberGuess(ctx context.Context, channel, to string) error {
	l, now := d.limits, d.now()
	n, err := d.store.HitLimit(ctx, keyCodeGuess(channel, to), now, now.Add(-l.CodeWindow))
	if err != nil {
		return err
	}
	if n > l.GuessesPerDestination {
		return &lockedProblem{limited(fmt.Sprintf("too many wrong codes for this number (%d per %s); try again tomorrow", l.GuessesPerDestination, l.CodeWindow), l.CodeWindow/4)}
	}
	return nil
}

// errNumberLocked marks the refusal of a number over its guess cap (its
// code is deleted), as against an address over its own.
var errNumberLocked = errors.New("platform: the number is over its guess cap")

type lockedProblem struct{ *api.Problem }

func (e *lockedProblem) Unwrap() []error { return []error{e.Problem, errNumberLocked} }

// wrongGuess counts a wrong code against the client's address.
func (d *Desk) wrongGuess(ctx context.Context, actor Actor) {
	if actor.Addr == "" {
		return
	}
	now := d.now()
	if _, err := d.store.HitLimit(ctx, keyAddrGuess(actor.Addr), now, now.Add(-d.limits.AddressWindow)); err != nil {
		d.log.WarnContext(ctx, "desk: counting a wrong code failed", "err", err)
	}
}

// Sweep deletes what has outlived its use: limit events older than the
// longest window, expired tokens and codes, stored answers to keyed
// requests older than a day, outbox messages older than a week, and the
// sign-in limiter's passed windows. The server runs it periodically.
func (d *Desk) Sweep(ctx context.Context) (int64, error) {
	now := d.now()
	d.limiter.sweep(now)
	return d.store.Sweep(ctx, store.SweepBefore{
		LimitEvents: now.Add(-max(d.limits.CodeWindow, d.limits.AddressWindow)),
		Expired:     now,
		Idempotency: now.Add(-IdempotencyTTL),
		Outbox:      now.Add(-7 * 24 * time.Hour),
	})
}

// limitFields names every limit for operators (beian-server serve --limit
// name=value, docs/security.md), in the order of Limits.
func limitFields(l *Limits) []struct {
	name string
	dur  *time.Duration
	num  *int
	n64  *int64
} {
	type f = struct {
		name string
		dur  *time.Duration
		num  *int
		n64  *int64
	}
	return []f{
		{"code_resend", &l.CodeResend, nil, nil},
		{"codes_per_destination", nil, &l.CodesPerDestination, nil},
		{"guesses_per_destination", nil, &l.GuessesPerDestination, nil},
		{"code_window", &l.CodeWindow, nil, nil},
		{"codes_per_address", nil, &l.CodesPerAddress, nil},
		{"guesses_per_address", nil, &l.GuessesPerAddress, nil},
		{"address_window", &l.AddressWindow, nil, nil},
		{"codes_per_minute", nil, &l.CodesPerMinute, nil},
		{"claim_attempts", nil, &l.ClaimAttempts, nil},
		{"login_failures", nil, &l.LoginFailures, nil},
		{"login_window", &l.LoginWindow, nil, nil},
		{"login_slowdown", &l.LoginSlowdown, nil, nil},
		{"login_failures_per_address", nil, &l.LoginFailuresPerAddress, nil},
		{"upload_bytes_per_account", nil, nil, &l.UploadBytesPerAccount},
	}
}

// LimitNames lists the names SetLimit takes, with their default values.
func LimitNames() []string {
	l := DefaultLimits()
	var out []string
	for _, f := range limitFields(&l) {
		switch {
		case f.dur != nil:
			out = append(out, f.name+"="+f.dur.String())
		case f.num != nil:
			out = append(out, fmt.Sprintf("%s=%d", f.name, *f.num))
		default:
			out = append(out, fmt.Sprintf("%s=%d", f.name, *f.n64))
		}
	}
	return out
}

// SetLimit sets one limit by name from its text ("8", "15m").
func (l *Limits) SetLimit(name, value string) error {
	for _, f := range limitFields(l) {
		if f.name != name {
			continue
		}
		switch {
		case f.dur != nil:
			d, err := time.ParseDuration(value)
			if err != nil || d <= 0 {
				return fmt.Errorf("limit %s: %q is not a positive duration (like 90s, 15m, 24h)", name, value)
			}
			*f.dur = d
		default:
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n <= 0 {
				return fmt.Errorf("limit %s: %q is not a positive whole number", name, value)
			}
			if f.num != nil {
				*f.num = int(n)
			} else {
				*f.n64 = n
			}
		}
		return nil
	}
	return fmt.Errorf("no limit is called %q; the limits are: %s", name, strings.Join(LimitNames(), ", "))
}
