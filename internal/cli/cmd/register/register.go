// Package register implements `beian register`: create a sponsor account
// with a login name, a mobile number verified by SMS code, an email and a
// password, then sign in.
package register

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/accountrules"
	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmd/login"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
	"github.com/beian-dev/beian/internal/ident"
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
	// Each answer is checked as it is given, with the server's rules: on a
	// terminal a bad one is asked again; a bad flag is refused (exit 5)
	// before anything is sent, the code and the password included.
	for _, q := range []struct {
		v                  *string
		field, flag, label string
		check              func(string) (string, error)
	}{
		{&opts.Login, "login", "--login NAME", "login.prompt_login", func(s string) (string, error) { return s, accountrules.Login(s) }},
		{&opts.Mobile, "mobile", "--mobile NUMBER", "register.prompt_mobile", ident.NormalizeMobile},
		{&opts.Email, "email", "--email ADDRESS", "register.prompt_email", ident.NormalizeEmail},
	} {
		if err := askValid(opts.IO, loc, q.v, q.field, q.flag, q.label, q.check); err != nil {
			return err
		}
	}
	password, err := choosePassword(opts, loc)
	if err != nil {
		return err
	}
	c, err := opts.AnonymousClient(ctx)
	if err != nil {
		return err
	}
	if opts.SMSCode == "" {
		if err := cmdutil.SendCodeWaiting(ctx, opts.IO, loc, func() error {
			return c.RequestSMSCode(ctx, api.SMSCodeRequest{Mobile: opts.Mobile, Purpose: api.SMSRegister})
		}); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("register.code_sent", opts.Mobile))
		if err := cmdutil.Ask(opts.IO, loc, &opts.SMSCode, "--sms-code CODE", "register.prompt_code"); err != nil {
			return err
		}
	}
	acc, err := registerKeeping(ctx, opts, loc, c, password)
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

// registerKeeping registers, and on a terminal answers the refusals a user
// can put right without starting again: a login name found taken is asked
// again (the server keeps the texted code for a few corrections), a wrong
// code is asked again; everything else typed is kept. Without a terminal,
// or after three tries, the refusal is returned as it is.
func registerKeeping(ctx context.Context, opts *Options, loc *i18n.Localizer, c *client.Client, password string) (*api.Account, error) {
	for tries := 0; ; tries++ {
		acc, err := c.Register(ctx, api.RegisterRequest{Login: opts.Login, Mobile: opts.Mobile, SMSCode: opts.SMSCode, Password: password, Email: opts.Email})
		var p *api.Problem
		if err == nil || tries == 2 || !opts.IO.CanPrompt() || opts.PasswordStdin || !errors.As(err, &p) {
			return acc, err
		}
		switch p.Code {
		case api.CodeLoginTaken:
			fmt.Fprintln(opts.IO.ErrOut, loc.T("error.field_line", "login", loc.T("error.login_taken")))
			opts.Login = ""
			if err := askValid(opts.IO, loc, &opts.Login, "login", "--login NAME", "login.prompt_login", func(s string) (string, error) { return s, accountrules.Login(s) }); err != nil {
				return acc, err
			}
		case api.CodeSMSCodeInvalid:
			fmt.Fprintln(opts.IO.ErrOut, loc.T("error.field_line", "sms_code", loc.T("error.sms_code_invalid")))
			opts.SMSCode = ""
			if err := cmdutil.Ask(opts.IO, loc, &opts.SMSCode, "--sms-code CODE", "register.prompt_code"); err != nil {
				return acc, err
			}
		default:
			return acc, err
		}
	}
}

// askValid gets a value from its flag or a prompt and checks it: a bad
// answer on a terminal is said and asked again (three times at most); a bad
// flag is a field error (exit 5).
func askValid(ios *iostreams.IOStreams, loc *i18n.Localizer, v *string, field, flag, label string, check func(string) (string, error)) error {
	if *v != "" {
		n, err := check(strings.TrimSpace(*v))
		if err != nil {
			return api.Invalid([]api.FieldError{{Field: field, Code: codeOf(err), Message: err.Error()}})
		}
		*v = n
		return nil
	}
	for range 3 {
		if err := cmdutil.Ask(ios, loc, v, flag, label); err != nil {
			return err
		}
		n, err := check(strings.TrimSpace(*v))
		if err == nil {
			*v = n
			return nil
		}
		fmt.Fprintln(ios.ErrOut, loc.T("error.field_line", field, localField(loc, err)))
		*v = ""
	}
	return &cmdutil.MissingFlagError{Flag: flag}
}

// choosePassword reads the password: from stdin (checked), or on a
// terminal asked until it is acceptable and typed the same twice.
func choosePassword(opts *Options, loc *i18n.Localizer) (string, error) {
	if opts.PasswordStdin {
		pw, err := cmdutil.ReadPassword(opts.IO, loc, true, "register.prompt_password")
		if err != nil {
			return "", err
		}
		if code, why := accountrules.Password(pw, opts.Login, opts.Mobile); code != "" {
			return "", api.Invalid([]api.FieldError{{Field: "password", Code: code, Message: why}})
		}
		return pw, nil
	}
	for range 3 {
		pw, err := cmdutil.ReadPassword(opts.IO, loc, false, "register.prompt_password")
		if err != nil {
			return "", err
		}
		if code, why := accountrules.Password(pw, opts.Login, opts.Mobile); code != "" {
			msg := loc.Field(code)
			if msg == code {
				msg = why
			}
			fmt.Fprintln(opts.IO.ErrOut, loc.T("error.field_line", "password", msg))
			continue
		}
		again, err := cmdutil.ReadPassword(opts.IO, loc, false, "register.prompt_password_again")
		if err != nil {
			return "", err
		}
		if again != pw {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("register.password_mismatch"))
			continue
		}
		return pw, nil
	}
	return "", &cmdutil.MissingFlagError{Flag: "--password-stdin"}
}

func codeOf(err error) string {
	var c interface{ Code() string }
	if errors.As(err, &c) {
		return c.Code()
	}
	return "invalid"
}

func localField(loc *i18n.Localizer, err error) string {
	if msg := loc.Field(codeOf(err)); msg != codeOf(err) {
		return msg
	}
	return err.Error()
}
