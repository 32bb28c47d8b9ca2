package fleetcmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/fleet"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/journal"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// ApplyOptions are the inputs of applyRun.
type ApplyOptions struct {
	*Options
	Yes         bool
	Resume      bool
	Parallel    int
	Wait        bool
	WaitTimeout time.Duration
	// JournalDir is where the journals of applies are kept.
	JournalDir string
}

// NewCmdApply builds `beian apply`; runF replaces applyRun in tests.
func NewCmdApply(f *cmdutil.Factory, runF func(context.Context, *ApplyOptions) error) *cobra.Command {
	opts := &ApplyOptions{Options: newOptions(f)}
	cmd := &cobra.Command{
		Use:   "apply -f FLEET",
		Short: "File, update and amend a fleet of sites to match a fleet file",
		Long: `Plan the fleet (as "beian plan" does), show the plan, ask, then carry it
out: each subject's account files its subject first and then its sites, a
few at a time (--parallel). A site that fails is reported and the others go
on; a summary table ends the run. Running apply again on an unchanged fleet
does nothing.

Every request is keyed (Idempotency-Key) and the keys are journalled
before they are sent: an apply cut short — a crash, a kill, a lost network
— is finished by "beian apply -f FLEET --resume", which files nothing twice.
Until then a plain apply of the same fleet is refused.

A plan with an invalid site or a conflicting domain is not applied at all
(exit 5 or 6). --prune cancels the account's filings the fleet does not
mention, after a confirmation that --yes does not skip on a terminal.`,
		Example: `  beian apply -f fleet.yaml
  beian apply -f fleet/ --yes --wait
  beian apply -f fleet.yaml --resume`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(opts.Files) == 0 {
				return &cmdutil.MissingFlagError{Flag: "-f FLEET"}
			}
			if opts.Parallel < 1 || opts.Parallel > 32 {
				return cmdutil.FlagErrorf("invalid --parallel %d: use 1 to 32", opts.Parallel)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return applyRun(cmd.Context(), opts)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&opts.Resume, "resume", false, "finish an apply of this fleet that was cut short, with the same request keys")
	cmd.Flags().IntVar(&opts.Parallel, "parallel", 4, "requests in flight per account")
	cmd.Flags().BoolVar(&opts.Wait, "wait", false, "then wait for the reviews of the sites sent")
	cmd.Flags().DurationVar(&opts.WaitTimeout, "wait-timeout", 10*time.Minute, "how long --wait waits")
	opts.JournalDir = fleet.JournalDir(journal.Dir(f.Getenv))
	return cmd
}

func applyRun(ctx context.Context, opts *ApplyOptions) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	fleetArgs := fleetFlags(opts.Files)
	// The journal is checked before anything is read from the server, so
	// an unfinished apply is never half-repeated with new keys.
	t, err := opts.Target()
	if err != nil {
		return err
	}
	path := fleet.JournalPath(opts.JournalDir, t.CredentialKey(), opts.Files)
	j, err := fleet.OpenJournal(path, opts.Resume)
	switch {
	case errors.Is(err, fleet.ErrUnfinished):
		return cmdutil.Exit(cmdutil.ExitConflict, errors.New(loc.T("fleet.unfinished", path, fleetArgs)))
	case errors.Is(err, fleet.ErrNothingToResume):
		return cmdutil.Exit(cmdutil.ExitFailure, errors.New(loc.T("fleet.nothing_to_resume", fleetArgs)))
	case err != nil:
		return err
	}
	// The journal goes when the apply finished, or when nothing was keyed
	// (refused, declined): there is then nothing to resume.
	finished := false
	defer func() { _ = j.Close(finished || len(j.Entries()) == 0) }()

	pl, err := makePlan(ctx, opts.Options)
	if err != nil {
		return err
	}
	// The plan goes to stderr: stdout is the summary.
	render(opts.IO.ErrOut, opts.IO.ColorScheme(), loc, pl.plan)
	if err := planExit(pl.plan); err != nil {
		var ee *cmdutil.ExitError
		if errors.As(err, &ee) && ee.Code != cmdutil.ExitChanges {
			return err
		}
	}
	if !pl.plan.Changes {
		finished = true
		return output.Print(opts.IO, out, []fleet.Result{}, func() error { return nil })
	}
	if err := confirm(opts, loc, pl.plan); err != nil {
		return err
	}
	bar := newProgress(opts.IO, loc, countChanges(pl.plan))
	results, err := fleet.Apply(ctx, pl.plan, pl.remote, fleet.ApplyOptions{Parallel: opts.Parallel, Journal: j, Progress: bar.step})
	bar.done()
	if err != nil {
		return err
	}
	if opts.Wait {
		waitAll(ctx, opts, pl, results)
	}
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
		}
	}
	if err := output.Print(opts.IO, out, results, func() error { return summary(opts.IO, loc, results) }); err != nil {
		return err
	}
	if failed > 0 {
		return cmdutil.Exit(cmdutil.ExitFailure, errors.New(loc.T("fleet.failed", failed, len(results), fleetArgs)))
	}
	finished = true
	fmt.Fprintln(opts.IO.ErrOut, loc.T("fleet.applied", len(results)))
	return nil
}

