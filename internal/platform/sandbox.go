package platform

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/store"
)

// SandboxOptions are the sandbox's switches (SPEC §1, issue 3 item 6): a
// test server that is a little hostile on purpose, so clients prove they
// handle every path. None of them may be on in a real filing desk.
type SandboxOptions struct {
	// ReviewDelay is how long a submitted filing waits before the automatic
	// reviewer decides it (RunAutoReview). 0 decides at the next pass.
	ReviewDelay time.Duration
}

// ReturnDomain: in the sandbox, a site whose domains include this one or
// any name under it (shop.return.test) is returned by the automatic review
// with ReturnReason instead of approved, so clients can exercise the
// return → edit → resubmit path without a reviewer.
const ReturnDomain = "return.test"

// ReturnReason is the reason the sandbox gives when it returns a filing.
const ReturnReason = "沙箱自动退回（域名属于 return.test）/ returned by the sandbox: the domain is under return.test"

// testTLD: in the sandbox, names under the reserved ".test" top-level domain
// (RFC 2606) are accepted as first-level domains, although they are on no
// public-suffix list, so nobody needs a real domain to try the platform.
const testTLD = ".test"

func underTest(ascii string) bool { return ascii == "test" || strings.HasSuffix(ascii, testTLD) }

func underReturn(ascii string) bool {
	return ascii == ReturnDomain || strings.HasSuffix(ascii, "."+ReturnDomain)
}

// RunAutoReview is the sandbox's automatic reviewer: every subject and site
// submitted at least ReviewDelay ago is decided by the System actor —
// approved, except sites under ReturnDomain, which are returned. Subjects go
// first, so a site whose subject is approved in the same pass is approved
// too. It returns how many items it decided. The server runs it on a ticker
// and on POST /v1/sandbox/review, which makes tests deterministic.
func (d *Desk) RunAutoReview(ctx context.Context) (int, error) {
	if !d.Sandbox() {
		return 0, api.NewProblem(api.CodeNotFound, "the automatic review exists only in the sandbox")
	}
	due := d.now().Add(-d.opts.Sandbox.ReviewDelay)
	decided := 0
	for _, kind := range []api.ReviewKind{api.ReviewSubject, api.ReviewSite, api.ReviewChange, api.ReviewCancel} {
		cursor := ""
		for {
			items, next, err := d.store.ReviewQueue(ctx, "", string(kind), store.Page{Limit: 200, Cursor: cursor})
			if err != nil {
				return decided, d.problem(ctx, System, err)
			}
			for _, it := range items {
				if it.SubmittedAt.After(due) {
					continue
				}
				ok, err := d.autoDecide(ctx, kind, it.ID)
				if err != nil {
					return decided, err
				}
				if ok {
					decided++
				}
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	return decided, nil
}

// autoDecide decides one item; refusals that only mean "not yet" (a site
// whose subject is not approved, an item decided concurrently) are skipped.
func (d *Desk) autoDecide(ctx context.Context, kind api.ReviewKind, id string) (bool, error) {
	var err error
	if kind == api.ReviewSubject {
		_, err = d.ApproveSubject(ctx, System, id)
	} else {
		site, gerr := d.store.Site(ctx, id)
		if gerr != nil {
			return false, nil
		}
		returnIt := false
		for _, dom := range site.Domains {
			returnIt = returnIt || underReturn(dom)
		}
		if returnIt {
			_, err = d.ReturnSite(ctx, System, id, api.ReturnRequest{Reason: ReturnReason})
		} else {
			_, err = d.ApproveSite(ctx, System, id)
		}
	}
	var p *api.Problem
	if errors.As(err, &p) {
		switch p.Code {
		case api.CodeSubjectRequired, api.CodeSubjectNotApproved, api.CodeTransitionRefused, api.CodeNotFound, api.CodeVersionConflict:
			return false, nil
		}
	}
	return err == nil, err
}

// Outbox lists the messages kept by the log sender (sandbox only).
func (d *Desk) Outbox(ctx context.Context, actor Actor, to string) (api.OutboxList, error) {
	if !d.Sandbox() {
		return api.OutboxList{}, api.NewProblem(api.CodeNotFound, "the outbox exists only in the sandbox")
	}
	ms, err := d.store.Outbox(ctx, to)
	if err != nil {
		return api.OutboxList{}, d.problem(ctx, actor, err)
	}
	out := api.OutboxList{Items: make([]api.OutboxMessage, len(ms))}
	for i, m := range ms {
		out.Items[i] = api.OutboxMessage{ID: m.ID, Channel: m.Channel, To: m.To, Body: m.Body, Code: m.Code, SentAt: m.SentAt}
	}
	return out, nil
}
