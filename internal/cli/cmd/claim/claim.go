// Package claim implements `beian claim`: take over an earlier filing
// pushed by the platform (unrecorded or to_claim, SPEC §5). It becomes a
// draft prefilled with what is known; supplement it with `beian edit` and
// send it with `beian submit`.
package claim

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
draft prefilled with what is known: supplement it with "beian edit" and send
it with "beian submit". Approval issues a new record number; the old one is
kept in the history.`,
		Example: `  beian check example.com.cn
  beian claim example.com.cn --old-record-number "鄂公网安备 42011102000410号"
  beian edit example.com.cn --set accept_responsibility=true --submit --wait`,
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
	loc := opts.Localizer()
	id, err := claimable(ctx, c, loc, opts.Ref)
	if err != nil {
		return err
	}
	rec, err := c.ClaimSite(ctx, id, api.ClaimRequest{OldRecordNumber: opts.OldRecordNumber},
		client.WithIdempotencyKey(client.NewIdempotencyKey()))
	var p *api.Problem
	if errors.As(err, &p) && p.Code == api.CodeClaimRefused && opts.OldRecordNumber == "" {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("claim.proof_needed"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("claim.done", rec.ID))
	return filingio.PrintStatus(opts.IO, out, loc, filingio.StatusOf(rec))
}

// claimable resolves what the user typed to the earlier filing's site ID.
// An earlier filing belongs to no account yet (to_claim) or was pushed to
// this one (unrecorded), so it is not among the account's sites to read: a
// domain is looked up with the duplicate check, which names claimable
// filings; anything else is taken as the site ID and sent as it is.
func claimable(ctx context.Context, c *client.Client, loc *i18n.Localizer, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", cmdutil.FlagErrorf("give a site ID or a domain")
	}
	if !cmdutil.LooksLikeDomain(ref) {
		return ref, nil
	}
	res, err := c.CheckDomain(ctx, ref)
	if err != nil {
		return "", err
	}
	switch {
	case res.Status == api.DomainClaimable && res.SiteID != "":
		return res.SiteID, nil
	case res.Status == api.DomainYours && (res.SiteState == filing.StateUnrecorded || res.SiteState == filing.StateToClaim):
		return res.SiteID, nil
	case res.Status == api.DomainYours:
		// Claimed already (a second run), or filed by this account.
		return "", cmdutil.Exit(cmdutil.ExitConflict, errors.New(loc.T("claim.already_yours", ref,
			filingio.StateLabel(loc, res.SiteState), filingio.NextStep(res.SiteState, res.SiteID))))
	}
	return "", cmdutil.Exit(cmdutil.ExitConflict, errors.New(loc.T("claim.not_claimable", ref, res.Status)))
}
