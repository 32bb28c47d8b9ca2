package fleet

import (
	"fmt"
	"net/url"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
)

// Action is what a plan does with one site or subject.
type Action string

// The actions, as `plan -o json` names them.
const (
	Create  Action = "create" // file a new site: create it and submit it
	Update  Action = "update" // change a draft or returned site, then submit it
	Submit  Action = "submit" // the draft already holds the fleet's values: submit it
	Amend   Action = "amend"  // a recorded site: non-key fields at once, key ones as a change request
	None    Action = "none"   // as the fleet says already
	Wait    Action = "wait"   // under review with other values: nothing can change until it is decided
	Blocked Action = "blocked"
	Cancel  Action = "cancel" // --prune: not in the fleet, cancelled (a draft is deleted)
	Keep    Action = "keep"   // not in the fleet, left alone
)

// changes says whether an action sends anything.
func (a Action) changes() bool {
	switch a {
	case Create, Update, Submit, Amend, Cancel:
		return true
	}
	return false
}

// Current is what the server holds for one subject's account.
type Current struct {
	Subject *api.SubjectRecord // nil: the account has none
	Sites   []api.SiteRecord
	// Checks are the batch check's answers for the fleet's domains that no
	// site of the account holds, by A-label.
	Checks map[string]api.DomainCheck
}

// Options adjust a plan.
type Options struct {
	// Today is the client's day, for the date rules.
	Today time.Time
	// Sandbox accepts the sandbox's leniencies (.test domains,
	// documentation addresses), as the sandbox does.
	Sandbox bool
	// Prune cancels the account's sites that the fleet does not mention.
	Prune bool
}

// Plan is what applying a fleet would do.
type Plan struct {
	Subjects []*SubjectPlan `json:"subjects"`
	Totals   Totals         `json:"totals"`
	// Changes says whether applying would send anything.
	Changes bool `json:"changes"`
	// Problems counts the sites and subjects that cannot be applied
	// (invalid, conflicting): apply refuses the whole plan while any is left.
	Problems int `json:"problems"`
	// Prune says the plan cancels what the fleet does not mention.
	Prune bool `json:"prune"`
}

// SubjectPlan is one subject's part of a plan.
type SubjectPlan struct {
	ID        string      `json:"id"`
	Account   Account     `json:"account"` // empty: the signed-in account
	Subject   SubjectStep `json:"subject"`
	Sites     []*Step     `json:"sites"`
	Unmanaged []*Step     `json:"unmanaged"`

	fleet *Subject
}

// Fleet is the fleet's subject this plan is for.
func (p *SubjectPlan) Fleet() *Subject { return p.fleet }

// SubjectStep is what happens to the hosting subject.
type SubjectStep struct {
	Action  Action              `json:"action"`
	State   filing.SubjectState `json:"state,omitempty"`
	Changes []filing.Change     `json:"changes,omitempty"`
	Errors  []api.FieldError    `json:"errors,omitempty"`
	Message string              `json:"message,omitempty"`

	desired *filing.Subject
	version int
}

// Step is what happens to one site.
type Step struct {
	// Key identifies the site across runs: its primary domain (A-label),
	// else its homepage.
	Key       string           `json:"key"`
	Name      string           `json:"name"`
	Where     string           `json:"where,omitempty"`
	Action    Action           `json:"action"`
	SiteID    string           `json:"site_id,omitempty"`
	State     filing.State     `json:"state,omitempty"`
	Changes   []filing.Change  `json:"changes,omitempty"`
	Errors    []api.FieldError `json:"errors,omitempty"`
	Conflicts []Conflict       `json:"conflicts,omitempty"`
	Message   string           `json:"message,omitempty"`

	desired filing.Site
	version int
	domains []string // the desired site's domains, A-labels
}

// Desired is the site as it will be sent.
func (s *Step) Desired() filing.Site { return s.desired }

// Version is the server's version of the site the step changes.
func (s *Step) Version() int { return s.version }

// KeyChanges counts the step's key-field changes.
func (s *Step) KeyChanges() int {
	n := 0
	for _, c := range s.Changes {
		if c.Key {
			n++
		}
	}
	return n
}

// Conflict is a domain of a site that belongs elsewhere.
type Conflict struct {
	Domain string `json:"domain"`
	// Status is the batch check's (taken, yours, claimable) or "duplicate":
	// another site of the fleet names it too.
	Status  string `json:"status"`
	SiteID  string `json:"site_id,omitempty"`
	Message string `json:"message"`
}

// Totals count the plan's steps by action.
type Totals struct {
	Create     int `json:"create"`
	Update     int `json:"update"`
	Submit     int `json:"submit"`
	Amend      int `json:"amend"`
	KeyChanges int `json:"key_changes"` // amendments that open a change request
	None       int `json:"none"`
	Wait       int `json:"wait"`
	Blocked    int `json:"blocked"`
	Cancel     int `json:"cancel"`
	Keep       int `json:"keep"`
	Invalid    int `json:"invalid"`
	Conflicts  int `json:"conflicts"`
	Subjects   int `json:"subjects_changed"`
}

