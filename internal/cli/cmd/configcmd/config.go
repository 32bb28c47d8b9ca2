// Package configcmd implements `beian config get|set|list|path`: read and
// write settings in the config file, and see where each value comes from
// (flag, environment, profile, file or default).
package configcmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of the config subcommands.
type Options struct {
	IO        *iostreams.IOStreams
	Config    func() (*config.Config, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	Key   string
	Value string
}

func keyNames() []string {
	names := make([]string, len(config.Keys))
	for i, k := range config.Keys {
		names[i] = k.Name
	}
	return names
}

// NewCmdConfig is the `config` group.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config, Output: f.Output, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Read and write settings",
		Long: `Read and write beian's settings. Precedence: flags > BEIAN_* environment >
config file (the --profile's section over the top level) > defaults.
Keys: ` + strings.Join(keyNames(), ", ") + `.
See also: beian help environment.`,
		Example: `  beian config set server https://beian.example.com
  beian config --profile staging set server https://staging.beian.example.com
  beian config get server
  beian config list`,
	}
	complete := cobra.FixedCompletions(keyNames(), cobra.ShellCompDirectiveNoFileComp)
	get := &cobra.Command{
		Use:               "get <key>",
		Short:             "Print a setting's value",
		Example:           `  beian config get server`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: complete,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			return getRun(opts)
		},
	}
	set := &cobra.Command{
		Use:   "set <key> <value>",
		Short: "Write a setting into the config file",
		Long: `Write a setting into the config file (into the profile's section with
--profile). A list key takes comma-separated values; an empty value removes
the key.`,
		Example: `  beian config set server https://beian.example.com
  beian config set ca_cert /etc/ssl/private-ca.pem,/etc/ssl/other-ca.pem
  beian config set lang zh`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: complete,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key, opts.Value = args[0], args[1]
			return setRun(opts)
		},
	}
	list := &cobra.Command{
		Use:     "list",
		Short:   "List every setting, its value and where it comes from",
		Example: `  beian config list -o json`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return listRun(opts) },
	}
	path := &cobra.Command{
		Use:     "path",
		Short:   "Print the config file's path",
		Example: `  beian config path`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return pathRun(opts) },
	}
	cmdutil.NewProfile(set)
	cmd.AddCommand(get, set, list, path)
	return cmd
}

func getRun(opts *Options) error {
	c, err := opts.Config()
	if err != nil {
		return err
	}
	v, err := c.Get(opts.Key)
	if err != nil {
		return usageIfUnknown(err)
	}
	if v.Text != "" {
		fmt.Fprintln(opts.IO.Out, v.Text)
	}
	return nil
}

func usageIfUnknown(err error) error {
	if ce, ok := err.(*config.Error); ok && ce.Code() == "unknown_key" {
		return cmdutil.Exit(cmdutil.ExitUsage, err)
	}
	return err
}

func setRun(opts *Options) error {
	c, err := opts.Config()
	if err != nil {
		return err
	}
	if err := c.Set(opts.Key, opts.Value); err != nil {
		if ce, ok := err.(*config.Error); ok && (ce.Code() == "unknown_key" || ce.Code() == "invalid_value") {
			return cmdutil.Exit(cmdutil.ExitUsage, err)
		}
		return err
	}
	where := c.Path()
	if c.Profile() != "" {
		where += " (profile " + c.Profile() + ")"
	}
	fmt.Fprintln(opts.IO.ErrOut, opts.Localizer().T("config.set", opts.Key, where))
	return nil
}

// Entry is one line of `config list`.
type Entry struct {
	Key    string        `json:"key"`
	Value  any           `json:"value"`
	Source config.Source `json:"source"`
	Env    string        `json:"env"`
	Help   string        `json:"help"`
}

func listRun(opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.Config()
	if err != nil {
		return err
	}
	var entries []Entry
	for i, v := range c.All() {
		k := config.Keys[i]
		e := Entry{Key: v.Key, Value: v.Text, Source: v.Source, Env: k.Env, Help: k.Help}
		if k.List {
			list := v.List
			if list == nil {
				list = []string{}
			}
			e.Value = list
		}
		entries = append(entries, e)
	}
	loc := opts.Localizer()
	return output.Print(opts.IO, out, entries, func() error {
		t := output.NewTable(opts.IO, loc.T("config.key"), loc.T("config.value"), loc.T("config.source"))
		for _, e := range entries {
			val := fmt.Sprint(e.Value)
			if l, ok := e.Value.([]string); ok {
				val = strings.Join(l, ",")
			}
			t.AddRow(e.Key, val, string(e.Source))
		}
		return t.Render()
	})
}

func pathRun(opts *Options) error {
	c, err := opts.Config()
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.Out, c.Path())
	return nil
}
