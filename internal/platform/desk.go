// Package platform is the filing desk: every operation of the Filing API v1
// (SPEC §2–6) as a Go method, independent of HTTP. internal/server decodes
// requests, calls one Desk method and encodes the answer; the sandbox and the
// tests call the same methods, so the rules live in exactly one place.
//
// Each method takes the Actor making the request and returns an api type or
// an *api.Problem with a stable code. Everything a method changes is written
// in one store transaction, together with its audit events and
// notifications; text messages go out only after that transaction commits,
// so a rolled-back review never texts anyone.
package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/sms"
	"github.com/beian-dev/beian/internal/store"
)

// Options configure a Desk. The zero value works: messages go to the store's
// outbox, the clock is time.Now, the filing deadline is 30 days.
type Options struct {
	// SMS delivers text messages and emails. Nil keeps them in the store's
	// outbox (the "log" sender of the sandbox and the tests).
	SMS sms.Sender
	// Clock is the desk's notion of now; tests pin it.
	Clock func() time.Time
	// DeadlineDays is the filing deadline after a site's launch date
	// (SPEC §3, configurable); ≤ 0 means filing.DefaultFilingDeadlineDays.
	DeadlineDays int
	// SupportEmail is named in sms_blacklisted errors and account recovery
	// (FAQ items 12 and 13).
	SupportEmail string
	// PublicURL is the server's own base URL ("https://beian.example.com"),
	// used for badge links and the icon URL.
	PublicURL string
	// BadgeLinkTemplate is where a badge links, with {code} for the record
	// code (SPEC §4). Empty means the server's own public record page.
	BadgeLinkTemplate string
	// AttachmentDir keeps uploaded approval certificates, one file per
	// content hash. Empty refuses uploads.
	AttachmentDir string
	// Sandbox turns on the sandbox's switches; nil in production.
	Sandbox *SandboxOptions
	// SessionTTL is how long a login token lasts; 0 means 30 days.
	SessionTTL time.Duration
	// CheapPasswordHashing uses tiny argon2id parameters. Tests only: the
	// real parameters cost 64 MiB and tens of milliseconds per hash.
	CheapPasswordHashing bool
	// ClaimFetcher reads a domain's claim challenge file; nil fetches it
	// over the network (FetchClaimFile).
	ClaimFetcher ClaimFetcher
	// Limits are the security limits (docs/security.md); zero fields take
	// DefaultLimits.
	Limits Limits
	// Logger receives what the desk cannot tell the caller (a failed SMS
	// after a committed review). Nil discards.
	Logger *slog.Logger
	// Webhooks tune the delivery of webhook events.
	Webhooks WebhookOptions
}

// Actor is who makes a request: the account behind the bearer token. The
// zero Actor is anonymous.
type Actor struct {
	AccountID  string
	Role       api.Role
	AreaPrefix string // reviewers: the jurisdiction, "" = nationwide
	// Addr is the client's network address, for the per-address limits;
	// "" (the sandbox, the command line) is not limited by address.
	Addr string
}

// Anonymous reports whether no account is behind the request.
func (a Actor) Anonymous() bool { return a.AccountID == "" }

// filingActor maps an account role to the lifecycle's actor.
func (a Actor) filingActor() filing.Actor {
	switch a.Role {
	case api.RoleReviewer:
		return filing.ActorReviewer
	case api.RoleAdmin:
		return filing.ActorAdmin
	case roleSystem:
		return filing.ActorSystem
	}
	return filing.ActorSponsor
}

// roleSystem is the desk itself (the sandbox's automatic review); it is never
// an account's role and never leaves the package except in audit events.
const roleSystem api.Role = "system"

// System is the actor of the sandbox's automatic review.
var System = Actor{AccountID: "system", Role: roleSystem}

// Desk is the filing desk over one store.
type Desk struct {
	store store.Store
	opts  Options
	log   *slog.Logger
	// unit is set on a Desk bound to an open transaction (see bind): its
	// operations join that transaction and leave their messages to its owner.
	unit *unit
	// limiter counts failed logins per account and per address.
	limiter *loginLimiter
	limits  Limits
	// attachMu serialises writes into AttachmentDir.
	attachMu *sync.Mutex
	// storageFull is set when a write to AttachmentDir ran out of space.
	storageFull *atomic.Bool
	// hooks sends webhook deliveries: one client, so connections are reused
	// and not left open per delivery.
	hooks *http.Client
}

