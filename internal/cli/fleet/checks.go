package fleet

// The plan's checks across sites: domains that belong elsewhere, and the totals.

import (
	"fmt"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
)

// conflicts marks the domains of st that belong to another site: of the
// fleet (found here, before any request), of the account, of another
// account, or of an earlier filing waiting to be claimed.
func (p *Planner) conflicts(st *Step, d *desiredSite, rec *api.SiteRecord, cur *Current) {
	if !st.Action.changes() {
		return
	}
	for dom, prev := range d.dupOf {
		st.Conflicts = append(st.Conflicts, Conflict{Domain: dom, Status: "duplicate",
			Message: fmt.Sprintf("%s is also a domain of the site at %s", dom, prev.fleet.Where)})
	}
	own := map[string]bool{}
	if rec != nil {
		for _, dn := range rec.Domains {
			own[dn.ASCII] = true
		}
	}
	for _, dom := range d.domains {
		if own[dom] {
			continue
		}
		ch, ok := cur.Checks[dom]
		if !ok {
			if other := holder(cur, dom); other != nil {
				st.Conflicts = append(st.Conflicts, Conflict{Domain: dom, Status: string(api.DomainYours), SiteID: other.ID,
					Message: fmt.Sprintf("%s is a domain of your site %s (%s)", dom, other.ID, other.State)})
			}
			continue
		}
		switch ch.Status {
		case api.DomainTaken:
			st.Conflicts = append(st.Conflicts, Conflict{Domain: dom, Status: string(ch.Status), Message: dom + " is filed by another account"})
		case api.DomainClaimable:
			st.Conflicts = append(st.Conflicts, Conflict{Domain: dom, Status: string(ch.Status), Message: dom + " belongs to an earlier filing waiting to be claimed: beian claim " + dom})
		case api.DomainYours:
			if rec == nil || ch.SiteID != rec.ID {
				st.Conflicts = append(st.Conflicts, Conflict{Domain: dom, Status: string(ch.Status), SiteID: ch.SiteID,
					Message: fmt.Sprintf("%s is a domain of your site %s (%s)", dom, ch.SiteID, ch.SiteState)})
			}
		}
	}
}

// holder is the account's site holding dom, if any.
func holder(cur *Current, dom string) *api.SiteRecord {
	for i := range cur.Sites {
		if cur.Sites[i].State == filing.StateCancelled {
			continue
		}
		for _, dn := range cur.Sites[i].Domains {
			if dn.ASCII == dom {
				return &cur.Sites[i]
			}
		}
	}
	return nil
}

// total counts the steps by action and says whether the plan changes
// anything and how many problems it has.
func (p *Plan) total() {
	t := &p.Totals
	count := func(a Action) {
		switch a {
		case Create:
			t.Create++
		case Update:
			t.Update++
		case Submit:
			t.Submit++
		case Amend:
			t.Amend++
		case None:
			t.None++
		case Wait:
			t.Wait++
		case Blocked:
			t.Blocked++
		case Cancel:
			t.Cancel++
		case Keep:
			t.Keep++
		}
	}
	for _, sp := range p.Subjects {
		if sp.Subject.Action.changes() {
			t.Subjects++
			p.Changes = true
		}
		if len(sp.Subject.Errors) > 0 {
			p.Problems++
		}
		for _, st := range sp.Sites {
			count(st.Action)
			if st.Action == Amend && st.KeyChanges() > 0 {
				t.KeyChanges++
			}
			if len(st.Errors) > 0 {
				t.Invalid++
			}
			if len(st.Conflicts) > 0 {
				t.Conflicts++
			}
			if len(st.Errors) > 0 || len(st.Conflicts) > 0 {
				p.Problems++
			}
			p.Changes = p.Changes || st.Action.changes()
		}
		for _, st := range sp.Unmanaged {
			count(st.Action)
			p.Changes = p.Changes || st.Action.changes()
		}
	}
}
