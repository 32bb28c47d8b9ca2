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

// ReviewQueue lists what waits for the reviewer's decision in their area
// (admins: everywhere), oldest first. kind "" = every kind.
func (d *Desk) ReviewQueue(ctx context.Context, actor Actor, kind string, p store.Page) (api.ReviewQueue, error) {
	if actor.Anonymous() {
		return api.ReviewQueue{}, unauthenticated()
	}
	prefix := ""
	switch actor.Role {
	case api.RoleAdmin, roleSystem:
	case api.RoleReviewer:
		prefix = actor.AreaPrefix
	default:
		return api.ReviewQueue{}, forbidden("only reviewers and admins have a review queue")
	}
	switch api.ReviewKind(kind) {
	case "", api.ReviewSubject, api.ReviewSite, api.ReviewChange, api.ReviewCancel:
	default:
		return api.ReviewQueue{}, fieldProblem(api.FieldError{Field: "kind", Code: filing.CodeEnumInvalid, Message: "kind must be subject, site, change or cancel"})
	}
	items, next, err := d.store.ReviewQueue(ctx, prefix, kind, p)
	if err != nil {
		return api.ReviewQueue{}, d.problem(ctx, actor, err)
	}
	out := api.ReviewQueue{Items: make([]api.ReviewItem, 0, len(items)), NextCursor: next}
	for _, it := range items {
		ri, err := d.reviewItem(ctx, actor, it)
		if errors.Is(err, store.ErrNotFound) {
			continue // decided or deleted since the queue was read
		}
		if err != nil {
			return api.ReviewQueue{}, d.problem(ctx, actor, err)
		}
		out.Items = append(out.Items, ri)
	}
	return out, nil
}

func (d *Desk) reviewItem(ctx context.Context, actor Actor, it store.ReviewItem) (api.ReviewItem, error) {
	ri := api.ReviewItem{Kind: api.ReviewKind(it.Kind), ID: it.ID, AreaCode: it.AreaCode, SubmittedAt: it.SubmittedAt}
	if it.Kind == string(api.ReviewSubject) {
		s, err := d.store.Subject(ctx, it.ID)
		if err != nil {
			return ri, err
		}
		rec, err := subjectRecord(ctx, d.store, s, true)
		if err != nil {
			return ri, err
		}
		ri.Subject, ri.SubjectName = &rec, s.Data.Name
		if s.CertNumber != "" {
			others, err := d.store.SubjectsByCert(ctx, s.CertNumber)
			if err != nil {
				return ri, err
			}
			for _, o := range others {
				if o.AccountID != s.AccountID {
					ri.Competing = append(ri.Competing, api.CompetingSubject{AccountID: o.AccountID, Name: o.Data.Name,
						State: o.State, SubmittedAt: o.SubmittedAt})
				}
			}
		}
		return ri, nil
	}
	site, err := d.store.Site(ctx, it.ID)
	if err != nil {
		return ri, err
	}
	rec, err := d.siteRecord(ctx, d.store, actor, site)
	if err != nil {
		return ri, err
	}
	ri.Site, ri.SiteName = &rec, site.Data.Name
	if len(site.Domains) > 0 {
		ri.Domain = site.Domains[0]
	} else {
		ri.Domain = site.Data.HomepageURL
	}
	if subj, err := d.store.Subject(ctx, site.AccountID); err == nil {
		ri.SubjectName = subj.Data.Name
	}
	return ri, nil
}

// ApproveSubject passes a subject's review: a new subject becomes approved;
// an approved subject's open key change is applied, audited field by field.
func (d *Desk) ApproveSubject(ctx context.Context, actor Actor, accountID string) (api.SubjectRecord, error) {
	return d.decideSubject(ctx, actor, accountID, filing.ActionApprove, "")
}

// ReturnSubject returns a subject to its sponsor with the reviewer's reason,
// as a notification and an SMS (FAQ item 11). A returned key change leaves
// the subject approved with its old values; the request keeps the reason.
func (d *Desk) ReturnSubject(ctx context.Context, actor Actor, accountID string, req api.ReturnRequest) (api.SubjectRecord, error) {
	reason, fe, bad := reasonField(req.Reason)
	if bad {
		return api.SubjectRecord{}, fieldProblem(fe)
	}
	return d.decideSubject(ctx, actor, accountID, filing.ActionReturn, reason)
}

