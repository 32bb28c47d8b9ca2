package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/store"
)

// ---- Webhooks (issue 14) ----

const webhookCols = "id, account_id, url, secret, events, created_at"

func (s *Store) AddWebhook(ctx context.Context, w *store.Webhook) error {
	v := *w
	if v.ID == "" {
		v.ID = newID()
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = s.stamp()
	}
	v.CreatedAt = v.CreatedAt.UTC().Truncate(time.Microsecond)
	if _, err := s.exec(ctx, "INSERT INTO webhooks ("+webhookCols+") VALUES (?, ?, ?, ?, ?, ?)",
		v.ID, v.AccountID, v.URL, v.Secret, strings.Join(v.Events, ","), formatTime(v.CreatedAt)); err != nil {
		return err
	}
	*w = v
	return nil
}

func scanWebhook(sc interface{ Scan(...any) error }) (store.Webhook, error) {
	var w store.Webhook
	var events string
	err := sc.Scan(&w.ID, &w.AccountID, &w.URL, &w.Secret, &events, timeCol{&w.CreatedAt})
	if events != "" {
		w.Events = strings.Split(events, ",")
	}
	return w, err
}

func (s *Store) Webhooks(ctx context.Context, accountID string) ([]store.Webhook, error) {
	var out []store.Webhook
	err := s.list(ctx, "SELECT "+webhookCols+" FROM webhooks WHERE account_id = ? ORDER BY id", []any{accountID}, func(r *sql.Rows) error {
		w, err := scanWebhook(r)
		out = append(out, w)
		return err
	})
	return out, err
}

func (s *Store) SiteWebhooks(ctx context.Context, siteID string) ([]store.Webhook, error) {
	var out []store.Webhook
	err := s.list(ctx, `SELECT w.id, w.account_id, w.url, w.secret, w.events, w.created_at FROM webhooks w
		JOIN sites s ON s.account_id = w.account_id WHERE s.id = ? ORDER BY w.id`, []any{siteID}, func(r *sql.Rows) error {
		w, err := scanWebhook(r)
		out = append(out, w)
		return err
	})
	return out, err
}

func (s *Store) Webhook(ctx context.Context, id string) (store.Webhook, error) {
	var w store.Webhook
	var events string
	err := s.get(ctx, "SELECT "+webhookCols+" FROM webhooks WHERE id = ?", []any{id},
		&w.ID, &w.AccountID, &w.URL, &w.Secret, &events, timeCol{&w.CreatedAt})
	if events != "" {
		w.Events = strings.Split(events, ",")
	}
	return w, err
}

func (s *Store) DeleteWebhook(ctx context.Context, accountID, id string) error {
	return s.InTx(ctx, func(tx store.Store) error {
		t := tx.(*Store)
		n, err := t.exec(ctx, "DELETE FROM webhooks WHERE id = ? AND account_id = ?", id, accountID)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		_, err = t.exec(ctx, "DELETE FROM webhook_deliveries WHERE webhook_id = ? AND state = ?", id, store.DeliveryPending)
		return err
	})
}

const deliveryCols = "seq, id, webhook_id, account_id, event, payload, state, attempts, next_at, lease_until, last_status, last_error, created_at, delivered_at"

func (s *Store) AddDeliveries(ctx context.Context, ds ...store.Delivery) error {
	for _, d := range ds {
		if d.ID == "" {
			d.ID = newID()
		}
		if d.CreatedAt.IsZero() {
			d.CreatedAt = s.stamp()
		}
		if d.NextAt.IsZero() {
			d.NextAt = d.CreatedAt
		}
		if d.State == "" {
			d.State = store.DeliveryPending
		}
		if _, err := s.exec(ctx, `INSERT INTO webhook_deliveries (id, webhook_id, account_id, event, payload, state, attempts, next_at, last_status, last_error, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.WebhookID, d.AccountID, d.Event, string(d.Payload), d.State, d.Attempts, formatTime(d.NextAt), d.LastStatus, d.LastError, formatTime(d.CreatedAt)); err != nil {
			return err
		}
	}
	return nil
}

func scanDelivery(r *sql.Rows) (store.Delivery, error) {
	var d store.Delivery
	var payload string
	err := r.Scan(&d.Seq, &d.ID, &d.WebhookID, &d.AccountID, &d.Event, &payload, &d.State, &d.Attempts,
		timeCol{&d.NextAt}, nullTimeCol{&d.LeaseUntil}, &d.LastStatus, &d.LastError, timeCol{&d.CreatedAt}, nullTimeCol{&d.DeliveredAt})
	d.Payload = []byte(payload)
	return d, err
}

func (s *Store) Deliveries(ctx context.Context, webhookID string, p store.Page) ([]store.Delivery, string, error) {
	q := "SELECT " + deliveryCols + " FROM webhook_deliveries WHERE webhook_id = ?"
	args := []any{webhookID}
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor, 1)
		if err != nil {
			return nil, "", err
		}
		seq, err := strconv.ParseInt(c[0], 10, 64)
		if err != nil {
			return nil, "", store.ErrInvalidCursor
		}
		q, args = q+" AND seq < ?", append(args, seq)
	}
	limit := pageLimit(p.Limit)
	q, args = q+" ORDER BY seq DESC LIMIT ?", append(args, limit+1)
	var out []store.Delivery
	if err := s.list(ctx, q, args, func(r *sql.Rows) error {
		d, err := scanDelivery(r)
		out = append(out, d)
		return err
	}); err != nil {
		return nil, "", err
	}
	out, next := trimPage(out, limit, func(last store.Delivery) string { return encodeCursor(strconv.FormatInt(last.Seq, 10)) })
	return out, next, nil
}

func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error) {
	t := formatTime(now)
	q := "SELECT " + deliveryCols + ` FROM webhook_deliveries d WHERE d.state = ? AND d.seq = (
		SELECT MIN(h.seq) FROM webhook_deliveries h WHERE h.webhook_id = d.webhook_id AND h.state = ?)
		AND d.next_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?) ORDER BY d.seq LIMIT ?`
	var out []store.Delivery
	err := s.list(ctx, q, []any{store.DeliveryPending, store.DeliveryPending, t, t, limit}, func(r *sql.Rows) error {
		d, err := scanDelivery(r)
		out = append(out, d)
		return err
	})
	return out, err
}

func (s *Store) LeaseDelivery(ctx context.Context, id string, now, until time.Time) (bool, error) {
	n, err := s.exec(ctx, "UPDATE webhook_deliveries SET lease_until = ? WHERE id = ? AND state = ? AND (lease_until IS NULL OR lease_until < ?)",
		formatTime(until), id, store.DeliveryPending, formatTime(now))
	return n == 1, err
}

func (s *Store) FinishDelivery(ctx context.Context, d store.Delivery) error {
	_, err := s.exec(ctx, `UPDATE webhook_deliveries SET state = ?, attempts = ?, next_at = ?, lease_until = NULL,
		last_status = ?, last_error = ?, delivered_at = ? WHERE id = ? AND lease_until = ?`,
		d.State, d.Attempts, formatTime(d.NextAt), d.LastStatus, d.LastError, timeArg(d.DeliveredAt), d.ID, timeArg(d.LeaseUntil))
	return err
}
