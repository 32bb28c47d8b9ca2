// Package file implements `beian file`: file a website for the
// public-security record, interactively (the huh forms of
// internal/cli/forms) or from a YAML document (`--from FILE|-`), with the
// answers journalled as they are given so that nothing typed is lost: a
// failed or interrupted filing is picked up again by `beian file --resume`.
package file

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/journal"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of fileRun: dependencies first, then flags.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Target    func() (cmdutil.Target, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer
	Now       func() time.Time
	Probes    *cmdutil.Probes
	Journal   *journal.Store

	From     string
	Template bool
	// Attach adds files to a --from filing: "certificate=PATH" or
	// "ITEM=PATH" for a prior approval (news, publishing, …).
	Attach   []string
	DryRun   bool
	Draft    bool
	Wait     bool
	Timeout  time.Duration
	Resume   bool
	ResumeID string
	// Interval is the first pause between polls of --wait (tests shorten it).
	Interval time.Duration
}

// NewCmdFile builds the command; runF replaces fileRun in tests.
func NewCmdFile(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{
		IO:        f.IOStreams,
		APIClient: f.APIClient,
		Target:    f.Target,
		Output:    f.Output,
		Localizer: f.Localizer,
		Now:       f.Now,
		Probes:    f.Probes,
	}
	cmd := &cobra.Command{
		Use:   "file [--from FILE | --resume [ID]]",
		Short: "File a website for the public-security record",
		Long: `File a website for the public-security record (公安联网备案).

Without flags, beian walks you through the filing on the terminal: the hosting
subject when the account has none yet, the site, its domains (each checked for
duplicates as you enter it), hosting, services, people, and a review page.
Every answer is checked as you give it by the same rules the server applies.

Your answers are saved as you type (at every pause and every page), under $XDG_STATE_HOME/beian/drafts.
If the filing is interrupted (Ctrl-C, the server is down, a refusal), beian
prints the command that picks it up again: beian file --resume ID. A resumed
filing sends exactly the same requests, so the site is never filed twice.

For scripts, --from reads the filing from YAML with the API's field names
(--template prints a commented one in your language). Without a terminal, or
with --no-input, beian never prompts: --from is then required. Files go with
it as id: "file:PATH" in the document or --attach certificate=PATH (or a
prior-approval item, --attach news=PATH); beian uploads them.`,
		Example: `  # File interactively
  beian file

  # Print a commented template, fill it in, check it on the server, file it
  beian file --template > site.yaml
  beian file --from site.yaml --dry-run
  beian file --from site.yaml --wait

  # Save as a draft only
  beian file --from site.yaml --draft

  # Pick up the latest interrupted filing, or a given one
  beian file --resume
  beian file --resume 20240320-3f9c2a`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if !opts.Resume {
					return cmdutil.FlagErrorf("unexpected argument %q (only --resume takes an ID)", args[0])
				}
				opts.ResumeID = args[0]
			}
			if len(opts.Attach) > 0 && opts.From == "" {
				return cmdutil.FlagErrorf("--attach goes with --from (the form asks for its files itself)")
			}
			if opts.Resume && opts.From != "" {
				return cmdutil.FlagErrorf("--resume and --from cannot be used together")
			}
			if opts.Template && (opts.From != "" || opts.Resume || opts.DryRun || opts.Draft || opts.Wait) {
				return cmdutil.FlagErrorf("--template prints the template and does nothing else")
			}
			if opts.Draft && (opts.DryRun || opts.Wait) {
				return cmdutil.FlagErrorf("--draft cannot be combined with --dry-run or --wait")
			}
			if opts.DryRun && opts.Wait {
				return cmdutil.FlagErrorf("--dry-run creates nothing to wait for")
			}
			if cmd.Flags().Changed("timeout") && !opts.Wait {
				return cmdutil.FlagErrorf("--timeout needs --wait")
			}
			if opts.Timeout < 0 {
				return cmdutil.FlagErrorf("--timeout must not be negative")
			}
			if opts.Journal == nil {
				opts.Journal = journal.Open(journal.Dir(f.Getenv))
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return fileRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.From, "from", "f", "", "read the filing from YAML `FILE` (- for stdin) instead of asking")
	fl.StringArrayVar(&opts.Attach, "attach", nil, "with --from: attach a file, `KIND=PATH` (certificate, or a prior-approval item such as news); repeatable")
	fl.BoolVar(&opts.Template, "template", false, "print a commented YAML template in your language and exit")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "have the server check the filing; create nothing")
	fl.BoolVar(&opts.Draft, "draft", false, "save the site as a draft on the server; do not submit it")
	fl.BoolVarP(&opts.Wait, "wait", "w", false, "after submitting, wait until the review decides")
	fl.DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "give up waiting after this long (with --wait)")
	fl.BoolVar(&opts.Resume, "resume", false, "pick up an interrupted filing: the latest, or the ID given as argument")
	return cmd
}

