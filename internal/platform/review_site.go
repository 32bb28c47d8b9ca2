// Reviewing sites: approvals, returns, and change requests.

package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/recordno"
	"github.com/beian-dev/beian/internal/store"
)

// ApproveSite passes whatever of the site is under review: a new filing (the
// record number is issued in this same transaction, from the area's
// sequence, so numbers have no gaps and no repeats), a key change (applied
// now), or a cancellation.
func (d *Desk) ApproveSite(ctx context.Context, actor Actor, id string) (api.SiteRecord, error) {
	return d.decideSite(ctx, actor, id, true, "")
}

// ReturnSite refuses it with the reviewer's reason: a new filing goes back to
// the sponsor as "returned"; a refused change or cancellation leaves the
// site recorded as it was. The reason reaches the sponsor as a notification
// and an SMS (FAQ item 11).
func (d *Desk) ReturnSite(ctx context.Context, actor Actor, id string, req api.ReturnRequest) (api.SiteRecord, error) {
	reason, fe, bad := reasonField(req.Reason)
	if bad {
		return api.SiteRecord{}, fieldProblem(fe)
	}
	return d.decideSite(ctx, actor, id, false, reason)
}

func (d *Desk) decideSite(ctx context.Context, actor Actor, id string, approve bool, reason string) (api.SiteRecord, error) {
	if actor.Anonymous() {
		return api.SiteRecord{}, unauthenticated()
	}
	var out api.SiteRecord
	err := d.inTx(ctx, actor, func(u *unit) error {
		s, err := u.tx.Site(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("site")
		}
		if err != nil {
			return err
		}
		if err := mayReview(actor, s.AreaCode); err != nil {
			return err
		}
		var cr *store.ChangeRequest
		switch s.State {
		case filing.StateUnderReview:
			err = d.decideFiling(ctx, u, actor, &s, approve, reason)
		case filing.StateChangeUnderReview, filing.StateCancelUnderReview:
			cr, err = d.decideRequest(ctx, u, actor, &s, approve, reason)
		default:
			a := filing.ActionApprove
			if !approve {
				a = filing.ActionReturn
			}
			_, err = filing.Transition(s.State, a, actor.filingActor())
		}
		if err != nil {
			return err
		}
		out = siteView(s, nil, true)
		if cr != nil && cr.State == string(api.ChangeReturned) {
			out.ChangeRequest = changeRequestView(*cr)
		}
		return nil
	})
	if err != nil {
		return api.SiteRecord{}, err
	}
	return out, nil
}

// decideFiling approves or returns a site filing under review.
func (d *Desk) decideFiling(ctx context.Context, u *unit, actor Actor, s *store.Site, approve bool, reason string) error {
	action := filing.ActionReturn
	if approve {
		action = filing.ActionApprove
	}
	next, err := filing.Transition(s.State, action, actor.filingActor())
	if err != nil {
		return err
	}
	name := siteTitle(*s)
	from, now := s.State, d.now()
	s.State = next
	n := store.Notification{AccountID: s.AccountID, SiteID: s.ID}
	ev := store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(action), Field: "state", Old: string(from), New: string(next)}
	// Everything that only reads comes before the sequence: allocating it
	// locks the area's counter until commit, and every approval in the
	// area (on every replica) waits for that lock.
	mobile, err := d.mobileOf(ctx, u, s.AccountID)
	if err != nil {
		return err
	}
	if approve {
		subj, err := u.tx.Subject(ctx, s.AccountID)
		state := filing.SubjectNone
		if err == nil {
			state = subj.State
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := filing.CheckSiteApproval(state); err != nil {
			return api.NewProblem(api.CodeSubjectNotApproved, err.Error()+": decide the hosting subject first")
		}
		seq, err := u.tx.NextSequence(ctx, s.AreaCode)
		if err != nil {
			return err
		}
		num, err := recordno.New(s.AreaCode, seq)
		if err != nil {
			return err
		}
		s.RecordNumber, s.RecordedAt, s.ReturnReason = num.String(), &now, ""
		ev.Detail = "record number " + s.RecordNumber
		n.Kind, n.Title = "site_approved", "网站备案审核通过 / Site filing approved"
		n.Body = fmt.Sprintf("网站「%s」已备案，备案号 %s，请在网站首页底部悬挂备案标识。%s is recorded as %s; show the badge at the bottom of its homepage.",
			name, s.RecordNumber, name, s.RecordNumber)
	} else {
		s.ReturnReason = reason
		ev.Detail = reason
		n.Kind, n.Title = "site_returned", "网站备案被退回 / Site filing returned"
		n.Body = fmt.Sprintf("网站「%s」的备案申请被退回，原因：%s。请修改后重新提交。The filing of %s was returned: %s. Edit it and submit again.",
			name, reason, name, reason)
	}
	if err := u.tx.UpdateSite(ctx, s, s.Version); err != nil {
		return err
	}
	events := []store.AuditEvent{ev}
	if approve {
		events = append(events, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(action), Field: "record_number", New: s.RecordNumber})
	}
	if err := d.audit(ctx, u, actor, events...); err != nil {
		return err
	}
	if err := d.notify(ctx, u, &n); err != nil {
		return err
	}
	d.notifySMS(u, mobile, "【公安备案】"+n.Body)
	return nil
}

