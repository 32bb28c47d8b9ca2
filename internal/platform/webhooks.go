package platform

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/netpolicy"
	"github.com/beian-dev/beian/internal/store"
)

// Webhooks (issue 14): an account subscribes URLs to events; every state
// change of its sites and subject, and every notification, is written to
// the outbox (webhook_deliveries) in the transaction of the change, so an
// event is never lost and never sent for a change that rolled back. The
// worker (RunWebhooks) sends each webhook's deliveries in order, signed,
// retrying with backoff.

const (
	maxWebhooksPerAccount = 10
	maxWebhookURL         = 2048
	// webhookTimeout bounds one delivery attempt.
	webhookTimeout = 10 * time.Second
	// webhookLease is how long a worker holds a delivery it is sending.
	webhookLease = time.Minute
	// SignatureHeader carries "t=<unix>,v1=<hex HMAC-SHA256>".
	SignatureHeader = "Beian-Signature"
)

// WebhookOptions tune delivery; zero values take the defaults.
type WebhookOptions struct {
	// AllowPrivate lets webhooks target loopback and private addresses
	// (an operator's internal receivers, tests). Off, such targets are
	// refused when added and at every connection (DNS rebinding).
	AllowPrivate bool
	// RetryBase is the first retry's delay (default 5 s); it doubles up to
	// RetryMax (default 1 h), for MaxAttempts attempts (default 15: about
	// a day), then the delivery is failed and the next one goes.
	RetryBase, RetryMax time.Duration
	MaxAttempts         int
	// Lease is how long a worker holds a delivery it is sending (default
	// a minute): a worker that dies mid-send leaves it to another, or to
	// itself after a restart, once the lease ends.
	Lease time.Duration
	// Client sends deliveries (tests); nil builds one with timeouts, no
	// redirects and, unless AllowPrivate, public addresses only.
	Client *http.Client
}

func (o WebhookOptions) withDefaults() WebhookOptions {
	if o.RetryBase <= 0 {
		o.RetryBase = 5 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Hour
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 15
	}
	if o.Lease <= 0 {
		o.Lease = webhookLease
	}
	return o
}

// webhookView is a webhook as the API shows it (no secret).
func webhookView(w store.Webhook) api.Webhook {
	return api.Webhook{ID: w.ID, URL: w.URL, Events: w.Events, CreatedAt: w.CreatedAt}
}