// session is one run of `beian file`: the journal entry and what it needs
// to talk about it.
type session struct {
	opts      *Options
	loc       *i18n.Localizer
	entry     *journal.Entry
	unchecked []string // domains the form could not check for duplicates
}

func fileRun(ctx context.Context, opts *Options) error {
	loc := opts.Localizer()
	if opts.Template {
		_, err := opts.IO.Out.Write(filingio.Template(loc.Lang()))
		return err
	}
	target, err := opts.Target()
	if err != nil {
		return err
	}
	s := &session{opts: opts, loc: loc}
	switch {
	case opts.Resume:
		if err := s.loadForResume(target); err != nil {
			return err
		}
	case opts.From != "":
		doc, err := filingio.LoadFile(opts.IO, opts.From)
		if err != nil {
			return err
		}
		if doc.Site == nil {
			return filingio.ErrNoSite
		}
		filingio.ResolveFileRefs(doc.Site, opts.From)
		if err := filingio.AttachFlags(doc.Site, opts.Attach); err != nil {
			return cmdutil.FlagErrorf("--attach: %v", err)
		}
		s.entry = opts.Journal.New(target.Server)
		s.entry.Answers = forms.Answers{Subject: doc.Subject, Site: *doc.Site}
		s.entry.Complete = true
	default:
		if !opts.IO.CanPrompt() {
			return &cmdutil.MissingFlagError{Flag: "--from FILE"}
		}
		s.entry = opts.Journal.New(target.Server)
	}
	if opts.Draft {
		s.entry.Answers.Action = forms.ActionDraft
	}

	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	if !s.entry.Complete {
		if !opts.IO.CanPrompt() {
			return &cmdutil.MissingFlagError{Flag: "--from FILE"}
		}
		done, err := s.ask(ctx, c, target)
		if err != nil || !done {
			return err
		}
	}
	if opts.From != "" {
		// Every bad field of the document at once, subject and site
		// together, before any request (SPEC §6): the server would stop at
		// the subject's.
		if errs := s.checkDocument(ctx, c, target); len(errs) > 0 {
			return s.failed(filingio.Invalid(errs))
		}
	}
	if opts.DryRun {
		return s.dryRun(ctx, c, target)
	}
	return s.send(ctx, c, target)
}

