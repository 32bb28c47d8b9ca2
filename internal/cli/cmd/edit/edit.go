// Package edit implements `beian edit`: change a site that is not recorded
// yet — a draft, a filing the reviewer returned (FAQ items 10 and 11), or an
// earlier filing just claimed — and, with --submit, send it for review. The
// reviewer's reason is shown first; the form is prefilled with the stored
// values; the change is sent with the version read (If-Match), so an edit
// made meanwhile elsewhere is never overwritten.
package edit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of editRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Target    func() (cmdutil.Target, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer
	Now       func() time.Time
	Probes    *cmdutil.Probes
	// Runner runs forms; nil builds one over IO (tests pass their own).
	Runner *forms.Runner

	Ref     string
	From    string
	Set     []string
	Submit  bool
	Wait    bool
	Timeout time.Duration
	// Interval is the first pause between polls of --wait (tests shorten it).
	Interval time.Duration
}

// NewCmdEdit builds the command; runF replaces editRun in tests.
func NewCmdEdit(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Target: f.Target, Output: f.Output,
		Localizer: f.Localizer, Now: f.Now, Probes: f.Probes}
	cmd := &cobra.Command{
		Use:   "edit <site-id | domain>",
		Short: "Change a draft or returned site, then submit it",
		Long: `Change a site that is not recorded yet: a draft, a filing the reviewer
returned, or an earlier filing you claimed. The reviewer's reason is shown
first. On a terminal the form opens prefilled with the stored values; for
scripts, --set changes single fields (the names of "beian amend --set") and
--from reads the whole site from YAML.

The change is sent with the version that was read: if the site changed
meanwhile (another terminal, a colleague), nothing is overwritten and beian
exits 6; run the command again to start from the current values.

With --submit the site goes for review right after the change (as
"beian submit" does); --wait then follows the review. A recorded site is
changed with "beian amend" instead.`,
		Example: `  # Fix what the reviewer returned and send it again, waiting for the decision
  beian edit example-shop.cn --set name=示例商城 --submit --wait

  # Replace the site from an edited YAML document, keep it a draft
  beian edit example-shop.cn --from site.yaml

  # Walk the prefilled form on the terminal
  beian edit example-shop.cn`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if opts.From != "" && len(opts.Set) > 0 {
				return cmdutil.FlagErrorf("--from and --set cannot be used together")
			}
			if opts.Wait && !opts.Submit {
				return cmdutil.FlagErrorf("--wait needs --submit: a draft is not reviewed")
			}
			if cmd.Flags().Changed("timeout") && !opts.Wait {
				return cmdutil.FlagErrorf("--timeout needs --wait")
			}
			if opts.Timeout < 0 {
				return cmdutil.FlagErrorf("--timeout must not be negative")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return editRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.From, "from", "f", "", "read the site's new values from YAML `FILE` (- for stdin)")
	fl.StringArrayVar(&opts.Set, "set", nil, "change one field: `field=value` (lists comma-separated; repeatable)")
	fl.BoolVar(&opts.Submit, "submit", false, "submit the site for review after the change")
	fl.BoolVarP(&opts.Wait, "wait", "w", false, "after submitting, wait until the review decides")
	fl.DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "give up waiting after this long (with --wait)")
	return cmd
}

// Editable reports whether a site in state s can be changed by `edit`.
func Editable(s filing.State) bool { return s == filing.StateDraft || s == filing.StateReturned }

// NotEditable is the error for a site `edit` or `submit` cannot act on,
// naming what to do instead.
func NotEditable(loc *i18n.Localizer, rec *api.SiteRecord) error {
	return cmdutil.Exit(cmdutil.ExitConflict, errors.New(loc.T("edit.not_editable", rec.ID,
		filingio.StateLabel(loc, rec.State), filingio.NextStep(rec.State, rec.ID))))
}

