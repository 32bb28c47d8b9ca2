// Package webhooks implements `beian webhooks`: subscribe URLs of the
// account to events of its filings (every state change, every
// notification), list and remove them, send a test, and read the delivery
// log (issue 14; docs/compliance.md).
package webhooks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are what every subcommand needs.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	URL    string
	Events []string
	ID     string
	Limit  int
}

// NewCmdWebhooks builds `beian webhooks` and its subcommands.
func NewCmdWebhooks(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:     "webhooks",
		Aliases: []string{"webhook"},
		Short:   "Send events of your filings to your URLs",
		Long: `Subscribe URLs of the account to events: every state change of its sites
(site.under_review, site.recorded, site.returned, …) and of its subject
(subject.approved, …), and every notification. The server writes each
event in the transaction of the change and delivers it, in order, as a
signed POST (the Beian-Signature header: t=<unix>,v1=<HMAC-SHA256 of
"<t>.<body>" with the webhook's secret), retrying with backoff while the
receiver is down. docs/compliance.md shows how to check a signature.`,
		Example: `  beian webhooks add https://ops.example.com/beian --events site.recorded,site.returned
  beian webhooks list
  beian webhooks test 06h4tjt35xg4zjwp4fg1g358bm
  beian webhooks deliveries 06h4tjt35xg4zjwp4fg1g358bm
  beian webhooks remove 06h4tjt35xg4zjwp4fg1g358bm`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return listRun(cmd.Context(), opts) },
	}
	add := &cobra.Command{
		Use:   "add <url>",
		Short: "Subscribe a URL; prints its signing secret once",
		Long: `Subscribe a URL (http or https) to --events (comma-separated; default all:
` + strings.Join(api.WebhookEvents, ", ") + `). The signing secret is printed
once, on stdout: keep it where the receiver can read it.`,
		Example: `  beian webhooks add https://ops.example.com/beian
  beian webhooks add https://ops.example.com/beian --events site.returned,notification`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.URL = args[0]
			return addRun(cmd.Context(), opts)
		},
	}
	add.Flags().StringSliceVar(&opts.Events, "events", nil, "the event types to send (comma-separated; default all)")
	_ = add.RegisterFlagCompletionFunc("events", cobra.FixedCompletions(append([]string{"*"}, api.WebhookEvents...), cobra.ShellCompDirectiveNoFileComp))
	list := &cobra.Command{
		Use:     "list",
		Short:   "List the account's webhooks",
		Example: `  beian webhooks list --jq '.[].url'`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return listRun(cmd.Context(), opts) },
	}
	remove := &cobra.Command{
		Use:     "remove <id>",
		Aliases: []string{"rm"},
		Short:   "Remove a webhook and what it has not been sent yet",
		Example: `  beian webhooks remove 06h4tjt35xg4zjwp4fg1g358bm`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return removeRun(cmd.Context(), opts)
		},
	}
	test := &cobra.Command{
		Use:     "test <id>",
		Short:   "Send a ping event to a webhook",
		Example: `  beian webhooks test 06h4tjt35xg4zjwp4fg1g358bm`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return testRun(cmd.Context(), opts)
		},
	}
	deliveries := &cobra.Command{
		Use:     "deliveries <id>",
		Short:   "Show a webhook's delivery log, newest first",
		Example: `  beian webhooks deliveries 06h4tjt35xg4zjwp4fg1g358bm --limit 10`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return deliveriesRun(cmd.Context(), opts)
		},
	}
	deliveries.Flags().IntVar(&opts.Limit, "limit", 50, "show at most `N` deliveries")
	cmd.AddCommand(add, list, remove, test, deliveries)
	return cmd
}

func addRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	h, err := c.AddWebhook(ctx, api.WebhookCreate{URL: opts.URL, Events: opts.Events})
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	return output.Print(opts.IO, out, h, func() error {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("webhooks.added", output.Sanitize(h.URL), h.ID))
		fmt.Fprintln(opts.IO.ErrOut, loc.T("webhooks.secret_once"))
		_, err := fmt.Fprintln(opts.IO.Out, h.Secret)
		return err
	})
}

func listRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	list, err := c.Webhooks(ctx)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	return output.Print(opts.IO, out, list.Items, func() error {
		if len(list.Items) == 0 {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("webhooks.none"))
			return nil
		}
		t := output.NewTable(opts.IO, "ID", "URL", loc.T("webhooks.col.events"), loc.T("webhooks.col.created"))
		for _, h := range list.Items {
			t.AddRow(h.ID, output.Sanitize(h.URL), output.Sanitize(strings.Join(h.Events, ",")), h.CreatedAt.Local().Format(time.DateTime))
		}
		return t.Render()
	})
}

func removeRun(ctx context.Context, opts *Options) error {
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	if err := c.DeleteWebhook(ctx, opts.ID); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, opts.Localizer().T("webhooks.removed", opts.ID))
	return nil
}

func testRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	d, err := c.TestWebhook(ctx, opts.ID)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	return output.Print(opts.IO, out, d, func() error {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("webhooks.tested", d.ID, opts.ID))
		return nil
	})
}

func deliveriesRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	list, err := c.WebhookDeliveries(ctx, opts.ID, min(max(opts.Limit, 1), 500), "")
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	return output.Print(opts.IO, out, list.Items, func() error {
		if len(list.Items) == 0 {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("webhooks.no_deliveries"))
			return nil
		}
		t := output.NewTable(opts.IO, "ID", loc.T("webhooks.col.event"), loc.T("webhooks.col.state"), loc.T("webhooks.col.attempts"),
			loc.T("webhooks.col.last"), loc.T("webhooks.col.created"))
		for _, d := range list.Items {
			last := ""
			switch {
			case d.LastError != "":
				last = d.LastError
			case d.LastStatus != 0:
				last = fmt.Sprint(d.LastStatus)
			}
			if d.NextAt != nil {
				last += " " + loc.T("webhooks.next", d.NextAt.Local().Format(time.TimeOnly))
			}
			t.AddRow(d.ID, d.Event, d.State, fmt.Sprint(d.Attempts), output.Sanitize(strings.TrimSpace(last)), d.CreatedAt.Local().Format(time.DateTime))
		}
		return t.Render()
	})
}