// checkWebhookURL refuses what a webhook may not target: anything but
// http(s), credentials in the URL, and (unless allowed) loopback, private
// and link-local hosts.
func (d *Desk) checkWebhookURL(raw string) (string, error) {
	bad := func(code, msg string) (string, error) {
		return "", fieldProblem(api.FieldError{Field: "url", Code: code, Message: msg})
	}
	if len(raw) > maxWebhookURL {
		return bad("too_long", fmt.Sprintf("at most %d characters", maxWebhookURL))
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || u.Host == "":
		return bad("url_invalid", "an absolute http or https URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("url_scheme", "only http and https URLs receive webhooks")
	case u.User != nil:
		return bad("url_invalid", "no user name or password in the URL; the signature authenticates deliveries")
	}
	if !d.opts.Webhooks.AllowPrivate {
		host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
		if ip, err := netip.ParseAddr(host); err == nil {
			if !netpolicy.Public(ip) {
				return bad("url_private", ip.String()+" is not a public address; the operator may allow private targets (--webhooks-allow-private)")
			}
		}
		if host == "localhost" || strings.HasSuffix(host, ".localhost") {
			return bad("url_private", host+" is not a public host")
		}
	}
	return u.String(), nil
}

func checkEvents(events []string) ([]string, error) {
	if len(events) == 0 {
		return []string{"*"}, nil
	}
	var out []string
	for _, e := range events {
		e = strings.TrimSpace(e)
		if e != "*" && !slices.Contains(api.WebhookEvents, e) {
			return nil, fieldProblem(api.FieldError{Field: "events", Code: "event_unknown",
				Message: fmt.Sprintf("%q is not an event; use * or %s", e, strings.Join(api.WebhookEvents, ", "))})
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// AddWebhook subscribes a URL of the account to events; the answer holds
// the signing secret, which is never shown again.
func (d *Desk) AddWebhook(ctx context.Context, actor Actor, req api.WebhookCreate) (api.Webhook, error) {
	if err := requireSponsor(actor); err != nil {
		return api.Webhook{}, err
	}
	u, err := d.checkWebhookURL(req.URL)
	if err != nil {
		return api.Webhook{}, err
	}
	events, err := checkEvents(req.Events)
	if err != nil {
		return api.Webhook{}, err
	}
	have, err := d.store.Webhooks(ctx, actor.AccountID)
	if err != nil {
		return api.Webhook{}, d.problem(ctx, actor, err)
	}
	if len(have) >= maxWebhooksPerAccount {
		return api.Webhook{}, api.NewProblem(api.CodeTransitionRefused, fmt.Sprintf("an account has at most %d webhooks; remove one first", maxWebhooksPerAccount))
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	w := store.Webhook{AccountID: actor.AccountID, URL: u, Events: events, CreatedAt: d.now(),
		Secret: "whsec_" + base64.RawURLEncoding.EncodeToString(secret)}
	if err := d.store.AddWebhook(ctx, &w); err != nil {
		return api.Webhook{}, d.problem(ctx, actor, err)
	}
	v := webhookView(w)
	v.Secret = w.Secret
	return v, nil
}

// Webhooks lists the account's webhooks.
func (d *Desk) Webhooks(ctx context.Context, actor Actor) (api.WebhookList, error) {
	if err := requireSponsor(actor); err != nil {
		return api.WebhookList{}, err
	}
	ws, err := d.store.Webhooks(ctx, actor.AccountID)
	if err != nil {
		return api.WebhookList{}, d.problem(ctx, actor, err)
	}
	out := api.WebhookList{Items: []api.Webhook{}}
	for _, w := range ws {
		out.Items = append(out.Items, webhookView(w))
	}
	return out, nil
}

// ownWebhook is the account's webhook id; another account's is not found.
func (d *Desk) ownWebhook(ctx context.Context, actor Actor, id string) (store.Webhook, error) {
	if err := requireSponsor(actor); err != nil {
		return store.Webhook{}, err
	}
	w, err := d.store.Webhook(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && w.AccountID != actor.AccountID) {
		return store.Webhook{}, notFound("webhook")
	}
	if err != nil {
		return store.Webhook{}, d.problem(ctx, actor, err)
	}
	return w, nil
}

// DeleteWebhook removes a webhook and what it has not yet been sent.
func (d *Desk) DeleteWebhook(ctx context.Context, actor Actor, id string) error {
	if _, err := d.ownWebhook(ctx, actor, id); err != nil {
		return err
	}
	if err := d.store.DeleteWebhook(ctx, actor.AccountID, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return notFound("webhook")
		}
		return d.problem(ctx, actor, err)
	}
	return nil
}

// TestWebhook queues a ping to the webhook, delivered like any event.
func (d *Desk) TestWebhook(ctx context.Context, actor Actor, id string) (api.WebhookDelivery, error) {
	w, err := d.ownWebhook(ctx, actor, id)
	if err != nil {
		return api.WebhookDelivery{}, err
	}
	dl, err := d.delivery(w, "ping", map[string]any{"webhook_id": w.ID})
	if err != nil {
		return api.WebhookDelivery{}, d.problem(ctx, actor, err)
	}
	if err := d.store.AddDeliveries(ctx, dl); err != nil {
		return api.WebhookDelivery{}, d.problem(ctx, actor, err)
	}
	return deliveryView(dl), nil
}

// WebhookDeliveries is the delivery log of a webhook, newest first.
func (d *Desk) WebhookDeliveries(ctx context.Context, actor Actor, id string, p store.Page) (api.WebhookDeliveryList, error) {
	if _, err := d.ownWebhook(ctx, actor, id); err != nil {
		return api.WebhookDeliveryList{}, err
	}
	ds, next, err := d.store.Deliveries(ctx, id, p)
	if err != nil {
		return api.WebhookDeliveryList{}, d.problem(ctx, actor, err)
	}
	out := api.WebhookDeliveryList{Items: []api.WebhookDelivery{}, NextCursor: next}
	for _, dl := range ds {
		out.Items = append(out.Items, deliveryView(dl))
	}
	return out, nil
}

func deliveryView(dl store.Delivery) api.WebhookDelivery {
	v := api.WebhookDelivery{ID: dl.ID, Event: dl.Event, State: dl.State, Attempts: dl.Attempts, LastStatus: dl.LastStatus,
		LastError: dl.LastError, CreatedAt: dl.CreatedAt, DeliveredAt: dl.DeliveredAt}
	if dl.State == store.DeliveryPending && !dl.NextAt.IsZero() {
		next := dl.NextAt
		v.NextAt = &next
	}
	return v
}

func randomID(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// delivery is the outbox row of event for w.
func (d *Desk) delivery(w store.Webhook, event string, data map[string]any) (store.Delivery, error) {
	now := d.now()
	id := randomID("dlv_")
	body, err := json.Marshal(api.WebhookEvent{ID: id, Type: event, CreatedAt: now, AccountID: w.AccountID, Data: data})
	if err != nil {
		return store.Delivery{}, err
	}
	return store.Delivery{ID: id, WebhookID: w.ID, AccountID: w.AccountID, Event: event, Payload: body,
		State: store.DeliveryPending, NextAt: now, CreatedAt: now}, nil
}

// emit writes event to the outbox of every webhook of the account that
// subscribes to it, inside the unit's transaction.
func (d *Desk) emit(ctx context.Context, u *unit, accountID, event string, data map[string]any) error {
	if accountID == "" {
		return nil
	}
	hooks, err := u.tx.Webhooks(ctx, accountID)
	if err != nil || len(hooks) == 0 {
		return err
	}
	var ds []store.Delivery
	for _, w := range hooks {
		if !slices.Contains(w.Events, "*") && !slices.Contains(w.Events, event) {
			continue
		}
		dl, err := d.delivery(w, event, data)
		if err != nil {
			return err
		}
		ds = append(ds, dl)
	}
	if len(ds) == 0 {
		return nil
	}
	return u.tx.AddDeliveries(ctx, ds...)
}

// emitStates turns the state changes among audit events into webhook
// events of their account.
func (d *Desk) emitStates(ctx context.Context, u *unit, events []store.AuditEvent) error {
	for _, e := range events {
		if e.Field != "state" || e.Old == e.New {
			continue
		}
		data := map[string]any{"state": e.New, "previous_state": e.Old}
		if e.Detail != "" {
			data["detail"] = e.Detail
		}
		switch e.Entity {
		case "site":
			// Most accounts have no webhooks: one indexed query says so
			// before the site is read for the event's data.
			if hooks, err := u.tx.SiteWebhooks(ctx, e.EntityID); err != nil || len(hooks) == 0 {
				if err != nil {
					return err
				}
				continue
			}
			s, err := u.tx.Site(ctx, e.EntityID)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			data["site_id"], data["name"], data["primary_domain"] = s.ID, s.Data.Name, s.Data.PrimaryDomain
			if s.RecordNumber != "" {
				data["record_number"] = s.RecordNumber
			}
			if s.ReturnReason != "" && e.New == "returned" {
				data["reason"] = s.ReturnReason
			}
			if err := d.emit(ctx, u, s.AccountID, filing.Event("site", filing.Action(e.Action), e.New), data); err != nil {
				return err
			}
		case "subject":
			if err := d.emit(ctx, u, e.EntityID, filing.Event("subject", filing.Action(e.Action), e.New), data); err != nil {
				return err
			}
		}
	}
	return nil
}

// newWebhookClient is the client deliveries go through (built once, in
// New): no redirects, a timeout, and (unless private targets are allowed)
// connections to public addresses only.
func (d *Desk) newWebhookClient() *http.Client {
	if c := d.opts.Webhooks.Client; c != nil {
		return c
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	proxy := http.ProxyFromEnvironment
	if !d.opts.Webhooks.AllowPrivate {
		dialer.Control = netpolicy.Control
		proxy = netpolicy.Proxy(proxy, nil)
	}
	return &http.Client{
		Timeout:   webhookTimeout,
		Transport: &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: webhookTimeout, Proxy: proxy},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect is an answer, not a success
		},
	}
}

// Sign is the Beian-Signature of body sent at t with secret.
func Sign(secret string, t time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", t.Unix())
	mac.Write(body)
	return fmt.Sprintf("t=%d,v1=%s", t.Unix(), hex.EncodeToString(mac.Sum(nil)))
}

// DeliverWebhooks makes one pass of the worker: each webhook's oldest due
// delivery is sent; it says how many were attempted.
func (d *Desk) DeliverWebhooks(ctx context.Context) (int, error) {
	now := d.now()
	due, err := d.store.DueDeliveries(ctx, now, 64)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, dl := range due {
		until := now.Add(d.opts.Webhooks.withDefaults().Lease)
		ok, err := d.store.LeaseDelivery(ctx, dl.ID, now, until)
		if err != nil {
			return n, err
		}
		if !ok {
			continue // another replica has it
		}
		dl.LeaseUntil = &until
		n++
		d.attempt(ctx, dl)
	}
	return n, nil
}

func (d *Desk) attempt(ctx context.Context, dl store.Delivery) {
	o := d.opts.Webhooks.withDefaults()
	dl.Attempts++
	w, err := d.store.Webhook(ctx, dl.WebhookID)
	status, errText := 0, ""
	switch {
	case errors.Is(err, store.ErrNotFound):
		errText = "the webhook was removed"
		dl.Attempts = o.MaxAttempts
	case err != nil:
		errText = err.Error()
	default:
		status, err = d.post(ctx, w, dl)
		if err != nil {
			errText = netpolicy.Describe(err)
		} else if status < 200 || status > 299 {
			errText = fmt.Sprintf("the receiver answered %d", status)
		}
	}
	now := d.now()
	dl.LastStatus, dl.LastError = status, errText
	switch {
	case errText == "":
		dl.State, dl.DeliveredAt = store.DeliveryDelivered, &now
	case dl.Attempts >= o.MaxAttempts:
		dl.State = store.DeliveryFailed
	default:
		delay := o.RetryBase << min(dl.Attempts-1, 20)
		dl.NextAt = now.Add(min(delay, o.RetryMax))
	}
	if err := d.store.FinishDelivery(context.WithoutCancel(ctx), dl); err != nil {
		d.log.WarnContext(ctx, "webhooks: delivery not recorded", "delivery", dl.ID, "err", err)
	}
}

func (d *Desk) post(ctx context.Context, w store.Webhook, dl store.Delivery) (int, error) {
	// An attempt ends well within its lease, so that no other worker can
	// take the delivery while this one may still hear back.
	ctx, cancel := context.WithTimeout(ctx, min(webhookTimeout, d.opts.Webhooks.withDefaults().Lease/2))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(dl.Payload))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "beian-webhooks/1")
	req.Header.Set("Beian-Event", dl.Event)
	req.Header.Set("Beian-Delivery", dl.ID)
	req.Header.Set(SignatureHeader, Sign(w.Secret, d.now(), dl.Payload))
	resp, err := d.hooks.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// RunWebhooks delivers until ctx ends, a pass every interval (and at once
// again after a pass that found work).
func (d *Desk) RunWebhooks(ctx context.Context, every time.Duration) {
	for {
		n, err := d.DeliverWebhooks(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.WarnContext(ctx, "webhooks: a delivery pass failed", "err", err)
		}
		wait := every
		if n > 0 {
			wait = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
