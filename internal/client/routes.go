package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
)

// The methods below follow internal/api/routes.go line by line.

// RequestSMSCode asks the server to text a verification code.
// POST /v1/sms-codes.
func (c *Client) RequestSMSCode(ctx context.Context, req api.SMSCodeRequest) error {
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sms-codes", body: req})
	return err
}

// Register creates a sponsor account. POST /v1/accounts (Idempotency-Key).
func (c *Client) Register(ctx context.Context, req api.RegisterRequest, opts ...CallOption) (*api.Account, error) {
	var out api.Account
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/accounts", body: req, result: &out, keyed: true, opts: opts})
	return &out, err
}

// Login opens a session. POST /v1/sessions. Not retried: a login is
// rate-limited and carries no key.
func (c *Client) Login(ctx context.Context, req api.LoginRequest) (*api.Session, error) {
	var out api.Session
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sessions", body: req, result: &out})
	return &out, err
}

// Logout ends the current session. DELETE /v1/sessions/current.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: "/v1/sessions/current"})
	return err
}

// DownloadAttachment reads one attachment of a site under review (its
// reviewer and admins). GET /v1/review/sites/{id}/attachments/{attachment_id}.
func (c *Client) DownloadAttachment(ctx context.Context, siteID, attachmentID string) ([]byte, error) {
	var out []byte
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/review/sites/" + url.PathEscape(siteID) + "/attachments/" + url.PathEscape(attachmentID), result: &out})
	return out, err
}

// LogoutAll ends every session of the account. DELETE /v1/sessions.
func (c *Client) LogoutAll(ctx context.Context) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: "/v1/sessions"})
	return err
}

// ResetPassword sets a new password with an SMS code. POST /v1/password-resets.
func (c *Client) ResetPassword(ctx context.Context, req api.PasswordResetRequest) error {
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/password-resets", body: req})
	return err
}

// Account is the signed-in account. GET /v1/account.
func (c *Client) Account(ctx context.Context) (*api.Account, error) {
	var out api.Account
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/account", result: &out})
	return &out, err
}

// RequestEmailCode sends a verification code to the account's email.
// POST /v1/account/email-code.
func (c *Client) RequestEmailCode(ctx context.Context) error {
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/account/email-code"})
	return err
}

// VerifyEmail confirms the email. POST /v1/account/email-verification.
func (c *Client) VerifyEmail(ctx context.Context, req api.EmailVerifyRequest) error {
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/account/email-verification", body: req})
	return err
}

// Subject is the account's hosting subject. GET /v1/subject.
func (c *Client) Subject(ctx context.Context) (*api.SubjectRecord, error) {
	var out api.SubjectRecord
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/subject", result: &out})
	return &out, err
}

// PutSubject creates or edits the subject. PUT /v1/subject; version is the
// one read (If-Match), 0 when the subject does not exist yet.
func (c *Client) PutSubject(ctx context.Context, req api.SubjectWrite, version int) (*api.SubjectRecord, error) {
	var out api.SubjectRecord
	_, err := c.do(ctx, call{method: http.MethodPut, path: "/v1/subject", body: req, result: &out, ifMatch: version})
	return &out, err
}

// SubmitSubject sends the subject for review. POST /v1/subject/submit (Idempotency-Key).
func (c *Client) SubmitSubject(ctx context.Context, opts ...CallOption) (*api.SubjectRecord, error) {
	var out api.SubjectRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/subject/submit", result: &out, keyed: true, opts: opts})
	return &out, err
}

// AmendSubject changes an approved subject. POST /v1/subject/amendments
// (If-Match: the version read).
func (c *Client) AmendSubject(ctx context.Context, req api.SubjectWrite, version int) (*api.SubjectRecord, error) {
	var out api.SubjectRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/subject/amendments", body: req, result: &out, ifMatch: version})
	return &out, err
}

// SiteQuery filters GET /v1/sites.
type SiteQuery struct {
	State  filing.State
	Domain string
	Limit  int
	Cursor string
}

