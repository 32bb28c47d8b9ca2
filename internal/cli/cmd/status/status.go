// Package status implements `beian status`: where a site's filing stands,
// by site ID or domain, optionally waiting for the review and exiting with a
// code that says what the state means.
package status

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of statusRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Target    func() (cmdutil.Target, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	Ref        string
	Refs       []string // --watch: every site named
	Watch      bool
	Wait       bool
	Timeout    time.Duration
	ExitStatus bool
	// Interval is the first pause between polls (tests shorten it).
	Interval time.Duration
}

// NewCmdStatus builds the command; runF replaces statusRun in tests.
func NewCmdStatus(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{
		IO:        f.IOStreams,
		APIClient: f.APIClient,
		Target:    f.Target,
		Output:    f.Output,
		Localizer: f.Localizer,
	}
	cmd := &cobra.Command{
		Use:   "status <site-id | domain>...",
		Short: "Show where a site's filing stands",
		Long: `Show where a site's filing stands: its state, record number, domains and, when
returned, the reviewer's reason. Name the site by its ID or any of its domains.

With --wait, poll (with backoff) until the review decides: recorded, returned
or cancelled. With --exit-status the exit code tells the state:
0 recorded, 8 under review, 9 action needed (draft, returned, unrecorded,
to claim), 10 cancelled.

With --watch, follow any number of sites at once and print a line for each
change of state as it happens (-o json: one JSON object per line), until
interrupted or --timeout.`,
		Example: `  beian status example.com.cn
  beian status example.com.cn --output json
  beian status example.com.cn --jq .record_number
  beian status 01J9Z4S6 --wait --timeout 30m --exit-status
  beian status shop.example.cn blog.example.cn --watch --timeout 1h`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref, opts.Refs = args[0], args
			switch {
			case len(args) > 1 && !opts.Watch:
				return cmdutil.FlagErrorf("several sites need --watch (status shows one)")
			case opts.Watch && (opts.Wait || opts.ExitStatus):
				return cmdutil.FlagErrorf("--watch cannot be combined with --wait or --exit-status")
			case opts.Timeout < 0:
				return cmdutil.FlagErrorf("--timeout must not be negative")
			case cmd.Flags().Changed("timeout") && !opts.Wait && !opts.Watch:
				return cmdutil.FlagErrorf("--timeout needs --wait or --watch")
			}
			if !cmd.Flags().Changed("timeout") && opts.Watch {
				opts.Timeout = 0 // until interrupted
			}
			if opts.Watch {
				if runF != nil {
					return runF(cmd.Context(), opts)
				}
				return watchRun(cmd.Context(), opts)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Wait, "wait", "w", false, "wait until the review decides (recorded, returned or cancelled)")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "give up waiting after this long (with --wait; with --watch, stop then)")
	cmd.Flags().BoolVar(&opts.Watch, "watch", false, "follow the sites and print each change of state as it happens")
	cmd.Flags().DurationVar(&opts.Interval, "interval", 0, "with --watch: poll this often (default 5s)")
	cmd.Flags().BoolVar(&opts.ExitStatus, "exit-status", false, "exit 0 recorded, 8 under review, 9 action needed, 10 cancelled")
	return cmd
}

func statusRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	rec, err := cmdutil.FindSite(ctx, c, opts.Ref)
	if err != nil {
		return err
	}
	timedOut := false
	if opts.Wait && cmdutil.Pending(rec.State) {
		t, err := opts.Target()
		if err != nil {
			return err
		}
		var lastState = rec.State
		fmt.Fprintln(opts.IO.ErrOut, loc.T("status.waiting", opts.Ref, filingio.StateLabel(loc, rec.State)))
		rec, err = filingio.WaitForDecision(ctx, c, rec.ID, filingio.WaitOptions{
			Timeout:  opts.Timeout,
			Interval: opts.Interval,
			Sandbox:  t.Sandbox,
			Progress: func(r *api.SiteRecord) {
				if r.State != lastState {
					lastState = r.State
					fmt.Fprintln(opts.IO.ErrOut, loc.T("status.waiting", opts.Ref, filingio.StateLabel(loc, r.State)))
				}
			},
		})
		switch {
		case errors.Is(err, filingio.ErrWaitTimeout):
			timedOut = true
		case err != nil:
			return err
		}
	}
	if err := filingio.PrintStatus(opts.IO, out, loc, filingio.StatusOf(rec)); err != nil {
		return err
	}
	if timedOut {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("status.wait_timeout", opts.Ref, opts.Timeout))
		return cmdutil.SilentExit(cmdutil.ExitPending)
	}
	if opts.ExitStatus {
		if code := cmdutil.StateExitCode(rec.State); code != cmdutil.ExitOK {
			return cmdutil.SilentExit(code)
		}
	}
	return nil
}
