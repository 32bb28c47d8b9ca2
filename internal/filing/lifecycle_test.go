package filing

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// The expected lifecycle, written out independently of SiteTransitions from
// the SPEC §3 diagram: "from action actor → to". Every (state, action, actor)
// triple not listed here must be refused.
var wantSite = map[string]State{
	" create sponsor":                             StateDraft,
	"draft edit sponsor":                          StateDraft,
	"draft delete sponsor":                        StateDeleted,
	"draft submit sponsor":                        StateUnderReview,
	"returned edit sponsor":                       StateReturned,
	"returned delete sponsor":                     StateDeleted,
	"returned submit sponsor":                     StateUnderReview,
	"under_review approve reviewer":               StateRecorded,
	"under_review approve admin":                  StateRecorded,
	"under_review approve system":                 StateRecorded,
	"under_review return reviewer":                StateReturned,
	"under_review return admin":                   StateReturned,
	"under_review return system":                  StateReturned,
	"recorded amend_nonkey sponsor":               StateRecorded,
	"recorded request_change sponsor":             StateChangeUnderReview,
	"change_under_review approve_change reviewer": StateRecorded,
	"change_under_review approve_change admin":    StateRecorded,
	"change_under_review approve_change system":   StateRecorded,
	"change_under_review return_change reviewer":  StateRecorded,
	"change_under_review return_change admin":     StateRecorded,
	"change_under_review return_change system":    StateRecorded,
	"recorded request_cancel sponsor":             StateCancelUnderReview,
	"cancel_under_review approve_cancel reviewer": StateCancelled,
	"cancel_under_review approve_cancel admin":    StateCancelled,
	"cancel_under_review approve_cancel system":   StateCancelled,
	"cancel_under_review return_cancel reviewer":  StateRecorded,
	"cancel_under_review return_cancel admin":     StateRecorded,
	"cancel_under_review return_cancel system":    StateRecorded,
	" import admin":                               StateUnrecorded,
	" import system":                              StateUnrecorded,
	" import_to_claim admin":                      StateToClaim,
	" import_to_claim system":                     StateToClaim,
	"to_claim import system":                      StateUnrecorded,
	"unrecorded claim sponsor":                    StateDraft,
	"to_claim claim sponsor":                      StateDraft,
}

var wantSubject = map[string]SubjectState{
	" create sponsor":                             SubjectDraft,
	"draft edit sponsor":                          SubjectDraft,
	"draft submit sponsor":                        SubjectUnderReview,
	"returned edit sponsor":                       SubjectReturned,
	"returned submit sponsor":                     SubjectUnderReview,
	"under_review approve reviewer":               SubjectApproved,
	"under_review approve admin":                  SubjectApproved,
	"under_review approve system":                 SubjectApproved,
	"under_review return reviewer":                SubjectReturned,
	"under_review return admin":                   SubjectReturned,
	"under_review return system":                  SubjectReturned,
	"approved amend_nonkey sponsor":               SubjectApproved,
	"approved request_change sponsor":             SubjectChangeUnderReview,
	"change_under_review approve_change reviewer": SubjectApproved,
	"change_under_review approve_change admin":    SubjectApproved,
	"change_under_review approve_change system":   SubjectApproved,
	"change_under_review return_change reviewer":  SubjectApproved,
	"change_under_review return_change admin":     SubjectApproved,
	"change_under_review return_change system":    SubjectApproved,
}

// allActions includes an action no table knows, to prove unknown actions are refused.
var allActions = append(slices.Clone(Actions), Action("publish"))

func TestTransitionEveryTriple(t *testing.T) {
	from := append([]State{StateNone}, States...)
	from = append(from, StateDeleted, State("bogus"))
	seen := 0
	for _, s := range from {
		for _, a := range allActions {
			for _, by := range Actors {
				key := fmt.Sprintf("%s %s %s", s, a, by)
				want, ok := wantSite[key]
				t.Run("site/"+key, func(t *testing.T) {
					got, err := Transition(s, a, by)
					if ok {
						seen++
						if err != nil || got != want {
							t.Fatalf("Transition = %q, %v; want %q", got, err, want)
						}
						return
					}
					assertRefused(t, err, string(s), a, by)
					if got != s {
						t.Errorf("refused transition moved the state to %q", got)
					}
				})
			}
		}
	}
	if seen != len(wantSite) {
		t.Errorf("only %d of %d expected site transitions were exercised (unknown state/action names in wantSite?)", seen, len(wantSite))
	}
}

