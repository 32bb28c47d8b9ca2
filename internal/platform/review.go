package platform

import (
	"context"
	"errors"
	"fmt"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
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