func editRun(ctx context.Context, opts *Options) error {
	loc := opts.Localizer()
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	target, err := opts.Target()
	if err != nil {
		return err
	}
	rec, err := cmdutil.FindSite(ctx, c, opts.Ref)
	if err != nil {
		return err
	}
	if !Editable(rec.State) {
		return NotEditable(loc, rec)
	}
	if rec.ReturnReason != "" {
		fmt.Fprintln(opts.IO.ErrOut, opts.IO.ColorScheme().Yellow(loc.T("edit.return_reason", output.Sanitize(rec.ReturnReason))))
	}

	// The sandbox's leniencies (.test domains, documentation IP ranges)
	// apply to the form's checks and the final one alike.
	lenient := cmdutil.LenientServer(ctx, c, target)
	env := forms.Env{Loc: loc, Today: opts.Now(), AllowNonPublicIP: lenient,
		CheckDomain: cmdutil.OwnDomainCheck(ctx, c, rec.ID), Accessible: opts.IO.Accessible()}
	var changed filing.Site
	submit := opts.Submit
	switch {
	case opts.From != "":
		doc, err := filingio.LoadFile(opts.IO, opts.From)
		if err != nil {
			return err
		}
		if doc.Site == nil {
			return filingio.ErrNoSite
		}
		changed = *doc.Site
		if len(changed.ApprovalCertificates) == 0 {
			changed.ApprovalCertificates = rec.Site.ApprovalCertificates
		}
		if len(changed.PriorApprovals) == 0 {
			changed.PriorApprovals = rec.Site.PriorApprovals
		}
	case len(opts.Set) > 0:
		changed, err = filingio.SetFields(rec.Site, opts.Set)
		if err != nil {
			return cmdutil.FlagErrorf("%s", filingio.LocaliseSetError(loc, err))
		}
	default:
		if !opts.IO.CanPrompt() {
			return &cmdutil.MissingFlagError{Flag: "--set field=value or --from FILE"}
		}
		changed, submit, err = ask(ctx, opts, env, c, rec.Site, submit)
		if err != nil {
			return err
		}
	}
	before, _ := filing.NormalizeSite(rec.Site)
	after, _ := filing.NormalizeSite(changed)
	changes := filing.Diff(before, after)
	if len(changes) > 0 {
		fmt.Fprint(opts.IO.ErrOut, describe(env, changes))
	}
	// Every bad field at once, before anything is sent (SPEC §6).
	if errs := changed.Validate(filing.SiteOptions{ForSubmit: submit, Today: opts.Now(), AllowNonPublicIP: lenient, TestDomains: lenient}); len(errs) > 0 {
		return filingio.Invalid(errs)
	}

	if len(changes) > 0 {
		saved, err := c.UpdateSite(ctx, rec.ID, rec.Version, api.SiteWrite{Site: changed})
		if err != nil {
			return staleHint(loc, opts.IO, rec, err)
		}
		rec = saved
		fmt.Fprintln(opts.IO.ErrOut, loc.T("edit.saved", rec.ID, rec.Version))
	} else {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("amend.none"))
	}
	if !submit {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("edit.submit_hint", rec.ID))
		return filingio.PrintStatus(opts.IO, out, loc, filingio.StatusOf(rec))
	}
	return Send(ctx, SendOptions{IO: opts.IO, Client: c, Loc: loc, Out: out, Now: opts.Now, Report: filingio.ReportOptions{
		Wait: opts.Wait, Timeout: opts.Timeout, Interval: opts.Interval, Sandbox: target.Sandbox}}, rec)
}

// describe lists the changes, key fields marked: they are the ones a
// recorded site could only change through review.
func describe(env forms.Env, changes []filing.Change) string {
	var b strings.Builder
	b.WriteString(env.Loc.T("edit.changes") + "\n")
	for _, c := range changes {
		b.WriteString(forms.ChangeLine(env, c, true) + "\n")
	}
	return b.String()
}

