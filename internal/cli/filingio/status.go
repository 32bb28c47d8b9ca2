package filingio

import (
	"fmt"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Status is what `beian status` prints for a site: the public facts of its
// filing and nothing private (no identity numbers or phones). Its JSON field
// names are a stable interface for scripts.
type Status struct {
	SiteID        string           `json:"site_id"`
	Name          string           `json:"name"`
	State         filing.State     `json:"state"`
	List          string           `json:"list"` // the sponsor's list it appears in (FAQ item 10)
	PrimaryDomain string           `json:"primary_domain,omitempty"`
	Domains       []api.DomainName `json:"domains"`
	HomepageURL   string           `json:"homepage_url,omitempty"`
	RecordNumber  string           `json:"record_number,omitempty"`
	ReturnReason  string           `json:"return_reason,omitempty"`
	ChangeRequest *ChangeStatus    `json:"change_request,omitempty"`
	Late          bool             `json:"late"`
	SubmittedAt   *time.Time       `json:"submitted_at,omitempty"`
	RecordedAt    *time.Time       `json:"recorded_at,omitempty"`
	UpdatedAt     time.Time        `json:"updated_at"`
	Version       int              `json:"version"`
}

// The lists a sponsor sees (FAQ item 10), in the platform's order.
const (
	ListUnderReview = "under_review" // under_review, change_under_review, cancel_under_review
	ListRecorded    = "recorded"
	ListDrafts      = "drafts" // draft, returned
	ListUnrecorded  = "unrecorded"
	ListToClaim     = "to_claim"
	ListCancelled   = "cancelled"
)

// Lists are the sponsor's lists in order.
var Lists = []string{ListUnderReview, ListRecorded, ListDrafts, ListUnrecorded, ListToClaim, ListCancelled}

// ListOf says in which list a site of state s appears.
func ListOf(s filing.State) string {
	switch {
	case s.InReview():
		return ListUnderReview
	case s == filing.StateRecorded:
		return ListRecorded
	case s.Editable():
		return ListDrafts
	case s == filing.StateUnrecorded:
		return ListUnrecorded
	case s == filing.StateToClaim:
		return ListToClaim
	case s == filing.StateCancelled:
		return ListCancelled
	}
	return string(s)
}

// ChangeStatus is an open or decided change or cancel request.
type ChangeStatus struct {
	ID     string                 `json:"id"`
	Kind   api.ChangeRequestKind  `json:"kind"`
	State  api.ChangeRequestState `json:"state"`
	Reason string                 `json:"reason,omitempty"`
	Fields []string               `json:"fields,omitempty"`
}

// StatusOf extracts the status of a site record.
func StatusOf(r *api.SiteRecord) Status {
	st := Status{
		SiteID:        r.ID,
		Name:          r.Site.Name,
		State:         r.State,
		List:          ListOf(r.State),
		PrimaryDomain: r.Site.PrimaryDomain,
		Domains:       r.Domains,
		HomepageURL:   r.Site.HomepageURL,
		RecordNumber:  r.RecordNumber,
		ReturnReason:  r.ReturnReason,
		Late:          r.Late,
		SubmittedAt:   r.SubmittedAt,
		RecordedAt:    r.RecordedAt,
		UpdatedAt:     r.UpdatedAt,
		Version:       r.Version,
	}
	if st.Domains == nil {
		st.Domains = []api.DomainName{}
	}
	if cr := r.ChangeRequest; cr != nil {
		cs := &ChangeStatus{ID: cr.ID, Kind: cr.Kind, State: cr.State, Reason: cr.Reason}
		for _, c := range cr.Changes {
			cs.Fields = append(cs.Fields, c.Field)
		}
		st.ChangeRequest = cs
	}
	return st
}

// StateLabel is a state in the user's language, with its code:
// "已备案 (recorded)".
func StateLabel(loc *i18n.Localizer, s filing.State) string {
	id := "state." + string(s)
	if !loc.Has(id) {
		return string(s)
	}
	return loc.T(id) + " (" + string(s) + ")"
}

// PrintStatus writes st in the chosen format; the table form is one
// "label  value" line per fact.
func PrintStatus(ios *iostreams.IOStreams, o output.Options, loc *i18n.Localizer, st Status) error {
	return output.Print(ios, o, st, func() error {
		t := output.NewTable(ios)
		add := func(id, v string) {
			if v != "" {
				t.AddRow(loc.T(id), v)
			}
		}
		add("status.site", fmt.Sprintf("%s (%s)", st.Name, st.SiteID))
		state := StateLabel(loc, st.State)
		cs := ios.ColorScheme()
		switch st.State {
		case filing.StateRecorded:
			state = cs.Green(state)
		case filing.StateReturned, filing.StateCancelled:
			state = cs.Red(state)
		default:
			if st.State.InReview() {
				state = cs.Yellow(state)
			}
		}
		add("status.state", state)
		add("status.record_number", st.RecordNumber)
		var names []string
		for _, d := range st.Domains {
			if d.Unicode != "" && d.Unicode != d.ASCII {
				names = append(names, d.Unicode+" ("+d.ASCII+")")
			} else {
				names = append(names, d.ASCII)
			}
		}
		add("status.domains", strings.Join(names, ", "))
		add("status.homepage", st.HomepageURL)
		add("status.return_reason", st.ReturnReason)
		if cr := st.ChangeRequest; cr != nil {
			add("status.change_request", fmt.Sprintf("%s %s %s", cr.Kind, cr.State, strings.Join(cr.Fields, ",")))
			add("status.change_reason", cr.Reason)
		}
		if st.Late {
			add("status.late", loc.T("status.late_yes"))
		}
		if st.SubmittedAt != nil {
			add("status.submitted_at", st.SubmittedAt.Local().Format(time.DateTime))
		}
		if st.RecordedAt != nil {
			add("status.recorded_at", st.RecordedAt.Local().Format(time.DateTime))
		}
		return t.Render()
	})
}

// NextStep is the command that moves a site in state s on, for messages
// and for `beian sites`: a draft or returned site is edited and submitted,
// an earlier filing claimed, a recorded one amended. "" when the next move
// is the reviewer's.
func NextStep(s filing.State, id string) string {
	switch {
	case s.Editable():
		return "beian edit " + id + " --submit"
	case s == filing.StateUnrecorded, s == filing.StateToClaim:
		return "beian claim " + id
	case s == filing.StateRecorded:
		return "beian amend " + id
	case s.InReview():
		return "beian status " + id + " --wait"
	}
	return ""
}
