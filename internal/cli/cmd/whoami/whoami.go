// Package whoami implements `beian whoami`: the signed-in account.
package whoami

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of whoamiRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Target    func() (cmdutil.Target, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer
}

// Identity is whoami's data: the account and where it lives.
type Identity struct {
	api.Account
	Server  string `json:"server"`
	Sandbox bool   `json:"sandbox"`
}

// NewCmdWhoami builds the command; runF replaces whoamiRun in tests.
func NewCmdWhoami(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer}
	return &cobra.Command{
		Use:   "whoami",
		Short: "Show the signed-in account",
		Long:  "Show the signed-in account and the server it belongs to. Exits 4 when not signed in.",
		Example: `  beian whoami
  beian whoami --jq .login`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return whoamiRun(cmd.Context(), opts)
		},
	}
}

func whoamiRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	t, err := opts.Target()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	if c.Token() == "" {
		return &cmdutil.NotSignedInError{Server: t.Server}
	}
	acc, err := c.Account(ctx)
	if err != nil {
		var p *api.Problem
		if errors.As(err, &p) && p.Code == api.CodeUnauthenticated {
			return cmdutil.Exit(cmdutil.ExitAuth, &cmdutil.NotSignedInError{Server: t.Server})
		}
		return err
	}
	id := Identity{Account: *acc, Server: t.Server, Sandbox: t.Sandbox}
	loc := opts.Localizer()
	return output.Print(opts.IO, out, id, func() error {
		tb := output.NewTable(opts.IO)
		tb.AddRow(loc.T("whoami.login"), acc.Login)
		tb.AddRow(loc.T("whoami.role"), string(acc.Role)+areaSuffix(acc))
		tb.AddRow(loc.T("whoami.mobile"), acc.Mobile)
		verified := loc.T("whoami.unverified")
		if acc.EmailVerified {
			verified = loc.T("whoami.verified")
		}
		tb.AddRow(loc.T("whoami.email"), fmt.Sprintf("%s (%s)", acc.Email, verified))
		server := t.Server
		if t.Sandbox {
			server = loc.T("whoami.sandbox")
		}
		tb.AddRow(loc.T("whoami.server"), server)
		return tb.Render()
	})
}

func areaSuffix(a *api.Account) string {
	if a.AreaPrefix == "" {
		return ""
	}
	return " (" + a.AreaPrefix + ")"
}
