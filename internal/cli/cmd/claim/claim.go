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
	OldRecordNumber string // no longer a proof; accepted and ignored
	Challenge       bool   // print the challenge to publish, claim nothing
}

// NewCmdClaim builds the command; runF replaces claimRun in tests.
func NewCmdClaim(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "claim <site-id | domain>",
		Short: "Claim an earlier filing (unrecorded or to claim)",
		Long: `Claim an earlier filing the platform pushed to you: "unrecorded" ones match
your subject's certificate and are claimed at once. "to_claim" ones match
only by domain, so prove you control the domain: the first "beian claim
DOMAIN" prints a line to publish at http://DOMAIN/.well-known/beian-claim.txt
(--challenge prints only that); publish it and run "beian claim DOMAIN"
again. The old record number is no proof — it is printed in the old site's
own footer. The filing becomes a draft prefilled with what is known:
supplement it with "beian edit" and send it with "beian submit". Approval
issues a new record number; the old one is kept in the history.`,
		Example: `  beian check example.com.cn
  beian claim example.com.cn --challenge
  beian claim example.com.cn
  beian edit example.com.cn --set accept_responsibility=true --submit --wait`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if cmd.Flags().Changed("old-record-number") {
				// Not cobra's MarkDeprecated: that writes to stdout.
				fmt.Fprintln(opts.IO.ErrOut, opts.Localizer().T("claim.old_number_ignored"))
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return claimRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.OldRecordNumber, "old-record-number", "", "ignored: the old record number is no proof")
	cmd.Flags().BoolVar(&opts.Challenge, "challenge", false, "print what to publish on the domain to prove the claim, and claim nothing")
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
	id, byDomain, err := claimable(ctx, c, loc, opts.Ref)
	if err != nil {
		return err
	}
	if opts.Challenge {
		if !byDomain {
			return cmdutil.FlagErrorf("%s", loc.T("claim.challenge_needs_domain"))
		}
		ch, err := c.ClaimChallenge(ctx, opts.Ref)
		if err != nil {
			return err
		}
		return output.Print(opts.IO, out, ch, func() error { return printChallenge(opts.IO, loc, ch) })
	}
	key := client.WithIdempotencyKey(client.NewIdempotencyKey())
	var rec *api.SiteRecord
	if byDomain {
		rec, err = c.ClaimByDomain(ctx, opts.Ref, key)
	} else {
		rec, err = c.ClaimSite(ctx, id, api.ClaimRequest{}, key)
	}
	var p *api.Problem
	if errors.As(err, &p) && p.Code == api.CodeClaimRefused && byDomain {
		// Say exactly what to publish, and where, then how to go on.
		if ch, cerr := c.ClaimChallenge(ctx, opts.Ref); cerr == nil {
			fmt.Fprintln(opts.IO.ErrOut, output.Sanitize(p.Detail))
			_ = printChallenge(opts.IO, loc, ch)
			return &cmdutil.ExitError{Code: cmdutil.ExitAuth, Err: err, Silent: true}
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("claim.done", rec.ID))
	return filingio.PrintStatus(opts.IO, out, loc, filingio.StatusOf(rec))
}

// printChallenge tells what to publish on the domain, and what next.
func printChallenge(ios *iostreams.IOStreams, loc *i18n.Localizer, ch *api.ClaimChallenge) error {
	fmt.Fprintln(ios.ErrOut, loc.T("claim.publish", output.Sanitize(ch.URL), ch.ExpiresAt.Local().Format("2006-01-02 15:04")))
	fmt.Fprintln(ios.Out, output.Sanitize(ch.Content))
	fmt.Fprintln(ios.ErrOut, loc.T("claim.then", output.Sanitize(ch.Domain)))
	return nil
}

// claimable resolves what the user typed. An earlier filing pushed to this
// account (unrecorded) is the account's: claimed by its site ID. One that
// nobody was pushed (to_claim) is another subject's filing, whose ID the
// duplicate check does not hand out: claimed by its domain (byDomain), with
// proof. Anything that is not a domain is taken as a site ID.
func claimable(ctx context.Context, c *client.Client, loc *i18n.Localizer, ref string) (id string, byDomain bool, err error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", false, cmdutil.FlagErrorf("give a site ID or a domain")
	}
	if !cmdutil.LooksLikeDomain(ref) {
		return ref, false, nil
	}
	res, err := c.CheckDomain(ctx, ref)
	if err != nil {
		return "", false, err
	}
	switch {
	case res.Status == api.DomainClaimable:
		return "", true, nil
	case res.Status == api.DomainYours && (res.SiteState == filing.StateUnrecorded || res.SiteState == filing.StateToClaim):
		return res.SiteID, false, nil
	case res.Status == api.DomainYours:
		// Claimed already (a second run), or filed by this account.
		return "", false, cmdutil.Exit(cmdutil.ExitConflict, errors.New(loc.T("claim.already_yours", ref,
			filingio.StateLabel(loc, res.SiteState), filingio.NextStep(res.SiteState, res.SiteID))))
	}
	return "", false, cmdutil.Exit(cmdutil.ExitConflict, errors.New(loc.T("claim.not_claimable", ref, res.Status)))
}