// Sites lists one page of the account's sites. GET /v1/sites.
func (c *Client) Sites(ctx context.Context, q SiteQuery) (*api.SiteList, error) {
	v := url.Values{}
	if q.State != "" {
		v.Set("state", string(q.State))
	}
	if q.Domain != "" {
		v.Set("domain", q.Domain)
	}
	pageQuery(v, q.Limit, q.Cursor)
	var out api.SiteList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/sites", query: v, result: &out})
	return &out, err
}

// AllSites follows the cursor through every page.
func (c *Client) AllSites(ctx context.Context, q SiteQuery) ([]api.SiteRecord, error) {
	return allPages(q.Cursor, func(cursor string) ([]api.SiteRecord, string, error) {
		q.Cursor = cursor
		page, err := c.Sites(ctx, q)
		return page.Items, page.NextCursor, err
	})
}

// CreateSite creates a draft, or with dryRun validates it for submission
// and creates nothing. POST /v1/sites[?dry_run=true] (Idempotency-Key).
func (c *Client) CreateSite(ctx context.Context, req api.SiteWrite, dryRun bool, opts ...CallOption) (*api.SiteRecord, error) {
	var q url.Values
	if dryRun {
		q = url.Values{"dry_run": {"true"}}
	}
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sites", query: q, body: req, result: &out, keyed: true, opts: opts})
	return &out, err
}

// Site reads one site. GET /v1/sites/{id}.
func (c *Client) Site(ctx context.Context, id string) (*api.SiteRecord, error) {
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/sites/" + url.PathEscape(id), result: &out})
	return &out, err
}

// UpdateSite edits a draft or returned filing. PUT /v1/sites/{id} (If-Match).
func (c *Client) UpdateSite(ctx context.Context, id string, version int, req api.SiteWrite) (*api.SiteRecord, error) {
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodPut, path: "/v1/sites/" + url.PathEscape(id), body: req, result: &out, ifMatch: version})
	return &out, err
}

// DeleteSite deletes a draft. DELETE /v1/sites/{id} (If-Match: the version read).
func (c *Client) DeleteSite(ctx context.Context, id string, version int) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: "/v1/sites/" + url.PathEscape(id), ifMatch: version})
	return err
}

// SubmitSite sends a draft for review. POST /v1/sites/{id}/submit (Idempotency-Key).
func (c *Client) SubmitSite(ctx context.Context, id string, opts ...CallOption) (*api.SiteRecord, error) {
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sites/" + url.PathEscape(id) + "/submit", result: &out, keyed: true, opts: opts})
	return &out, err
}

// AmendSite changes a recorded site. POST /v1/sites/{id}/amendments
// (If-Match, Idempotency-Key).
func (c *Client) AmendSite(ctx context.Context, id string, version int, req api.AmendRequest, opts ...CallOption) (*api.AmendResult, error) {
	var out api.AmendResult
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sites/" + url.PathEscape(id) + "/amendments", body: req, result: &out, keyed: true, ifMatch: version, opts: opts})
	return &out, err
}

// CancelSite asks to cancel a recorded site. POST /v1/sites/{id}/cancel (Idempotency-Key).
func (c *Client) CancelSite(ctx context.Context, id string, req api.CancelRequest, opts ...CallOption) (*api.SiteRecord, error) {
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sites/" + url.PathEscape(id) + "/cancel", body: req, result: &out, keyed: true, opts: opts})
	return &out, err
}

// ClaimSite turns an earlier filing into a draft. POST /v1/sites/{id}/claim (Idempotency-Key).
func (c *Client) ClaimSite(ctx context.Context, id string, req api.ClaimRequest, opts ...CallOption) (*api.SiteRecord, error) {
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sites/" + url.PathEscape(id) + "/claim", body: req, result: &out, keyed: true, opts: opts})
	return &out, err
}

// ClaimChallenge asks for what to publish on a domain to claim its earlier
// filing. POST /v1/claim-challenges.
func (c *Client) ClaimChallenge(ctx context.Context, domain string) (*api.ClaimChallenge, error) {
	var out api.ClaimChallenge
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/claim-challenges", body: api.ClaimChallengeRequest{Domain: domain}, result: &out, keyed: true})
	return &out, err
}

// ClaimByDomain claims the earlier filing of a domain once its challenge is
// published. POST /v1/claims (Idempotency-Key).
func (c *Client) ClaimByDomain(ctx context.Context, domain string, opts ...CallOption) (*api.SiteRecord, error) {
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/claims", body: api.ClaimRequest{Domain: domain}, result: &out, keyed: true, opts: opts})
	return &out, err
}

