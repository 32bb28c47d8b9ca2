package api

import (
	"time"

	"github.com/beian-dev/beian/internal/filing"
)

// Role of an account.
type Role string

const (
	RoleSponsor  Role = "sponsor" // files its own subject and sites (default)
	RoleReviewer Role = "reviewer"
	RoleAdmin    Role = "admin"
)

// Header names the API uses beyond the standard ones.
const (
	HeaderIdempotencyKey = "Idempotency-Key"
	HeaderRequestID      = "X-Request-Id"
)

// SMSPurpose says what an SMS verification code is for.
type SMSPurpose string

const (
	SMSRegister      SMSPurpose = "register"
	SMSResetPassword SMSPurpose = "reset_password"
)

// SMSCodeRequest asks the server to text a verification code.
// POST /v1/sms-codes → 202.
type SMSCodeRequest struct {
	Mobile  string     `json:"mobile"`
	Purpose SMSPurpose `json:"purpose"`
}

// RegisterRequest creates a sponsor account. POST /v1/accounts → 201 Account.
type RegisterRequest struct {
	Login    string `json:"login"`
	Mobile   string `json:"mobile"`
	SMSCode  string `json:"sms_code"`
	Password string `json:"password"`
	Email    string `json:"email"`
}

// Account is the public view of an account.
type Account struct {
	ID            string    `json:"id"`
	Login         string    `json:"login"`
	Mobile        string    `json:"mobile"`
	Email         string    `json:"email"`
	EmailVerified bool      `json:"email_verified"`
	Role          Role      `json:"role"`
	AreaPrefix    string    `json:"area_prefix,omitempty"` // reviewers: the jurisdiction, e.g. "4201"
	CreatedAt     time.Time `json:"created_at"`
}

// LoginRequest opens a session. POST /v1/sessions → 201 Session.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// Session carries a bearer token. Only its hash is stored on the server.
type Session struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Account   Account   `json:"account"`
}

// PasswordResetRequest sets a new password with an SMS code ("forgot
// password"). POST /v1/password-resets → 204.
type PasswordResetRequest struct {
	Mobile      string `json:"mobile"`
	SMSCode     string `json:"sms_code"`
	NewPassword string `json:"new_password"`
}

// EmailVerifyRequest confirms the account's email with the code sent to it.
// POST /v1/account/email-verification → 204.
type EmailVerifyRequest struct {
	Code string `json:"code"`
}

// SubjectRecord is the account's hosting subject with its review state.
// GET/PUT /v1/subject, POST /v1/subject/submit.
type SubjectRecord struct {
	State        filing.SubjectState `json:"state"`
	Version      int                 `json:"version"` // also sent as the ETag
	Subject      filing.Subject      `json:"subject"`
	ReturnReason string              `json:"return_reason,omitempty"`
	SubmittedAt  *time.Time          `json:"submitted_at,omitempty"`
	ApprovedAt   *time.Time          `json:"approved_at,omitempty"`
	UpdatedAt    time.Time           `json:"updated_at"`
	AccountID    string              `json:"account_id,omitempty"` // shown to reviewers
	// ChangeRequest is the open key change (state change_under_review: the
	// subject above still holds the approved values), or the one a reviewer
	// just decided, in the answer to that decision.
	ChangeRequest *ChangeRequest `json:"change_request,omitempty"`
}

// SubjectWrite is the body of PUT /v1/subject (If-Match required once it
// exists) and of POST /v1/subject/amendments. ApplyNonKeyNow is read by the
// amendment only: in a request mixing key and non-key changes it applies the
// non-key part at once and sends only the key part for review; by default
// everything goes into one change request (SPEC §3). PUT refuses it.
type SubjectWrite struct {
	Subject        filing.Subject `json:"subject"`
	ApplyNonKeyNow bool           `json:"apply_non_key_now,omitempty"`
}

