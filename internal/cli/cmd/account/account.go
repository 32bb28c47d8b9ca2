// Package account implements account recovery and verification: `beian
// password reset` (a code texted to the account's mobile, then a new
// password; SPEC §2, FAQ item 12) and `beian account verify-email`.
package account

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// ResetOptions are the inputs of resetRun.
type ResetOptions struct {
	IO              *iostreams.IOStreams
	AnonymousClient func(context.Context) (*client.Client, error)
	Localizer       func() *i18n.Localizer

	Mobile        string
	SMSCode       string
	PasswordStdin bool
}

// NewCmdPassword is the `password` group.
func NewCmdPassword(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "password <command>",
		Short:   "Recover a forgotten password",
		Example: `  beian password reset --mobile 13800138000`,
	}
	cmd.AddCommand(NewCmdReset(f, nil))
	return cmd
}

// NewCmdReset builds `password reset`; runF replaces resetRun in tests.
func NewCmdReset(f *cmdutil.Factory, runF func(context.Context, *ResetOptions) error) *cobra.Command {
	opts := &ResetOptions{IO: f.IOStreams, AnonymousClient: f.AnonymousClient, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "reset --mobile NUMBER",
		Short: "Set a new password with a code texted to your mobile",
		Long: `Set a new password for the account registered with a mobile number. Without
--sms-code, beian has a verification code texted to that number and, on a
terminal, asks for it and for the new password (twice). For scripts, run it
once without --sms-code to have the code sent, then again with --sms-code
and --password-stdin. Every session of the account ends; sign in again with
"beian login".

If the number is no longer yours or you forgot your login name, the
server's support address (printed on failure) can help.`,
		Example: `  beian password reset --mobile 13800138000
  beian password reset --mobile 13800138000 --sms-code 123456 --password-stdin < new-password.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return resetRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Mobile, "mobile", "", "the account's mobile `NUMBER`")
	cmd.Flags().StringVar(&opts.SMSCode, "sms-code", "", "the verification `CODE` texted to the mobile (omit to have one sent)")
	cmd.Flags().BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the new password from the first line of stdin")
	return cmd
}

func resetRun(ctx context.Context, opts *ResetOptions) error {
	loc := opts.Localizer()
	if err := cmdutil.Ask(opts.IO, loc, &opts.Mobile, "--mobile NUMBER", "register.prompt_mobile"); err != nil {
		return err
	}
	c, err := opts.AnonymousClient(ctx)
	if err != nil {
		return err
	}
	if opts.SMSCode == "" {
		if err := cmdutil.SendCodeWaiting(ctx, opts.IO, loc, func() error {
			return c.RequestSMSCode(ctx, api.SMSCodeRequest{Mobile: opts.Mobile, Purpose: api.SMSResetPassword})
		}); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("register.code_sent", opts.Mobile))
		if !opts.IO.CanPrompt() || opts.PasswordStdin {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("password.code_hint", opts.Mobile))
			return nil
		}
		if err := cmdutil.Ask(opts.IO, loc, &opts.SMSCode, "--sms-code CODE", "register.prompt_code"); err != nil {
			return err
		}
	}
	password, err := cmdutil.ReadPassword(opts.IO, loc, opts.PasswordStdin, "password.prompt_new")
	if err != nil {
		return err
	}
	if !opts.PasswordStdin {
		again, err := cmdutil.ReadPassword(opts.IO, loc, false, "password.prompt_again")
		if err != nil {
			return err
		}
		if again != password {
			return cmdutil.Exit(cmdutil.ExitInvalid, fmt.Errorf("%s", loc.T("password.mismatch")))
		}
	}
	if err := c.ResetPassword(ctx, api.PasswordResetRequest{Mobile: opts.Mobile, SMSCode: strings.TrimSpace(opts.SMSCode), NewPassword: password}); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("password.done"))
	return nil
}

// VerifyOptions are the inputs of verifyRun.
type VerifyOptions struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Localizer func() *i18n.Localizer

	Code string
}

// NewCmdAccount is the `account` group.
func NewCmdAccount(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "account <command>",
		Short:   "Verify the account's email",
		Example: `  beian account verify-email`,
	}
	cmd.AddCommand(NewCmdVerifyEmail(f, nil))
	return cmd
}

// NewCmdVerifyEmail builds `account verify-email`.
func NewCmdVerifyEmail(f *cmdutil.Factory, runF func(context.Context, *VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{IO: f.IOStreams, APIClient: f.APIClient, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "verify-email [--code CODE]",
		Short: "Confirm the account's email address with a code sent to it",
		Long: `Without --code, beian has a code sent to the account's email and, on a
terminal, asks for it. For scripts, run it once to have the code sent, then
again with --code.`,
		Example: `  beian account verify-email
  beian account verify-email --code 123456`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return verifyRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Code, "code", "", "the `CODE` sent to your email (omit to have one sent)")
	return cmd
}

func verifyRun(ctx context.Context, opts *VerifyOptions) error {
	loc := opts.Localizer()
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	if opts.Code == "" {
		if err := c.RequestEmailCode(ctx); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("account.email_code_sent"))
		if !opts.IO.CanPrompt() {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("account.email_code_hint"))
			return nil
		}
		if err := cmdutil.Ask(opts.IO, loc, &opts.Code, "--code CODE", "account.prompt_email_code"); err != nil {
			return err
		}
	}
	if err := c.VerifyEmail(ctx, api.EmailVerifyRequest{Code: strings.TrimSpace(opts.Code)}); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("account.email_verified"))
	return nil
}
