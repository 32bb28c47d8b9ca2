package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// WebhookTimeout bounds one delivery attempt: a user is waiting for the
// code, and a provider that takes longer is better reported as down.
const WebhookTimeout = 10 * time.Second

// maxProviderAnswer is as much of a provider's answer as we read.
const maxProviderAnswer = 64 << 10

// WebhookSender posts each message as JSON to an SMS provider's URL (or
// a gateway in front of one):
//
//	POST <url>
//	Content-Type: application/json
//	{"channel": "sms", "to": "+8613812345678", "body": "…"}
//
// Any 2xx is delivered. HTTP 403 or 451, or a body {"error": "blacklisted"}
// with any status, means the provider refuses the number (FAQ item 12):
// Send returns ErrBlacklisted and the server answers sms_blacklisted with
// its support address. Everything else is a delivery failure.
type WebhookSender struct {
	url    string
	client *http.Client
}

// NewWebhookSender posts to url with client (nil: a client with
// WebhookTimeout).
func NewWebhookSender(url string, client *http.Client) *WebhookSender {
	if client == nil {
		client = &http.Client{Timeout: WebhookTimeout}
	}
	return &WebhookSender{url: url, client: client}
}

type webhookMessage struct {
	Channel string `json:"channel"`
	To      string `json:"to"`
	Body    string `json:"body"`
}

type providerAnswer struct {
	Error string `json:"error"`
}

// Send delivers m, within WebhookTimeout even when the client has none.
func (s *WebhookSender) Send(ctx context.Context, m Message) error {
	channel := m.Channel
	if channel == "" {
		channel = "sms"
	}
	payload, err := json.Marshal(webhookMessage{Channel: channel, To: m.To, Body: m.Body})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("sms: webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("sms: webhook: %w", redactURL(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxProviderAnswer))

	var answer providerAnswer
	_ = json.Unmarshal(body, &answer) // providers that answer plain text simply have no error field
	switch {
	case strings.EqualFold(strings.TrimSpace(answer.Error), "blacklisted"),
		resp.StatusCode == http.StatusForbidden,
		resp.StatusCode == http.StatusUnavailableForLegalReasons:
		return ErrBlacklisted
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	}
	return fmt.Errorf("sms: webhook answered %s", resp.Status)
}

// redactURL drops the URL from a client error: webhook URLs often carry the
// provider's API key in their query string, and errors end up in logs.
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
