package platform

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/ident"
	"github.com/beian-dev/beian/internal/recordno"
	"github.com/beian-dev/beian/internal/store"
)

// MaxImportLines bounds one CSV import; bigger files are split by the caller.
const MaxImportLines = 100_000

// Import reads earlier filings from CSV (SPEC §5): domain, old record
// number, subject certificate number, site name; a header line naming
// "domain" first is skipped. A filing whose certificate number matches an
// account's subject is pushed to that account as unrecorded; any other is
// to_claim for whoever proves it. A domain already imported with the same
// old number is skipped (imports can be re-run); bad lines are reported,
// each alone, and the rest imported.
func (d *Desk) Import(ctx context.Context, actor Actor, body io.Reader) (api.ImportResult, error) {
	if err := requireAdmin(actor); err != nil {
		return api.ImportResult{}, err
	}
	r := csv.NewReader(body)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	res := api.ImportResult{Errors: []api.ImportLineError{}}
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				res.Errors = append(res.Errors, api.ImportLineError{Line: pe.Line, Code: "csv_invalid", Detail: pe.Err.Error()})
				return res, fieldProblem(api.FieldError{Field: "body", Code: "csv_invalid", Message: err.Error()})
			}
			return res, d.problem(ctx, actor, err)
		}
		if line > MaxImportLines {
			return res, fieldProblem(api.FieldError{Field: "body", Code: "too_many", Message: fmt.Sprintf("at most %d lines per import", MaxImportLines)})
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")), "domain") {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		kind, lerr := d.importLine(ctx, actor, rec)
		switch {
		case lerr != nil:
			lerr.Line = line
			res.Errors = append(res.Errors, *lerr)
		case kind == filing.StateUnrecorded:
			res.Unrecorded++
		case kind == filing.StateToClaim:
			res.ToClaim++
		default:
			res.Skipped++
		}
	}
	if len(res.Errors) == 0 {
		res.Errors = nil
	}
	return res, nil
}

// importLine imports one filing in its own transaction.
func (d *Desk) importLine(ctx context.Context, actor Actor, rec []string) (filing.State, *api.ImportLineError) {
	if len(rec) != 4 {
		return "", &api.ImportLineError{Code: "columns", Detail: fmt.Sprintf("want 4 columns (domain, old record number, subject certificate number, site name), got %d", len(rec))}
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	n, err := domainname.Normalize(rec[0])
	if err != nil {
		return "", &api.ImportLineError{Code: ruleField("", err).Code, Detail: err.Error()}
	}
	num, _, err := recordno.Parse(rec[1])
	if err != nil {
		return "", &api.ImportLineError{Code: ruleField("", err).Code, Detail: err.Error()}
	}
	cert := normalizeCert(rec[2])
	if cert == "" {
		return "", &api.ImportLineError{Code: filing.CodeRequiredMissing, Detail: "the subject certificate number is empty"}
	}
	name := rec[3]
	if name == "" {
		return "", &api.ImportLineError{Code: filing.CodeRequiredMissing, Detail: "the site name is empty"}
	}
	old := num.String()
	var state filing.State
	err = d.store.InTx(ctx, func(tx store.Store) error {
		u := &unit{tx: tx}
		holders, err := tx.DomainHolders(ctx, []string{n.ASCII})
		if err != nil {
			return err
		}
		for _, h := range holders {
			if !store.Reserving(h.State) {
				continue
			}
			if s, err := tx.Site(ctx, h.SiteID); err == nil && s.OldRecordNumber == old {
				state = "" // already imported
				return nil
			}
			return &store.ConflictError{Constraint: store.UniqueLiveDomain, Domain: n.ASCII}
		}
		accountID := ""
		subj, err := tx.SubjectByCert(ctx, cert)
		switch {
		case err == nil:
			accountID = subj.AccountID
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		action := filing.ActionImportToClaim
		if accountID != "" {
			action = filing.ActionImport
		}
		state, err = filing.Transition(filing.StateNone, action, actor.filingActor())
		if err != nil {
			return err
		}
		data := filing.Site{Name: name, HasPrimaryDomain: true, PrimaryDomain: n.ASCII}
		if n.IsIDN() {
			data.DomainsUnicode = map[string]string{n.ASCII: n.Unicode}
		}
		s := store.Site{AccountID: accountID, State: state, Data: data, Domains: []string{n.ASCII},
			AreaCode: num.AreaCode(), OldRecordNumber: old, ImportCert: cert}
		if err := tx.CreateSite(ctx, &s); err != nil {
			return err
		}
		if err := d.audit(ctx, u, actor, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(action),
			Field: "state", New: string(state), Detail: "earlier filing " + old}); err != nil {
			return err
		}
		if accountID == "" {
			return nil
		}
		return d.notify(ctx, u, &store.Notification{AccountID: accountID, Kind: "site_unrecorded", SiteID: s.ID,
			Title: "待补充的未备案网站 / An earlier filing to supplement",
			Body: fmt.Sprintf("%s（原备案号 %s）已推送给您，请补充信息后提交。%s (old record number %s) is yours to supplement and submit.",
				n.Unicode, old, n.Unicode, old)})
	})
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ce):
		return "", &api.ImportLineError{Code: string(api.CodeDomainTaken), Detail: n.ASCII + " is held by another site"}
	case err != nil:
		d.log.ErrorContext(ctx, "desk: import line failed", "err", err)
		return "", &api.ImportLineError{Code: string(api.CodeInternal), Detail: "the line could not be stored"}
	}
	return state, nil
}

