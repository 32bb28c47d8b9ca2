// Package subject implements `beian subject show|edit`: the account's
// hosting subject (开办主体) — one account, one subject.
package subject

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// NewCmdSubject is the `subject` group.
func NewCmdSubject(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "subject <command>",
		Short: "Show or edit your hosting subject (开办主体)",
		Long: `The hosting subject is who runs the sites: a unit (company, government body,
institution...) or an individual. One account has exactly one subject; it is
reviewed, and no site is approved before its subject is.`,
		Example: `  beian subject show
  beian subject edit --from subject.yaml`,
	}
	cmd.AddCommand(NewCmdShow(f, nil), NewCmdEdit(f, nil))
	return cmd
}

// ShowOptions are the inputs of showRun.
type ShowOptions struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer
}

// NewCmdShow builds `subject show`; runF replaces showRun in tests.
func NewCmdShow(f *cmdutil.Factory, runF func(context.Context, *ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	return &cobra.Command{
		Use:   "show",
		Short: "Show the hosting subject and its review state",
		Example: `  beian subject show
  beian subject show -o yaml > subject.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return showRun(cmd.Context(), opts)
		},
	}
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	rec, err := c.Subject(ctx)
	var p *api.Problem
	if errors.As(err, &p) && p.Code == api.CodeNotFound {
		return cmdutil.Exit(cmdutil.ExitFailure, errors.New(loc.T("subject.none")))
	}
	if err != nil {
		return err
	}
	return output.Print(opts.IO, out, rec, func() error {
		s := rec.Subject
		t := output.NewTable(opts.IO)
		add := func(id, v string) {
			if v != "" {
				t.AddRow(loc.T(id), v)
			}
		}
		add("subject.state", loc.T("subject_state."+string(rec.State))+" ("+string(rec.State)+")")
		add("subject.return_reason", rec.ReturnReason)
		add("subject.name", s.Name)
		add("subject.kind", string(s.Kind)+" "+string(s.UnitType))
		add("subject.cert", fmt.Sprintf("%s %s", s.CertType, s.CertNumber))
		add("subject.legal_rep", s.LegalRepresentative)
		add("subject.address", area.FullName(s.OfficeAddress.AreaCode)+" "+s.OfficeAddress.Detail)
		add("subject.mobile", s.Mobile)
		add("subject.email", s.Email)
		add("subject.responsible", s.Responsible.Name)
		return t.Render()
	})
}

// EditOptions are the inputs of editRun.
type EditOptions struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Localizer func() *i18n.Localizer
	// Edit is the interactive editor (the forms), nil when unavailable.
	Edit func(context.Context, filing.Subject) (filing.Subject, error)
	Now  func() time.Time

	From           string
	NoSubmit       bool
	ApplyNonKeyNow bool
}

// NewCmdEdit builds `subject edit`; runF replaces editRun in tests.
func NewCmdEdit(f *cmdutil.Factory, runF func(context.Context, *EditOptions) error) *cobra.Command {
	opts := &EditOptions{IO: f.IOStreams, APIClient: f.APIClient, Localizer: f.Localizer, Edit: f.EditSubject, Now: f.Now}
	if opts.Edit == nil {
		// The subject's pages of `beian file`, prefilled.
		opts.Edit = func(ctx context.Context, cur filing.Subject) (filing.Subject, error) {
			env := forms.Env{Loc: f.Localizer(), Today: f.Now(), Accessible: f.IOStreams.Accessible()}
			return forms.EditSubject(ctx, forms.NewRunner(f.IOStreams, f.Probes), env, cur)
		}
	}
	cmd := &cobra.Command{
		Use:   "edit",
		Short: "Create or change the hosting subject",
		Long: `Create or change the hosting subject from --from FILE (YAML with the API's
field names, under "subject:"; - reads stdin), or interactively on a
terminal. A new or returned subject is saved and submitted for review
(--no-submit keeps it a draft). An approved subject is amended: non-key
fields (addresses' detail, phones, email, remarks) apply at once; key fields
are reviewed again. A change mixing both is one change request for review
unless --apply-non-key-now applies its non-key part at once.`,
		Example: `  beian subject edit --from subject.yaml
  beian subject show -o yaml | sed 's/027-87654321/027-87654000/' | beian subject edit --from -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.From == "" && (opts.Edit == nil || !opts.IO.CanPrompt()) {
				return &cmdutil.MissingFlagError{Flag: "--from FILE"}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return editRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.From, "from", "f", "", "read the subject from YAML `FILE` (- for stdin)")
	cmd.Flags().BoolVar(&opts.NoSubmit, "no-submit", false, "save without submitting for review")
	cmd.Flags().BoolVar(&opts.ApplyNonKeyNow, "apply-non-key-now", false, "approved subject: apply the non-key part of a mixed change at once")
	return cmd
}

func editRun(ctx context.Context, opts *EditOptions) error {
	loc := opts.Localizer()
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	cur, err := c.Subject(ctx)
	var p *api.Problem
	switch {
	case errors.As(err, &p) && p.Code == api.CodeNotFound:
		cur = nil
	case err != nil:
		return err
	}
	var subj filing.Subject
	if opts.From != "" {
		// What `subject show -o yaml` prints is accepted as it is.
		doc, err := filingio.LoadRecordFile(opts.IO, opts.From)
		if err != nil {
			return err
		}
		if doc.Subject == nil {
			return cmdutil.Exit(cmdutil.ExitInvalid, fmt.Errorf("%s has no subject: section", opts.From))
		}
		if len(doc.Ignored) > 0 {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("subject.ignored", strings.Join(doc.Ignored, ", ")))
		}
		subj = *doc.Subject
	} else {
		var base filing.Subject
		if cur != nil {
			base = cur.Subject
		}
		if subj, err = opts.Edit(ctx, base); err != nil {
			return err
		}
	}
	if errs := subj.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: opts.Now()}); len(errs) > 0 {
		return filingio.Invalid(errs)
	}
	if cur != nil {
		// What changes, key fields marked, before anything is sent.
		changes := filing.DiffSubject(cur.Subject, subj)
		if len(changes) == 0 && cur.State != filing.SubjectReturned && cur.State != filing.SubjectDraft {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("amend.none"))
			return nil
		}
		if len(changes) > 0 {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("edit.changes"))
			env := forms.Env{Loc: loc}
			for _, c := range changes {
				fmt.Fprintln(opts.IO.ErrOut, forms.ChangeLine(env, c, true))
			}
		}
	}
	if cur != nil && cur.State == filing.SubjectApproved {
		rec, err := c.AmendSubject(ctx, api.SubjectWrite{Subject: subj, ApplyNonKeyNow: opts.ApplyNonKeyNow}, cur.Version)
		if err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("subject.amended", loc.T("subject_state."+string(rec.State))))
		return nil
	}
	version := 0
	if cur != nil {
		version = cur.Version
	}
	rec, err := c.PutSubject(ctx, api.SubjectWrite{Subject: subj}, version)
	if err != nil {
		return err
	}
	if !opts.NoSubmit && (rec.State == filing.SubjectDraft || rec.State == filing.SubjectReturned) {
		if rec, err = c.SubmitSubject(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("subject.saved", loc.T("subject_state."+string(rec.State))))
	return nil
}