func (d *Desk) decideSubject(ctx context.Context, actor Actor, accountID string, action filing.Action, reason string) (api.SubjectRecord, error) {
	if actor.Anonymous() {
		return api.SubjectRecord{}, unauthenticated()
	}
	var out store.Subject
	var decided *store.ChangeRequest
	err := d.inTx(ctx, actor, func(u *unit) error {
		decided = nil
		s, err := u.tx.Subject(ctx, accountID)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("subject")
		}
		if err != nil {
			return err
		}
		if err := mayReview(actor, s.AreaCode); err != nil {
			return err
		}
		if s.State == filing.SubjectChangeUnderReview {
			s, cr, err := d.decideSubjectChange(ctx, u, actor, s, action == filing.ActionApprove, reason)
			if err != nil {
				return err
			}
			out, decided = s, &cr
			return nil
		}
		next, err := filing.TransitionSubject(s.State, action, actor.filingActor())
		if err != nil {
			return err
		}
		from, now := s.State, d.now()
		s.State = next
		if action == filing.ActionApprove {
			s.ApprovedAt, s.ReturnReason = &now, ""
		} else {
			s.ReturnReason = reason
		}
		if err := u.tx.PutSubject(ctx, &s, s.Version); err != nil {
			return err
		}
		out = s
		if err := d.audit(ctx, u, actor, store.AuditEvent{Entity: "subject", EntityID: s.AccountID, Action: string(action),
			Field: "state", Old: string(from), New: string(next), Detail: reason}); err != nil {
			return err
		}
		if action == filing.ActionApprove {
			// Now the certificate is the account's: its earlier filings
			// come to it (a draft subject is pushed none).
			if err := d.pushEarlierFilings(ctx, u, s.AccountID, s.CertNumber); err != nil {
				return err
			}
		}
		n := store.Notification{AccountID: s.AccountID}
		var text string
		if action == filing.ActionApprove {
			n.Kind, n.Title = "subject_approved", "开办主体审核通过 / Subject approved"
			n.Body = fmt.Sprintf("您的开办主体「%s」已审核通过。Your hosting subject %s has been approved.", s.Data.Name, s.Data.Name)
		} else {
			n.Kind, n.Title = "subject_returned", "开办主体被退回 / Subject returned"
			n.Body = fmt.Sprintf("您的开办主体「%s」被退回，原因：%s。Your hosting subject was returned: %s", s.Data.Name, reason, reason)
		}
		text = "【公安备案】" + n.Body
		if err := d.notify(ctx, u, &n); err != nil {
			return err
		}
		return d.textAccount(ctx, u, s.AccountID, text)
	})
	if err != nil {
		return api.SubjectRecord{}, err
	}
	return subjectView(out, decided, true), nil
}

