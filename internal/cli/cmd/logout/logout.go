// Package logout implements `beian logout`: end the session on the server
// and forget its token.
package logout

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of logoutRun.
type Options struct {
	IO          *iostreams.IOStreams
	Client      func(context.Context) (*client.Client, error)
	Target      func() (cmdutil.Target, error)
	Credentials func() (*config.Credentials, error)
	Localizer   func() *i18n.Localizer
	Getenv      func(string) string
	// All signs out every session of the account, on every machine.
	All bool
}

// NewCmdLogout builds the command; runF replaces logoutRun in tests.
func NewCmdLogout(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: f.AnonymousClient, Target: f.Target, Credentials: f.Credentials, Localizer: f.Localizer, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Sign out and forget the stored token",
		Long: "Sign out: end this session on the server and forget its token. With --all, end every\n" +
			"session of the account on every machine (after a lost laptop or a leaked token); a\n" +
			"password reset does the same.",
		Example: `  beian logout
  beian logout --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return logoutRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "end every session of the account, on every machine")
	return cmd
}

func logoutRun(ctx context.Context, opts *Options) error {
	loc := opts.Localizer()
	t, err := opts.Target()
	if err != nil {
		return err
	}
	creds, err := opts.Credentials()
	if err != nil {
		return err
	}
	key := t.CredentialKey()
	cred, ok := creds.Get(key)
	if !ok && key != t.Server {
		key = t.Server // signed in before the profile was used
		cred, ok = creds.Get(key)
	}
	if !ok && t.Sandbox {
		// The local sandbox signs its own account in on every command:
		// there is no session to end, only a sandbox to reset.
		fmt.Fprintln(opts.IO.ErrOut, loc.T("logout.sandbox"))
		return nil
	}
	if !ok {
		if tok := opts.Getenv("BEIAN_TOKEN"); tok != "" {
			if opts.All {
				c, err := opts.Client(ctx)
				if err != nil {
					return err
				}
				if err := c.WithToken(tok).LogoutAll(ctx); err != nil {
					return err
				}
				fmt.Fprintln(opts.IO.ErrOut, loc.T("logout.all_done", "BEIAN_TOKEN", t.Server))
				return nil
			}
			fmt.Fprintln(opts.IO.ErrOut, loc.T("logout.env_token"))
			return nil
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("logout.not_signed_in", t.Server))
		return nil
	}
	c, err := opts.Client(ctx)
	if err != nil {
		return err
	}
	if opts.All {
		// Here the server's answer matters: the point is the other
		// machines' sessions, which only the server can end.
		if err := c.WithToken(cred.Token).LogoutAll(ctx); err != nil {
			return err
		}
		if err := creds.Delete(key); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("logout.all_done", cred.Login, t.Server))
		return nil
	}
	// Ending the session on the server is a courtesy: an expired or
	// unknown token is forgotten all the same.
	if err := c.WithToken(cred.Token).Logout(ctx); err != nil {
		var p *api.Problem
		if !errors.As(err, &p) || (p.Code != api.CodeUnauthenticated && p.Code != api.CodeTokenExpired) {
			return err
		}
	}
	if err := creds.Delete(key); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("logout.done", cred.Login, t.Server))
	return nil
}
