// Package store is the filing desk's memory: one Store interface, the
// records it keeps, and the domain errors every implementation returns.
// internal/store/sqlstore implements it on SQLite and PostgreSQL with the
// same SQL; internal/store/storetest is the conformance suite both pass.
//
// Invariants live in the schema, never in check-then-insert: a live domain
// belongs to one site, a certificate number to one approved subject, a record number
// to one site, and record-number sequences advance inside the approving
// transaction.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/beian-dev/beian/internal/filing"
)

// ErrNotFound: no such record.
var ErrNotFound = errors.New("store: not found")

// ErrVersionConflict: the record changed since the caller read it.
var ErrVersionConflict = errors.New("store: version conflict")

// ErrUnavailable: the database cannot be reached (mapped to 503).
var ErrUnavailable = errors.New("store: database unavailable")

// ErrInvalidCursor: a page cursor that this store did not hand out (or one
// from another list). The caller should answer validation_failed.
var ErrInvalidCursor = errors.New("store: invalid cursor")

// Constraint names a uniqueness rule of the schema.
type Constraint string

const (
	UniqueLogin         Constraint = "login"          // accounts.login
	UniqueMobile        Constraint = "mobile"         // accounts.mobile
	UniqueSubjectCert   Constraint = "subject_cert"   // one subject per certificate number
	UniqueLiveDomain    Constraint = "live_domain"    // a reserved domain belongs to one site
	UniqueAccountDomain Constraint = "account_domain" // within one account, one non-cancelled site per domain
	UniqueRecordNumber  Constraint = "record_number"
	UniqueIdempotency   Constraint = "idempotency_key"
	UniqueOpenChange    Constraint = "open_change_request" // one open change request per site, and one per subject
)

// ConflictError is a uniqueness violation, mapped from the driver's error.
type ConflictError struct {
	Constraint Constraint
	Domain     string // for the domain constraints, when known
}

func (e *ConflictError) Error() string { return "store: conflict on " + string(e.Constraint) }

// IsConflict reports whether err is a ConflictError on c.
func IsConflict(err error, c Constraint) bool {
	var ce *ConflictError
	return errors.As(err, &ce) && ce.Constraint == c
}

// Account is a login: sponsor, reviewer or admin.
type Account struct {
	ID            string
	Login         string
	Mobile        string
	Email         string
	EmailVerified bool
	PasswordHash  string // argon2id, PHC string format
	Role          string // sponsor, reviewer, admin
	AreaPrefix    string // reviewers: jurisdiction prefix, "" = everywhere (admins)
	CreatedAt     time.Time
}