// BadgeQuery selects the badge's format, link template and ICP line.
type BadgeQuery struct {
	Format string // html, html-legacy, markdown, text, json
	Link   string // server, current, legacy
	ICP    bool
}

// SiteBadge renders a recorded site's badge. GET /v1/sites/{id}/badge.
func (c *Client) SiteBadge(ctx context.Context, id string, q BadgeQuery) (*api.Badge, error) {
	v := url.Values{}
	if q.Format != "" {
		v.Set("format", q.Format)
	}
	if q.Link != "" {
		v.Set("link", q.Link)
	}
	if q.ICP {
		v.Set("icp", "true")
	}
	var out api.Badge
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/sites/" + url.PathEscape(id) + "/badge", query: v, result: &out})
	return &out, err
}

// SiteHistory is a site's audit trail. GET /v1/sites/{id}/history.
func (c *Client) SiteHistory(ctx context.Context, id string) (*api.AuditList, error) {
	var out api.AuditList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/sites/" + url.PathEscape(id) + "/history", result: &out})
	return &out, err
}

// CheckDomain checks one domain. GET /v1/domain-checks/{domain}.
func (c *Client) CheckDomain(ctx context.Context, domain string) (*api.DomainCheck, error) {
	var out api.DomainCheck
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/domain-checks/" + url.PathEscape(domain), result: &out})
	return &out, err
}

// CheckDomains checks up to api.MaxBatchCheck domains. POST /v1/domain-checks.
// It changes nothing on the server, so it is retried like a read.
func (c *Client) CheckDomains(ctx context.Context, domains []string) (*api.DomainCheckResponse, error) {
	var out api.DomainCheckResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/domain-checks", body: api.DomainCheckRequest{Domains: domains}, result: &out, keyed: true})
	return &out, err
}

// UploadAttachment uploads a PDF, PNG or JPEG; name is the file name kept
// for display ("" for none). POST /v1/attachments.
func (c *Client) UploadAttachment(ctx context.Context, content []byte, contentType, name string) (*filing.Attachment, error) {
	if contentType == "" {
		contentType = http.DetectContentType(content)
	}
	var q url.Values
	if name != "" {
		q = url.Values{"name": {name}}
	}
	var out filing.Attachment
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/attachments", query: q, raw: content, ctype: contentType, result: &out, keyed: true})
	return &out, err
}

// NotificationQuery filters GET /v1/notifications.
type NotificationQuery struct {
	Unread bool
	Limit  int
	Cursor string
}

// Notifications lists one page of notifications. GET /v1/notifications.
func (c *Client) Notifications(ctx context.Context, q NotificationQuery) (*api.NotificationList, error) {
	v := url.Values{}
	if q.Unread {
		v.Set("unread", "true")
	}
	pageQuery(v, q.Limit, q.Cursor)
	var out api.NotificationList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/notifications", query: v, result: &out})
	return &out, err
}

// AllNotifications follows the cursor through every page.
func (c *Client) AllNotifications(ctx context.Context, q NotificationQuery) ([]api.Notification, error) {
	return allPages(q.Cursor, func(cursor string) ([]api.Notification, string, error) {
		q.Cursor = cursor
		page, err := c.Notifications(ctx, q)
		return page.Items, page.NextCursor, err
	})
}

// allPages walks a cursor-paginated list from cursor: fetch returns a
// page's items and the next cursor, and the walk ends at an empty cursor
// or an empty page. On an error it returns what it had with the error.
func allPages[T any](cursor string, fetch func(cursor string) ([]T, string, error)) ([]T, error) {
	var all []T
	for {
		items, next, err := fetch(cursor)
		if err != nil {
			return all, err
		}
		all = append(all, items...)
		if next == "" || len(items) == 0 {
			return all, nil
		}
		cursor = next
	}
}

// pageQuery adds the limit and cursor of a list request.
func pageQuery(v url.Values, limit int, cursor string) {
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
}

// ReadNotification marks a notification read. POST /v1/notifications/{id}/read.
func (c *Client) ReadNotification(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/notifications/" + url.PathEscape(id) + "/read"})
	return err
}

