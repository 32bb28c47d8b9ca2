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
	return data.Validate(filing.SiteOptions{ForSubmit: true, Today: d.now(), AllowNonPublicIP: d.Sandbox(), TestDomains: d.Sandbox()})
}

// normalizeSite is the normalisation every stored site goes through.
func (d *Desk) normalizeSite(in filing.Site) (filing.Site, error) {
	data, errs := filing.NormalizeSite(in)
	if d.Sandbox() {
		errs = filing.SandboxLenient(data, errs)
	}
	if len(errs) > 0 {
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
	"under_review": filing.ReviewStates,
	"drafts":       filing.EditableStates,
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
