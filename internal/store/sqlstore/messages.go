package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/beian-dev/beian/internal/store"
)

// ---- Notifications ----

const notificationCols = "id, account_id, kind, title, body, site_id, created_at, read_at"

// AddNotification stores n; a zero CreatedAt becomes now.
func (s *Store) AddNotification(ctx context.Context, n *store.Notification) error {
	v := *n
	if v.ID == "" {
		v.ID = newID()
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = s.stamp()
	}
	v.CreatedAt = v.CreatedAt.UTC().Truncate(time.Microsecond)
	if _, err := s.exec(ctx, "INSERT INTO notifications ("+notificationCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		v.ID, v.AccountID, v.Kind, v.Title, v.Body, v.SiteID, formatTime(v.CreatedAt), timeArg(v.ReadAt)); err != nil {
		return err
	}
	*n = v
	return nil
}

func (s *Store) Notifications(ctx context.Context, accountID string, unreadOnly bool, p store.Page) ([]store.Notification, string, error) {
	q := "SELECT " + notificationCols + " FROM notifications WHERE account_id = ?"
	args := []any{accountID}
	if unreadOnly {
		q += " AND read_at IS NULL"
	}
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor, 1)
		if err != nil {
			return nil, "", err
		}
		q, args = q+" AND id < ?", append(args, c[0])
	}
	limit := pageLimit(p.Limit)
	q, args = q+" ORDER BY id DESC LIMIT ?", append(args, limit+1)
	var out []store.Notification
	err := s.list(ctx, q, args, func(r *sql.Rows) error {
		var n store.Notification
		if err := r.Scan(&n.ID, &n.AccountID, &n.Kind, &n.Title, &n.Body, &n.SiteID,
			timeCol{&n.CreatedAt}, nullTimeCol{&n.ReadAt}); err != nil {
			return err
		}
		out = append(out, n)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	out, next := trimPage(out, limit, func(last store.Notification) string { return encodeCursor(last.ID) })
	return out, next, nil
}

func (s *Store) MarkNotificationRead(ctx context.Context, accountID, id string, at time.Time) error {
	n, err := s.exec(ctx, "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND account_id = ?",
		formatTime(at), id, accountID)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	return err
}

// ---- Audit trail ----

const auditCols = "id, occurred_at, actor_id, actor_role, entity, entity_id, action, field, old_value, new_value, detail"

// AddAudit appends events together; a zero At becomes now.
func (s *Store) AddAudit(ctx context.Context, events ...store.AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	now := s.stamp()
	return s.atomically(ctx, func(tx *Store) error {
		for _, e := range events {
			if e.ID == "" {
				e.ID = newID()
			}
			if e.At.IsZero() {
				e.At = now
			}
			if _, err := tx.exec(ctx, "INSERT INTO audit_events ("+auditCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				e.ID, formatTime(e.At), e.ActorID, e.ActorRole, e.Entity, e.EntityID, e.Action, e.Field,
				e.Old, e.New, e.Detail); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) Audit(ctx context.Context, entityID string, p store.Page) ([]store.AuditEvent, string, error) {
	q := "SELECT " + auditCols + " FROM audit_events WHERE 1 = 1"
	var args []any
	if entityID != "" {
		q, args = q+" AND entity_id = ?", append(args, entityID)
	}
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor, 1)
		if err != nil {
			return nil, "", err
		}
		q, args = q+" AND id > ?", append(args, c[0])
	}
	limit := pageLimit(p.Limit)
	q, args = q+" ORDER BY id LIMIT ?", append(args, limit+1)
	var out []store.AuditEvent
	err := s.list(ctx, q, args, func(r *sql.Rows) error {
		var e store.AuditEvent
		if err := r.Scan(&e.ID, timeCol{&e.At}, &e.ActorID, &e.ActorRole, &e.Entity, &e.EntityID, &e.Action,
			&e.Field, &e.Old, &e.New, &e.Detail); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	out, next := trimPage(out, limit, func(last store.AuditEvent) string { return encodeCursor(last.ID) })
	return out, next, nil
}

// ---- Outbox ----

// AddOutbox keeps a message the log sender "sent"; a zero SentAt becomes now.
func (s *Store) AddOutbox(ctx context.Context, m *store.OutboxMessage) error {
	v := *m
	if v.ID == "" {
		v.ID = newID()
	}
	if v.SentAt.IsZero() {
		v.SentAt = s.stamp()
	}
	v.SentAt = v.SentAt.UTC().Truncate(time.Microsecond)
	if _, err := s.exec(ctx, "INSERT INTO outbox (id, channel, to_addr, body, code, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
		v.ID, v.Channel, v.To, v.Body, v.Code, formatTime(v.SentAt)); err != nil {
		return err
	}
	*m = v
	return nil
}

func (s *Store) Outbox(ctx context.Context, to string) ([]store.OutboxMessage, error) {
	q := "SELECT id, channel, to_addr, body, code, sent_at FROM outbox"
	var args []any
	if to != "" {
		q, args = q+" WHERE to_addr = ?", append(args, to)
	}
	var out []store.OutboxMessage
	err := s.list(ctx, q+" ORDER BY id", args, func(r *sql.Rows) error {
		var m store.OutboxMessage
		if err := r.Scan(&m.ID, &m.Channel, &m.To, &m.Body, &m.Code, timeCol{&m.SentAt}); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// ---- Idempotency ----

func (s *Store) Idempotency(ctx context.Context, accountID, key string) (store.Idempotency, error) {
	var r store.Idempotency
	err := s.get(ctx, `SELECT account_id, idem_key, request_hash, status, body, created_at FROM idempotency
		WHERE account_id = ? AND idem_key = ?`, []any{accountID, key},
		&r.AccountID, &r.Key, &r.RequestHash, &r.Status, &r.Body, timeCol{&r.CreatedAt})
	return r, err
}

// PutIdempotency stores the first answer to a keyed request; a zero
// CreatedAt becomes now.
func (s *Store) PutIdempotency(ctx context.Context, r store.Idempotency) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.stamp()
	}
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	_, err := s.exec(ctx, `INSERT INTO idempotency (account_id, idem_key, request_hash, status, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.AccountID, r.Key, r.RequestHash, r.Status, body, formatTime(r.CreatedAt))
	return err
}

// ---- Attachments ----

const attachmentCols = "id, account_id, sha256, content_type, size, name, created_at"

// CreateAttachment records an upload; it sets ID (opaque, random) and
// CreatedAt.
func (s *Store) CreateAttachment(ctx context.Context, a *store.Attachment) error {
	v := *a
	v.ID = "att_" + randomToken()
	v.CreatedAt = s.stamp()
	if _, err := s.exec(ctx, "INSERT INTO attachments ("+attachmentCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		v.ID, v.AccountID, v.SHA256, v.ContentType, v.Size, v.Name, formatTime(v.CreatedAt)); err != nil {
		return err
	}
	*a = v
	return nil
}

func (s *Store) Attachment(ctx context.Context, id string) (store.Attachment, error) {
	var a store.Attachment
	err := s.get(ctx, "SELECT "+attachmentCols+" FROM attachments WHERE id = ?", []any{id},
		&a.ID, &a.AccountID, &a.SHA256, &a.ContentType, &a.Size, &a.Name, timeCol{&a.CreatedAt})
	return a, err
}

// AttachmentBytes is the total size of an account's uploads.
func (s *Store) AttachmentBytes(ctx context.Context, accountID string) (int64, error) {
	var n int64
	err := s.get(ctx, "SELECT COALESCE(SUM(size), 0) FROM attachments WHERE account_id = ?", []any{accountID}, &n)
	return n, err
}

// ---- Claim challenges ----

// PutClaimChallenge stores (or replaces) the challenge of (site, account).
func (s *Store) PutClaimChallenge(ctx context.Context, c store.ClaimChallenge) error {
	_, err := s.exec(ctx, `INSERT INTO claim_challenges (site_id, account_id, token, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (site_id, account_id) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at`,
		c.SiteID, c.AccountID, c.Token, formatTime(c.ExpiresAt))
	return err
}

func (s *Store) ClaimChallenge(ctx context.Context, siteID, accountID string) (store.ClaimChallenge, error) {
	var c store.ClaimChallenge
	err := s.get(ctx, "SELECT site_id, account_id, token, expires_at FROM claim_challenges WHERE site_id = ? AND account_id = ?",
		[]any{siteID, accountID}, &c.SiteID, &c.AccountID, &c.Token, timeCol{&c.ExpiresAt})
	return c, err
}
