package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// requireSponsor lets only sponsor accounts file: reviewers and admins
// decide filings, they do not own any.
func requireSponsor(actor Actor) error {
	if actor.Anonymous() {
		return unauthenticated()
	}
	if actor.Role != api.RoleSponsor {
		return forbidden("only sponsor accounts file subjects and sites")
	}
	return nil
}

func subjectView(s store.Subject, cr *store.ChangeRequest, withAccount bool) api.SubjectRecord {
	r := api.SubjectRecord{State: s.State, Version: s.Version, Subject: s.Data, ReturnReason: s.ReturnReason,
		SubmittedAt: s.SubmittedAt, ApprovedAt: s.ApprovedAt, UpdatedAt: s.UpdatedAt}
	if withAccount {
		r.AccountID = s.AccountID
	}
	if cr != nil {
		r.ChangeRequest = changeRequestView(*cr)
	}
	return r
}

// subjectRecord is the API view of s with its open key change, if any: the
// subject keeps serving its approved values while the change waits.
func subjectRecord(ctx context.Context, st store.Store, s store.Subject, withAccount bool) (api.SubjectRecord, error) {
	if s.State != filing.SubjectChangeUnderReview {
		return subjectView(s, nil, withAccount), nil
	}
	cr, err := st.OpenSubjectChangeRequest(ctx, s.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return subjectView(s, nil, withAccount), nil
	}
	if err != nil {
		return api.SubjectRecord{}, err
	}
	return subjectView(s, &cr, withAccount), nil
}

// Subject returns the account's hosting subject.
func (d *Desk) Subject(ctx context.Context, actor Actor) (api.SubjectRecord, error) {
	if err := requireSponsor(actor); err != nil {
		return api.SubjectRecord{}, err
	}
	s, err := d.store.Subject(ctx, actor.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return api.SubjectRecord{}, notFound("subject: file it first with PUT /v1/subject")
	}
	if err != nil {
		return api.SubjectRecord{}, d.problem(ctx, actor, err)
	}
	rec, err := subjectRecord(ctx, d.store, s, false)
	if err != nil {
		return api.SubjectRecord{}, d.problem(ctx, actor, err)
	}
	return rec, nil
}

// PutSubject creates the account's subject or edits it while it is a draft
// or returned. version is the If-Match version: 0 when creating; required
// once the subject exists (precondition_required), compared (version_conflict).
func (d *Desk) PutSubject(ctx context.Context, actor Actor, version int, req api.SubjectWrite) (api.SubjectRecord, error) {
	if err := requireSponsor(actor); err != nil {
		return api.SubjectRecord{}, err
	}
	if req.ApplyNonKeyNow {
		return api.SubjectRecord{}, fieldProblem(api.FieldError{Field: "apply_non_key_now", Code: filing.CodeNotApplicable,
			Message: "only an amendment of an approved subject (POST /v1/subject/amendments) applies non-key changes at once"})
	}
	data, errs := filing.NormalizeSubject(req.Subject)
	if len(errs) > 0 {
		return api.SubjectRecord{}, invalid(errs)
	}
	var out store.Subject
	err := d.inTx(ctx, actor, func(u *unit) error {
		old, err := u.tx.Subject(ctx, actor.AccountID)
		exists := err == nil
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if !exists {
			if version != 0 {
				return api.NewProblem(api.CodeVersionConflict, "there is no subject yet; create it without If-Match")
			}
			if _, err := filing.TransitionSubject(filing.SubjectNone, filing.ActionCreate, actor.filingActor()); err != nil {
				return err
			}
			s := store.Subject{AccountID: actor.AccountID, State: filing.SubjectDraft, Data: data,
				CertNumber: data.CertNumber, AreaCode: data.OfficeAddress.AreaCode}
			if err := d.checkCertFree(ctx, u, store.Subject{AccountID: actor.AccountID}, data); err != nil {
				return err
			}
			if err := u.tx.PutSubject(ctx, &s, 0); err != nil {
				return err
			}
			out = s
			// Earlier filings carrying the number are pushed at approval,
			// not now: a draft proves nothing about the certificate.
			return d.audit(ctx, u, actor, store.AuditEvent{Entity: "subject", EntityID: actor.AccountID, Action: string(filing.ActionCreate), Detail: data.Name})
		}
		if version == 0 {
			return api.NewProblem(api.CodePreconditionRequired, "the subject exists: send If-Match with the version you read")
		}
		if version != old.Version {
			return store.ErrVersionConflict
		}
		if old.State == filing.SubjectApproved || old.State == filing.SubjectChangeUnderReview {
			return api.NewProblem(api.CodeTransitionRefused, "the subject is approved: change it with POST /v1/subject/amendments")
		}
		if _, err := filing.TransitionSubject(old.State, filing.ActionEdit, actor.filingActor()); err != nil {
			return err
		}
		if err := d.checkCertFree(ctx, u, old, data); err != nil {
			return err
		}
		s := old
		s.Data, s.CertNumber, s.AreaCode = data, data.CertNumber, data.OfficeAddress.AreaCode
		if err := u.tx.PutSubject(ctx, &s, old.Version); err != nil {
			return err
		}
		out = s
		return d.auditChanges(ctx, u, actor, "subject", actor.AccountID, string(filing.ActionEdit), changesOf(filing.DiffSubject(old.Data, data)))
	})
	if err != nil {
		return api.SubjectRecord{}, err
	}
	return subjectView(out, nil, false), nil
}

