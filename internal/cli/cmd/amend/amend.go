// Package amend implements `beian amend`: change a recorded site. It shows
// which changed fields are key — reviewed before they apply, while the site
// stays recorded with its old values — and which apply at once (SPEC §3
// "Amendments", FAQ item 9), and sends them as one request. By default a
// request mixing both kinds is one change request; the non-key part applies
// at once only when the user agrees (or gives --apply-non-key-now).
package amend

import (
	"context"
	"errors"
	"fmt"
	"strings"

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

// Options are the inputs of amendRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Target    func() (cmdutil.Target, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer
	Probes    *cmdutil.Probes
	// Runner runs forms; nil builds one over IO (tests pass their own).
	Runner *forms.Runner

	Ref            string
	From           string
	Set            []string
	ApplyNonKeyNow bool
	Yes            bool
}

// NewCmdAmend builds the command; runF replaces amendRun in tests.
func NewCmdAmend(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IOStreams, APIClient: f.APIClient, Target: f.Target, Output: f.Output,
		Localizer: f.Localizer, Probes: f.Probes,
	}
	cmd := &cobra.Command{
		Use:   "amend <site-id | domain>",
		Short: "Change a recorded site",
		Long: `Change a recorded site, interactively or with --set / --from.

beian lists every changed field, split into those that apply at once (non-key:
the MIIT ICP number, the IP segment group, the access provider, the domain
registrar, the languages, the emergency contact's phones and email) and those
that are reviewed again before they apply (key: everything else). While a key
change is under review the site stays recorded with its old values.

A request mixing both kinds is one change request for review, unless you agree
to apply the non-key part at once (--apply-non-key-now).`,
		Example: `  # Change the IP segment group and the ICP number (non-key: applied at once)
  beian amend example.com.cn --set ip_addresses=223.5.5.5,2400:3200::1 --set icp_number=鄂ICP备17001107号-2 --yes

  # Change the site from an edited YAML document
  beian amend example.com.cn --from site.yaml --apply-non-key-now --yes

  # Pick the parts to change on the terminal
  beian amend example.com.cn`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if opts.From != "" && len(opts.Set) > 0 {
				return cmdutil.FlagErrorf("--from and --set cannot be used together")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return amendRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.From, "from", "f", "", "read the site's new values from YAML `FILE` (- for stdin)")
	fl.StringArrayVar(&opts.Set, "set", nil, "change one field: `field=value` (lists comma-separated; repeatable)")
	fl.BoolVar(&opts.ApplyNonKeyNow, "apply-non-key-now", false, "apply the non-key changes at once even when key ones go for review")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

// Result is what `amend` prints on stdout: the changes applied at once and
// the change request opened, if any.
type Result struct {
	SiteID        string             `json:"site_id"`
	Applied       []api.FieldChange  `json:"applied"`
	ChangeRequest *api.ChangeRequest `json:"change_request,omitempty"`
	State         filing.State       `json:"state"`
}

func amendRun(ctx context.Context, opts *Options) error {
	loc := opts.Localizer()
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
	if rec.State != filing.StateRecorded {
		return cmdutil.Exit(cmdutil.ExitConflict, errors.New(loc.T("amend.not_recorded", rec.ID, filingio.StateLabel(loc, rec.State))))
	}
	target, err := opts.Target()
	if err != nil {
		return err
	}
	env := forms.Env{Loc: loc, AllowNonPublicIP: target.Sandbox, CheckDomain: cmdutil.OwnDomainCheck(ctx, c, rec.ID),
		Accessible: opts.IO.Accessible() || (opts.Runner != nil && opts.Runner.Accessible)}

	var amended filing.Site
	switch {
	case opts.From != "":
		doc, err := filingio.LoadFile(opts.IO, opts.From)
		if err != nil {
			return err
		}
		if doc.Site == nil {
			return filingio.ErrNoSite
		}
		amended = *doc.Site
	case len(opts.Set) > 0:
		amended, err = filingio.SetFields(rec.Site, opts.Set)
		if err != nil {
			return cmdutil.FlagErrorf("%s", filingio.LocaliseSetError(loc, err))
		}
	default:
		if !opts.IO.CanPrompt() {
			return &cmdutil.MissingFlagError{Flag: "--set field=value or --from FILE"}
		}
		amended, err = forms.AmendSite(ctx, runner(opts), env, rec.Site)
		if err != nil {
			return err
		}
	}

	before, _ := filing.NormalizeSite(rec.Site)
	after, _ := filing.NormalizeSite(amended)
	after.AcceptResponsibility = before.AcceptResponsibility
	nonKey, key := filing.Classify(filing.Diff(before, after))
	if len(nonKey)+len(key) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("amend.none"))
		return nil
	}
	fmt.Fprint(opts.IO.ErrOut, forms.Describe(env, nonKey, key))

	applyNow := opts.ApplyNonKeyNow
	if len(nonKey) > 0 && len(key) > 0 && !applyNow && !opts.Yes && opts.IO.CanPrompt() {
		f, res := forms.ApplyNowForm(env)
		if err := runner(opts).Run(ctx, f); err != nil {
			return err
		}
		applyNow = *res
	}
	if !opts.Yes {
		if !opts.IO.CanPrompt() {
			return &cmdutil.MissingFlagError{Flag: "--yes"}
		}
		f, res := forms.ConfirmForm(env)
		if err := runner(opts).Run(ctx, f); err != nil {
			return err
		}
		if !*res {
			return cmdutil.ErrCancel
		}
	}

	got, err := c.AmendSite(ctx, rec.ID, rec.Version, api.AmendRequest{Site: amended, ApplyNonKeyNow: applyNow},
		client.WithIdempotencyKey(client.NewIdempotencyKey()))
	if err != nil {
		return err
	}
	if n := len(got.Applied); n > 0 {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("amend.applied", n))
	}
	if cr := got.ChangeRequest; cr != nil {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("amend.requested", cr.ID, len(cr.Changes)))
	}
	res := Result{SiteID: got.Site.ID, Applied: got.Applied, ChangeRequest: got.ChangeRequest, State: got.Site.State}
	if res.Applied == nil {
		res.Applied = []api.FieldChange{}
	}
	return output.Print(opts.IO, out, res, func() error {
		// One row per change: what became of it, the field, the new value.
		t := output.NewTable(opts.IO)
		applied := strings.TrimRight(loc.T("amend.nonkey_header"), ":：")
		for _, ch := range got.Applied {
			t.AddRow(applied, forms.FieldLabel(env, ch.Field), forms.Shown(ch.New))
		}
		if cr := got.ChangeRequest; cr != nil {
			review := strings.TrimRight(loc.T("amend.key_header"), ":：") + " " + cr.ID
			for _, ch := range cr.Changes {
				t.AddRow(review, forms.FieldLabel(env, ch.Field), forms.Shown(ch.New))
			}
		}
		return t.Render()
	})
}

func runner(opts *Options) *forms.Runner {
	if opts.Runner != nil {
		return opts.Runner
	}
	opts.Runner = forms.NewRunner(opts.IO, opts.Probes)
	return opts.Runner
}
