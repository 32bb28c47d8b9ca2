package platform

import (
	"context"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// audit records events by actor now, inside the unit's transaction: a change
// and its audit entry commit together or not at all.
func (d *Desk) audit(ctx context.Context, u *unit, actor Actor, events ...store.AuditEvent) error {
	now := d.now()
	for i := range events {
		events[i].At = now
		events[i].ActorID = actor.AccountID
		events[i].ActorRole = string(actor.Role)
	}
	if err := u.tx.AddAudit(ctx, events...); err != nil {
		return err
	}
	// A state change is also a webhook event, in the same transaction.
	return d.emitStates(ctx, u, events)
}

// auditChanges records one event per changed field, old → new.
func (d *Desk) auditChanges(ctx context.Context, u *unit, actor Actor, entity, id, action string, changes []api.FieldChange) error {
	if len(changes) == 0 {
		return nil
	}
	events := make([]store.AuditEvent, len(changes))
	for i, c := range changes {
		events[i] = store.AuditEvent{Entity: entity, EntityID: id, Action: action, Field: c.Field, Old: c.Old, New: c.New}
	}
	return d.audit(ctx, u, actor, events...)
}

func changesOf(cs []filing.Change) []api.FieldChange {
	out := make([]api.FieldChange, len(cs))
	for i, c := range cs {
		out[i] = api.FieldChange{Field: c.Field, Old: c.Old, New: c.New, Key: c.Key}
	}
	return out
}

func auditView(e store.AuditEvent) api.AuditEvent {
	return api.AuditEvent{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: api.Role(e.ActorRole), Entity: e.Entity,
		EntityID: e.EntityID, Action: e.Action, Field: e.Field, Old: e.Old, New: e.New, Detail: e.Detail}
}

// SiteHistory is the audit trail of one site: its owner, a reviewer of its
// area and admins may read it.
func (d *Desk) SiteHistory(ctx context.Context, actor Actor, siteID string, p store.Page) (api.AuditList, error) {
	if _, err := d.readableSite(ctx, actor, siteID); err != nil {
		return api.AuditList{}, err
	}
	return d.auditList(ctx, actor, siteID, p)
}

// AdminAudit is the whole audit trail, or one entity's, for admins.
func (d *Desk) AdminAudit(ctx context.Context, actor Actor, entityID string, p store.Page) (api.AuditList, error) {
	if err := requireAdmin(actor); err != nil {
		return api.AuditList{}, err
	}
	return d.auditList(ctx, actor, entityID, p)
}

func (d *Desk) auditList(ctx context.Context, actor Actor, entityID string, p store.Page) (api.AuditList, error) {
	events, next, err := d.store.Audit(ctx, entityID, p)
	if err != nil {
		return api.AuditList{}, d.problem(ctx, actor, err)
	}
	out := api.AuditList{Items: make([]api.AuditEvent, len(events)), NextCursor: next}
	for i, e := range events {
		out.Items[i] = auditView(e)
	}
	return out, nil
}

func requireAdmin(actor Actor) error {
	if actor.Anonymous() {
		return unauthenticated()
	}
	if actor.Role != api.RoleAdmin && actor.Role != roleSystem {
		return forbidden("admins only")
	}
	return nil
}

// notify adds a system notification inside the unit's transaction.
func (d *Desk) notify(ctx context.Context, u *unit, n *store.Notification) error {
	n.CreatedAt = d.now()
	if err := u.tx.AddNotification(ctx, n); err != nil {
		return err
	}
	return d.emit(ctx, u, n.AccountID, "notification", map[string]any{
		"notification_id": n.ID, "kind": n.Kind, "title": n.Title, "body": n.Body, "site_id": n.SiteID})
}

func notificationView(n store.Notification) api.Notification {
	return api.Notification{ID: n.ID, Kind: n.Kind, Title: n.Title, Body: n.Body, SiteID: n.SiteID, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

// Notifications lists the account's system notifications, newest first.
func (d *Desk) Notifications(ctx context.Context, actor Actor, unreadOnly bool, p store.Page) (api.NotificationList, error) {
	if actor.Anonymous() {
		return api.NotificationList{}, unauthenticated()
	}
	ns, next, err := d.store.Notifications(ctx, actor.AccountID, unreadOnly, p)
	if err != nil {
		return api.NotificationList{}, d.problem(ctx, actor, err)
	}
	out := api.NotificationList{Items: make([]api.Notification, len(ns)), NextCursor: next}
	for i, n := range ns {
		out.Items[i] = notificationView(n)
	}
	return out, nil
}

// MarkNotificationRead marks one of the account's notifications read.
func (d *Desk) MarkNotificationRead(ctx context.Context, actor Actor, id string) error {
	if actor.Anonymous() {
		return unauthenticated()
	}
	if err := d.store.MarkNotificationRead(ctx, actor.AccountID, id, d.now()); err != nil {
		return d.problem(ctx, actor, err)
	}
	return nil
}
