// Package cli is the root of the beian client: it builds the command tree and
// runs it. All start-up lives in Main so that tests can run the whole program
// in-process; cmd/beian only calls os.Exit(cli.Main()).
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmd/root"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/factory"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/version"
)

// Main runs beian with the process's arguments, environment and standard
// streams, and returns its exit code (SPEC §7). Ctrl-C cancels the command's
// context: a command in flight stops and beian exits 2.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return Run(ctx, Env{Args: os.Args[1:], Getenv: os.Getenv, IOStreams: iostreams.System(os.Getenv)})
}

// Env is everything a run of beian reads from its process.
type Env struct {
	Args      []string
	Getenv    func(string) string
	IOStreams *iostreams.IOStreams
	// Probes, when set, receives the factory's counters (tests and the
	// start-up benchmark).
	Probes *cmdutil.Probes
}

// Run runs beian once and returns its exit code.
func Run(ctx context.Context, env Env) int {
	g := &cmdutil.GlobalFlags{}
	boxes := &sandboxes{}
	defer boxes.closeAll()
	f := factory.New(factory.Options{
		IOStreams:   env.IOStreams,
		AppVersion:  version.Version,
		Getenv:      env.Getenv,
		Globals:     g,
		OpenSandbox: boxes.opener(ctx),
	})
	if env.Probes != nil {
		f.Probes = env.Probes
	}
	cmd := root.NewCmdRoot(f, g, version.String())
	cmd.SetArgs(env.Args)
	cmd.SetIn(env.IOStreams.In)
	cmd.SetOut(env.IOStreams.Out)
	cmd.SetErr(env.IOStreams.ErrOut)
	ran, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if ctx.Err() != nil {
		err = cmdutil.ErrCancel
	}
	// cobra reports an unknown subcommand as a plain error.
	if strings.HasPrefix(err.Error(), "unknown command ") {
		err = &cmdutil.FlagError{Err: err}
	}
	code := cmdutil.ExitCodeOf(err)
	if signedOut(ran, err) {
		// A command that needs a session got none (no token, or one the
		// server no longer accepts): say so as whoami does, with the next
		// step, not "or the password is wrong".
		server := ""
		if t, terr := f.Target(); terr == nil {
			server = t.Server
		}
		err = &cmdutil.NotSignedInError{Server: server}
	}
	if msg := cmdutil.DescribeError(f.Localizer(), err); msg != "" {
		cs := env.IOStreams.ColorScheme()
		fmt.Fprintln(env.IOStreams.ErrOut, cs.Red(f.T("error.prefix"))+msg)
		if code == cmdutil.ExitUsage {
			fmt.Fprintln(env.IOStreams.ErrOut, f.T("cli.usage_hint"))
		}
		if needsSupport(err) {
			if addr := supportAddress(ctx, f); addr != "" {
				fmt.Fprintln(env.IOStreams.ErrOut, f.T("cli.support", addr))
			}
		}
	}
	return code
}

// signedOut reports a refused session outside the commands that check a
// password or a code themselves.
func signedOut(ran *cobra.Command, err error) bool {
	var p *api.Problem
	if !errors.As(err, &p) || p.Code != api.CodeUnauthenticated || ran == nil {
		return false
	}
	switch root.HelpPath(ran) {
	case "login", "register", "password reset", "account verify-email":
		return false
	}
	return true
}

// needsSupport: failures a user cannot fix alone — authentication refused
// (a forgotten login name, a lost number) and SMS delivery (a blacklisted
// number) — name the server's support address (FAQ items 12 and 13).
func needsSupport(err error) bool {
	var p *api.Problem
	if !errors.As(err, &p) {
		return false
	}
	switch p.Code {
	case api.CodeUnauthenticated, api.CodeSMSBlacklisted, api.CodeSMSCodeInvalid:
		return true
	}
	return false
}

// supportAddress asks the server for its support address, briefly: a
// server that does not answer at once is not waited for.
func supportAddress(ctx context.Context, f *cmdutil.Factory) string {
	if ctx.Err() != nil || f.AnonymousClient == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	c, err := f.AnonymousClient(ctx)
	if err != nil {
		return ""
	}
	m, err := c.Meta(ctx)
	if err != nil {
		return ""
	}
	return output.Sanitize(m.SupportEmail)
}
