// Package login implements `beian login`: open a session with a login name
// and password and keep its token in the credentials file (mode 0600).
package login

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of loginRun.
type Options struct {
	IO              *iostreams.IOStreams
	AnonymousClient func(context.Context) (*client.Client, error)
	Target          func() (cmdutil.Target, error)
	Credentials     func() (*config.Credentials, error)
	Localizer       func() *i18n.Localizer

	Login         string
	PasswordStdin bool
}

// NewCmdLogin builds the command; runF replaces loginRun in tests.
func NewCmdLogin(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, AnonymousClient: f.AnonymousClient, Target: f.Target, Credentials: f.Credentials, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to the filing server",
		Long: `Sign in with your login name and password. The session's token is kept in
credentials.yaml beside the config file, readable only by you (mode 0600);
BEIAN_TOKEN, when set, is used instead.

Without a terminal the password must come from --password-stdin.`,
		Example: `  beian login --login alice
  beian login --login alice --password-stdin < password.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return loginRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Login, "login", "u", "", "your login `NAME`")
	cmd.Flags().BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from the first line of stdin")
	return cmd
}

func loginRun(ctx context.Context, opts *Options) error {
	loc := opts.Localizer()
	if err := cmdutil.Ask(opts.IO, loc, &opts.Login, "--login NAME", "login.prompt_login"); err != nil {
		return err
	}
	password, err := cmdutil.ReadPassword(opts.IO, loc, opts.PasswordStdin, "login.prompt_password")
	if err != nil {
		return err
	}
	c, err := opts.AnonymousClient(ctx)
	if err != nil {
		return err
	}
	sess, err := c.Login(ctx, api.LoginRequest{Login: opts.Login, Password: password})
	if err != nil {
		return err
	}
	return Save(opts, sess)
}

// Save keeps sess as the credential of the target server and says so.
func Save(opts *Options, sess *api.Session) error {
	t, err := opts.Target()
	if err != nil {
		return err
	}
	creds, err := opts.Credentials()
	if err != nil {
		return err
	}
	if err := creds.Put(t.CredentialKey(), config.Credential{Login: sess.Account.Login, Token: sess.Token}); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, opts.Localizer().T("login.done", sess.Account.Login, t.Server))
	return nil
}