// SubmitSubject sends the subject for review.
func (d *Desk) SubmitSubject(ctx context.Context, actor Actor) (api.SubjectRecord, error) {
	if err := requireSponsor(actor); err != nil {
		return api.SubjectRecord{}, err
	}
	var out store.Subject
	err := d.inTx(ctx, actor, func(u *unit) error {
		s, err := u.tx.Subject(ctx, actor.AccountID)
		if errors.Is(err, store.ErrNotFound) {
			return api.NewProblem(api.CodeSubjectRequired, "there is no subject to submit: PUT /v1/subject first")
		}
		if err != nil {
			return err
		}
		next, err := filing.TransitionSubject(s.State, filing.ActionSubmit, actor.filingActor())
		if err != nil {
			return err
		}
		now := d.now()
		if errs := s.Data.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: now}); len(errs) > 0 {
			return invalid(errs)
		}
		from := s.State
		s.State, s.SubmittedAt, s.ReturnReason = next, &now, ""
		if err := u.tx.PutSubject(ctx, &s, s.Version); err != nil {
			return err
		}
		out = s
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "subject", EntityID: s.AccountID, Action: string(filing.ActionSubmit),
			Field: "state", Old: string(from), New: string(next)})
	})
	if err != nil {
		return api.SubjectRecord{}, err
	}
	return subjectView(out, nil, false), nil
}

// AmendSubject changes an approved subject (SPEC §3 "Amendments", FAQ item
// 9). Only non-key changes: applied at once and audited. Any key change: one
// change request holding every change, for a reviewer of the subject's area,
// unless ApplyNonKeyNow asks to apply the non-key part at once and send only
// the key part. Meanwhile the subject is change_under_review and keeps its
// approved values: its sites stay approvable and nothing else changes.
func (d *Desk) AmendSubject(ctx context.Context, actor Actor, version int, req api.SubjectWrite) (api.SubjectRecord, error) {
	if err := requireSponsor(actor); err != nil {
		return api.SubjectRecord{}, err
	}
	data, errs := filing.NormalizeSubject(req.Subject)
	if len(errs) == 0 {
		errs = data.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: d.now()})
	}
	if len(errs) > 0 {
		return api.SubjectRecord{}, invalid(errs)
	}
	var out store.Subject
	var cr *store.ChangeRequest
	err := d.inTx(ctx, actor, func(u *unit) error {
		cr = nil
		s, err := u.tx.Subject(ctx, actor.AccountID)
		if err != nil {
			return err
		}
		if version == 0 {
			return api.NewProblem(api.CodePreconditionRequired, "send If-Match with the version you read")
		}
		if version != s.Version {
			return store.ErrVersionConflict
		}
		out = s
		changes := filing.DiffSubject(s.Data, data)
		nonKey, key := filing.Classify(changes)
		if len(changes) == 0 {
			// Nothing to do, but say so if nothing could be done either.
			_, err := filing.TransitionSubject(s.State, filing.ActionAmendNonKey, actor.filingActor())
			return err
		}
		applyNow := nonKey
		if len(key) > 0 && !req.ApplyNonKeyNow {
			applyNow = nil // by default everything goes into one change request
		}
		if len(applyNow) > 0 {
			if _, err := filing.TransitionSubject(s.State, filing.ActionAmendNonKey, actor.filingActor()); err != nil {
				return err
			}
			s.Data = filing.SubjectWithNonKey(s.Data, data)
			if err := d.auditChanges(ctx, u, actor, "subject", s.AccountID, string(filing.ActionAmendNonKey), changesOf(applyNow)); err != nil {
				return err
			}
		}
		if len(key) > 0 {
			next, err := filing.TransitionSubject(s.State, filing.ActionRequestChange, actor.filingActor())
			if err != nil {
				return err
			}
			if err := d.checkCertFree(ctx, u, s, data); err != nil {
				return err
			}
			pending := changes
			if len(applyNow) > 0 {
				pending = key
			}
			raw, err := json.Marshal(changesOf(pending))
			if err != nil {
				return err
			}
			proposed := data
			c := store.ChangeRequest{AccountID: s.AccountID, Kind: string(api.ChangeKindChange), State: string(api.ChangeOpen),
				ProposedSubject: &proposed, Changes: raw, CreatedAt: d.now()}
			if err := u.tx.CreateChangeRequest(ctx, &c); err != nil {
				return err
			}
			cr = &c
			from := s.State
			s.State, s.ReturnReason = next, ""
			if err := d.audit(ctx, u, actor, store.AuditEvent{Entity: "subject", EntityID: s.AccountID, Action: string(filing.ActionRequestChange),
				Field: "state", Old: string(from), New: string(next), Detail: fieldList(pending)}); err != nil {
				return err
			}
		}
		if err := u.tx.PutSubject(ctx, &s, s.Version); err != nil {
			return err
		}
		out = s
		if len(applyNow) > 0 {
			return d.refreshSitePeople(ctx, u, s)
		}
		return nil
	})
	if err != nil {
		return api.SubjectRecord{}, err
	}
	return subjectView(out, cr, false), nil
}