// New returns a desk over st.
func New(st store.Store, opts Options) *Desk {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.DeadlineDays <= 0 {
		opts.DeadlineDays = filing.DefaultFilingDeadlineDays
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 30 * 24 * time.Hour
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Desk{store: st, opts: opts, log: log, limits: opts.Limits.withDefaults(), attachMu: &sync.Mutex{}, storageFull: &atomic.Bool{}}
	d.hooks = d.newWebhookClient()
	d.limiter = newLoginLimiter(d.limits)
	return d
}

// Store is the store the desk works on (the server's /readyz pings it).
func (d *Desk) Store() store.Store { return d.store }

// Sandbox reports whether the sandbox switches are on.
func (d *Desk) Sandbox() bool { return d.opts.Sandbox != nil }

// SupportEmail is the configured support address.
func (d *Desk) SupportEmail() string { return d.opts.SupportEmail }

func (d *Desk) now() time.Time { return d.opts.Clock().UTC().Truncate(time.Microsecond) }

// unit is one transaction in progress and the messages to send once it commits.
type unit struct {
	tx    store.Store
	after []func(context.Context)
}

// later queues fn to run after the transaction commits.
func (u *unit) later(fn func(context.Context)) { u.after = append(u.after, fn) }

func (u *unit) flush(ctx context.Context) {
	for _, fn := range u.after {
		fn(context.WithoutCancel(ctx))
	}
	u.after = nil
}

// bind returns a copy of the desk whose operations run inside tx (used by
// Idempotent so that the effect and the stored answer commit together).
func (d *Desk) bind(tx store.Store) *Desk {
	c := *d
	c.store = tx
	c.unit = &unit{tx: tx}
	return &c
}

// inTx runs fn in a transaction, or inside the bound one. On success the
// queued messages are sent; errors are turned into problems.
func (d *Desk) inTx(ctx context.Context, actor Actor, fn func(u *unit) error) error {
	if d.unit != nil {
		return fn(d.unit) // the owner maps errors and flushes messages
	}
	u := &unit{}
	var refusal error
	err := d.store.InTx(ctx, func(tx store.Store) error {
		u.tx, u.after, refusal = tx, nil, nil // InTx may retry fn
		err := fn(u)
		var keep *commitAnyway
		if errors.As(err, &keep) {
			refusal = keep.err
			return nil
		}
		return err
	})
	if err == nil && refusal != nil {
		err = refusal
	}
	if err != nil {
		return d.problem(ctx, actor, err)
	}
	u.flush(ctx)
	return nil
}

// commitAnyway is a refusal whose bookkeeping must still commit: a wrong
// verification code is counted even though the request fails.
type commitAnyway struct{ err error }

func (e *commitAnyway) Error() string { return e.err.Error() }
func (e *commitAnyway) Unwrap() error { return e.err }

// refuse is problem for refusals that carry bookkeeping (commitAnyway): a
// desk bound to a transaction hands them on so its owner commits them.
func (d *Desk) refuse(ctx context.Context, actor Actor, err error) error {
	if d.unit != nil {
		return err
	}
	return d.problem(ctx, actor, err)
}

// problem turns any error of an operation into an *api.Problem. It runs
// after the transaction has ended, so it may read the store again (a
// PostgreSQL transaction is unusable after a unique violation): that is how
// a domain conflict learns who holds the domain.
func (d *Desk) problem(ctx context.Context, actor Actor, err error) error {
	if err == nil {
		return nil
	}
	var p *api.Problem
	if errors.As(err, &p) {
		return p
	}
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		return d.conflictProblem(ctx, actor, ce)
	}
	var te *filing.TransitionError
	if errors.As(err, &te) {
		return api.NewProblem(api.CodeTransitionRefused, te.Error())
	}
	var fe filing.Errors
	if errors.As(err, &fe) {
		return invalid(fe)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return api.NewProblem(api.CodeNotFound, "no such record")
	case errors.Is(err, store.ErrVersionConflict):
		return api.NewProblem(api.CodeVersionConflict, "the record changed since you read it; read it again and retry")
	case errors.Is(err, store.ErrUnavailable):
		p := api.NewProblem(api.CodeUnavailable, "the database is unavailable; retry later")
		p.RetryAfter = 5
		return p
	case errors.Is(err, store.ErrInvalidCursor):
		return invalidCursor()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	d.log.ErrorContext(ctx, "desk: unexpected error", "err", err)
	return &internalError{err: err}
}

// invalidCursor answers a page cursor the server did not hand out.
func invalidCursor() *api.Problem {
	return fieldProblem(api.FieldError{Field: "cursor", Code: "cursor_invalid",
		Message: "not a cursor this server handed out: start again without ?cursor="})
}

// internalError hides an unexpected error from the client while keeping it
// for the log: the server answers code "internal" with the request ID only.
type internalError struct{ err error }

func (e *internalError) Error() string { return "internal error: " + e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

func (d *Desk) conflictProblem(ctx context.Context, actor Actor, ce *store.ConflictError) error {
	switch ce.Constraint {
	case store.UniqueLogin:
		return api.NewProblem(api.CodeLoginTaken, "this login name is taken")
	case store.UniqueMobile:
		return api.NewProblem(api.CodeMobileTaken, "an account with this mobile number exists")
	case store.UniqueSubjectCert:
		return api.NewProblem(api.CodeSubjectTaken, "another account's approved subject holds this certificate number; one account = one subject (if the certificate is yours, contact the platform's support)")
	case store.UniqueRecordNumber:
		return api.NewProblem(api.CodeVersionConflict, "the record number was taken concurrently; retry")
	case store.UniqueOpenChange:
		return api.NewProblem(api.CodeVersionConflict, "another change request was opened at the same time; read the filing again")
	case store.UniqueIdempotency:
		return api.NewProblem(api.CodeIdempotencyConflict, "this Idempotency-Key is being used by another request")
	case store.UniqueLiveDomain, store.UniqueAccountDomain:
		return d.domainConflict(ctx, actor, ce.Domain, ce.Constraint)
	}
	return &internalError{err: ce}
}

// domainConflict explains a refused domain: yours (pointing at the site that
// has it), claimable, or taken (with only the public record number).
func (d *Desk) domainConflict(ctx context.Context, actor Actor, domain string, c store.Constraint) error {
	var holders []store.DomainHolder
	if domain != "" {
		hs, err := d.store.DomainHolders(ctx, []string{domain})
		if err == nil {
			holders = hs
		}
	}
	yours := func(h *store.DomainHolder) error {
		p := api.NewProblem(api.CodeDomainYours, YoursMessage)
		if h != nil {
			p.SiteID, p.SiteState, p.RecordNumber = h.SiteID, string(h.State), h.RecordNumber
		}
		p.Errors = []api.FieldError{{Field: "site.domains", Code: string(api.CodeDomainYours), Message: domain}}
		return p
	}
	if c == store.UniqueAccountDomain {
		// Another non-cancelled site of this account has it: point at it.
		for i, h := range holders {
			if h.AccountID == actor.AccountID && h.State != filing.StateCancelled {
				return yours(&holders[i])
			}
		}
		return yours(nil)
	}
	// live_domain: a reserving site holds it; say whose it is.
	for i, h := range holders {
		if !store.Reserving(h.State) {
			continue
		}
		switch {
		case h.AccountID != "" && h.AccountID == actor.AccountID:
			return yours(&holders[i])
		case h.State == filing.StateUnrecorded || h.State == filing.StateToClaim:
			// No site ID: an earlier filing is claimed by its domain, with
			// proof (docs/claims.md), and its ID is nobody else's business.
			return api.NewProblem(api.CodeDomainClaimable, fmt.Sprintf("an earlier filing of %s waits to be claimed", domain))
		}
		p := api.NewProblem(api.CodeDomainTaken, fmt.Sprintf("%s is filed by another subject", domain))
		p.RecordNumber = h.RecordNumber
		return p
	}
	return api.NewProblem(api.CodeDomainTaken, fmt.Sprintf("%s is filed by another subject", domain))
}

// YoursMessage is the platform's own wording when a sponsor files a domain
// it already has a filing for (FAQ item 5), followed by the English.
const YoursMessage = "您已经申请过此域名的备案，请到审核中网站或已备案网站中查看 / " +
	"You have already applied for the registration of this domain name; see your sites under review or recorded sites"

// invalid turns rule errors into a validation problem.
func invalid(errs filing.Errors) *api.Problem {
	out := make([]api.FieldError, len(errs))
	for i, e := range errs {
		out[i] = api.FieldError{Field: e.Field, Code: e.Code, Message: e.Message, Params: e.Params}
	}
	return api.Invalid(out)
}

// fieldProblem is a validation problem naming the given fields.
func fieldProblem(errs ...api.FieldError) *api.Problem { return api.Invalid(errs) }

func forbidden(detail string) *api.Problem { return api.NewProblem(api.CodeForbidden, detail) }

func unauthenticated() *api.Problem {
	return api.NewProblem(api.CodeUnauthenticated, "sign in first (Authorization: Bearer TOKEN)")
}

func notFound(what string) *api.Problem {
	return api.NewProblem(api.CodeNotFound, "no such "+what)
}

// AsProblem turns an error from the desk into the problem the client sees.
// Anything that is not already a problem is "internal": its text stays in
// the server's log, never in the answer.
func AsProblem(err error) *api.Problem {
	var p *api.Problem
	if errors.As(err, &p) {
		return p
	}
	switch {
	case errors.Is(err, store.ErrInvalidCursor):
		return invalidCursor()
	case errors.Is(err, store.ErrUnavailable):
		p := api.NewProblem(api.CodeUnavailable, "the database is unavailable; retry later")
		p.RetryAfter = 5
		return p
	case errors.Is(err, context.DeadlineExceeded):
		p := api.NewProblem(api.CodeUnavailable, "the request took too long; retry later")
		p.RetryAfter = 5
		return p
	}
	return api.NewProblem(api.CodeInternal, "an internal error occurred")
}
