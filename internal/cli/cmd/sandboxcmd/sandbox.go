// Package sandboxcmd implements `beian sandbox serve|review|outbox|reset`:
// the local sandbox — the real filing server over a SQLite file under
// $XDG_DATA_HOME/beian, with automatic review — exposed on an address for
// other tools, reviewed on demand, its SMS outbox shown, or deleted.
package sandboxcmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/httpmw"
	"github.com/beian-dev/beian/internal/i18n"
	"github.com/beian-dev/beian/internal/sandbox"
)

// Options are shared by the sandbox subcommands.
type Options struct {
	IO          *iostreams.IOStreams
	Sandbox     func() (cmdutil.Sandbox, error)
	Credentials func() (*config.Credentials, error)
	Output      func() (output.Options, error)
	Localizer   func() *i18n.Localizer
	Target      func() (cmdutil.Target, error)
	APIClient   func(context.Context) (*client.Client, error)
	// Dir is the sandbox's directory ($XDG_DATA_HOME/beian).
	Dir string

	Addr         string
	ReviewEvery  time.Duration
	FaultPercent int
	Yes          bool
}

// NewCmdSandbox is the `sandbox` group.
func NewCmdSandbox(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Sandbox: f.Sandbox, Credentials: f.Credentials, Output: f.Output, Localizer: f.Localizer,
		Target: f.Target, APIClient: f.APIClient,
		Dir: sandbox.DataDir(f.Getenv)}
	cmd := &cobra.Command{
		Use:   "sandbox <command>",
		Short: "The local sandbox: serve, review, outbox, reset",
		Long: `With no server configured, beian files into a local sandbox: the real filing
server running inside beian over ` + "`$XDG_DATA_HOME/beian/sandbox.db`" + `, with an
account created for you and automatic review (sites under return.test are
returned with a reason, everything else approved). Nothing filed there
reaches any authority.`,
		Example: `  beian sandbox serve --addr 127.0.0.1:8765
  beian sandbox review
  beian sandbox outbox --jq '.[0].code'
  beian sandbox reset --yes`,
	}

	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the sandbox on an address for other tools",
		Long: `Serve the sandbox's Filing API on --addr until interrupted. The URL is printed
on stdout (useful with --addr 127.0.0.1:0). Point another beian at it with
--server URL; the automatic review runs every --review-every.
--fault-percent answers that share of /v1 requests with 503, to prove a
client's retries.`,
		Example: `  beian sandbox serve --addr 127.0.0.1:8765
  BEIAN_SERVER=http://127.0.0.1:8765 beian check example.test`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.FaultPercent < 0 || opts.FaultPercent > 100 {
				return cmdutil.FlagErrorf("--fault-percent must be 0–100")
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	serve.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8765", "listen on `HOST:PORT`")
	serve.Flags().DurationVar(&opts.ReviewEvery, "review-every", 2*time.Second, "run the automatic review this often (0: only on POST /v1/sandbox/review)")
	serve.Flags().IntVar(&opts.FaultPercent, "fault-percent", 0, "answer this `PERCENT` of /v1 requests with 503")

	review := &cobra.Command{
		Use:     "review",
		Short:   "Run the automatic review now",
		Example: `  beian sandbox review`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return reviewRun(cmd.Context(), opts) },
	}
	outbox := &cobra.Command{
		Use:   "outbox",
		Short: "List the SMS and email the sandbox sent",
		Example: `  beian sandbox outbox
  beian sandbox outbox --jq '[.[] | select(.to == "13800138000")][-1].code'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return outboxRun(cmd.Context(), opts) },
	}
	reset := &cobra.Command{
		Use:     "reset",
		Short:   "Delete the sandbox: its database, account and attachments",
		Example: `  beian sandbox reset --yes`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return resetRun(opts) },
	}
	reset.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	cmd.AddCommand(serve, review, outbox, reset)
	return cmd
}

func serveRun(ctx context.Context, opts *Options) error {
	loc := opts.Localizer()
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	sb, err := sandbox.Open(ctx, sandbox.Options{Dir: opts.Dir, PublicURL: url})
	if err != nil {
		ln.Close()
		return err
	}
	defer sb.Close()
	logger := slog.New(slog.DiscardHandler)
	h := httpmw.Stack(sb.Handler(), httpmw.Options{Logger: logger, FaultPercent: opts.FaultPercent})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintln(opts.IO.Out, url)
	fmt.Fprintln(opts.IO.ErrOut, loc.T("sandbox.serving", url, sandbox.DatabaseFile(opts.Dir)))

	// Webhooks are delivered as by beian-server, every second.
	deliver := time.NewTicker(time.Second)
	defer deliver.Stop()
	var tick <-chan time.Time
	if opts.ReviewEvery > 0 {
		t := time.NewTicker(opts.ReviewEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-tick:
			_, _ = sb.Review(ctx)
		case <-deliver.C:
			_, _ = sb.Deliver(ctx)
		case err := <-errc:
			return err
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(shut)
			fmt.Fprintln(opts.IO.ErrOut, loc.T("sandbox.stopped"))
			return nil
		}
	}
}

func reviewRun(ctx context.Context, opts *Options) error {
	sb, err := opts.Sandbox()
	if err != nil {
		return err
	}
	n, err := sb.Review(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, opts.Localizer().T("sandbox.reviewed", n))
	return nil
}

func outboxRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	var c *client.Client
	t, err := opts.Target()
	if err != nil {
		return err
	}
	if t.Sandbox {
		sb, err := opts.Sandbox()
		if err != nil {
			return err
		}
		if c, err = client.New(client.Options{BaseURL: sb.BaseURL(), Transport: sb.Transport()}); err != nil {
			return err
		}
	} else {
		// A configured server: its outbox, when it is a sandbox server
		// (`beian sandbox serve`, a test server); a real desk has none.
		if c, err = opts.APIClient(ctx); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("sandbox.outbox_of", t.Server))
	}
	box, err := c.SandboxOutbox(ctx)
	var p *api.Problem
	if errors.As(err, &p) && p.Code == api.CodeNotFound && !t.Sandbox {
		return cmdutil.Exit(cmdutil.ExitFailure, errors.New(loc.T("sandbox.no_outbox", t.Server)))
	}
	if err != nil {
		return err
	}
	items := box.Items
	if items == nil {
		items = []api.OutboxMessage{}
	}
	return output.Print(opts.IO, out, items, func() error {
		t := output.NewTable(opts.IO, loc.T("sandbox.sent"), loc.T("sandbox.channel"), loc.T("sandbox.to"), loc.T("sandbox.code"), loc.T("sandbox.body"))
		for _, m := range items {
			t.AddRow(m.SentAt.Local().Format(time.DateTime), m.Channel, m.To, m.Code, output.Sanitize(strings.ReplaceAll(m.Body, "\n", " ")))
		}
		return t.Render()
	})
}

func resetRun(opts *Options) error {
	loc := opts.Localizer()
	if !opts.Yes {
		answer, err := opts.IO.Prompt(loc.T("sandbox.confirm_reset", sandbox.DatabaseFile(opts.Dir)))
		if errors.Is(err, iostreams.ErrNoPrompt) {
			return &cmdutil.MissingFlagError{Flag: "--yes"}
		}
		if err != nil {
			return err
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" && a != "是" {
			return cmdutil.ErrCancel
		}
	}
	if err := sandbox.Reset(opts.Dir); err != nil {
		return err
	}
	// A token from `beian login` into the old sandbox means nothing now.
	if creds, err := opts.Credentials(); err == nil {
		if _, ok := creds.Get(sandbox.BaseURL); ok {
			_ = creds.Delete(sandbox.BaseURL)
		}
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("sandbox.reset", sandbox.DatabaseFile(opts.Dir)))
	return nil
}
