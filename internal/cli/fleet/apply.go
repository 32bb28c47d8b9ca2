package fleet

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
)

// Result is how one step of an apply ended.
type Result struct {
	Subject      string          `json:"subject"`
	Key          string          `json:"key"` // empty for the hosting subject
	Name         string          `json:"name"`
	Action       Action          `json:"action"`
	SiteID       string          `json:"site_id,omitempty"`
	State        string          `json:"state,omitempty"`
	RecordNumber string          `json:"record_number,omitempty"`
	Error        string          `json:"error,omitempty"`
	Err          error           `json:"-"`
	Site         *api.SiteRecord `json:"-"`
}

// ApplyOptions control Apply.
type ApplyOptions struct {
	// Parallel bounds the requests in flight per account (default 4).
	Parallel int
	// Journal keeps the Idempotency-Keys; required.
	Journal *Journal
	// Progress is told each step as it ends; calls are serialised.
	Progress func(Result)
}

// ErrRejectedPlan is returned by Apply for a plan with problems: nothing
// is sent.
var ErrRejectedPlan = errors.New("the plan has problems; nothing was sent")

// Apply carries out every step of plan that changes something: per account
// the hosting subject first, then its sites with at most Parallel requests
// in flight; accounts run side by side. A step that fails is reported and
// the others go on (the sites of a subject that failed are not sent). The
// results are in plan order.
func Apply(ctx context.Context, plan *Plan, remote *Remote, o ApplyOptions) ([]Result, error) {
	if plan.Problems > 0 {
		return nil, ErrRejectedPlan
	}
	if o.Parallel <= 0 {
		o.Parallel = 4
	}
	var progressMu sync.Mutex
	report := func(r Result) {
		if r.Err != nil {
			r.Error = r.Err.Error()
		}
		if o.Progress != nil {
			progressMu.Lock()
			o.Progress(r)
			progressMu.Unlock()
		}
	}
	results := make([][]Result, len(plan.Subjects))
	var wg sync.WaitGroup
	for i, sp := range plan.Subjects {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = applySubject(ctx, sp, remote.Clients[sp.fleet], o, report)
		}()
	}
	wg.Wait()
	var out []Result
	for _, rs := range results {
		out = append(out, rs...)
	}
	return out, nil
}

func applySubject(ctx context.Context, sp *SubjectPlan, c *client.Client, o ApplyOptions, report func(Result)) []Result {
	var out []Result
	if sp.Subject.Action.changes() {
		r := Result{Subject: sp.ID, Name: "(hosting subject)", Action: sp.Subject.Action}
		if sp.Subject.desired != nil {
			r.Name = sp.Subject.desired.Name
		}
		state, err := applySubjectStep(ctx, sp, c, o.Journal)
		r.State, r.Err = string(state), err
		report(r)
		out = append(out, r)
		if err != nil {
			for _, st := range sp.Sites {
				if st.Action.changes() {
					r := Result{Subject: sp.ID, Key: st.Key, Name: st.Name, Action: st.Action, SiteID: st.SiteID,
						Err: errors.New("not sent: the hosting subject failed")}
					report(r)
					out = append(out, r)
				}
			}
			return out
		}
	}
	steps := append(append([]*Step{}, sp.Sites...), sp.Unmanaged...)
	res := make([]*Result, len(steps))
	sem := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	for i, st := range steps {
		if !st.Action.changes() {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				r := Result{Subject: sp.ID, Key: st.Key, Name: st.Name, Action: st.Action, SiteID: st.SiteID, Err: ctx.Err()}
				res[i] = &r
				report(r)
				return
			}
			defer func() { <-sem }()
			r := applyStep(ctx, sp.ID, st, c, o.Journal)
			res[i] = &r
			report(r)
		}()
	}
	wg.Wait()
	for _, r := range res {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out
}

func applySubjectStep(ctx context.Context, sp *SubjectPlan, c *client.Client, j *Journal) (filing.SubjectState, error) {
	st := sp.Subject
	id := sp.ID + "/"
	e, err := j.Keys(id, contentHash(st.desired))
	if err != nil {
		return "", err
	}
	write := api.SubjectWrite{Subject: *st.desired}
	var rec *api.SubjectRecord
	switch st.Action {
	case Create, Update:
		if _, err = c.PutSubject(ctx, write, st.version); err != nil {
			return "", err
		}
		rec, err = c.SubmitSubject(ctx, client.WithIdempotencyKey(e.Submit))
	case Amend:
		write.ApplyNonKeyNow = true
		rec, err = c.AmendSubject(ctx, write, st.version)
	default:
		return "", fmt.Errorf("no subject action %q", st.Action)
	}
	if err != nil {
		return "", err
	}
	return rec.State, j.Done(id)
}

func applyStep(ctx context.Context, subject string, st *Step, c *client.Client, j *Journal) Result {
	r := Result{Subject: subject, Key: st.Key, Name: st.Name, Action: st.Action, SiteID: st.SiteID}
	id := subject + "/" + st.Key
	hash := contentHash(st.desired)
	if st.Action == Cancel {
		hash = contentHash(st.SiteID)
	}
	e, err := j.Keys(id, hash)
	if err != nil {
		r.Err = err
		return r
	}
	write := api.SiteWrite{Site: st.desired}
	var rec *api.SiteRecord
	switch st.Action {
	case Create:
		rec, err = c.CreateSite(ctx, write, false, client.WithIdempotencyKey(e.Create))
		if err == nil {
			r.SiteID = rec.ID
			rec, err = c.SubmitSite(ctx, rec.ID, client.WithIdempotencyKey(e.Submit))
		}
	case Update:
		if _, err = c.UpdateSite(ctx, st.SiteID, st.version, write); err == nil {
			rec, err = c.SubmitSite(ctx, st.SiteID, client.WithIdempotencyKey(e.Submit))
		}
	case Submit:
		rec, err = c.SubmitSite(ctx, st.SiteID, client.WithIdempotencyKey(e.Submit))
	case Amend:
		var res *api.AmendResult
		res, err = c.AmendSite(ctx, st.SiteID, st.version, api.AmendRequest{Site: st.desired, ApplyNonKeyNow: true}, client.WithIdempotencyKey(e.Amend))
		if err == nil {
			rec = &res.Site
		}
	case Cancel:
		if st.State.Editable() {
			err = c.DeleteSite(ctx, st.SiteID, st.version)
			r.State = "deleted"
		} else {
			rec, err = c.CancelSite(ctx, st.SiteID, api.CancelRequest{Reason: "not in the fleet any more (beian apply --prune)"}, client.WithIdempotencyKey(e.Cancel))
		}
	default:
		err = fmt.Errorf("no site action %q", st.Action)
	}
	if err != nil {
		r.Err = err
		return r
	}
	if rec != nil {
		r.SiteID, r.State, r.RecordNumber, r.Site = rec.ID, string(rec.State), rec.RecordNumber, rec
	}
	if err := j.Done(id); err != nil {
		r.Err = err
	}
	return r
}
