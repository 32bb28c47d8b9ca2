package server

import (
	"net/http"

	"github.com/beian-dev/beian/internal/platform"
)

// access says who may call a route at the HTTP level; finer rules (owner,
// reviewer of the area, admin) are the desk's.
type access int

const (
	anyone   access = iota // no token needed; one sent is ignored
	signedIn               // a valid bearer token
)

// call is what the HTTP layer learnt about the caller.
type call struct {
	actor platform.Actor
	token string
}

type route struct {
	pattern string
	access  access
	sandbox bool // served only when the desk runs as the sandbox
	handle  func(s *server, w http.ResponseWriter, r *http.Request, c *call) error
}

// routes is the whole Filing API v1 (internal/api/routes.go), one line each.
func (s *server) routes() []route {
	return []route{
		{"POST /v1/sms-codes", anyone, false, (*server).sendSMSCode},
		{"POST /v1/accounts", anyone, false, (*server).register},
		{"POST /v1/sessions", anyone, false, (*server).login},
		{"DELETE /v1/sessions/current", signedIn, false, (*server).logout},
		{"DELETE /v1/sessions", signedIn, false, (*server).logoutAll},
		{"POST /v1/password-resets", anyone, false, (*server).resetPassword},
		{"GET /v1/account", signedIn, false, (*server).account},
		{"POST /v1/account/email-code", signedIn, false, (*server).sendEmailCode},
		{"POST /v1/account/email-verification", signedIn, false, (*server).verifyEmail},

		{"GET /v1/subject", signedIn, false, (*server).getSubject},
		{"PUT /v1/subject", signedIn, false, (*server).putSubject},
		{"POST /v1/subject/submit", signedIn, false, (*server).submitSubject},
		{"POST /v1/subject/amendments", signedIn, false, (*server).amendSubject},

		{"GET /v1/sites", signedIn, false, (*server).listSites},
		{"POST /v1/sites", signedIn, false, (*server).createSite},
		{"GET /v1/sites/{id}", signedIn, false, (*server).getSite},
		{"PUT /v1/sites/{id}", signedIn, false, (*server).updateSite},
		{"DELETE /v1/sites/{id}", signedIn, false, (*server).deleteSite},
		{"POST /v1/sites/{id}/submit", signedIn, false, (*server).submitSite},
		{"POST /v1/sites/{id}/amendments", signedIn, false, (*server).amendSite},
		{"POST /v1/sites/{id}/cancel", signedIn, false, (*server).cancelSite},
		{"POST /v1/sites/{id}/claim", signedIn, false, (*server).claimSite},
		{"POST /v1/claim-challenges", signedIn, false, (*server).claimChallenge},
		{"POST /v1/claims", signedIn, false, (*server).claimByDomain},
		{"GET /v1/sites/{id}/badge", signedIn, false, (*server).siteBadge},
		{"GET /v1/sites/{id}/history", signedIn, false, (*server).siteHistory},

		{"GET /v1/domain-checks/{domain}", signedIn, false, (*server).checkDomain},
		{"POST /v1/domain-checks", signedIn, false, (*server).checkDomains},
		{"POST /v1/attachments", signedIn, false, (*server).uploadAttachment},

		{"GET /v1/notifications", signedIn, false, (*server).notifications},
		{"POST /v1/notifications/{id}/read", signedIn, false, (*server).markRead},

		{"POST /v1/webhooks", signedIn, false, (*server).addWebhook},
		{"GET /v1/webhooks", signedIn, false, (*server).webhooks},
		{"DELETE /v1/webhooks/{id}", signedIn, false, (*server).deleteWebhook},
		{"POST /v1/webhooks/{id}/test", signedIn, false, (*server).testWebhook},
		{"GET /v1/webhooks/{id}/deliveries", signedIn, false, (*server).webhookDeliveries},

		{"GET /v1/records/{number}", anyone, false, (*server).publicRecord},
		{"GET /records/{number}", anyone, false, (*server).publicRecordPage},
		{"GET /static/beian-icon.png", anyone, false, (*server).icon},

		{"GET /v1/review/queue", signedIn, false, (*server).reviewQueue},
		{"POST /v1/review/subjects/{account_id}/approve", signedIn, false, (*server).approveSubject},
		{"POST /v1/review/subjects/{account_id}/return", signedIn, false, (*server).returnSubject},
		{"POST /v1/review/sites/{id}/approve", signedIn, false, (*server).approveSite},
		{"POST /v1/review/sites/{id}/return", signedIn, false, (*server).returnSite},
		{"GET /v1/review/sites/{id}/attachments/{attachment_id}", signedIn, false, (*server).downloadAttachment},

		{"POST /v1/admin/users", signedIn, false, (*server).createUser},
		{"POST /v1/admin/imports", signedIn, false, (*server).importFilings},
		{"GET /v1/admin/audit", signedIn, false, (*server).adminAudit},

		{"GET /v1/sandbox/outbox", anyone, true, (*server).outbox},
		{"POST /v1/sandbox/review", anyone, true, (*server).runReview},

		{"GET /v1/meta", anyone, false, (*server).meta},
		{"GET /v1/openapi.yaml", anyone, false, (*server).openAPI},
		{"GET /healthz", anyone, false, (*server).healthz},
		{"GET /readyz", anyone, false, (*server).readyz},
		{"GET /metrics", anyone, false, (*server).metrics},
	}
}
