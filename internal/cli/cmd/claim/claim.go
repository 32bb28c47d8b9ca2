// Package claim implements `beian claim`: take over an earlier filing
// pushed by the platform (unrecorded or to_claim, SPEC §5). It becomes a
// draft prefilled with what is known; supplement it and submit with
// `beian file`.
package claim

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of claimRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	Ref             string
	OldRecordNumber string
}

// NewCmdClaim builds the command; runF replaces claimRun in tests.
func NewCmdClaim(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "claim <site-id | domain>",
		Short: "Claim an earlier filing (unrecorded or to claim)",
		Long: `Claim an earlier filing the platform pushed to you: "unrecorded" ones match
your subject's certificate; "to_claim" ones match only by domain or ICP
number, so prove them with the old record number. The filing becomes a
draft prefilled with what is known: supplement and submit it. Approval
issues a new record number; the old one is kept in the history.`,
		Example: `  beian sites --list to_claim
  beian claim example.com.cn --old-record-number "鄂公网安备 42011102000410号"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return claimRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.OldRecordNumber, "old-record-number", "", "the earlier filing's record `NUMBER` (needed for to_claim)")
	return cmd
}

func claimRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	rec, err := cmdutil.FindSite(ctx, c, opts.Ref)
	if err != nil {
		return err
	}
	rec, err = c.ClaimSite(ctx, rec.ID, api.ClaimRequest{OldRecordNumber: opts.OldRecordNumber})
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	fmt.Fprintln(opts.IO.ErrOut, loc.T("claim.done", rec.ID))
	return filingio.PrintStatus(opts.IO, out, loc, filingio.StatusOf(rec))
}
