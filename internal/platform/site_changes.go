// Changes to a site after it is created: updates, deletion, submission, amendment and cancellation.

package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// checkVersion applies If-Match: required (0 = not sent) and compared.
func checkVersion(sent, current int) error {
	if sent == 0 {
		return api.NewProblem(api.CodePreconditionRequired, "send If-Match with the version you read (the ETag)")
	}
	if sent != current {
		return store.ErrVersionConflict
	}
	return nil
}

// UpdateSite edits a draft or a returned filing (If-Match version).
func (d *Desk) UpdateSite(ctx context.Context, actor Actor, id string, version int, req api.SiteWrite) (api.SiteRecord, error) {
	if err := requireSponsor(actor); err != nil {
		return api.SiteRecord{}, err
	}
	data, err := d.normalizeSite(req.Site)
	if err != nil {
		return api.SiteRecord{}, err
	}
	var out store.Site
	err = d.inTx(ctx, actor, func(u *unit) error {
		s, err := ownSite(ctx, u.tx, actor, id)
		if err != nil {
			return err
		}
		if err := checkVersion(version, s.Version); err != nil {
			return err
		}
		next, err := filing.Transition(s.State, filing.ActionEdit, actor.filingActor())
		if err != nil {
			return err
		}
		if subj, err := u.tx.Subject(ctx, actor.AccountID); err == nil {
			data.FillFromResponsible(subj.Data.Responsible)
			s.AreaCode = subj.AreaCode
		}
		if _, err := d.resolveAttachments(ctx, u.tx, actor.AccountID, &data, &s.Data, false); err != nil {
			return err
		}
		changes := changesOf(filing.Diff(s.Data, data))
		s.Data, s.Domains, s.State = data, siteDomains(data), next
		if err := u.tx.UpdateSite(ctx, &s, version); err != nil {
			return err
		}
		out = s
		return d.auditChanges(ctx, u, actor, "site", s.ID, string(filing.ActionEdit), changes)
	})
	if err != nil {
		return api.SiteRecord{}, err
	}
	return siteView(out, nil, false), nil
}

// DeleteSite discards a draft or a returned filing (If-Match version, so a
// draft edited elsewhere meanwhile is not discarded unseen).
func (d *Desk) DeleteSite(ctx context.Context, actor Actor, id string, version int) error {
	return d.inTx(ctx, actor, func(u *unit) error {
		s, err := ownSite(ctx, u.tx, actor, id)
		if err != nil {
			return err
		}
		if err := checkVersion(version, s.Version); err != nil {
			return err
		}
		if _, err := filing.Transition(s.State, filing.ActionDelete, actor.filingActor()); err != nil {
			return err
		}
		if err := u.tx.DeleteSite(ctx, s.ID, s.Version); err != nil {
			return err
		}
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(filing.ActionDelete),
			Field: "state", Old: string(s.State), New: string(filing.StateDeleted)})
	})
}

// SubmitSite sends a draft or a returned filing for review. This is where
// its domains are reserved platform-wide: the store's unique index refuses
// a domain another site holds, and the refusal says whose it is.
func (d *Desk) SubmitSite(ctx context.Context, actor Actor, id string) (api.SiteRecord, error) {
	var out store.Site
	err := d.inTx(ctx, actor, func(u *unit) error {
		s, err := ownSite(ctx, u.tx, actor, id)
		if err != nil {
			return err
		}
		next, err := filing.Transition(s.State, filing.ActionSubmit, actor.filingActor())
		if err != nil {
			return err
		}
		subj, err := subjectOf(ctx, u.tx, actor.AccountID)
		if err != nil {
			return err
		}
		if subj.State == filing.SubjectDraft {
			return api.NewProblem(api.CodeSubjectRequired, "submit the hosting subject first (POST /v1/subject/submit): sites are reviewed after it")
		}
		data := s.Data
		data.FillFromResponsible(subj.Data.Responsible)
		errs, err := d.resolveAttachments(ctx, u.tx, actor.AccountID, &data, nil, true)
		if err != nil {
			return err
		}
		errs = append(errs, d.siteRules(data)...)
		if len(errs) > 0 {
			return invalid(errs)
		}
		now := d.now()
		from := s.State
		s.Data, s.Domains, s.State, s.AreaCode = data, siteDomains(data), next, subj.AreaCode
		s.SubmittedAt, s.ReturnReason = &now, ""
		if launch, err := filing.ParseDate(data.LaunchDate); err == nil {
			s.Late = filing.LateFiling(launch, now, d.opts.DeadlineDays)
		}
		if err := u.tx.UpdateSite(ctx, &s, s.Version); err != nil {
			return err
		}
		out = s
		ev := store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(filing.ActionSubmit), Field: "state", Old: string(from), New: string(next)}
		if s.Late {
			ev.Detail = fmt.Sprintf("late: filed more than %d days after the launch date %s", d.opts.DeadlineDays, data.LaunchDate)
		}
		return d.audit(ctx, u, actor, ev)
	})
	if err != nil {
		return api.SiteRecord{}, err
	}
	return siteView(out, nil, false), nil
}