// SiteRecord is one site filing as the API returns it.
type SiteRecord struct {
	ID              string         `json:"id"`
	State           filing.State   `json:"state"`
	Version         int            `json:"version"` // also sent as the ETag
	Site            filing.Site    `json:"site"`
	Domains         []DomainName   `json:"domains"` // primary first, both forms
	RecordNumber    string         `json:"record_number,omitempty"`
	OldRecordNumber string         `json:"old_record_number,omitempty"` // an earlier filing's number (imported), kept in history
	ReturnReason    string         `json:"return_reason,omitempty"`
	ChangeRequest   *ChangeRequest `json:"change_request,omitempty"` // the open change or cancel request, if any
	Late            bool           `json:"late,omitempty"`           // filed after the deadline from its launch date
	SubmittedAt     *time.Time     `json:"submitted_at,omitempty"`
	RecordedAt      *time.Time     `json:"recorded_at,omitempty"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	AccountID       string         `json:"account_id,omitempty"`
}

// DomainName is a normalised domain in both forms.
type DomainName struct {
	ASCII   string `json:"ascii"`
	Unicode string `json:"unicode"`
}

// SiteWrite is the body of POST /v1/sites (create a draft; `?dry_run=true`
// validates for submission and creates nothing) and PUT /v1/sites/{id}
// (edit a draft or a returned filing; If-Match required).
type SiteWrite struct {
	Site filing.Site `json:"site"`
}

// SiteList is a page of sites. GET /v1/sites?state=&domain=&limit=&cursor=.
type SiteList struct {
	Items      []SiteRecord `json:"items"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// AmendRequest changes a recorded site: the full new values. Non-key
// changes apply at once only when ApplyNonKeyNow is set or the request holds
// nothing key; otherwise everything goes into one change request (SPEC §3).
// POST /v1/sites/{id}/amendments (If-Match) → 200 AmendResult.
type AmendRequest struct {
	Site           filing.Site `json:"site"`
	ApplyNonKeyNow bool        `json:"apply_non_key_now,omitempty"`
}

// FieldChange is one changed field, old → new, and whether it is key.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
	Key   bool   `json:"key"`
}

// AmendResult says what was applied at once and what waits for review.
type AmendResult struct {
	Applied       []FieldChange  `json:"applied"`
	ChangeRequest *ChangeRequest `json:"change_request,omitempty"`
	Site          SiteRecord     `json:"site"`
}

// ChangeRequestKind distinguishes a key change from a cancellation.
type ChangeRequestKind string

const (
	ChangeKindChange ChangeRequestKind = "change"
	ChangeKindCancel ChangeRequestKind = "cancel"
)

// ChangeRequestState is where a change request stands.
type ChangeRequestState string

const (
	ChangeOpen     ChangeRequestState = "open"
	ChangeApproved ChangeRequestState = "approved"
	ChangeReturned ChangeRequestState = "returned"
)

// ChangeRequest is a key amendment or a cancellation waiting for review.
type ChangeRequest struct {
	ID        string             `json:"id"`
	Kind      ChangeRequestKind  `json:"kind"`
	State     ChangeRequestState `json:"state"`
	Changes   []FieldChange      `json:"changes,omitempty"`
	Reason    string             `json:"reason,omitempty"` // the sponsor's reason (cancel) or the reviewer's (returned)
	CreatedAt time.Time          `json:"created_at"`
}

// CancelRequest asks to cancel a recorded site. POST /v1/sites/{id}/cancel.
type CancelRequest struct {
	Reason string `json:"reason"`
}

// ClaimRequest turns an earlier filing into a draft of the caller's account.
// POST /v1/sites/{id}/claim (an unrecorded filing pushed to the account) or
// POST /v1/claims with Domain (a to_claim filing, by its domain). A
// to_claim filing needs proof of control of its domain (docs/claims.md):
// the account's challenge token published on the domain. The old record
// number is no proof (it is printed in the old site's own footer); it is
// still accepted, and ignored, from older clients.
type ClaimRequest struct {
	Domain          string `json:"domain,omitempty"`
	OldRecordNumber string `json:"old_record_number,omitempty"`
}