// checkDocument checks a --from document with the server's rules (the
// sandbox's leniencies when the server is one), sorted by field.
func (s *session) checkDocument(ctx context.Context, c *client.Client, target cmdutil.Target) filing.Errors {
	lenient := cmdutil.LenientServer(ctx, c, target)
	env := s.formEnv(ctx, c, target)
	env.AllowNonPublicIP = lenient
	errs := s.entry.Answers.Validate(env)
	slices.SortStableFunc(errs, func(a, b filing.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return errs
}

// loadForResume loads the entry to resume: the ID given, else the latest.
func (s *session) loadForResume(target cmdutil.Target) error {
	var err error
	if s.opts.ResumeID != "" {
		s.entry, err = s.opts.Journal.Load(s.opts.ResumeID)
	} else {
		s.entry, err = s.opts.Journal.Latest()
	}
	if errors.Is(err, journal.ErrNotFound) {
		return cmdutil.Exit(cmdutil.ExitFailure, errors.New(s.loc.T("file.nothing_to_resume", s.opts.Journal.Dir())))
	}
	if err != nil {
		return err
	}
	if s.entry.Server != target.Server {
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.resume_other_server", s.entry.ID, s.entry.Server, target.Server))
	}
	fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.resuming", s.entry.ID, s.entry.UpdatedAt.Local().Format(time.DateTime)))
	return nil
}

// save journals the entry; a journal that cannot be written is reported
// but does not stop a filing that is otherwise going through.
func (s *session) save() {
	if err := s.opts.Journal.Save(s.entry); err != nil {
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.journal_failed", err))
	}
}

// formEnv is the environment of the forms for this run.
func (s *session) formEnv(ctx context.Context, c *client.Client, target cmdutil.Target) forms.Env {
	return forms.Env{
		Loc:              s.loc,
		Today:            s.opts.Now(),
		AllowNonPublicIP: target.Sandbox,
		Accessible:       s.opts.IO.Accessible(),
		CheckDomain: func(d string) (*api.DomainCheck, error) {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			return c.CheckDomain(ctx, d)
		},
		Unchecked: func(d string) {
			if !slices.Contains(s.unchecked, d) {
				s.unchecked = append(s.unchecked, d)
			}
		},
	}
}

// ask walks the form (or what is left of it) and journals every page. It
// reports false when the user stopped at the review page.
func (s *session) ask(ctx context.Context, c *client.Client, target cmdutil.Target) (bool, error) {
	a := &s.entry.Answers
	if err := s.subjectState(ctx, c, a); err != nil {
		return false, err
	}
	w := &forms.Walker{Runner: forms.NewRunner(s.opts.IO, s.opts.Probes), Env: s.formEnv(ctx, c, target), Steps: forms.FilingSteps()}
	w.Saved = func(step string, a *forms.Answers) error {
		s.entry.Step = step
		s.entry.Answers = *a
		s.save()
		return nil
	}
	w.Reopened = func(after string, a *forms.Answers) {
		s.entry.Step, s.entry.Answers = after, *a // a resume opens the page gone back to
		s.save()
	}
	w.Partial = func(_ string, a *forms.Answers) {
		s.entry.Answers = *a // Step stays: --resume opens this page again
		s.save()
	}
	if s.entry.Step == "" && s.opts.Draft {
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.draft_only"))
	}
	fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.journal_note", s.entry.ID))

	var errs filing.Errors
	var err error
	if len(s.entry.Refused) > 0 {
		// The server refused these fields last time: ask those pages again.
		if _, err = w.Fix(ctx, a, s.entry.Refused); err == nil {
			errs, err = w.Complete(ctx, a, s.entry.Step)
		}
	} else {
		errs, err = w.Complete(ctx, a, s.entry.Step)
	}
	if s.opts.Draft {
		a.Action = forms.ActionDraft
	}
	if err != nil {
		if errors.Is(err, cmdutil.ErrCancel) {
			return false, s.keep(err)
		}
		return false, err
	}
	if a.Action == forms.ActionQuit {
		s.save()
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.resume_hint", s.entry.ID))
		return false, nil
	}
	if len(errs) > 0 {
		s.entry.Refused = errs
		s.save()
		return false, s.keep(filingio.Invalid(errs))
	}
	s.entry.Refused = nil
	s.entry.Complete = true
	s.save()
	if len(s.unchecked) > 0 {
		// The form could not ask: say so. The server checks every domain
		// again when the site is created and submitted.
		fmt.Fprintln(s.opts.IO.ErrOut, s.opts.IO.ColorScheme().Yellow(s.loc.T("file.unchecked_domains", strings.Join(s.unchecked, ", "))))
	}
	return true, nil
}

// subjectState decides whether the form asks for a subject: when the
// account has none, or only a draft or returned one (which the form then
// edits). A subject under review or approved is used as it is.
func (s *session) subjectState(ctx context.Context, c *client.Client, a *forms.Answers) error {
	rec, err := c.Subject(ctx)
	var p *api.Problem
	switch {
	case errors.As(err, &p) && p.Code == api.CodeNotFound:
		if a.Subject == nil {
			a.Subject = &filing.Subject{}
		}
	case err != nil:
		return err
	case rec.State == filing.SubjectDraft || rec.State == filing.SubjectReturned:
		if a.Subject == nil {
			sub := rec.Subject
			a.Subject = &sub
		}
		if rec.ReturnReason != "" {
			fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.subject_returned", rec.ReturnReason))
		}
	default:
		a.Subject = nil
		a.Responsible = rec.Subject.Responsible
	}
	return nil
}

// keep ends the run with err, telling the user how to resume: the journal
// holds everything typed so far. The error is printed here, before the
// hint, and the exit is silent so Main does not print it again.
func (s *session) keep(err error) error {
	s.save()
	if errors.Is(err, cmdutil.ErrCancel) {
		// Main says "cancelled" and exits 2; the hint goes first.
		fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.resume_hint", s.entry.ID))
		return err
	}
	if msg := cmdutil.DescribeError(s.loc, err); msg != "" {
		fmt.Fprintln(s.opts.IO.ErrOut, s.opts.IO.ColorScheme().Red(s.loc.T("error.prefix"))+msg)
	}
	fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.resume_hint", s.entry.ID))
	return &cmdutil.ExitError{Code: cmdutil.ExitCodeOf(err), Err: err, Silent: true}
}

// document is the filing to send: the answers with the uploaded files in
// place of their paths.
func (s *session) document(ctx context.Context, c *client.Client, upload bool) (*filingio.Document, error) {
	a := s.entry.Answers
	site := a.Site.Clone()
	if len(a.Files.Certificates) > 0 || len(a.Files.PriorApprovals) > 0 || filingio.HasFileRefs(&site) {
		att := func(path string) (filing.Attachment, error) {
			if got, ok := s.entry.Progress.Attachments[path]; ok {
				return got, nil
			}
			if !upload {
				return filing.Attachment{ID: "file:" + path}, nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return filing.Attachment{}, err
			}
			fmt.Fprintln(s.opts.IO.ErrOut, s.loc.T("file.uploading", path))
			got, err := c.UploadAttachment(ctx, b, "", filepath.Base(path))
			var p *api.Problem
			if errors.As(err, &p) && (p.Code == api.CodeUnsupportedMediaType || p.Code == api.CodeBodyTooLarge) {
				// The file itself is refused: a resume must not send it
				// again. The journal forgets it, so the form asks for
				// another file (a --from document names it again).
				s.entry.Answers.Files = s.entry.Answers.Files.Without(path)
				s.entry.Complete = s.entry.Complete && s.opts.From != ""
				s.save()
				return filing.Attachment{}, cmdutil.Exit(cmdutil.ExitInvalid, errors.New(s.loc.T("file.attachment_refused", path, cmdutil.DescribeError(s.loc, err))))
			}
			if err != nil {
				return filing.Attachment{}, err
			}
			if s.entry.Progress.Attachments == nil {
				s.entry.Progress.Attachments = map[string]filing.Attachment{}
			}
			s.entry.Progress.Attachments[path] = *got
			s.save()
			return *got, nil
		}
		if err := filingio.AttachFiles(&site, a.Files, att); err != nil {
			return nil, err
		}
		if err := filingio.UploadFileRefs(&site, att); err != nil {
			return nil, err
		}
	}
	return &filingio.Document{Subject: a.Subject, Site: &site}, nil
}