// PublicRecord reads a public record. GET /v1/records/{number}.
func (c *Client) PublicRecord(ctx context.Context, number string) (*api.PublicRecord, error) {
	var out api.PublicRecord
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/records/" + url.PathEscape(number), result: &out})
	return &out, err
}

// ReviewQueue lists what a reviewer may decide. GET /v1/review/queue.
func (c *Client) ReviewQueue(ctx context.Context, kind api.ReviewKind, limit int, cursor string) (*api.ReviewQueue, error) {
	v := url.Values{}
	if kind != "" {
		v.Set("kind", string(kind))
	}
	pageQuery(v, limit, cursor)
	var out api.ReviewQueue
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/review/queue", query: v, result: &out})
	return &out, err
}

// ApproveSubject approves a subject. POST /v1/review/subjects/{account_id}/approve.
func (c *Client) ApproveSubject(ctx context.Context, accountID string) (*api.SubjectRecord, error) {
	var out api.SubjectRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/review/subjects/" + url.PathEscape(accountID) + "/approve", result: &out})
	return &out, err
}

// ReturnSubject returns a subject with a reason. POST /v1/review/subjects/{account_id}/return.
func (c *Client) ReturnSubject(ctx context.Context, accountID, reason string) (*api.SubjectRecord, error) {
	var out api.SubjectRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/review/subjects/" + url.PathEscape(accountID) + "/return", body: api.ReturnRequest{Reason: reason}, result: &out})
	return &out, err
}

// ApproveSite approves a site, change or cancellation. POST /v1/review/sites/{id}/approve.
func (c *Client) ApproveSite(ctx context.Context, id string) (*api.SiteRecord, error) {
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/review/sites/" + url.PathEscape(id) + "/approve", result: &out})
	return &out, err
}

// ReturnSite returns a site or change with a reason. POST /v1/review/sites/{id}/return.
func (c *Client) ReturnSite(ctx context.Context, id, reason string) (*api.SiteRecord, error) {
	var out api.SiteRecord
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/review/sites/" + url.PathEscape(id) + "/return", body: api.ReturnRequest{Reason: reason}, result: &out})
	return &out, err
}

// CreateUser adds a reviewer or admin. POST /v1/admin/users.
func (c *Client) CreateUser(ctx context.Context, req api.UserCreateRequest) (*api.Account, error) {
	var out api.Account
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/admin/users", body: req, result: &out})
	return &out, err
}

// Import imports earlier filings from CSV. POST /v1/admin/imports.
func (c *Client) Import(ctx context.Context, csv []byte) (*api.ImportResult, error) {
	var out api.ImportResult
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/admin/imports", raw: csv, ctype: "text/csv", result: &out})
	return &out, err
}

// Audit reads the audit trail. GET /v1/admin/audit.
func (c *Client) Audit(ctx context.Context, entityID string, limit int, cursor string) (*api.AuditList, error) {
	v := url.Values{}
	if entityID != "" {
		v.Set("entity_id", entityID)
	}
	pageQuery(v, limit, cursor)
	var out api.AuditList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/admin/audit", query: v, result: &out})
	return &out, err
}

// SandboxOutbox lists the SMS and email the sandbox kept. GET /v1/sandbox/outbox.
func (c *Client) SandboxOutbox(ctx context.Context) (*api.OutboxList, error) {
	var out api.OutboxList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/sandbox/outbox", result: &out})
	return &out, err
}

// SandboxReview runs the sandbox's automatic review now. POST /v1/sandbox/review.
func (c *Client) SandboxReview(ctx context.Context) error {
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sandbox/review"})
	return err
}

// OpenAPI fetches the API description. GET /v1/openapi.yaml.
func (c *Client) OpenAPI(ctx context.Context) ([]byte, error) {
	var out []byte
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/openapi.yaml", result: &out})
	return out, err
}

// Meta reads the server's description. GET /v1/meta.
func (c *Client) Meta(ctx context.Context) (*api.Meta, error) {
	var out api.Meta
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/meta", result: &out})
	return &out, err
}

// Healthz asks whether the server is up. GET /healthz.
func (c *Client) Healthz(ctx context.Context) error {
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/healthz"})
	return err
}
