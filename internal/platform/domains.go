package platform

import (
	"context"
	"fmt"
	"strings"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// CheckDomain is the duplicate check of one domain (FAQ item 5).
func (d *Desk) CheckDomain(ctx context.Context, actor Actor, domain string) (api.DomainCheck, error) {
	res, err := d.CheckDomains(ctx, actor, api.DomainCheckRequest{Domains: []string{domain}})
	if err != nil {
		return api.DomainCheck{}, err
	}
	return res.Results[0], nil
}

// CheckDomains checks up to api.MaxBatchCheck domains in one store query and
// answers for each, in order: available, yours (which site, in what state,
// in the platform's words), taken (only the public record number), claimable
// (an earlier filing waits to be claimed) or invalid (the rule's code).
func (d *Desk) CheckDomains(ctx context.Context, actor Actor, req api.DomainCheckRequest) (api.DomainCheckResponse, error) {
	if actor.Anonymous() {
		return api.DomainCheckResponse{}, unauthenticated()
	}
	switch n := len(req.Domains); {
	case n == 0:
		return api.DomainCheckResponse{}, fieldProblem(api.FieldError{Field: "domains", Code: filing.CodeRequiredMissing, Message: "give at least one domain"})
	case n > api.MaxBatchCheck:
		return api.DomainCheckResponse{}, fieldProblem(api.FieldError{Field: "domains", Code: "too_many",
			Message: fmt.Sprintf("at most %d domains per request, got %d", api.MaxBatchCheck, n)})
	}
	out := api.DomainCheckResponse{Results: make([]api.DomainCheck, len(req.Domains))}
	var lookup []string
	for i, raw := range req.Domains {
		r := api.DomainCheck{Domain: raw}
		n, err := domainname.Normalize(raw)
		if err == nil {
			_, err = domainname.Registrable(n)
			if err != nil && d.Sandbox() && underTest(n.ASCII) {
				err = nil
			}
		}
		if err != nil {
			r.Status, r.Reason = api.DomainInvalid, ruleField("", err).Code
		} else {
			r.ASCII, r.Unicode, r.Status = n.ASCII, n.Unicode, api.DomainAvailable
			if label, scripts := domainname.MixedScript(n); label != "" {
				r.Warning = fmt.Sprintf("the label %q mixes scripts (%s): it may be mistaken for another domain", label, strings.Join(scripts, ", "))
			}
			lookup = append(lookup, n.ASCII)
		}
		out.Results[i] = r
	}
	if len(lookup) == 0 {
		return out, nil
	}
	holders, err := d.store.DomainHolders(ctx, lookup)
	if err != nil {
		return api.DomainCheckResponse{}, d.problem(ctx, actor, err)
	}
	byDomain := map[string][]store.DomainHolder{}
	for _, h := range holders {
		byDomain[h.Domain] = append(byDomain[h.Domain], h)
	}
	for i := range out.Results {
		r := &out.Results[i]
		if r.Status != api.DomainAvailable {
			continue
		}
		classify(r, byDomain[r.ASCII], actor.AccountID)
	}
	return out, nil
}

// classify decides one domain's answer from the sites holding it. The
// account's own sites come first: "yours" is the more useful answer.
func classify(r *api.DomainCheck, holders []store.DomainHolder, accountID string) {
	for _, h := range holders {
		if h.AccountID == accountID && h.State != filing.StateCancelled {
			r.Status, r.SiteID, r.SiteState, r.RecordNumber, r.Message = api.DomainYours, h.SiteID, h.State, h.RecordNumber, YoursMessage
			return
		}
	}
	for _, h := range holders {
		switch {
		case h.State == filing.StateUnrecorded || h.State == filing.StateToClaim:
			r.Status = api.DomainClaimable // no site ID: it is another subject's filing
			return
		case store.Reserving(h.State):
			r.Status, r.RecordNumber = api.DomainTaken, h.RecordNumber
			return
		}
	}
}
