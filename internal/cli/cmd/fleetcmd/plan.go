// Package fleetcmd implements `beian plan` and `beian apply`: filing as
// code for fleets of sites (internal/cli/fleet, docs/fleets.md).
package fleetcmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/fleet"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs shared by plan and apply.
type Options struct {
	IO            *iostreams.IOStreams
	APIClient     func(context.Context) (*client.Client, error)
	ProfileClient func(context.Context, string) (*client.Client, error)
	Target        func() (cmdutil.Target, error)
	Output        func() (output.Options, error)
	Localizer     func() *i18n.Localizer
	Getenv        func(string) string
	Now           func() time.Time

	Files []string
	Prune bool
}

func newOptions(f *cmdutil.Factory) *Options {
	return &Options{IO: f.IOStreams, APIClient: f.APIClient, ProfileClient: f.ProfileClient, Target: f.Target,
		Output: f.Output, Localizer: f.Localizer, Getenv: f.Getenv, Now: f.Now}
}

func (o *Options) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringArrayVarP(&o.Files, "file", "f", nil, "the fleet: a YAML file, a .csv or .xlsx sheet, or a directory of them (repeatable)")
	cmd.Flags().BoolVar(&o.Prune, "prune", false, "cancel the account's filings the fleet does not mention")
}

// NewCmdPlan builds `beian plan`; runF replaces planRun in tests.
func NewCmdPlan(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := newOptions(f)
	cmd := &cobra.Command{
		Use:   "plan -f FLEET",
		Short: "Show what applying a fleet of filings would change",
		Long: `Read a fleet — the filings you want, as YAML files, CSV or Excel sheets
(docs/fleets.md) — and the server's filings, and print per site what
"beian apply" would do: create and submit, update and resubmit a draft or
returned site, amend a recorded one (each changed field marked key, a change
request for review, or non-key, applied at once), or nothing. Every invalid
site and every domain that belongs elsewhere is listed at once, before
anything is sent. Sites of the account the fleet does not mention are
listed and kept, unless --prune.

Exit status: 0 no changes, 7 changes, 5 a site is invalid, 6 a domain
conflicts. -o json prints the plan in a stable format.`,
		Example: `  beian plan -f fleet.yaml
  beian plan -f fleet/ -o json --jq '.totals'
  beian plan -f subjects.yaml -f sites.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(opts.Files) == 0 {
				return &cmdutil.MissingFlagError{Flag: "-f FLEET"}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return planRun(cmd.Context(), opts)
		},
	}
	opts.addFlags(cmd)
	return cmd
}

// planned is a plan with what it was made from.
type planned struct {
	fleet  *fleet.Fleet
	plan   *fleet.Plan
	remote *fleet.Remote
	target cmdutil.Target
}

// makePlan loads the fleet, reads the server and plans.
func makePlan(ctx context.Context, opts *Options) (*planned, error) {
	fl, err := fleet.Load(opts.Files...)
	if err != nil {
		return nil, err
	}
	t, err := opts.Target()
	if err != nil {
		return nil, err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return nil, err
	}
	lenient := cmdutil.LenientServer(ctx, c, t)
	p := fleet.NewPlanner(fl, fleet.Options{Today: opts.Now(), Sandbox: lenient, Prune: opts.Prune})
	remote, err := fleet.Fetch(ctx, p, opts.clientFor)
	if err != nil {
		return nil, err
	}
	return &planned{fleet: fl, plan: p.Plan(remote.Current), remote: remote, target: t}, nil
}

// clientFor is the client of a subject's account.
func (o *Options) clientFor(ctx context.Context, a fleet.Account) (*client.Client, error) {
	switch {
	case a.TokenEnv != "":
		tok := strings.TrimSpace(o.Getenv(a.TokenEnv))
		if tok == "" {
			return nil, cmdutil.Exit(cmdutil.ExitAuth, fmt.Errorf("$%s is not set: it should hold the account's API token", a.TokenEnv))
		}
		c, err := o.APIClient(ctx)
		if err != nil {
			return nil, err
		}
		return c.WithToken(tok), nil
	case a.Profile != "":
		if o.ProfileClient == nil {
			return nil, errors.New("profiles are not available here")
		}
		return o.ProfileClient(ctx, a.Profile)
	}
	return o.APIClient(ctx)
}

func planRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	pl, err := makePlan(ctx, opts)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	err = output.Print(opts.IO, out, pl.plan, func() error {
		render(opts.IO.Out, opts.IO.ColorScheme(), loc, pl.plan)
		return nil
	})
	if err != nil {
		return err
	}
	return planExit(pl.plan)
}

// planExit is plan's exit status: problems first, then changes.
func planExit(p *fleet.Plan) error {
	switch {
	case p.Totals.Invalid > 0 || hasSubjectErrors(p):
		return cmdutil.SilentExit(cmdutil.ExitInvalid)
	case p.Problems > 0:
		return cmdutil.SilentExit(cmdutil.ExitConflict)
	case p.Changes:
		return cmdutil.SilentExit(cmdutil.ExitChanges)
	}
	return nil
}

func hasSubjectErrors(p *fleet.Plan) bool {
	for _, sp := range p.Subjects {
		if len(sp.Subject.Errors) > 0 {
			return true
		}
	}
	return false
}
