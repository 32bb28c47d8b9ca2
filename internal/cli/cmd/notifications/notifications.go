// Package notifications implements `beian notifications`: the system
// messages of the account (approvals, returns with their reasons), and
// marking them read.
package notifications

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// ListOptions are the inputs of listRun.
type ListOptions struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	Unread bool
}

// NewCmdNotifications is `notifications` (lists, like `notifications list`)
// with its subcommands.
func NewCmdNotifications(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	run := func(cmd *cobra.Command, _ []string) error {
		if runF != nil {
			return runF(cmd.Context(), opts)
		}
		return listRun(cmd.Context(), opts)
	}
	cmd := &cobra.Command{
		Use:     "notifications",
		Aliases: []string{"notification"},
		Short:   "List system notifications (approvals, returns)",
		Long: `List the account's system notifications: approvals, returns with the
reviewer's reason, changes decided. A return also arrives as an SMS.`,
		Example: `  beian notifications
  beian notifications --unread --jq '.[].title'
  beian notifications read --all`,
		Args: cobra.NoArgs,
		RunE: run,
	}
	cmd.Flags().BoolVar(&opts.Unread, "unread", false, "only unread notifications")
	list := &cobra.Command{
		Use:     "list",
		Short:   "List notifications",
		Example: `  beian notifications list --unread`,
		Args:    cobra.NoArgs,
		RunE:    run,
	}
	list.Flags().BoolVar(&opts.Unread, "unread", false, "only unread notifications")
	cmd.AddCommand(list, NewCmdRead(f, nil))
	return cmd
}

func listRun(ctx context.Context, opts *ListOptions) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	items, err := c.AllNotifications(ctx, client.NotificationQuery{Unread: opts.Unread, Limit: 100})
	if err != nil {
		return err
	}
	if items == nil {
		items = []api.Notification{}
	}
	loc := opts.Localizer()
	return output.Print(opts.IO, out, items, func() error {
		if len(items) == 0 {
			if opts.IO.IsStdoutTTY() {
				fmt.Fprintln(opts.IO.ErrOut, loc.T("notifications.none"))
			}
			return nil
		}
		t := output.NewTable(opts.IO, loc.T("notifications.id"), loc.T("notifications.time"), loc.T("notifications.title"), loc.T("notifications.body"))
		cs := opts.IO.ColorScheme()
		for _, n := range items {
			title := n.Title
			if n.ReadAt == nil {
				title = cs.Bold(title)
			}
			t.AddRow(n.ID, n.CreatedAt.Local().Format(time.DateTime), title, n.Body)
		}
		return t.Render()
	})
}

// ReadOptions are the inputs of readRun.
type ReadOptions struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Localizer func() *i18n.Localizer

	IDs []string
	All bool
}

// NewCmdRead builds `notifications read`; runF replaces readRun in tests.
func NewCmdRead(f *cmdutil.Factory, runF func(context.Context, *ReadOptions) error) *cobra.Command {
	opts := &ReadOptions{IO: f.IOStreams, APIClient: f.APIClient, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "read {<id>... | --all}",
		Short: "Mark notifications read",
		Example: `  beian notifications read 01J9Z4S6
  beian notifications read --all`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			if opts.All == (len(args) > 0) {
				return cmdutil.FlagErrorf("give notification IDs or --all")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return readRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "mark every unread notification read")
	return cmd
}

func readRun(ctx context.Context, opts *ReadOptions) error {
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	ids := opts.IDs
	if opts.All {
		unread, err := c.AllNotifications(ctx, client.NotificationQuery{Unread: true, Limit: 100})
		if err != nil {
			return err
		}
		for _, n := range unread {
			ids = append(ids, n.ID)
		}
	}
	for _, id := range ids {
		if err := c.ReadNotification(ctx, id); err != nil {
			return err
		}
	}
	fmt.Fprintln(opts.IO.ErrOut, opts.Localizer().T("notifications.marked", len(ids)))
	return nil
}
