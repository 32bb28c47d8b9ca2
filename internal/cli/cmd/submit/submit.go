// Package submit implements `beian submit`: send a draft or returned site
// (a claimed filing is a draft) for review, its subject too when that is
// still a draft, and with --wait follow the review.
package submit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmd/edit"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of submitRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Target    func() (cmdutil.Target, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer
	Now       func() time.Time

	Ref      string
	Accept   bool // --accept-responsibility
	Wait     bool
	Timeout  time.Duration
	Interval time.Duration
}

// NewCmdSubmit builds the command; runF replaces submitRun in tests.
func NewCmdSubmit(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "submit <site-id | domain>",
		Short: "Submit a draft or returned site for review",
		Long: `Submit a draft or returned site for review, as it is stored (change it first
with "beian edit"). A hosting subject still in draft is submitted with it.
With --wait, beian follows the review and exits as "beian status
--exit-status" does: 0 recorded, 9 returned, 8 still under review.`,
		Example: `  beian submit example-shop.cn
  beian submit example-shop.cn --wait --timeout 30m
  beian submit example-shop.cn --accept-responsibility`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if cmd.Flags().Changed("timeout") && !opts.Wait {
				return cmdutil.FlagErrorf("--timeout needs --wait")
			}
			if opts.Timeout < 0 {
				return cmdutil.FlagErrorf("--timeout must not be negative")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return submitRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Accept, "accept-responsibility", false, "accept the security responsibility notice (安全责任告知书) for this site, if the draft has not yet")
	cmd.Flags().BoolVarP(&opts.Wait, "wait", "w", false, "wait until the review decides")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "give up waiting after this long (with --wait)")
	return cmd
}

func submitRun(ctx context.Context, opts *Options) error {
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
	if !edit.Editable(rec.State) {
		return edit.NotEditable(loc, rec)
	}
	// A draft saved from the form before its last page has not accepted
	// the responsibility notice; say how to, rather than let the server
	// answer "required" (issue 21).
	if !rec.Site.AcceptResponsibility {
		if !opts.Accept {
			return cmdutil.Exit(cmdutil.ExitInvalid, errors.New(loc.T("submit.accept_needed", rec.ID)))
		}
		site := rec.Site
		site.AcceptResponsibility = true
		if rec, err = c.UpdateSite(ctx, rec.ID, rec.Version, api.SiteWrite{Site: site}); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("submit.accepted", rec.ID))
	}
	return edit.Send(ctx, edit.SendOptions{IO: opts.IO, Client: c, Loc: loc, Out: out, Now: opts.Now, Report: filingio.ReportOptions{
		Wait: opts.Wait, Timeout: opts.Timeout, Interval: opts.Interval, Sandbox: target.Sandbox}}, rec)
}
