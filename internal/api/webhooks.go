package api

import "time"

// ---- Webhooks (issue 14) ----

// The event types a webhook may subscribe to. Every state change of a site
// or of the hosting subject is "site.<state>" or "subject.<state>"; every
// notification is "notification"; "ping" is what `webhooks test` sends.
// "*" subscribes to all.
var WebhookEvents = []string{
	"site.under_review", "site.recorded", "site.returned", "site.change_under_review", "site.change_returned",
	"site.cancel_under_review", "site.cancel_returned", "site.cancelled", "site.deleted", "site.draft", "site.to_claim", "site.unrecorded",
	"subject.under_review", "subject.approved", "subject.returned", "subject.change_under_review", "subject.change_returned", "subject.draft",
	"notification", "ping",
}

// WebhookCreate subscribes a URL. POST /v1/webhooks → 201 Webhook (with
// its secret, shown this once).
type WebhookCreate struct {
	URL    string   `json:"url"`
	Events []string `json:"events,omitempty"` // empty: every event ("*")
}

// Webhook is a subscription.
type Webhook struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	CreatedAt time.Time `json:"created_at"`
	// Secret signs every delivery; it is returned only when the webhook is
	// created.
	Secret string `json:"secret,omitempty"`
}

// WebhookList is GET /v1/webhooks.
type WebhookList struct {
	Items []Webhook `json:"items"`
}

// WebhookDelivery is one event sent (or to send) to a webhook.
// GET /v1/webhooks/{id}/deliveries.
type WebhookDelivery struct {
	ID          string     `json:"id"`
	Event       string     `json:"event"`
	State       string     `json:"state"` // pending, delivered, failed
	Attempts    int        `json:"attempts"`
	LastStatus  int        `json:"last_status,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	NextAt      *time.Time `json:"next_attempt_at,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// WebhookDeliveryList is a page of deliveries, newest first.
type WebhookDeliveryList struct {
	Items      []WebhookDelivery `json:"items"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

// WebhookEvent is the body of every delivery, signed in the
// Beian-Signature header: "t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>" with the webhook's secret>".
type WebhookEvent struct {
	ID        string         `json:"id"` // the delivery's ID: the same on every retry
	Type      string         `json:"type"`
	CreatedAt time.Time      `json:"created_at"`
	AccountID string         `json:"account_id"`
	Data      map[string]any `json:"data"`
}