// fleetFlags repeats the -f flags, for the commands the messages suggest.
func fleetFlags(files []string) string {
	var b strings.Builder
	for i, f := range files {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("-f " + f)
	}
	return b.String()
}

func countChanges(p *fleet.Plan) int {
	n := 0
	for _, sp := range p.Subjects {
		if sp.Subject.Action != fleet.None && sp.Subject.Action != fleet.Wait {
			n++
		}
		for _, st := range append(append([]*fleet.Step{}, sp.Sites...), sp.Unmanaged...) {
			switch st.Action {
			case fleet.Create, fleet.Update, fleet.Submit, fleet.Amend, fleet.Cancel:
				n++
			}
		}
	}
	return n
}

// confirm asks before applying, and once more (even with --yes, on a
// terminal) before cancelling filings.
func confirm(opts *ApplyOptions, loc *i18n.Localizer, p *fleet.Plan) error {
	if !opts.Yes {
		answer, err := opts.IO.Prompt(loc.T("fleet.confirm"))
		if errors.Is(err, iostreams.ErrNoPrompt) {
			return &cmdutil.MissingFlagError{Flag: "--yes"}
		}
		if err != nil {
			return err
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" && a != "是" {
			return cmdutil.ErrCancel
		}
	}
	if p.Totals.Cancel > 0 && opts.IO.CanPrompt() {
		answer, err := opts.IO.Prompt(loc.T("fleet.confirm_prune", p.Totals.Cancel))
		if err != nil {
			return err
		}
		if strings.ToLower(strings.TrimSpace(answer)) != "yes" {
			return cmdutil.ErrCancel
		}
	}
	return nil
}

func summary(ios *iostreams.IOStreams, loc *i18n.Localizer, results []fleet.Result) error {
	t := output.NewTable(ios, loc.T("fleet.col.subject"), loc.T("fleet.col.site"), loc.T("fleet.col.action"),
		loc.T("fleet.col.result"), loc.T("fleet.col.state"))
	for _, r := range results {
		res := loc.T("fleet.ok")
		if r.Err != nil {
			res = errorText(loc, r.Err)
		}
		site := r.Key
		if site == "" {
			site = r.Name
		}
		t.AddRow(r.Subject, site, string(r.Action), res, r.State)
	}
	return t.Render()
}

// errorText is a step's error in the user's language when it is the
// server's problem.
func errorText(loc *i18n.Localizer, err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(cmdutil.DescribeError(loc, err), "\n", "; ")), " ")
}

// waitAll follows the review of every site sent, then updates the results'
// states.
func waitAll(ctx context.Context, opts *ApplyOptions, pl *planned, results []fleet.Result) {
	clients := map[string]*client.Client{}
	for s, c := range pl.remote.Clients {
		clients[s.Label()] = c
	}
	for i := range results {
		r := &results[i]
		if r.Err != nil || r.SiteID == "" || !filing.State(r.State).InReview() {
			continue
		}
		c := clients[r.Subject]
		if c == nil {
			continue
		}
		rec, err := filingio.WaitForDecision(ctx, c, r.SiteID, filingio.WaitOptions{Timeout: opts.WaitTimeout, Sandbox: pl.target.Sandbox})
		if rec != nil {
			r.State, r.RecordNumber = string(rec.State), rec.RecordNumber
		}
		if err != nil && !errors.Is(err, filingio.ErrWaitTimeout) {
			r.Err = err
		}
	}
}
