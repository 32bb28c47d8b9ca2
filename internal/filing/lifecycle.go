package filing

import (
	"fmt"
	"slices"
)

// Action is something done to a filing: a sponsor submits, a reviewer
// approves, an admin imports. Actions are named as the audit trail names them.
type Action string

const (
	ActionCreate        Action = "create"         // a sponsor starts a new draft
	ActionEdit          Action = "edit"           // a sponsor saves changes to a draft (or a returned draft)
	ActionDelete        Action = "delete"         // a sponsor discards a draft
	ActionSubmit        Action = "submit"         // a sponsor sends a draft for review
	ActionApprove       Action = "approve"        // review passed: the record number is issued
	ActionReturn        Action = "return"         // review failed: back to the sponsor with a reason
	ActionRequestChange Action = "request_change" // a sponsor asks to change key fields of a recorded filing
	ActionApproveChange Action = "approve_change" // the key change is applied
	ActionReturnChange  Action = "return_change"  // the key change is refused with a reason; old values stay
	ActionAmendNonKey   Action = "amend_nonkey"   // non-key fields applied at once, audited
	ActionRequestCancel Action = "request_cancel" // a sponsor asks to cancel a recorded filing
	ActionApproveCancel Action = "approve_cancel" // the filing is canceled
	ActionReturnCancel  Action = "return_cancel"  // cancellation refused; the filing stays recorded
	ActionImport        Action = "import"         // an earlier filing matched to a subject by certificate (§5)
	ActionImportToClaim Action = "import_to_claim"
	ActionClaim         Action = "claim" // the subject takes over an earlier filing as a draft to supplement
)

// Actions lists every action, in the order a filing usually meets them.
var Actions = []Action{
	ActionCreate, ActionEdit, ActionDelete, ActionSubmit, ActionApprove, ActionReturn,
	ActionRequestChange, ActionApproveChange, ActionReturnChange, ActionAmendNonKey,
	ActionRequestCancel, ActionApproveCancel, ActionReturnCancel,
	ActionImport, ActionImportToClaim, ActionClaim,
}

// Actor is who performs an action. Account roles map to the first three;
// system is the server itself (the sandbox's automatic review, scheduled pushes).
type Actor string

const (
	ActorSponsor  Actor = "sponsor"
	ActorReviewer Actor = "reviewer"
	ActorAdmin    Actor = "admin"
	ActorSystem   Actor = "system"
)

// Actors lists every actor.
var Actors = []Actor{ActorSponsor, ActorReviewer, ActorAdmin, ActorSystem}

// StateNone is the "from" state of a filing that does not exist yet (create,
// import), and StateDeleted the "to" state of a discarded draft: the store
// removes the row, and since a draft reserves nothing, nothing else changes.
const (
	StateNone    State = ""
	StateDeleted State = "deleted"
)

// States lists every state a stored site filing can be in.
var States = []State{
	StateDraft, StateUnderReview, StateReturned, StateRecorded, StateChangeUnderReview,
	StateCancelUnderReview, StateCancelled, StateUnrecorded, StateToClaim,
}

// ReviewStates wait for a reviewer: a new filing, a change or a
// cancellation under review.
var ReviewStates = []State{StateUnderReview, StateChangeUnderReview, StateCancelUnderReview}

// EditableStates are the sponsor's to edit and submit: a draft, or a
// filing the reviewer returned.
var EditableStates = []State{StateDraft, StateReturned}

// InReview reports whether a site in state s waits for a reviewer.
func (s State) InReview() bool { return slices.Contains(ReviewStates, s) }

// Editable reports whether the sponsor edits and submits a site in state s.
func (s State) Editable() bool { return slices.Contains(EditableStates, s) }

// Move is one allowed transition: From --Action by any of By--> To.
type Move[S ~string] struct {
	From   S
	Action Action
	By     []Actor
	To     S
}

// Who may decide a review. Admins can, so a small office needs no second
// account; system is the sandbox's automatic reviewer.
var reviewers = []Actor{ActorReviewer, ActorAdmin, ActorSystem}

var sponsor = []Actor{ActorSponsor}

// SiteTransitions is the site lifecycle of SPEC §3 as data: every move not
// listed here is refused. Notes on choices the diagram leaves open:
//   - a returned filing stays "returned" while edited, so the reviewer's reason
//     stays visible until it is resubmitted;
//   - while a change or cancellation is under review nothing else may happen
//     to the filing (not even a non-key amendment), so approving the pending
//     request can never overwrite a later edit;
//   - imports come from the admin's CSV import or from the system re-matching
//     earlier filings when a subject registers.
var SiteTransitions = []Move[State]{
	{StateNone, ActionCreate, sponsor, StateDraft},
	{StateDraft, ActionEdit, sponsor, StateDraft},
	{StateDraft, ActionDelete, sponsor, StateDeleted},
	{StateDraft, ActionSubmit, sponsor, StateUnderReview},
	{StateReturned, ActionEdit, sponsor, StateReturned},
	{StateReturned, ActionDelete, sponsor, StateDeleted},
	{StateReturned, ActionSubmit, sponsor, StateUnderReview},
	{StateUnderReview, ActionApprove, reviewers, StateRecorded},
	{StateUnderReview, ActionReturn, reviewers, StateReturned},
	{StateRecorded, ActionAmendNonKey, sponsor, StateRecorded},
	{StateRecorded, ActionRequestChange, sponsor, StateChangeUnderReview},
	{StateChangeUnderReview, ActionApproveChange, reviewers, StateRecorded},
	{StateChangeUnderReview, ActionReturnChange, reviewers, StateRecorded},
	{StateRecorded, ActionRequestCancel, sponsor, StateCancelUnderReview},
	{StateCancelUnderReview, ActionApproveCancel, reviewers, StateCancelled},
	{StateCancelUnderReview, ActionReturnCancel, reviewers, StateRecorded},
	{StateNone, ActionImport, []Actor{ActorAdmin, ActorSystem}, StateUnrecorded},
	{StateNone, ActionImportToClaim, []Actor{ActorAdmin, ActorSystem}, StateToClaim},
	{StateToClaim, ActionImport, []Actor{ActorSystem}, StateUnrecorded}, // a subject with its certificate registered
	{StateUnrecorded, ActionClaim, sponsor, StateDraft},
	{StateToClaim, ActionClaim, sponsor, StateDraft},
}