// normalizeCert puts a certificate number in the form subjects store it:
// USCCs and organisation codes canonical, anything else trimmed and upper-cased.
func normalizeCert(s string) string {
	if c, err := ident.NormalizeUSCC(s); err == nil {
		return c
	}
	if c, err := ident.NormalizeOrgCode(s); err == nil {
		return c
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// ClaimSite turns an earlier filing into a draft of the claiming account,
// prefilled with what is known (SPEC §5): ProveClaim, then Claim. It must
// not run inside a transaction (a bound Desk): the proof reads the domain
// over the network.
func (d *Desk) ClaimSite(ctx context.Context, actor Actor, id string, req api.ClaimRequest) (api.SiteRecord, error) {
	return d.Claim(ctx, actor, d.ProveClaim(ctx, actor, id), req)
}

// ClaimProof is what ProveClaim established, outside any transaction, for
// Claim to act on inside one.
type ClaimProof struct {
	siteID string
	proven bool  // the to_claim filing's domain or certificate was proven
	err    error // the proof's refusal, answered by Claim
}

// ProveClaim decides, before any transaction, whether actor may claim the
// filing id: an unrecorded filing pushed to this account needs no proof; a
// to_claim one needs proveClaim, whose attempts are counted in statements of
// their own (a refusal rolls none of them back) and whose fetch of the
// domain runs with no transaction open (issue 23, finding 1). A refusal is
// carried in the proof, so that a keyed retry still gets its stored answer.
func (d *Desk) ProveClaim(ctx context.Context, actor Actor, id string) ClaimProof {
	if err := requireSponsor(actor); err != nil {
		return ClaimProof{err: err}
	}
	if d.unit != nil {
		return ClaimProof{err: errors.New("platform: ProveClaim inside a transaction")}
	}
	p := ClaimProof{siteID: id}
	if s, err := d.store.Site(ctx, id); err == nil && s.State == filing.StateToClaim {
		if err := d.proveClaim(ctx, actor, s); err != nil {
			p.err = d.problem(ctx, actor, err)
		}
		p.proven = p.err == nil
	}
	return p
}

// Claim takes over the filing that p proved may be claimed, in one
// transaction (or inside the bound one).
func (d *Desk) Claim(ctx context.Context, actor Actor, p ClaimProof, req api.ClaimRequest) (api.SiteRecord, error) {
	if err := requireSponsor(actor); err != nil {
		return api.SiteRecord{}, err
	}
	if p.err != nil {
		return api.SiteRecord{}, p.err
	}
	id, proven := p.siteID, p.proven
	var out store.Site
	err := d.inTx(ctx, actor, func(u *unit) error {
		s, err := u.tx.Site(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("site")
		}
		if err != nil {
			return err
		}
		subj, err := subjectOf(ctx, u.tx, actor.AccountID)
		if err != nil {
			return err
		}
		switch {
		case s.State == filing.StateUnrecorded && s.AccountID != actor.AccountID:
			return forbidden("the earlier filing was pushed to another account")
		case s.State == filing.StateToClaim && !proven:
			return api.NewProblem(api.CodeClaimRefused, "the earlier filing changed meanwhile; claim it again")
		}
		next, err := filing.Transition(s.State, filing.ActionClaim, actor.filingActor())
		if err != nil {
			return err
		}
		from := s.State
		data := s.Data
		data.FillFromResponsible(subj.Data.Responsible)
		s.State, s.AccountID, s.AreaCode, s.Data = next, actor.AccountID, subj.AreaCode, data
		if err := u.tx.UpdateSite(ctx, &s, s.Version); err != nil {
			return err
		}
		out = s
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "site", EntityID: s.ID, Action: string(filing.ActionClaim),
			Field: "state", Old: string(from), New: string(next), Detail: "earlier filing " + s.OldRecordNumber})
	})
	if err != nil {
		return api.SiteRecord{}, err
	}
	return siteView(out, nil, false), nil
}