// staleHint adds the next step to a version conflict: someone changed the
// site after it was read.
func staleHint(loc *i18n.Localizer, ios *iostreams.IOStreams, rec *api.SiteRecord, err error) error {
	var p *api.Problem
	if errors.As(err, &p) && (p.Code == api.CodeVersionConflict || p.Code == api.CodePreconditionRequired) {
		fmt.Fprintln(ios.ErrOut, loc.T("edit.stale", rec.ID))
	}
	return err
}

// SendOptions control Send.
type SendOptions struct {
	IO     *iostreams.IOStreams
	Client *client.Client
	Loc    *i18n.Localizer
	Out    output.Options
	Now    func() time.Time
	// Report says whether to wait for the review (--wait).
	Report filingio.ReportOptions
}

// Send submits a draft or returned site for review (`beian submit`,
// `beian edit --submit`): the account's subject too when it is a draft or
// was returned, then the site, then with Wait the review's decision. It
// prints the site's status on stdout.
func Send(ctx context.Context, o SendOptions, rec *api.SiteRecord) error {
	c, loc := o.Client, o.Loc
	subj, err := c.Subject(ctx)
	if err != nil {
		return err
	}
	if subj.State == filing.SubjectDraft || subj.State == filing.SubjectReturned {
		if _, err := c.SubmitSubject(ctx, client.WithIdempotencyKey(client.NewIdempotencyKey())); err != nil {
			return err
		}
		fmt.Fprintln(o.IO.ErrOut, loc.T("file.subject_submitted"))
	}
	rec, err = c.SubmitSite(ctx, rec.ID, client.WithIdempotencyKey(client.NewIdempotencyKey()))
	if err != nil {
		return err
	}
	fmt.Fprintln(o.IO.ErrOut, loc.T("file.submitted", rec.ID))
	if o.Now != nil {
		if w := forms.LateWarning(forms.Env{Loc: loc, Today: o.Now()}, rec.Site.LaunchDate); w != "" {
			fmt.Fprintln(o.IO.ErrOut, o.IO.ColorScheme().Yellow(w))
		}
	}
	return filingio.Report(ctx, c, o.IO, o.Out, loc, rec, o.Report)
}

// ask walks every page of the site prefilled with the stored values, then
// the review page: save as a draft, or save and submit.
func ask(ctx context.Context, opts *Options, env forms.Env, c *client.Client, stored filing.Site, submit bool) (filing.Site, bool, error) {
	r := opts.Runner
	if r == nil {
		r = forms.NewRunner(opts.IO, opts.Probes)
	}
	subj, err := c.Subject(ctx)
	if err != nil {
		return filing.Site{}, false, err
	}
	a := &forms.Answers{Site: stored.Clone(), Responsible: subj.Subject.Responsible, Action: forms.ActionSubmit}
	if !submit {
		a.Action = forms.ActionDraft
	}
	w := &forms.Walker{Runner: r, Env: env, Steps: forms.SiteSteps()}
	errs, err := w.Complete(ctx, a, "")
	if err != nil {
		return filing.Site{}, false, err
	}
	if a.Action == forms.ActionQuit {
		return filing.Site{}, false, cmdutil.ErrCancel
	}
	if len(errs) > 0 {
		return filing.Site{}, false, filingio.Invalid(errs)
	}
	// The attachment pages hold paths to upload; a list with no new file
	// keeps the stored attachments.
	site := a.Site
	site.ApprovalCertificates, site.PriorApprovals = stored.ApprovalCertificates, stored.PriorApprovals
	err = filingio.AttachFiles(&site, a.Files, func(path string) (filing.Attachment, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return filing.Attachment{}, err
		}
		fmt.Fprintln(opts.IO.ErrOut, env.Loc.T("file.uploading", path))
		got, err := c.UploadAttachment(ctx, b, "", filepath.Base(path))
		if err != nil {
			return filing.Attachment{}, err
		}
		return *got, nil
	})
	if err != nil {
		return filing.Site{}, false, err
	}
	return site, a.Action == forms.ActionSubmit, nil
}