// ClaimChallenge is what an account publishes to prove it controls the
// domain of an earlier filing: Content as the body of URL (or a line of
// it). POST /v1/claim-challenges {domain}.
type ClaimChallenge struct {
	Domain    string    `json:"domain"`
	URL       string    `json:"url"`
	Content   string    `json:"content"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ClaimChallengeRequest asks for the challenge of a domain's earlier filing.
type ClaimChallengeRequest struct {
	Domain string `json:"domain"`
}

// DomainStatus is the answer of a duplicate check (SPEC §3, FAQ item 5).
type DomainStatus string

const (
	DomainAvailable DomainStatus = "available"
	DomainYours     DomainStatus = "yours"
	DomainTaken     DomainStatus = "taken"
	DomainClaimable DomainStatus = "claimable"
	DomainInvalid   DomainStatus = "invalid"
)

// MaxBatchCheck is the most domains one check request may carry.
const MaxBatchCheck = 1000

// DomainCheckRequest checks up to MaxBatchCheck domains.
// POST /v1/domain-checks → 200 DomainCheckResponse. One domain:
// GET /v1/domain-checks/{domain} → DomainCheck.
type DomainCheckRequest struct {
	Domains []string `json:"domains"`
}

// DomainCheck is the answer for one domain.
type DomainCheck struct {
	Domain       string       `json:"domain"`            // as given
	ASCII        string       `json:"ascii,omitempty"`   // normalised
	Unicode      string       `json:"unicode,omitempty"` // display form
	Status       DomainStatus `json:"status"`
	SiteID       string       `json:"site_id,omitempty"`       // yours
	SiteState    filing.State `json:"site_state,omitempty"`    // yours
	RecordNumber string       `json:"record_number,omitempty"` // taken (when recorded), yours
	Reason       string       `json:"reason,omitempty"`        // invalid: the rule's code
	Message      string       `json:"message,omitempty"`       // yours: the platform's wording
	// Warning is set for a domain that mixes scripts the way lookalike
	// domains do (Cyrillic "а" in "exаmple"): valid, but say so.
	Warning string `json:"warning,omitempty"`
}

// DomainCheckResponse holds one answer per requested domain, in order.
type DomainCheckResponse struct {
	Results []DomainCheck `json:"results"`
}

// Badge is GET /v1/sites/{id}/badge?format=&link=&icp=.
type Badge struct {
	RecordNumber string `json:"record_number"`
	Code         string `json:"code"`
	Link         string `json:"link"`
	IconURL      string `json:"icon_url"`
	HTML         string `json:"html"`
	Rendered     string `json:"rendered"` // in the requested format
	ICP          string `json:"icp,omitempty"`
}

// PublicRecord is what anyone may read about a recorded site.
// GET /v1/records/{number} (and GET /records/{number} as HTML).
// Nothing private: no identity numbers, phones or emails.
type PublicRecord struct {
	RecordNumber    string             `json:"record_number"`
	SiteName        string             `json:"site_name"`
	PrimaryDomain   string             `json:"primary_domain,omitempty"`
	Domains         []DomainName       `json:"domains"`
	HomepageURL     string             `json:"homepage_url,omitempty"`
	SubjectName     string             `json:"subject_name"`
	SubjectKind     filing.SubjectKind `json:"subject_kind"`
	Interactive     bool               `json:"interactive"`
	RecordedAt      time.Time          `json:"recorded_at"`
	ReviewingOffice string             `json:"reviewing_office"` // e.g. "湖北省武汉市洪山区公安局"
	State           filing.State       `json:"state"`
}

// Notification is a system message to an account (returns, approvals).
type Notification struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"` // site_approved, site_returned, subject_approved, ...
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	SiteID    string     `json:"site_id,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// NotificationList is GET /v1/notifications?unread=&limit=&cursor=.
type NotificationList struct {
	Items      []Notification `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// AuditEvent is one entry of the audit trail: who changed what, old → new.
type AuditEvent struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	ActorID   string    `json:"actor_id"`
	ActorRole Role      `json:"actor_role"`
	Entity    string    `json:"entity"` // "subject" or "site"
	EntityID  string    `json:"entity_id"`
	Action    string    `json:"action"` // submit, approve, return, amend, ...
	Field     string    `json:"field,omitempty"`
	Old       string    `json:"old,omitempty"`
	New       string    `json:"new,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// AuditList is GET /v1/sites/{id}/history and GET /v1/admin/audit.
type AuditList struct {
	Items      []AuditEvent `json:"items"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// ReviewKind is what a queue item asks the reviewer to decide.
type ReviewKind string

const (
	ReviewSubject ReviewKind = "subject"
	ReviewSite    ReviewKind = "site"
	ReviewChange  ReviewKind = "change"
	ReviewCancel  ReviewKind = "cancel"
)

// ReviewItem is one entry of a reviewer's queue, scoped to the reviewer's
// area prefix by the subject's office address.
type ReviewItem struct {
	Kind        ReviewKind     `json:"kind"`
	ID          string         `json:"id"` // account ID for subjects, site ID otherwise
	AreaCode    string         `json:"area_code"`
	SubjectName string         `json:"subject_name"`
	SiteName    string         `json:"site_name,omitempty"`
	Domain      string         `json:"domain,omitempty"`
	SubmittedAt time.Time      `json:"submitted_at"`
	Subject     *SubjectRecord `json:"subject,omitempty"`
	Site        *SiteRecord    `json:"site,omitempty"`
	// Competing lists the other accounts' subjects with the same
	// certificate number (a subject item): drafts reserve nothing, so the
	// reviewer decides between them, and only one can be approved.
	Competing []CompetingSubject `json:"competing,omitempty"`
}

// CompetingSubject is another account's subject claiming the same
// certificate number.
type CompetingSubject struct {
	AccountID   string              `json:"account_id"`
	Name        string              `json:"name"`
	State       filing.SubjectState `json:"state"`
	SubmittedAt *time.Time          `json:"submitted_at,omitempty"`
}

// ReviewQueue is GET /v1/review/queue?kind=&limit=&cursor=.
type ReviewQueue struct {
	Items      []ReviewItem `json:"items"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// ReturnRequest returns a filing or change with the reviewer's reason.
// POST /v1/review/subjects/{account_id}/return, /v1/review/sites/{id}/return.
type ReturnRequest struct {
	Reason string `json:"reason"`
}

// UserCreateRequest is the admin's POST /v1/admin/users.
type UserCreateRequest struct {
	Login      string `json:"login"`
	Mobile     string `json:"mobile"`
	Email      string `json:"email"`
	Password   string `json:"password"`
	Role       Role   `json:"role"`
	AreaPrefix string `json:"area_prefix,omitempty"`
}

// ImportResult is the answer of POST /v1/admin/imports (text/csv body:
// domain, old record number, subject certificate number, site name).
type ImportResult struct {
	Unrecorded int               `json:"unrecorded"`
	ToClaim    int               `json:"to_claim"`
	Skipped    int               `json:"skipped"`
	Errors     []ImportLineError `json:"errors,omitempty"`
}

// ImportLineError names a CSV line that was not imported and why.
type ImportLineError struct {
	Line   int    `json:"line"`
	Code   string `json:"code"`
	Detail string `json:"detail,omitempty"`
}

// OutboxMessage is an SMS or email the sandbox's log sender kept.
// GET /v1/sandbox/outbox (sandbox only).
type OutboxMessage struct {
	ID      string    `json:"id"`
	Channel string    `json:"channel"` // sms or email
	To      string    `json:"to"`
	Body    string    `json:"body"`
	Code    string    `json:"code,omitempty"` // the verification code, when the message carries one
	SentAt  time.Time `json:"sent_at"`
}

// OutboxList is the sandbox outbox.
type OutboxList struct {
	Items []OutboxMessage `json:"items"`
}

// Meta is GET /v1/meta: what a client needs to know about the server before
// it files anything — whom to ask for help (FAQ items 12 and 13: a lost
// account name, a blacklisted number), and whether it is a sandbox whose
// filings reach no authority (and whose leniencies, such as .test domains,
// the client's own checks then share).
type Meta struct {
	APIVersion   string `json:"api_version"`
	Sandbox      bool   `json:"sandbox"`
	SupportEmail string `json:"support_email,omitempty"`
}