// Token is a bearer token; only its SHA-256 hash is stored.
type Token struct {
	Hash      string
	AccountID string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// VerificationCode is an SMS or email code waiting to be used.
type VerificationCode struct {
	Channel   string // sms, email
	To        string
	Purpose   string // register, reset_password, email
	CodeHash  string
	Attempts  int
	ExpiresAt time.Time
}

// Subject is an account's hosting subject.
type Subject struct {
	AccountID    string
	State        filing.SubjectState
	Version      int // starts at 1, +1 on every write
	Data         filing.Subject
	CertNumber   string // normalised certificate number, unique among subjects
	AreaCode     string // office address area code: the review jurisdiction
	ReturnReason string
	SubmittedAt  *time.Time
	ApprovedAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Site is one site filing.
type Site struct {
	ID              string
	AccountID       string // "" for imported filings not yet pushed to an account
	State           filing.State
	Version         int
	Data            filing.Site
	Domains         []string // normalised A-labels, primary first; kept in the domains table
	AreaCode        string   // the subject's office area at submission: review jurisdiction and record-number prefix
	RecordNumber    string   // canonical, once recorded
	OldRecordNumber string   // imported earlier filing's number
	ImportCert      string   // imported: the subject certificate number from the CSV
	ReturnReason    string
	Late            bool
	SubmittedAt     *time.Time
	RecordedAt      *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Reserving reports whether a site in state s holds its domains against
// every other account (SPEC §3: submission reserves, drafts do not).
// Earlier filings (unrecorded, to_claim) hold theirs until claimed.
func Reserving(s filing.State) bool {
	switch s {
	case filing.StateUnderReview, filing.StateRecorded, filing.StateChangeUnderReview,
		filing.StateCancelUnderReview, filing.StateUnrecorded, filing.StateToClaim:
		return true
	}
	return false
}

// DomainHolder is a site holding a domain, for the duplicate check.
type DomainHolder struct {
	Domain       string
	SiteID       string
	AccountID    string
	State        filing.State
	RecordNumber string
}

// SiteFilter selects sites for ListSites. Empty fields do not filter.
type SiteFilter struct {
	AccountID  string
	States     []filing.State
	Domain     string // normalised
	AreaPrefix string
	Limit      int    // default 50, max 500
	Cursor     string // opaque, from the previous page
}

// ChangeRequest is a key amendment or a cancellation under review: of a
// site (SiteID set, Proposed holds the new site) or of an account's hosting
// subject (SiteID "", AccountID set, ProposedSubject holds the new subject;
// subjects are never cancelled, so Kind is always change).
type ChangeRequest struct {
	ID              string
	SiteID          string // "" for a subject change
	AccountID       string // the subject's account, for a subject change; "" for a site's
	Kind            string // change, cancel
	State           string // open, approved, returned
	Proposed        filing.Site
	ProposedSubject *filing.Subject // the subject's full new values; nil for a site's request
	Changes         []byte          // JSON []api.FieldChange
	Reason          string
	CreatedAt       time.Time
	DecidedAt       *time.Time
}

// Notification is a system message to an account.
type Notification struct {
	ID        string
	AccountID string
	Kind      string
	Title     string
	Body      string
	SiteID    string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// AuditEvent is one entry of the audit trail.
type AuditEvent struct {
	ID        string
	At        time.Time
	ActorID   string
	ActorRole string
	Entity    string // subject, site, account
	EntityID  string
	Action    string
	Field     string
	Old       string
	New       string
	Detail    string
}

// SiteCount is how many filings are in State in Province ("42"; "" for
// earlier filings not pushed to any account yet).
type SiteCount struct {
	State    string
	Province string
	N        int
}

// Webhook is an account's subscription to events (issue 14).
type Webhook struct {
	ID        string
	AccountID string
	URL       string
	Secret    string   // signs every delivery (HMAC-SHA256)
	Events    []string // event types, or "*" for all
	CreatedAt time.Time
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // retried until it gave up
)

// Delivery is one event to send to one webhook: the outbox row, written in
// the transaction of the change it reports.
type Delivery struct {
	Seq         int64 // the outbox's order
	ID          string
	WebhookID   string
	AccountID   string
	Event       string
	Payload     []byte // the JSON body, as sent
	State       string
	Attempts    int
	NextAt      time.Time
	LeaseUntil  *time.Time // a worker is sending it until then
	LastStatus  int
	LastError   string
	CreatedAt   time.Time
	DeliveredAt *time.Time
}

// OutboxMessage is an SMS or email kept by the log sender.
type OutboxMessage struct {
	ID      string
	Channel string
	To      string
	Body    string
	Code    string
	SentAt  time.Time
}

// Idempotency is the stored first answer to a keyed POST.
type Idempotency struct {
	AccountID   string // "" for anonymous requests
	Key         string
	RequestHash string // method + path + body hash: the same key with another request is a conflict
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// ReviewItem is one entry in a reviewer's queue.
type ReviewItem struct {
	Kind        string // subject, site, change, cancel
	ID          string // account ID (subject) or site ID
	AreaCode    string
	SubmittedAt time.Time
}

// Attachment is an uploaded file, owned by the account that uploaded it.
type Attachment struct {
	ID          string // opaque, server-issued
	AccountID   string
	SHA256      string // hex; the bytes' file is named by it
	ContentType string // sniffed from the bytes
	Size        int64  // counted from the bytes
	Name        string // the uploader's file name, for display
	CreatedAt   time.Time
}

// ClaimChallenge is the token an account publishes on a domain to prove it
// controls an earlier filing's site (docs/claims.md).
type ClaimChallenge struct {
	SiteID    string
	AccountID string
	Token     string
	ExpiresAt time.Time
}

// Page asks for one page of a list.
type Page struct {
	Limit  int
	Cursor string
}

// Store is everything the desk keeps. Methods return ErrNotFound,
// ErrVersionConflict, *ConflictError or ErrUnavailable for the cases they
// name; any other error is a bug or an outage.
//
// Times come back in UTC, truncated to the microsecond (what both databases
// keep). Lists are paged with an opaque cursor: the next page's cursor is ""
// on the last page; a page limit <= 0 means 50 and is capped at 500.
//
// A method that fails changes nothing. Inside InTx on PostgreSQL an error
// also aborts the transaction: return it from fn rather than carrying on.
type Store interface {
	// InTx runs fn in one transaction: everything fn does through the
	// Store it is given commits together or not at all. Calls of InTx
	// inside fn join the same transaction. A transaction the database
	// aborts as a deadlock victim is run again (a few times at most), so fn
	// must not have effects outside the Store.
	InTx(ctx context.Context, fn func(tx Store) error) error
	Ping(ctx context.Context) error
	Close() error

	CreateAccount(ctx context.Context, a *Account) error // sets ID, CreatedAt; conflicts: login, mobile
	AccountByID(ctx context.Context, id string) (Account, error)
	AccountByLogin(ctx context.Context, login string) (Account, error)
	AccountByMobile(ctx context.Context, mobile string) (Account, error)
	UpdateAccount(ctx context.Context, a *Account) error

	CreateToken(ctx context.Context, t Token) error
	TokenByHash(ctx context.Context, hash string) (Token, error) // expired tokens too: the caller checks ExpiresAt
	// Session is a token with its account, in one query: what every
	// authenticated request reads. Expired tokens too; ErrNotFound when the
	// token or its account is gone.
	Session(ctx context.Context, tokenHash string) (Token, Account, error)
	DeleteToken(ctx context.Context, hash string) error // ErrNotFound when there was none

	// DeleteAccountTokens revokes every session of an account (a password
	// reset, "sign out everywhere") and says how many there were.
	DeleteAccountTokens(ctx context.Context, accountID string) (int64, error)

	PutVerificationCode(ctx context.Context, c VerificationCode) error // replaces the code for (channel, to, purpose)
	VerificationCode(ctx context.Context, channel, to, purpose string) (VerificationCode, error)
	UpdateVerificationAttempts(ctx context.Context, channel, to, purpose string, attempts int) error
	DeleteVerificationCode(ctx context.Context, channel, to, purpose string) error

	// PutSubject inserts when expectVersion is 0, else updates only if the
	// stored version equals expectVersion; sets Version and timestamps.
	PutSubject(ctx context.Context, s *Subject, expectVersion int) error // conflicts: subject_cert
	Subject(ctx context.Context, accountID string) (Subject, error)
	// SubjectByCert finds the approved subject with a normalised
	// certificate number (the CSV import pushes earlier filings to it,
	// SPEC §5). Only an approved subject holds its number (conflict
	// subject_cert): drafts and subjects under review may share one.
	SubjectByCert(ctx context.Context, cert string) (Subject, error)
	// SubjectsByCert lists every subject with the number, in any state
	// (the reviewer sees competing claims).
	SubjectsByCert(ctx context.Context, cert string) ([]Subject, error)

	// CreateSite and UpdateSite keep the domain rows in step with the site:
	// reserving states hold the domains platform-wide (live_domain), every
	// non-cancelled site holds them within its account (account_domain).
	CreateSite(ctx context.Context, s *Site) error // sets ID, Version 1, timestamps
	Site(ctx context.Context, id string) (Site, error)
	SiteByRecordNumber(ctx context.Context, number string) (Site, error)
	UpdateSite(ctx context.Context, s *Site, expectVersion int) error
	DeleteSite(ctx context.Context, id string, expectVersion int) error
	// ListSites lists sites in creation order (oldest first).
	ListSites(ctx context.Context, f SiteFilter) (sites []Site, next string, err error)
	// DomainHolders returns, for each given normalised domain, every
	// non-cancelled site holding it, ordered by domain, then site ID;
	// domains nobody holds are absent.
	DomainHolders(ctx context.Context, domains []string) ([]DomainHolder, error)
	// SitesByImportCert lists imported sites carrying a certificate number.
	SitesByImportCert(ctx context.Context, cert string) ([]Site, error)
	// NextSequence allocates the next record-number sequence of an area:
	// 1, 2, 3, … without gaps or repeats, also across processes sharing one
	// database. Call it inside the approving transaction.
	NextSequence(ctx context.Context, areaCode string) (int, error)

	// CreateChangeRequest keeps a site's request (SiteID set) or a
	// subject's (SiteID "", AccountID and ProposedSubject set); one open
	// request per site and one per subject.
	CreateChangeRequest(ctx context.Context, c *ChangeRequest) error // sets ID, CreatedAt, State "open" if empty; conflict: open_change_request
	OpenChangeRequest(ctx context.Context, siteID string) (ChangeRequest, error)
	// OpenSubjectChangeRequest is the open key change of an account's
	// subject; ErrNotFound when there is none.
	OpenSubjectChangeRequest(ctx context.Context, accountID string) (ChangeRequest, error)
	// UpdateChangeRequest writes State, Proposed (ProposedSubject for a
	// subject's request), Changes, Reason and DecidedAt.
	UpdateChangeRequest(ctx context.Context, c *ChangeRequest) error

	CreateAttachment(ctx context.Context, a *Attachment) error // sets ID and CreatedAt
	Attachment(ctx context.Context, id string) (Attachment, error)
	AttachmentBytes(ctx context.Context, accountID string) (int64, error) // the account's uploads together

	PutClaimChallenge(ctx context.Context, c ClaimChallenge) error // replaces the one of (site, account)
	ClaimChallenge(ctx context.Context, siteID, accountID string) (ClaimChallenge, error)

	AddNotification(ctx context.Context, n *Notification) error
	Notifications(ctx context.Context, accountID string, unreadOnly bool, p Page) ([]Notification, string, error) // newest first
	// MarkNotificationRead keeps the first read time; ErrNotFound when the
	// notification is not the account's.
	MarkNotificationRead(ctx context.Context, accountID, id string, at time.Time) error

	// Webhooks (issue 14).
	AddWebhook(ctx context.Context, w *Webhook) error
	Webhooks(ctx context.Context, accountID string) ([]Webhook, error) // oldest first
	Webhook(ctx context.Context, id string) (Webhook, error)
	// SiteWebhooks are the webhooks of the account owning site siteID.
	SiteWebhooks(ctx context.Context, siteID string) ([]Webhook, error)
	// DeleteWebhook removes the account's webhook and its deliveries not
	// yet sent; ErrNotFound when the account has no such webhook.
	DeleteWebhook(ctx context.Context, accountID, id string) error
	AddDeliveries(ctx context.Context, ds ...Delivery) error
	Deliveries(ctx context.Context, webhookID string, p Page) ([]Delivery, string, error) // newest first
	// DueDeliveries are, for each webhook, its oldest pending delivery when
	// that is due at now and not leased: one webhook's deliveries go in
	// order, one at a time.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// LeaseDelivery takes a due delivery for a worker until until; false
	// when another worker has it.
	LeaseDelivery(ctx context.Context, id string, now, until time.Time) (bool, error)
	// FinishDelivery records an attempt: its state, attempts, next time,
	// last status and error, delivery time; the lease ends. It does
	// nothing unless the delivery still holds d.LeaseUntil: a worker whose
	// lease ran out (and was taken by another) cannot overwrite the other's
	// result.
	FinishDelivery(ctx context.Context, d Delivery) error
	AddAudit(ctx context.Context, events ...AuditEvent) error
	Audit(ctx context.Context, entityID string, p Page) ([]AuditEvent, string, error) // entityID "" = all; oldest first

	AddOutbox(ctx context.Context, m *OutboxMessage) error
	Outbox(ctx context.Context, to string) ([]OutboxMessage, error) // to "" = all, newest last

	Idempotency(ctx context.Context, accountID, key string) (Idempotency, error)
	PutIdempotency(ctx context.Context, r Idempotency) error // conflict: idempotency_key

	// ReviewQueue lists subjects and sites waiting for review whose area
	// code starts with areaPrefix, oldest first; kind "" = all kinds.
	ReviewQueue(ctx context.Context, areaPrefix, kind string, p Page) ([]ReviewItem, string, error)
	QueueLength(ctx context.Context) (int, error)
	// SiteCounts counts the filings by state and province (the first two
	// digits of the reviewing area), for the metrics.
	SiteCounts(ctx context.Context) ([]SiteCount, error)

	// Security limits (docs/security.md): events counted per key in a
	// sliding window, shared by every process on the database.
	//
	// HitLimit records one event under key at at and returns how many of
	// key's events (this one included) are at or after since. Of a
	// concurrent burst, no more than n callers see a count ≤ n.
	HitLimit(ctx context.Context, key string, at, since time.Time) (int, error)
	// LimitEvents counts key's events at or after since, without adding
	// one, and returns the newest event's time (zero when none).
	LimitEvents(ctx context.Context, key string, since time.Time) (int, time.Time, error)
	// ClearLimit forgets key's events.
	ClearLimit(ctx context.Context, key string) error

	// Sweep deletes what has outlived its use and returns how many rows
	// went; a zero cut-off leaves that table alone.
	Sweep(ctx context.Context, b SweepBefore) (int64, error)
}

// SweepBefore holds Sweep's cut-offs.
type SweepBefore struct {
	LimitEvents time.Time // limit events older than this
	Expired     time.Time // tokens and verification codes that expired before this
	Idempotency time.Time // stored answers to keyed requests made before this
	Outbox      time.Time // outbox messages sent before this
}