// mobileOf is the account's mobile, for texts ("" when the account is gone).
func (d *Desk) mobileOf(ctx context.Context, u *unit, accountID string) (string, error) {
	a, err := u.tx.AccountByID(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return a.Mobile, err
}

// decideRequest approves or returns the open change or cancel request.
func (d *Desk) decideRequest(ctx context.Context, u *unit, actor Actor, s *store.Site, approve bool, reason string) (*store.ChangeRequest, error) {
	cr, err := u.tx.OpenChangeRequest(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	cancel := s.State == filing.StateCancelUnderReview
	var action filing.Action
	switch {
	case cancel && approve:
		action = filing.ActionApproveCancel
	case cancel:
		action = filing.ActionReturnCancel
	case approve:
		action = filing.ActionApproveChange
	default:
		action = filing.ActionReturnChange
	}
	next, err := filing.Transition(s.State, action, actor.filingActor())
	if err != nil {
		return nil, err
	}
	name := siteTitle(*s)
	from, now := s.State, d.now()
	var changes []api.FieldChange
	if len(cr.Changes) > 0 {
		if err := json.Unmarshal(cr.Changes, &changes); err != nil {
			return nil, err
		}
	}
	s.State = next
	cr.DecidedAt = &now
	n := store.Notification{AccountID: s.AccountID, SiteID: s.ID}
	events := []store.AuditEvent{{Entity: "site", EntityID: s.ID, Action: string(action), Field: "state", Old: string(from), New: string(next), Detail: reason}}
	if approve {
		cr.State = string(api.ChangeApproved)
		s.ReturnReason = ""
		if !cancel {
			proposed := cr.Proposed
			if subj, err := u.tx.Subject(ctx, s.AccountID); err == nil {
				proposed.FillFromResponsible(subj.Data.Responsible)
			}
			s.Data, s.Domains = proposed, siteDomains(proposed)
			for _, c := range changes {
				events = append(events, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(action), Field: c.Field, Old: c.Old, New: c.New})
			}
			n.Kind, n.Title = "change_approved", "变更审核通过 / Change approved"
			n.Body = fmt.Sprintf("网站「%s」的变更已审核通过。The change to %s has been approved.", name, name)
		} else {
			n.Kind, n.Title = "cancel_approved", "注销审核通过 / Cancellation approved"
			n.Body = fmt.Sprintf("网站「%s」（%s）已注销。%s (%s) has been cancelled.", name, s.RecordNumber, name, s.RecordNumber)
		}
	} else {
		cr.State, cr.Reason = string(api.ChangeReturned), reason
		s.ReturnReason = reason
		if !cancel {
			n.Kind, n.Title = "change_returned", "变更被退回 / Change returned"
			n.Body = fmt.Sprintf("网站「%s」的变更申请被退回，原因：%s。原备案信息不变。The change to %s was returned: %s. The recorded values stay.", name, reason, name, reason)
		} else {
			n.Kind, n.Title = "cancel_returned", "注销申请被退回 / Cancellation returned"
			n.Body = fmt.Sprintf("网站「%s」的注销申请被退回，原因：%s。The cancellation of %s was returned: %s.", name, reason, name, reason)
		}
	}
	if err := u.tx.UpdateChangeRequest(ctx, &cr); err != nil {
		return nil, err
	}
	if err := u.tx.UpdateSite(ctx, s, s.Version); err != nil {
		return nil, err
	}
	if err := d.audit(ctx, u, actor, events...); err != nil {
		return nil, err
	}
	if err := d.notify(ctx, u, &n); err != nil {
		return nil, err
	}
	return &cr, d.textAccount(ctx, u, s.AccountID, "【公安备案】"+n.Body)
}

// siteTitle names a site in messages: its name and main domain.
func siteTitle(s store.Site) string {
	if len(s.Domains) > 0 {
		return s.Data.Name + " " + s.Domains[0]
	}
	if s.Data.HomepageURL != "" {
		return s.Data.Name + " " + s.Data.HomepageURL
	}
	return s.Data.Name
}
