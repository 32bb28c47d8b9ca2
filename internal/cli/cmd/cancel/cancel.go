// Package cancel implements `beian cancel`: ask to cancel (注销) a recorded
// site. The request is reviewed; the site stays recorded until approved.
package cancel

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of cancelRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	Ref    string
	Reason string
	Yes    bool
}

// NewCmdCancel builds the command; runF replaces cancelRun in tests.
func NewCmdCancel(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "cancel <site-id | domain>",
		Short: "Ask to cancel a recorded site's filing",
		Long: `Ask to cancel (注销) a recorded site's filing, with a reason. The request is
reviewed; until it is approved the site stays recorded and its badge valid.
Without a terminal, --reason and --yes must be given.`,
		Example: `  beian cancel example.com.cn --reason "网站已关闭"
  beian cancel 01J9Z4S6 --reason "site closed" --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return cancelRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Reason, "reason", "r", "", "why the site is cancelled")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func cancelRun(ctx context.Context, opts *Options) error {
	loc := opts.Localizer()
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	// The site first: a site that cannot be cancelled now is said so, in
	// words and with what does work, before anything is asked (issue 21:
	// "transition refused: sponsor may not request_cancel …").
	rec, err := cmdutil.FindSite(ctx, c, opts.Ref)
	if err != nil {
		return err
	}
	if _, err := filing.Transition(rec.State, filing.ActionRequestCancel, filing.ActorSponsor); err != nil {
		return cmdutil.Exit(cmdutil.ExitConflict, errors.New(loc.T("cancel.not_now", rec.ID,
			filingio.StateLabel(loc, rec.State), filingio.NextStep(rec.State, rec.ID))))
	}
	if err := cmdutil.Ask(opts.IO, loc, &opts.Reason, "--reason TEXT", "cancel.prompt_reason"); err != nil {
		return err
	}
	if !opts.Yes {
		answer, err := opts.IO.Prompt(loc.T("cancel.confirm", rec.Site.Name, rec.RecordNumber))
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
	rec, err = c.CancelSite(ctx, rec.ID, api.CancelRequest{Reason: opts.Reason})
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("cancel.requested", rec.Site.Name))
	return filingio.PrintStatus(opts.IO, out, loc, filingio.StatusOf(rec))
}
