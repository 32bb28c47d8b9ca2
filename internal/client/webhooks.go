package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/beian-dev/beian/internal/api"
)

// AddWebhook subscribes a URL to events. POST /v1/webhooks.
func (c *Client) AddWebhook(ctx context.Context, req api.WebhookCreate) (*api.Webhook, error) {
	var out api.Webhook
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/webhooks", body: req, result: &out})
	return &out, err
}

// Webhooks lists the account's webhooks. GET /v1/webhooks.
func (c *Client) Webhooks(ctx context.Context) (*api.WebhookList, error) {
	var out api.WebhookList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/webhooks", result: &out})
	return &out, err
}

// DeleteWebhook removes a webhook. DELETE /v1/webhooks/{id}.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: "/v1/webhooks/" + url.PathEscape(id)})
	return err
}

// TestWebhook queues a ping. POST /v1/webhooks/{id}/test.
func (c *Client) TestWebhook(ctx context.Context, id string) (*api.WebhookDelivery, error) {
	var out api.WebhookDelivery
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/webhooks/" + url.PathEscape(id) + "/test", result: &out})
	return &out, err
}

// WebhookDeliveries reads one page of a webhook's delivery log.
// GET /v1/webhooks/{id}/deliveries.
func (c *Client) WebhookDeliveries(ctx context.Context, id string, limit int, cursor string) (*api.WebhookDeliveryList, error) {
	v := url.Values{}
	pageQuery(v, limit, cursor)
	var out api.WebhookDeliveryList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/webhooks/" + url.PathEscape(id) + "/deliveries", query: v, result: &out})
	return &out, err
}