// AmendSite changes a recorded site (SPEC §3 "Amendments", FAQ item 9).
// Only non-key changes: applied at once and audited. Any key change: one
// change request holding every change, unless ApplyNonKeyNow asks to apply
// the non-key part at once and send only the key part for review. The site
// stays recorded with its old key values meanwhile.
func (d *Desk) AmendSite(ctx context.Context, actor Actor, id string, version int, req api.AmendRequest) (api.AmendResult, error) {
	if err := requireSponsor(actor); err != nil {
		return api.AmendResult{}, err
	}
	data, err := d.normalizeSite(req.Site)
	if err != nil {
		return api.AmendResult{}, err
	}
	var res api.AmendResult
	var out store.Site
	var cr *store.ChangeRequest
	err = d.inTx(ctx, actor, func(u *unit) error {
		res, cr = api.AmendResult{Applied: []api.FieldChange{}}, nil
		s, err := ownSite(ctx, u.tx, actor, id)
		if err != nil {
			return err
		}
		if err := checkVersion(version, s.Version); err != nil {
			return err
		}
		if subj, err := u.tx.Subject(ctx, actor.AccountID); err == nil {
			data.FillFromResponsible(subj.Data.Responsible)
		}
		errs, err := d.resolveAttachments(ctx, u.tx, actor.AccountID, &data, &s.Data, true)
		if err != nil {
			return err
		}
		if errs = append(errs, d.siteRules(data)...); len(errs) > 0 {
			return invalid(errs)
		}
		changes := filing.Diff(s.Data, data)
		nonKey, key := filing.Classify(changes)
		out = s
		if len(changes) == 0 {
			if s.State != filing.StateRecorded {
				_, err := filing.Transition(s.State, filing.ActionAmendNonKey, actor.filingActor())
				return err
			}
			return nil
		}
		applyNow := nonKey
		if len(key) > 0 && !req.ApplyNonKeyNow {
			applyNow = nil // by default everything goes into one change request
		}
		if len(applyNow) > 0 {
			if _, err := filing.Transition(s.State, filing.ActionAmendNonKey, actor.filingActor()); err != nil {
				return err
			}
			s.Data = filing.WithNonKey(s.Data, data)
			s.Domains = siteDomains(s.Data)
			res.Applied = changesOf(applyNow)
			if err := d.auditChanges(ctx, u, actor, "site", s.ID, string(filing.ActionAmendNonKey), res.Applied); err != nil {
				return err
			}
		}
		if len(key) > 0 {
			next, err := filing.Transition(s.State, filing.ActionRequestChange, actor.filingActor())
			if err != nil {
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
			c := store.ChangeRequest{SiteID: s.ID, Kind: string(api.ChangeKindChange), State: string(api.ChangeOpen), Proposed: data, Changes: raw, CreatedAt: d.now()}
			if err := u.tx.CreateChangeRequest(ctx, &c); err != nil {
				return err
			}
			cr = &c
			s.State, s.ReturnReason = next, ""
			if err := d.audit(ctx, u, actor, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(filing.ActionRequestChange),
				Field: "state", Old: string(filing.StateRecorded), New: string(next), Detail: fieldList(pending)}); err != nil {
				return err
			}
		}
		if err := u.tx.UpdateSite(ctx, &s, s.Version); err != nil {
			return err
		}
		out = s
		return nil
	})
	if err != nil {
		return api.AmendResult{}, err
	}
	res.Site = siteView(out, cr, false)
	if cr != nil {
		res.ChangeRequest = changeRequestView(*cr)
	}
	return res, nil
}

func fieldList(cs []filing.Change) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Field
	}
	return strings.Join(names, ", ")
}

// CancelSite asks to cancel a recorded site; a reviewer decides.
func (d *Desk) CancelSite(ctx context.Context, actor Actor, id string, req api.CancelRequest) (api.SiteRecord, error) {
	reason, fe, bad := reasonField(req.Reason)
	if bad {
		return api.SiteRecord{}, fieldProblem(fe)
	}
	var out store.Site
	var cr store.ChangeRequest
	err := d.inTx(ctx, actor, func(u *unit) error {
		s, err := ownSite(ctx, u.tx, actor, id)
		if err != nil {
			return err
		}
		next, err := filing.Transition(s.State, filing.ActionRequestCancel, actor.filingActor())
		if err != nil {
			return err
		}
		cr = store.ChangeRequest{SiteID: s.ID, Kind: string(api.ChangeKindCancel), State: string(api.ChangeOpen), Proposed: s.Data, Reason: reason, CreatedAt: d.now()}
		if err := u.tx.CreateChangeRequest(ctx, &cr); err != nil {
			return err
		}
		from := s.State
		s.State, s.ReturnReason = next, ""
		if err := u.tx.UpdateSite(ctx, &s, s.Version); err != nil {
			return err
		}
		out = s
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(filing.ActionRequestCancel),
			Field: "state", Old: string(from), New: string(next), Detail: reason})
	})
	if err != nil {
		return api.SiteRecord{}, err
	}
	return siteView(out, &cr, false), nil
}

const maxReason = 500

// reasonField checks a reviewer's or sponsor's reason and returns it
// trimmed and clean (filing.CleanMultiline: it is shown to the other side,
// texted and printed on terminals).
func reasonField(raw string) (string, api.FieldError, bool) {
	reason, err := filing.CleanMultiline(strings.TrimSpace(raw))
	switch {
	case err != nil:
		return raw, api.FieldError{Field: "reason", Code: filing.CodeTextInvalid, Message: err.Error()}, true
	case reason == "":
		return reason, api.FieldError{Field: "reason", Code: filing.CodeRequiredMissing, Message: "give the reason"}, true
	case len([]rune(reason)) > maxReason:
		return reason, api.FieldError{Field: "reason", Code: filing.CodeTooLong, Message: fmt.Sprintf("at most %d characters", maxReason)}, true
	}
	return reason, api.FieldError{}, false
}