// decideSubjectChange approves or returns an approved subject's open key
// change. Approval applies the proposed values (and with them, perhaps, a
// new certificate number and review area) and audits each field old → new;
// a return keeps the approved values. Either way the subject is approved
// again and the sponsor hears of it by notification and SMS.
func (d *Desk) decideSubjectChange(ctx context.Context, u *unit, actor Actor, s store.Subject, approve bool, reason string) (store.Subject, store.ChangeRequest, error) {
	action := filing.ActionReturnChange
	if approve {
		action = filing.ActionApproveChange
	}
	next, err := filing.TransitionSubject(s.State, action, actor.filingActor())
	if err != nil {
		return s, store.ChangeRequest{}, err
	}
	cr, err := u.tx.OpenSubjectChangeRequest(ctx, s.AccountID)
	if err != nil {
		return s, store.ChangeRequest{}, err
	}
	from, now := s.State, d.now()
	name, oldCert, oldArea := s.Data.Name, s.CertNumber, s.AreaCode
	s.State, cr.DecidedAt = next, &now
	events := []store.AuditEvent{{Entity: "subject", EntityID: s.AccountID, Action: string(action),
		Field: "state", Old: string(from), New: string(next), Detail: reason}}
	n := store.Notification{AccountID: s.AccountID}
	if approve {
		proposed := *cr.ProposedSubject
		// Diffed now rather than taken from the request: what changes is
		// what the stored subject holds against the proposal (a non-key part
		// applied at request time is no longer a change).
		for _, c := range changesOf(filing.DiffSubject(s.Data, proposed)) {
			events = append(events, store.AuditEvent{Entity: "subject", EntityID: s.AccountID, Action: string(action),
				Field: c.Field, Old: c.Old, New: c.New})
		}
		s.Data, s.CertNumber, s.AreaCode = proposed, proposed.CertNumber, proposed.OfficeAddress.AreaCode
		s.ReturnReason = ""
		cr.State = string(api.ChangeApproved)
		n.Kind, n.Title = "subject_change_approved", "开办主体变更审核通过 / Subject change approved"
		n.Body = fmt.Sprintf("您的开办主体「%s」的变更已审核通过。The change to your hosting subject %s has been approved.", s.Data.Name, s.Data.Name)
	} else {
		s.ReturnReason = reason
		cr.State, cr.Reason = string(api.ChangeReturned), reason
		n.Kind, n.Title = "subject_change_returned", "开办主体变更被退回 / Subject change returned"
		n.Body = fmt.Sprintf("您的开办主体「%s」的变更申请被退回，原因：%s。原信息不变。The change to your hosting subject %s was returned: %s. The approved values stay.",
			name, reason, name, reason)
	}
	if err := u.tx.UpdateChangeRequest(ctx, &cr); err != nil {
		return s, cr, err
	}
	if err := u.tx.PutSubject(ctx, &s, s.Version); err != nil {
		return s, cr, err
	}
	if err := d.audit(ctx, u, actor, events...); err != nil {
		return s, cr, err
	}
	if approve {
		if err := d.refreshSitePeople(ctx, u, s); err != nil {
			return s, cr, err
		}
		if s.CertNumber != oldCert {
			if err := d.pushEarlierFilings(ctx, u, s.AccountID, s.CertNumber); err != nil {
				return s, cr, err
			}
		}
		if s.AreaCode != oldArea {
			if err := d.moveJurisdiction(ctx, u, actor, s.AccountID, oldArea, s.AreaCode); err != nil {
				return s, cr, err
			}
		}
	}
	if err := d.notify(ctx, u, &n); err != nil {
		return s, cr, err
	}
	return s, cr, d.textAccount(ctx, u, s.AccountID, "【公安备案】"+n.Body)
}

// moveJurisdiction follows an approved move of the subject's office (issue 9
// item 9): every site of the account is reviewed by, and its public record
// names, the office of the new area. Record numbers already issued keep the
// area they were issued in: a number never changes.
func (d *Desk) moveJurisdiction(ctx context.Context, u *unit, actor Actor, accountID, from, to string) error {
	cursor := ""
	for {
		sites, next, err := u.tx.ListSites(ctx, store.SiteFilter{AccountID: accountID, Limit: 500, Cursor: cursor})
		if err != nil {
			return err
		}
		for _, s := range sites {
			if s.State == filing.StateCancelled || s.AreaCode == to {
				continue
			}
			s.AreaCode = to
			if err := u.tx.UpdateSite(ctx, &s, s.Version); err != nil {
				return err
			}
			if err := d.audit(ctx, u, actor, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: "move_jurisdiction",
				Field: "area_code", Old: from, New: to, Detail: "the subject's office moved"}); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}

// textAccount queues an SMS to the account's mobile for after the commit.
func (d *Desk) textAccount(ctx context.Context, u *unit, accountID, body string) error {
	mobile, err := d.mobileOf(ctx, u, accountID)
	if err != nil {
		return err
	}
	d.notifySMS(u, mobile, body)
	return nil
}

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
			return api.NewProblem(api.CodeSubjectRequired, err.Error()+": approve the subject first")
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
