// Package register implements `beian register`: create a sponsor account
// with a login name, a mobile number verified by SMS code, an email and a
// password, then sign in.
package register

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmd/login"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of registerRun.
type Options struct {
	IO              *iostreams.IOStreams
	AnonymousClient func(context.Context) (*client.Client, error)
	Target          func() (cmdutil.Target, error)
	Credentials     func() (*config.Credentials, error)
	Localizer       func() *i18n.Localizer

	Login         string
	Mobile        string
	Email         string
	SMSCode       string
	PasswordStdin bool
}

// NewCmdRegister builds the command; runF replaces registerRun in tests.
func NewCmdRegister(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, AnonymousClient: f.AnonymousClient, Target: f.Target, Credentials: f.Credentials, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "register",
		Short: "Create an account on the filing server",
		Long: `Create a sponsor account: a login name, a mobile number (verified by the code
texted to it), an email address and a password. One account files for one
hosting subject (开办主体); another subject needs another account.

Without --sms-code, a code is texted to the mobile first and asked for; in a
script, run once without --sms-code to have it sent, then again with it.
In the sandbox the texts are kept in an outbox: beian sandbox outbox.`,
		Example: `  beian register --login alice --mobile 13800138000 --email alice@example.com
  beian register --login alice --mobile 13800138000 --email alice@example.com \
    --sms-code 123456 --password-stdin < password.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return registerRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Login, "login", "u", "", "login `NAME` to create")
	fl.StringVar(&opts.Mobile, "mobile", "", "mobile `NUMBER` that receives the verification code")
	fl.StringVar(&opts.Email, "email", "", "email `ADDRESS`")
	fl.StringVar(&opts.SMSCode, "sms-code", "", "the verification `CODE` texted to the mobile")
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from the first line of stdin")
	return cmd
}

func registerRun(ctx context.Context, opts *Options) error {
	loc := opts.Localizer()
	for _, q := range []struct {
		v           *string
		flag, label string
	}{
		{&opts.Login, "--login NAME", "login.prompt_login"},
		{&opts.Mobile, "--mobile NUMBER", "register.prompt_mobile"},
		{&opts.Email, "--email ADDRESS", "register.prompt_email"},
	} {
		if err := login.Ask(opts.IO, loc, q.v, q.flag, q.label); err != nil {
			return err
		}
	}
	c, err := opts.AnonymousClient(ctx)
	if err != nil {
		return err
	}
	if opts.SMSCode == "" {
		if err := c.RequestSMSCode(ctx, api.SMSCodeRequest{Mobile: opts.Mobile, Purpose: api.SMSRegister}); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("register.code_sent", opts.Mobile))
		if err := login.Ask(opts.IO, loc, &opts.SMSCode, "--sms-code CODE", "register.prompt_code"); err != nil {
			return err
		}
	}
	password, err := login.ReadPassword(opts.IO, loc, opts.PasswordStdin, "register.prompt_password")
	if err != nil {
		return err
	}
	acc, err := c.Register(ctx, api.RegisterRequest{Login: opts.Login, Mobile: opts.Mobile, SMSCode: opts.SMSCode, Password: password, Email: opts.Email})
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("register.done", acc.Login))
	sess, err := c.Login(ctx, api.LoginRequest{Login: opts.Login, Password: password})
	if err != nil {
		return err
	}
	return login.Save(&login.Options{IO: opts.IO, Target: opts.Target, Credentials: opts.Credentials, Localizer: opts.Localizer}, sess)
}