// SubjectChangeUnderReview is an approved subject with a pending key change:
// like a site, it stays approved with its old values meanwhile.
const SubjectChangeUnderReview SubjectState = "change_under_review"

// SubjectNone is the "from" state of a subject not yet created.
const SubjectNone SubjectState = ""

// SubjectStates lists every state a stored subject can be in.
var SubjectStates = []SubjectState{SubjectDraft, SubjectUnderReview, SubjectApproved, SubjectReturned, SubjectChangeUnderReview}

// SubjectTransitions is the subject's review lifecycle. A subject is never
// deleted or canceled here: it is the account's identity (one account = one
// subject), so it goes when the account goes.
var SubjectTransitions = []Move[SubjectState]{
	{SubjectNone, ActionCreate, sponsor, SubjectDraft},
	{SubjectDraft, ActionEdit, sponsor, SubjectDraft},
	{SubjectDraft, ActionSubmit, sponsor, SubjectUnderReview},
	{SubjectReturned, ActionEdit, sponsor, SubjectReturned},
	{SubjectReturned, ActionSubmit, sponsor, SubjectUnderReview},
	{SubjectUnderReview, ActionApprove, reviewers, SubjectApproved},
	{SubjectUnderReview, ActionReturn, reviewers, SubjectReturned},
	{SubjectApproved, ActionAmendNonKey, sponsor, SubjectApproved},
	{SubjectApproved, ActionRequestChange, sponsor, SubjectChangeUnderReview},
	{SubjectChangeUnderReview, ActionApproveChange, reviewers, SubjectApproved},
	{SubjectChangeUnderReview, ActionReturnChange, reviewers, SubjectApproved},
}

// TransitionError refuses a move the lifecycle does not allow.
type TransitionError struct {
	From   string // the current state ("" for a filing not yet created)
	Action Action
	By     Actor
}

// Code is the stable machine code of a refused transition.
func (e *TransitionError) Code() string { return "transition_refused" }

func (e *TransitionError) Error() string {
	from := e.From
	if from == "" {
		from = "(none)"
	}
	return fmt.Sprintf("transition refused: %s may not %s a filing in state %s", e.By, e.Action, from)
}

// Transition says where a site filing goes when actor by performs action a
// on it in state from, or refuses with a *TransitionError.
func Transition(from State, a Action, by Actor) (State, error) {
	return move(SiteTransitions, from, a, by)
}

// TransitionSubject is Transition for the hosting subject.
func TransitionSubject(from SubjectState, a Action, by Actor) (SubjectState, error) {
	return move(SubjectTransitions, from, a, by)
}

func move[S ~string](table []Move[S], from S, a Action, by Actor) (S, error) {
	for _, t := range table {
		if t.From == from && t.Action == a && slices.Contains(t.By, by) {
			return t.To, nil
		}
	}
	return from, &TransitionError{From: string(from), Action: a, By: by}
}

// AllowedActions lists what actor by may do to a site filing in state from,
// in table order — what a client offers and a server advertises.
func AllowedActions(from State, by Actor) []Action {
	return allowed(SiteTransitions, from, by)
}

// AllowedSubjectActions is AllowedActions for the hosting subject.
func AllowedSubjectActions(from SubjectState, by Actor) []Action {
	return allowed(SubjectTransitions, from, by)
}

func allowed[S ~string](table []Move[S], from S, by Actor) []Action {
	var out []Action
	for _, t := range table {
		if t.From == from && slices.Contains(t.By, by) && !slices.Contains(out, t.Action) {
			out = append(out, t.Action)
		}
	}
	return out
}

// SubjectNotApprovedError refuses to approve a site whose subject is not yet
// approved (SPEC §2: sites may be submitted meanwhile, never approved).
type SubjectNotApprovedError struct{ Subject SubjectState }

// Code is the stable machine code.
func (e *SubjectNotApprovedError) Code() string { return "subject_not_approved" }

func (e *SubjectNotApprovedError) Error() string {
	return fmt.Sprintf("the site cannot be approved before its subject (subject is %s)", e.Subject)
}

// CheckSiteApproval guards ActionApprove on a site: its subject must be
// approved (a pending key change to an approved subject does not block).
func CheckSiteApproval(subject SubjectState) error {
	if subject == SubjectApproved || subject == SubjectChangeUnderReview {
		return nil
	}
	return &SubjectNotApprovedError{Subject: subject}
}

// Event names the webhook event a transition emits: "<entity>.<state>" for
// the state it leads to, except for the refusals of a pending request, which
// lead back to a state the filing had ("recorded", "approved") but must not
// read as a new record: a returned change request is "site.change_returned"
// (the reason in its detail), a refused cancellation "site.cancel_returned",
// a returned subject change "subject.change_returned". entity is "site" or
// "subject"; to is the state after the move.
func Event(entity string, a Action, to string) string {
	switch a {
	case ActionReturnChange:
		return entity + ".change_returned"
	case ActionReturnCancel:
		return entity + ".cancel_returned"
	}
	return entity + "." + to
}