// Planner holds a fleet with every site normalised and keyed, ready to
// be compared with the server. It does no I/O: the caller fetches each
// subject's Current (CheckDomains says which domains to check).
type Planner struct {
	fleet *Fleet
	opts  Options
	sites map[*Subject][]*desiredSite
	// owner of each domain in the fleet: the first site naming it
	owner map[string]*desiredSite
}

type desiredSite struct {
	fleet    *Site
	site     filing.Site
	key      string
	domains  []string
	dupOf    map[string]*desiredSite // domain → the site that named it first
	keyDupOf *desiredSite
}

// NewPlanner normalises every site of f.
func NewPlanner(f *Fleet, o Options) *Planner {
	p := &Planner{fleet: f, opts: o, sites: map[*Subject][]*desiredSite{}, owner: map[string]*desiredSite{}}
	// Normalising is the planner's cost (IDNA, every rule's canonical
	// form): it runs on every core; keying and the duplicate search below
	// are in fleet order.
	var all []*Site
	for _, s := range f.Subjects {
		all = append(all, s.Sites...)
	}
	norm := make([]filing.Site, len(all))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += workers {
				norm[i], _ = filing.NormalizeSite(all[i].Site.Clone()) // Plan validates
			}
		}()
	}
	wg.Wait()
	keys := map[string]*desiredSite{}
	next := 0
	for _, s := range f.Subjects {
		for _, fs := range s.Sites {
			site := norm[next]
			next++
			d := &desiredSite{fleet: fs, site: site, key: matchKey(site)}
			if prev, ok := keys[d.key]; ok && d.key != "" {
				d.keyDupOf = prev
			} else {
				keys[d.key] = d
			}
			for _, dom := range siteDomains(site) {
				if prev, ok := p.owner[dom]; ok {
					if d.dupOf == nil {
						d.dupOf = map[string]*desiredSite{}
					}
					d.dupOf[dom] = prev
					continue
				}
				p.owner[dom] = d
				d.domains = append(d.domains, dom)
			}
			p.sites[s] = append(p.sites[s], d)
		}
	}
	return p
}

// siteDomains are a normalised site's domains: primary first.
func siteDomains(s filing.Site) []string {
	var out []string
	if s.HasPrimaryDomain && s.PrimaryDomain != "" {
		out = append(out, strings.ToLower(s.PrimaryDomain))
	}
	for _, d := range s.ExtraDomains {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// matchKey is how a desired site finds its filing on the server: by its
// primary domain, or (a site without one) by its homepage's host and path.
func matchKey(s filing.Site) string {
	if s.HasPrimaryDomain && s.PrimaryDomain != "" {
		return strings.ToLower(s.PrimaryDomain)
	}
	if u, err := url.Parse(s.HomepageURL); err == nil && u.Host != "" {
		return strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/")
	}
	return strings.TrimSpace(s.HomepageURL)
}

// recordKey is matchKey of a server record.
func recordKey(r api.SiteRecord) string { return matchKey(r.Site) }

// CheckDomains lists the domains of s's sites that no site of its account
// holds: the ones the batch check must answer for.
func (p *Planner) CheckDomains(s *Subject, cur *Current) []string {
	held := map[string]bool{}
	for _, r := range cur.Sites {
		for _, d := range r.Domains {
			held[d.ASCII] = true
		}
	}
	var out []string
	for _, d := range p.sites[s] {
		for _, dom := range d.domains {
			if !held[dom] {
				out = append(out, dom)
			}
		}
	}
	return out
}

// Plan compares the fleet with cur, the server's state of each subject's
// account, and says what applying it would do.
func (p *Planner) Plan(cur map[*Subject]*Current) *Plan {
	plan := &Plan{Prune: p.opts.Prune}
	for _, s := range p.fleet.Subjects {
		c := cur[s]
		if c == nil {
			c = &Current{}
		}
		plan.Subjects = append(plan.Subjects, p.subjectPlan(s, c))
	}
	plan.total()
	return plan
}

func (p *Planner) subjectPlan(s *Subject, cur *Current) *SubjectPlan {
	sp := &SubjectPlan{ID: s.Label(), Account: s.Account, fleet: s, Sites: []*Step{}, Unmanaged: []*Step{}}
	sp.Subject = p.subjectStep(s, cur)
	responsible := filing.ResponsiblePerson{}
	switch {
	case sp.Subject.desired != nil:
		responsible = sp.Subject.desired.Responsible
	case cur.Subject != nil:
		responsible = cur.Subject.Subject.Responsible
	}
	byKey := map[string]*api.SiteRecord{}
	for i := range cur.Sites {
		r := &cur.Sites[i]
		if r.State == filing.StateCancelled {
			continue
		}
		byKey[recordKey(*r)] = r
	}
	matched := map[string]bool{}
	for _, d := range p.sites[s] {
		var rec *api.SiteRecord
		if d.keyDupOf == nil {
			rec = byKey[d.key]
		}
		st := p.siteStep(d, rec, responsible)
		if rec != nil {
			matched[rec.ID] = true
		}
		p.conflicts(st, d, rec, cur)
		if len(st.Errors) == 0 && len(st.Conflicts) == 0 && st.Action.changes() && sp.Subject.Action == Blocked {
			st.Action, st.Message = Blocked, "the account has no hosting subject: give one under the subject's subject: section"
		}
		sp.Sites = append(sp.Sites, st)
	}
	for _, r := range cur.Sites {
		if matched[r.ID] || r.State == filing.StateCancelled {
			continue
		}
		st := &Step{Key: recordKey(r), Name: r.Site.Name, Action: Keep, SiteID: r.ID, State: r.State, version: r.Version}
		if p.opts.Prune {
			switch {
			case r.State.Editable() || r.State == filing.StateRecorded:
				st.Action = Cancel
			default:
				st.Message = fmt.Sprintf("%s cannot be cancelled now", r.State)
			}
		}
		sp.Unmanaged = append(sp.Unmanaged, st)
	}
	return sp
}

func (p *Planner) subjectStep(s *Subject, cur *Current) SubjectStep {
	var st SubjectStep
	if cur.Subject != nil {
		st.State, st.version = cur.Subject.State, cur.Subject.Version
	}
	if s.Subject == nil {
		st.Action = None
		if cur.Subject == nil && len(s.Sites) > 0 {
			st.Action = Blocked
			st.Message = "the account has no hosting subject and the fleet gives none"
		}
		return st
	}
	want, errs := filing.NormalizeSubject(*s.Subject)
	if len(errs) == 0 {
		errs = want.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: p.opts.Today})
	}
	st.Errors = fieldErrors(errs)
	st.desired = &want
	if cur.Subject == nil {
		st.Action = Create
		return st
	}
	st.Changes = filing.DiffSubject(cur.Subject.Subject, want)
	switch cur.Subject.State {
	case filing.SubjectDraft, filing.SubjectReturned:
		st.Action = Update
	case filing.SubjectApproved:
		st.Action = None
		if len(st.Changes) > 0 {
			st.Action = Amend
		}
	default: // under review
		st.Action = None
		if len(st.Changes) > 0 {
			st.Action, st.Message = Wait, "the subject is under review: its changes wait until it is decided"
		}
	}
	if !st.Action.changes() {
		st.Errors = nil // nothing is sent, so nothing is refused
	}
	return st
}

