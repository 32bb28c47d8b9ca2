// Package servercmd is beian-server, the reference filing server: the
// command tree (serve, migrate, user add, import, backup), its
// configuration from flags and BEIAN_SERVER_* variables, and the process
// around the HTTP handler — listening, TLS, signals and graceful shutdown.
// cmd/beian-server only calls os.Exit(servercmd.Main()).
package servercmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/beian-dev/beian/internal/version"
)

// Exit codes of beian-server.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 3 // a bad flag or argument, as in the beian client
)

// Main runs beian-server with the process's arguments, environment and
// standard streams, stopping gracefully on SIGINT or SIGTERM, and returns
// its exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	return exitCode(err, os.Stderr)
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "beian-server:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitError
}

// usageError is a mistake in the command line rather than a failure.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

// env is what every command gets from the process: its context,
// environment and streams. Tests hand in their own.
type env struct {
	ctx    context.Context
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// run builds the command tree and runs args: the whole program, callable
// from tests in-process. It reads the process's stdin (user add
// --password-stdin, import -); tests that feed stdin call runIO.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runIO(ctx, args, getenv, os.Stdin, stdout, stderr)
}

func runIO(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{ctx: ctx, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return root.ExecuteContext(ctx)
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "beian-server",
		Short: "Reference filing server for the beian Filing API v1",
		Long: "beian-server is the reference filing server of the Filing API v1 (docs/openapi.yaml):\n" +
			"accounts, hosting subjects, site filings, review, record numbers and badges, on SQLite\n" +
			"or PostgreSQL.\n\n" +
			"Every flag can also be set as BEIAN_SERVER_<FLAG> (upper case, dashes as underscores,\n" +
			"e.g. BEIAN_SERVER_DB, BEIAN_SERVER_SANDBOX_FAIL_PERCENT); a flag on the command line wins.",
		Version:           version.String(),
		SilenceUsage:      true,
		SilenceErrors:     true,
		DisableAutoGenTag: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return bindEnv(cmd, e.getenv)
		},
	}
	root.SetVersionTemplate("beian-server {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		newServeCmd(e),
		newMigrateCmd(e),
		newUserCmd(e),
		newImportCmd(e),
		newBackupCmd(e),
		newGenDocsCmd(root),
	)
	return root
}

// newGenDocsCmd writes the man pages of beian-server for the release build.
func newGenDocsCmd(root *cobra.Command) *cobra.Command {
	var manDir string
	cmd := &cobra.Command{
		Use:    "gen-docs",
		Short:  "Generate man pages for beian-server",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if manDir == "" {
				return usagef("nothing to do: give --man DIR")
			}
			if err := os.MkdirAll(manDir, 0o755); err != nil {
				return err
			}
			header := &doc.GenManHeader{Title: "BEIAN-SERVER", Section: "1", Source: "beian-server " + version.Version}
			return doc.GenManTree(root, header, manDir)
		},
	}
	cmd.Flags().StringVar(&manDir, "man", "", "write man pages (section 1) into `DIR`")
	return cmd
}