func TestTransitionSubjectEveryTriple(t *testing.T) {
	from := append([]SubjectState{SubjectNone}, SubjectStates...)
	seen := 0
	for _, s := range from {
		for _, a := range allActions {
			for _, by := range Actors {
				key := fmt.Sprintf("%s %s %s", s, a, by)
				want, ok := wantSubject[key]
				t.Run("subject/"+key, func(t *testing.T) {
					got, err := TransitionSubject(s, a, by)
					if ok {
						seen++
						if err != nil || got != want {
							t.Fatalf("TransitionSubject = %q, %v; want %q", got, err, want)
						}
						return
					}
					assertRefused(t, err, string(s), a, by)
				})
			}
		}
	}
	if seen != len(wantSubject) {
		t.Errorf("only %d of %d expected subject transitions were exercised", seen, len(wantSubject))
	}
}

func assertRefused(t *testing.T, err error, from string, a Action, by Actor) {
	t.Helper()
	var te *TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v; want a *TransitionError", err)
	}
	if te.Code() != "transition_refused" || te.From != from || te.Action != a || te.By != by {
		t.Errorf("error = %+v (code %s); want from %q action %q by %q", te, te.Code(), from, a, by)
	}
	if te.Error() == "" {
		t.Error("empty message")
	}
}

func TestAllowedActions(t *testing.T) {
	tests := []struct {
		from State
		by   Actor
		want []Action
	}{
		{StateDraft, ActorSponsor, []Action{ActionEdit, ActionDelete, ActionSubmit}},
		{StateDraft, ActorReviewer, nil},
		{StateUnderReview, ActorSponsor, nil},
		{StateUnderReview, ActorReviewer, []Action{ActionApprove, ActionReturn}},
		{StateRecorded, ActorSponsor, []Action{ActionAmendNonKey, ActionRequestChange, ActionRequestCancel}},
		{StateCancelled, ActorSponsor, nil},
		{StateCancelled, ActorAdmin, nil},
		{StateToClaim, ActorSponsor, []Action{ActionClaim}},
	}
	for _, tt := range tests {
		if got := AllowedActions(tt.from, tt.by); !slices.Equal(got, tt.want) {
			t.Errorf("AllowedActions(%s, %s) = %v; want %v", tt.from, tt.by, got, tt.want)
		}
	}
	if got, want := AllowedSubjectActions(SubjectApproved, ActorSponsor), []Action{ActionAmendNonKey, ActionRequestChange}; !slices.Equal(got, want) {
		t.Errorf("AllowedSubjectActions(approved, sponsor) = %v; want %v", got, want)
	}
}

func TestCheckSiteApproval(t *testing.T) {
	for _, s := range []SubjectState{SubjectApproved, SubjectChangeUnderReview} {
		if err := CheckSiteApproval(s); err != nil {
			t.Errorf("CheckSiteApproval(%s) = %v; want nil", s, err)
		}
	}
	for _, s := range []SubjectState{SubjectNone, SubjectDraft, SubjectUnderReview, SubjectReturned} {
		err := CheckSiteApproval(s)
		var e *SubjectNotApprovedError
		if !errors.As(err, &e) || e.Code() != "subject_not_approved" {
			t.Errorf("CheckSiteApproval(%s) = %v; want subject_not_approved", s, err)
		}
	}
}

// Every state is in review, editable by the sponsor, or neither; never both.
func TestStateGroups(t *testing.T) {
	want := map[State]string{
		StateDraft: "editable", StateReturned: "editable",
		StateUnderReview: "review", StateChangeUnderReview: "review", StateCancelUnderReview: "review",
		StateRecorded: "", StateCancelled: "", StateUnrecorded: "", StateToClaim: "",
	}
	for _, s := range States {
		got := ""
		if s.InReview() {
			got = "review"
		}
		if s.Editable() {
			got += "editable"
		}
		if got != want[s] {
			t.Errorf("%s: %q, want %q", s, got, want[s])
		}
	}
}

// The webhook event of each transition: the state it leads to, but for the
// refusals of a pending request, which must not read as a new record.
func TestEvent(t *testing.T) {
	for _, tc := range []struct {
		entity string
		a      Action
		to     string
		want   string
	}{
		{"site", ActionSubmit, "under_review", "site.under_review"},
		{"site", ActionApprove, "recorded", "site.recorded"},
		{"site", ActionReturn, "returned", "site.returned"},
		{"site", ActionApproveChange, "recorded", "site.recorded"},
		{"site", ActionReturnChange, "recorded", "site.change_returned"},
		{"site", ActionReturnCancel, "recorded", "site.cancel_returned"},
		{"site", ActionApproveCancel, "cancelled", "site.cancelled"},
		{"subject", ActionReturnChange, "approved", "subject.change_returned"},
		{"subject", ActionApprove, "approved", "subject.approved"},
	} {
		if got := Event(tc.entity, tc.a, tc.to); got != tc.want {
			t.Errorf("Event(%s, %s, %s) = %s, want %s", tc.entity, tc.a, tc.to, got, tc.want)
		}
	}
}