// checkCertFree refuses, when the request is made, a certificate number
// another account's approved subject already holds (a draft or a subject
// under review holds nothing: issue 9 item 5): the unique index would refuse
// it only at approval, after a reviewer's work (one account = one subject).
func (d *Desk) checkCertFree(ctx context.Context, u *unit, s store.Subject, data filing.Subject) error {
	if data.CertNumber == "" || data.CertNumber == s.CertNumber {
		return nil
	}
	other, err := u.tx.SubjectByCert(ctx, data.CertNumber)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if other.AccountID != s.AccountID {
		return &store.ConflictError{Constraint: store.UniqueSubjectCert}
	}
	return nil
}

// refreshSitePeople copies a changed responsible person into the account's
// unsubmitted sites marked "same as the responsible person" (FAQ item 8).
// Submitted and recorded sites keep what was reviewed.
func (d *Desk) refreshSitePeople(ctx context.Context, u *unit, s store.Subject) error {
	sites, _, err := u.tx.ListSites(ctx, store.SiteFilter{AccountID: s.AccountID, States: filing.EditableStates, Limit: 500})
	if err != nil {
		return err
	}
	for _, site := range sites {
		data := site.Data
		data.FillFromResponsible(s.Data.Responsible)
		if len(filing.Diff(site.Data, data)) == 0 {
			continue
		}
		site.Data = data
		if err := u.tx.UpdateSite(ctx, &site, site.Version); err != nil {
			return err
		}
	}
	return nil
}

// pushEarlierFilings gives the account the imported filings carrying its
// subject's certificate number that nobody has yet (to_claim → unrecorded,
// SPEC §5), so a subject registered after the import still finds them.
func (d *Desk) pushEarlierFilings(ctx context.Context, u *unit, accountID, cert string) error {
	if cert == "" {
		return nil
	}
	sites, err := u.tx.SitesByImportCert(ctx, cert)
	if err != nil {
		return err
	}
	for _, s := range sites {
		if s.State != filing.StateToClaim || s.AccountID != "" {
			continue
		}
		next, err := filing.Transition(s.State, filing.ActionImport, filing.ActorSystem)
		if err != nil {
			return err
		}
		s.State, s.AccountID = next, accountID
		if err := u.tx.UpdateSite(ctx, &s, s.Version); err != nil {
			return err
		}
		if err := d.audit(ctx, u, System, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(filing.ActionImport),
			Field: "state", Old: string(filing.StateToClaim), New: string(next), Detail: "matched by the subject's certificate number"}); err != nil {
			return err
		}
		if err := d.notify(ctx, u, &store.Notification{AccountID: accountID, Kind: "site_unrecorded",
			Title: "待补充的未备案网站 / An earlier filing to supplement", SiteID: s.ID,
			Body: fmt.Sprintf("%s（原备案号 %s）已推送给您，请补充信息后提交。%s (old record number %s) is yours to supplement and submit.",
				s.Data.PrimaryDomain, s.OldRecordNumber, s.Data.PrimaryDomain, s.OldRecordNumber)}); err != nil {
			return err
		}
	}
	return nil
}