func (p *Planner) siteStep(d *desiredSite, rec *api.SiteRecord, responsible filing.ResponsiblePerson) *Step {
	want := d.site
	want.FillFromResponsible(responsible)
	if rec != nil && d.fleet.FromSheet {
		want.ApprovalCertificates, want.PriorApprovals = rec.Site.ApprovalCertificates, rec.Site.PriorApprovals
	}
	st := &Step{Key: d.key, Name: want.Name, Where: d.fleet.Where, desired: want, domains: d.domains}
	defer func() {
		// Only what is sent is checked: a site as the server holds it
		// already is not refused for a rule that changed since. Validate
		// normalises as it checks, with the sandbox's leniency, so it sees
		// what normalising alone refused too.
		if st.Action.changes() {
			st.Errors = fieldErrors(want.Validate(filing.SiteOptions{ForSubmit: true, Today: p.opts.Today, AllowNonPublicIP: p.opts.Sandbox, TestDomains: p.opts.Sandbox}))
		}
	}()
	if d.keyDupOf != nil {
		st.Conflicts = append(st.Conflicts, Conflict{Domain: d.key, Status: "duplicate",
			Message: fmt.Sprintf("%s is the site at %s too", d.key, d.keyDupOf.fleet.Where)})
	}
	if rec == nil {
		st.Action = Create
		return st
	}
	st.SiteID, st.State, st.version = rec.ID, rec.State, rec.Version
	if !reflect.DeepEqual(rec.Site, want) { // the common case, cheaply; Diff says what differs
		st.Changes = filing.Diff(rec.Site, want)
	}
	switch {
	case rec.State == filing.StateReturned && len(st.Changes) == 0:
		// Sending a returned filing unchanged would ignore the reviewer's
		// reason (issue 21): it waits for a fix, as an exported sheet shows.
		st.Action, st.Message = Blocked, fmt.Sprintf("returned — fix it (reason: %s) and apply again", rec.ReturnReason)
	case rec.State.Editable():
		st.Action = Submit
		if len(st.Changes) > 0 {
			st.Action = Update
		}
	case rec.State == filing.StateRecorded:
		st.Action = None
		if len(st.Changes) > 0 {
			st.Action = Amend
		}
	case rec.State.InReview():
		st.Action = None
		if len(st.Changes) > 0 {
			st.Action, st.Message = Wait, fmt.Sprintf("%s: its changes wait until the review is decided", rec.State)
		}
	default: // to_claim, unrecorded: pushed by the platform
		st.Action, st.Message = Blocked, fmt.Sprintf("%s: claim it first (beian claim %s)", rec.State, rec.ID)
	}
	return st
}

func fieldErrors(errs filing.Errors) []api.FieldError {
	if len(errs) == 0 {
		return nil
	}
	out := make([]api.FieldError, len(errs))
	for i, e := range errs {
		out[i] = api.FieldError{Field: e.Field, Code: e.Code, Message: e.Message, Params: e.Params}
	}
	return out
}
