// Sending a filing: the dry run, the submission with its progress, the draft, and what is said when it fails or is done.

package file

import (
	"context"
	"errors"
	"fmt"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
)

// dryRun has the server check the filing and creates nothing. The journal
// is not kept: nothing was typed (--from) or it is kept already.
func (s *session) dryRun(ctx context.Context, c *client.Client, target cmdutil.Target) error {
	doc, err := s.document(ctx, c, false)
	if err != nil {
		return err
	}
	if _, err := filingio.Submit(ctx, c, doc, filingio.SubmitOptions{DryRun: true, Sandbox: target.Sandbox, Today: s.opts.Now()}); err != nil {
		return err
	}
	fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.dry_run_ok"))
	return nil
}

// send files the journalled answers: it saves the keys before the first
// request, records each step the server confirms, and removes the journal
// once the site is filed. Any failure keeps the journal and prints the
// resume command.
func (s *session) send(ctx context.Context, c *client.Client, target cmdutil.Target) error {
	pr := &s.entry.Progress
	resume := pr.CreateKey != "" // a request may already have reached the server
	if pr.CreateKey == "" {
		keys := filingio.NewKeys()
		pr.SubjectSubmitKey, pr.CreateKey, pr.SubmitKey = keys.Subject, keys.Create, keys.Submit
	}
	s.save()

	doc, err := s.document(ctx, c, true)
	if err != nil {
		return s.failed(err)
	}
	var rec *api.SiteRecord
	if s.entry.Answers.Action == forms.ActionDraft {
		rec, err = s.saveDraft(ctx, c, doc)
	} else {
		var res *filingio.Result
		res, err = filingio.Submit(ctx, c, doc, filingio.SubmitOptions{
			Keys:    filingio.Keys{Subject: pr.SubjectSubmitKey, Create: pr.CreateKey, Submit: pr.SubmitKey},
			SiteID:  pr.SiteID,
			Resume:  resume,
			Sandbox: target.Sandbox,
			Today:   s.opts.Now(),
			Progress: func(step filingio.Step, r *api.SiteRecord) {
				s.progress(step, r)
			},
		})
		if res != nil {
			rec = res.Site
		}
	}
	if err != nil {
		return s.failed(err)
	}
	if err := s.opts.Journal.Remove(s.entry.ID); err != nil {
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.journal_failed", err))
	}
	return s.done(ctx, c, target, rec)
}

// progress journals what the server has confirmed.
func (s *session) progress(step filingio.Step, r *api.SiteRecord) {
	pr := &s.entry.Progress
	switch step {
	case filingio.StepSubjectSaved:
		pr.SubjectSaved = true
	case filingio.StepSubjectSubmitted:
		pr.SubjectSubmitted = true
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.subject_submitted"))
	case filingio.StepCreated:
		if r != nil {
			pr.SiteID, pr.SiteVersion = r.ID, r.Version
		}
	case filingio.StepSubmitted:
		pr.Submitted = true
	}
	s.save()
}

// saveDraft saves the subject (without submitting it) when the account
// needs one, then creates or updates the site as a draft.
func (s *session) saveDraft(ctx context.Context, c *client.Client, doc *filingio.Document) (*api.SiteRecord, error) {
	pr := &s.entry.Progress
	if doc.Subject != nil {
		cur, err := c.Subject(ctx)
		var p *api.Problem
		switch {
		case errors.As(err, &p) && p.Code == api.CodeNotFound:
			if _, err := c.PutSubject(ctx, api.SubjectWrite{Subject: *doc.Subject}, 0); err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		case cur.State == filing.SubjectDraft || cur.State == filing.SubjectReturned:
			if _, err := c.PutSubject(ctx, api.SubjectWrite{Subject: *doc.Subject}, cur.Version); err != nil {
				return nil, err
			}
		}
		pr.SubjectSaved = true
		s.save()
	}
	write := api.SiteWrite{Site: *doc.Site}
	if pr.SiteID != "" {
		cur, err := c.Site(ctx, pr.SiteID)
		if err != nil {
			return nil, err
		}
		return c.UpdateSite(ctx, cur.ID, cur.Version, write)
	}
	rec, err := c.CreateSite(ctx, write, false, client.WithIdempotencyKey(pr.CreateKey))
	if err != nil {
		return nil, err
	}
	s.progress(filingio.StepCreated, rec)
	return rec, nil
}

// failed keeps the journal after a failed request. A refusal of the
// answers themselves (validation, a taken domain) sends a resumed filing
// back to the pages of the refused fields; anything else (the server down,
// a timeout) resumes by sending the same requests again.
func (s *session) failed(err error) error {
	var p *api.Problem
	if errors.As(err, &p) && p.Code != api.CodeUnavailable && p.Code != api.CodeInternal && p.Code != api.CodeRateLimited {
		var refused filing.Errors
		for _, fe := range p.Errors {
			refused = append(refused, filing.FieldError{Field: fe.Field, Code: fe.Code, Message: fe.Message, Params: fe.Params})
		}
		if len(refused) == 0 && (p.Code == api.CodeDomainTaken || p.Code == api.CodeDomainYours || p.Code == api.CodeDomainClaimable) {
			refused = filing.Errors{{Field: "site.primary_domain", Code: string(p.Code), Message: p.Detail}}
		}
		if len(refused) > 0 {
			s.entry.Refused = refused
			s.entry.Complete = false
		}
	}
	return s.keep(err)
}

// done reports the filed site on stdout (its status, in the chosen output
// format) and, with --wait, waits for the review first.
func (s *session) done(ctx context.Context, c *client.Client, target cmdutil.Target, rec *api.SiteRecord) error {
	out, err := s.opts.Output()
	if err != nil {
		return err
	}
	if rec == nil {
		return nil
	}
	if s.entry.Answers.Action == forms.ActionDraft {
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.draft_saved", rec.ID))
	} else {
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.submitted", rec.ID))
	}
	if w := forms.LateWarning(forms.Env{Loc: s.loc, Today: s.opts.Now()}, rec.Site.LaunchDate); w != "" {
		fmt.Fprintln(s.opts.IO.ErrOut, s.opts.IO.ColorScheme().Yellow(w))
	}
	return filingio.Report(ctx, c, s.opts.IO, out, s.loc, rec, filingio.ReportOptions{
		Wait: s.opts.Wait, Timeout: s.opts.Timeout, Interval: s.opts.Interval, Sandbox: target.Sandbox,
	})
}
