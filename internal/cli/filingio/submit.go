package filingio

import (
	"context"
	"errors"
	"reflect"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
)

// Keys are the Idempotency-Keys of one filing's requests. A journalled
// filing keeps them, so that `file --resume` after a lost answer repeats the
// same requests and the server creates one site, not two.
type Keys struct {
	Subject string `json:"subject,omitempty" yaml:"subject,omitempty"` // POST /v1/subject/submit
	Create  string `json:"create,omitempty" yaml:"create,omitempty"`   // POST /v1/sites
	Submit  string `json:"submit,omitempty" yaml:"submit,omitempty"`   // POST /v1/sites/{id}/submit
}

// NewKeys returns fresh keys for a new filing.
func NewKeys() Keys {
	return Keys{Subject: client.NewIdempotencyKey(), Create: client.NewIdempotencyKey(), Submit: client.NewIdempotencyKey()}
}

// Step is a stage of Submit, reported to Progress.
type Step string

// The stages of Submit.
const (
	StepSubjectSaved     Step = "subject_saved"     // the subject was created or changed
	StepSubjectSubmitted Step = "subject_submitted" // ... and sent for review
	StepSubjectKept      Step = "subject_kept"      // the account's subject is under review or approved; the file's was not used
	StepValidated        Step = "validated"         // the server checked the site (dry run)
	StepCreated          Step = "created"           // the draft exists
	StepSubmitted        Step = "submitted"         // the site is under review
)

// SubmitOptions control Submit.
type SubmitOptions struct {
	// DryRun checks the subject here and the site on the server, and
	// creates nothing.
	DryRun bool
	// Keys of the requests; zero values are generated.
	Keys Keys
	// SiteID, when set, is an existing draft or returned filing to update
	// and submit instead of creating a new one (a resumed filing whose
	// draft was created).
	SiteID string
	// Progress is told each step done, with the site when there is one.
	Progress func(Step, *api.SiteRecord)
	// Resume repeats an earlier attempt with the same Keys (and SiteID if
	// the draft is known): the server's dry run is skipped, since the site
	// may already hold its domains, and the keyed requests answer as the
	// first time did.
	Resume bool
	// Sandbox says the server is the sandbox, whose leniencies (.test
	// domains, documentation IP ranges) the client's own checks then share.
	Sandbox bool
	// Today is the client's day, which its own checks compare dates with.
	Today time.Time
}

// Result is what Submit did.
type Result struct {
	Site    *api.SiteRecord    // nil on a dry run
	Subject *api.SubjectRecord // the account's subject after Submit
}

// ErrNoSite says the document has no site: section.
var ErrNoSite = &DocumentError{Name: "document", Err: errors.New("there is no site: section to file")}

// Submit files doc: the subject first when the account has none (or has a
// draft or returned one), then the site — validated by the server (dry
// run), created as a draft and submitted for review. Each request that
// creates or submits carries its key from o.Keys.
func Submit(ctx context.Context, c *client.Client, doc *Document, o SubmitOptions) (*Result, error) {
	if doc.Site == nil {
		return nil, ErrNoSite
	}
	if o.Keys.Subject == "" {
		o.Keys.Subject = client.NewIdempotencyKey()
	}
	if o.Keys.Create == "" {
		o.Keys.Create = client.NewIdempotencyKey()
	}
	if o.Keys.Submit == "" {
		o.Keys.Submit = client.NewIdempotencyKey()
	}
	progress := o.Progress
	if progress == nil {
		progress = func(Step, *api.SiteRecord) {}
	}
	res := &Result{}

	subj, err := c.Subject(ctx)
	var p *api.Problem
	switch {
	case errors.As(err, &p) && p.Code == api.CodeNotFound:
		subj = nil
	case err != nil:
		return nil, err
	}
	if doc.Subject != nil {
		if subj == nil || subj.State == filing.SubjectDraft || subj.State == filing.SubjectReturned {
			if errs := doc.Subject.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: o.Today}); len(errs) > 0 {
				return nil, Invalid(errs)
			}
			if !o.DryRun {
				version := 0
				if subj != nil {
					version = subj.Version
				}
				if subj == nil || subj.State == filing.SubjectReturned || !reflect.DeepEqual(subj.Subject, *doc.Subject) {
					if _, err = c.PutSubject(ctx, api.SubjectWrite{Subject: *doc.Subject}, version); err != nil {
						return nil, err
					}
					progress(StepSubjectSaved, nil)
				}
				if subj, err = c.SubmitSubject(ctx, client.WithIdempotencyKey(o.Keys.Subject)); err != nil {
					return nil, err
				}
				progress(StepSubjectSubmitted, nil)
			}
		} else {
			progress(StepSubjectKept, nil)
		}
	} else if subj == nil {
		return nil, api.NewProblem(api.CodeSubjectRequired, "the account has no subject and the document has no subject: section")
	}
	res.Subject = subj

	write := api.SiteWrite{Site: *doc.Site}
	if subj == nil { // only on a dry run: otherwise the subject was saved above
		// A dry run before the account has a subject: the server cannot
		// check a site without one, so the client does, by the same rules.
		site := *doc.Site
		site.FillFromResponsible(doc.Subject.Responsible)
		errs := site.Validate(filing.SiteOptions{ForSubmit: true, Today: o.Today, AllowNonPublicIP: o.Sandbox, TestDomains: o.Sandbox})
		if len(errs) > 0 {
			return nil, Invalid(errs)
		}
		progress(StepValidated, nil)
	} else if !o.Resume {
		if _, err := c.CreateSite(ctx, write, true); err != nil {
			return nil, err
		}
		progress(StepValidated, nil)
	}
	if o.DryRun {
		return res, nil
	}

	var rec *api.SiteRecord
	if o.SiteID != "" {
		cur, err := c.Site(ctx, o.SiteID)
		if err != nil {
			return nil, err
		}
		rec = cur
		if cur.State == filing.StateDraft || cur.State == filing.StateReturned {
			if rec, err = c.UpdateSite(ctx, cur.ID, cur.Version, write); err != nil {
				return nil, err
			}
		}
	} else {
		if rec, err = c.CreateSite(ctx, write, false, client.WithIdempotencyKey(o.Keys.Create)); err != nil {
			return nil, err
		}
	}
	progress(StepCreated, rec)
	if rec.State == filing.StateDraft || rec.State == filing.StateReturned {
		if rec, err = c.SubmitSite(ctx, rec.ID, client.WithIdempotencyKey(o.Keys.Submit)); err != nil {
			return nil, err
		}
	}
	progress(StepSubmitted, rec)
	res.Site = rec
	return res, nil
}
