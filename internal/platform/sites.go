package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// siteDomains lists a site's domains as stored: primary first, then the
// others. A site without a first-level domain (FAQ item 2) reserves none:
// its homepage lives under someone else's domain or an IP address.
func siteDomains(s filing.Site) []string {
	if !s.HasPrimaryDomain || s.PrimaryDomain == "" {
		return nil
	}
	out := []string{s.PrimaryDomain}
	for _, d := range s.ExtraDomains {
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

func domainViews(s store.Site) []api.DomainName {
	out := make([]api.DomainName, 0, len(s.Domains))
	for _, d := range s.Domains {
		u := s.Data.DomainsUnicode[d]
		if u == "" {
			u = d
		}
		out = append(out, api.DomainName{ASCII: d, Unicode: u})
	}
	return out
}

func siteView(s store.Site, cr *store.ChangeRequest, withAccount bool) api.SiteRecord {
	r := api.SiteRecord{ID: s.ID, State: s.State, Version: s.Version, Site: s.Data, Domains: domainViews(s),
		RecordNumber: s.RecordNumber, OldRecordNumber: s.OldRecordNumber, ReturnReason: s.ReturnReason, Late: s.Late,
		SubmittedAt: s.SubmittedAt, RecordedAt: s.RecordedAt, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	if withAccount {
		r.AccountID = s.AccountID
	}
	if cr != nil {
		r.ChangeRequest = changeRequestView(*cr)
	}
	if r.Site.Languages == nil {
		r.Site.Languages = []filing.Language{} // a list is [], never null, on the wire
	}
	return r
}

func changeRequestView(c store.ChangeRequest) *api.ChangeRequest {
	out := &api.ChangeRequest{ID: c.ID, Kind: api.ChangeRequestKind(c.Kind), State: api.ChangeRequestState(c.State), Reason: c.Reason, CreatedAt: c.CreatedAt}
	if len(c.Changes) > 0 {
		_ = json.Unmarshal(c.Changes, &out.Changes) // written by this package; cannot fail
	}
	return out
}

// siteRecord builds the API view of s, with its open change request.
func (d *Desk) siteRecord(ctx context.Context, st store.Store, actor Actor, s store.Site) (api.SiteRecord, error) {
	var cr *store.ChangeRequest
	if s.State == filing.StateChangeUnderReview || s.State == filing.StateCancelUnderReview {
		c, err := st.OpenChangeRequest(ctx, s.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return api.SiteRecord{}, err
		}
		if err == nil {
			cr = &c
		}
	}
	return siteView(s, cr, actor.Role != api.RoleSponsor), nil
}

// mayRead says whether actor may read site s: its owner, a reviewer whose
// area holds it, an admin.
func mayRead(actor Actor, s store.Site) error {
	switch {
	case actor.Anonymous():
		return unauthenticated()
	case actor.Role == api.RoleAdmin || actor.Role == roleSystem:
		return nil
	case actor.Role == api.RoleReviewer:
		if s.AreaCode != "" && area.Within(actor.AreaPrefix, s.AreaCode) {
			return nil
		}
		return forbidden("the site is outside your review area")
	case s.AccountID != "" && s.AccountID == actor.AccountID:
		return nil
	}
	return forbidden("the site belongs to another account")
}

// mayReview says whether actor may decide a filing whose jurisdiction is areaCode.
func mayReview(actor Actor, areaCode string) error {
	switch {
	case actor.Anonymous():
		return unauthenticated()
	case actor.Role == api.RoleAdmin || actor.Role == roleSystem:
		return nil
	case actor.Role == api.RoleReviewer:
		if areaCode != "" && area.Within(actor.AreaPrefix, areaCode) {
			return nil
		}
		return forbidden("the filing is outside your review area")
	}
	return forbidden("only reviewers and admins decide filings")
}

// ownSite loads a site the sponsor owns.
func ownSite(ctx context.Context, st store.Store, actor Actor, id string) (store.Site, error) {
	if err := requireSponsor(actor); err != nil {
		return store.Site{}, err
	}
	s, err := st.Site(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Site{}, notFound("site")
	}
	if err != nil {
		return store.Site{}, err
	}
	if s.AccountID != actor.AccountID {
		return store.Site{}, forbidden("the site belongs to another account")
	}
	return s, nil
}

func (d *Desk) readableSite(ctx context.Context, actor Actor, id string) (store.Site, error) {
	if actor.Anonymous() {
		return store.Site{}, unauthenticated()
	}
	s, err := d.store.Site(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Site{}, notFound("site")
	}
	if err != nil {
		return store.Site{}, d.problem(ctx, actor, err)
	}
	if err := mayRead(actor, s); err != nil {
		return store.Site{}, err
	}
	return s, nil
}

// subjectOf loads the account's subject, or subject_required.
func subjectOf(ctx context.Context, st store.Store, accountID string) (store.Subject, error) {
	s, err := st.Subject(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Subject{}, api.NewProblem(api.CodeSubjectRequired, "file the hosting subject first (PUT /v1/subject)")
	}
	return s, err
}

// siteRules is the validation of a site for submission, with the sandbox's
// allowances.
func (d *Desk) siteRules(data filing.Site) filing.Errors {
	errs := data.Validate(filing.SiteOptions{ForSubmit: true, Today: d.now(), AllowNonPublicIP: d.Sandbox()})
	return d.sandboxAllow(data, errs)
}

// normalizeSite is the normalisation every stored site goes through.
func (d *Desk) normalizeSite(in filing.Site) (filing.Site, error) {
	data, errs := filing.NormalizeSite(in)
	if errs = d.sandboxAllow(data, errs); len(errs) > 0 {
		return data, invalid(errs)
	}
	return data, nil
}

// CreateSite stores a new draft, filling the people marked "same as the
// responsible person" from the subject (FAQ item 8). With dryRun it checks
// the site as for submission, including the duplicate check, and stores
// nothing.
func (d *Desk) CreateSite(ctx context.Context, actor Actor, req api.SiteWrite, dryRun bool) (api.SiteRecord, error) {
	if err := requireSponsor(actor); err != nil {
		return api.SiteRecord{}, err
	}
	data, err := d.normalizeSite(req.Site)
	if err != nil {
		return api.SiteRecord{}, err
	}
	var out store.Site
	err = d.inTx(ctx, actor, func(u *unit) error {
		subj, err := subjectOf(ctx, u.tx, actor.AccountID)
		if err != nil {
			return err
		}
		if _, err := filing.Transition(filing.StateNone, filing.ActionCreate, actor.filingActor()); err != nil {
			return err
		}
		data.FillFromResponsible(subj.Data.Responsible)
		attErrs, err := d.resolveAttachments(ctx, u.tx, actor.AccountID, &data, nil, dryRun)
		if err != nil {
			return err
		}
		s := store.Site{AccountID: actor.AccountID, State: filing.StateDraft, Data: data, Domains: siteDomains(data), AreaCode: subj.AreaCode}
		if dryRun {
			// Checked as for submission, people filled in as they will be.
			if errs := append(attErrs, d.siteRules(data)...); len(errs) > 0 {
				return invalid(errs)
			}
			out = s
			return d.dryRunDomains(ctx, u.tx, actor, s.Domains)
		}
		if err := u.tx.CreateSite(ctx, &s); err != nil {
			return err
		}
		out = s
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(filing.ActionCreate),
			Field: "state", New: string(s.State), Detail: strings.Join(s.Domains, " ")})
	})
	if err != nil {
		return api.SiteRecord{}, err
	}
	return siteView(out, nil, false), nil
}

// dryRunDomains answers a dry run as the real submission would: a domain
// this account has on another site, or another subject holds, is refused.
func (d *Desk) dryRunDomains(ctx context.Context, st store.Store, actor Actor, domains []string) error {
	if len(domains) == 0 {
		return nil
	}
	holders, err := st.DomainHolders(ctx, domains)
	if err != nil {
		return err
	}
	for _, h := range holders {
		if h.AccountID == actor.AccountID {
			return &store.ConflictError{Constraint: store.UniqueAccountDomain, Domain: h.Domain}
		}
		if store.Reserving(h.State) {
			return &store.ConflictError{Constraint: store.UniqueLiveDomain, Domain: h.Domain}
		}
	}
	return nil
}

// Site returns one site.
func (d *Desk) Site(ctx context.Context, actor Actor, id string) (api.SiteRecord, error) {
	s, err := d.readableSite(ctx, actor, id)
	if err != nil {
		return api.SiteRecord{}, err
	}
	r, err := d.siteRecord(ctx, d.store, actor, s)
	if err != nil {
		return api.SiteRecord{}, d.problem(ctx, actor, err)
	}
	return r, nil
}

// SiteListFilter is the query of GET /v1/sites.
type SiteListFilter struct {
	// State is one state, a comma-separated list, or a group of the
	// sponsor's lists (FAQ item 10): "under_review" also holds change and
	// cancel requests under review, "drafts" is draft + returned.
	State  string
	Domain string
	Page   store.Page
}

// stateGroups are the site lists the sponsor sees (SPEC §3, FAQ item 10).
var stateGroups = map[string][]filing.State{
	"under_review": {filing.StateUnderReview, filing.StateChangeUnderReview, filing.StateCancelUnderReview},
	"drafts":       {filing.StateDraft, filing.StateReturned},
}

// ParseStates reads the state filter of a site list.
func ParseStates(q string) ([]filing.State, error) {
	var out []filing.State
	for _, part := range strings.Split(q, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if g, ok := stateGroups[part]; ok {
			out = append(out, g...)
			continue
		}
		if !slices.Contains(filing.States, filing.State(part)) {
			return nil, fieldProblem(api.FieldError{Field: "state", Code: "enum_invalid",
				Message: fmt.Sprintf("%q is not a site state or list (under_review, drafts, recorded, unrecorded, to_claim, cancelled, ...)", part)})
		}
		out = append(out, filing.State(part))
	}
	return out, nil
}

// ListSites lists the sponsor's own sites.
func (d *Desk) ListSites(ctx context.Context, actor Actor, f SiteListFilter) (api.SiteList, error) {
	if err := requireSponsor(actor); err != nil {
		return api.SiteList{}, err
	}
	states, err := ParseStates(f.State)
	if err != nil {
		return api.SiteList{}, err
	}
	sf := store.SiteFilter{AccountID: actor.AccountID, States: states, Limit: f.Page.Limit, Cursor: f.Page.Cursor}
	if f.Domain != "" {
		n, err := domainname.Normalize(f.Domain)
		if err != nil {
			return api.SiteList{}, fieldProblem(ruleField("domain", err))
		}
		sf.Domain = n.ASCII
	}
	sites, next, err := d.store.ListSites(ctx, sf)
	if err != nil {
		return api.SiteList{}, d.problem(ctx, actor, err)
	}
	out := api.SiteList{Items: make([]api.SiteRecord, 0, len(sites)), NextCursor: next}
	for _, s := range sites {
		r, err := d.siteRecord(ctx, d.store, actor, s)
		if err != nil {
			return api.SiteList{}, d.problem(ctx, actor, err)
		}
		out.Items = append(out.Items, r)
	}
	return out, nil
}

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
