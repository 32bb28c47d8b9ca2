// Package root assembles beian's command tree: the global flags, every
// command, the help topics, and the wrapping that turns cobra's own usage
// errors into exit code 3.
package root

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmd/versioncmd"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/output"
)

// NewCmdRoot builds the tree. g receives the global flags.
func NewCmdRoot(f *cmdutil.Factory, g *cmdutil.GlobalFlags, version string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "beian <command> <subcommand> [flags]",
		Short: "File websites for the public-security record (公安联网备案)",
		Long: `beian files websites for the public-security record (公安联网备案), watches their
review, and prints the footer badge.

With no server configured it works against a local sandbox with automatic
review: nothing is filed with any authority. Set a real server with
  beian config set server https://beian.example.com`,
		Example: `  # File a site from YAML and wait for the review
  beian file --from site.yaml --wait

  # Is a domain filed? (exit 0 available, 6 taken, 5 invalid)
  beian check example.com.cn

  # Print the footer badge of a recorded site
  beian badge example.com.cn

  # Render a badge for a number filed elsewhere, offline
  beian badge --record "湘公网安备43010502002236号"`,
		Version:           version,
		SilenceUsage:      true,
		SilenceErrors:     true,
		DisableAutoGenTag: true, // generated docs must not change with the day
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return applyGlobals(f, g, cmd)
		},
	}
	cmd.SetVersionTemplate("beian {{.Version}}\n")

	pf := cmd.PersistentFlags()
	pf.StringVar(&g.Profile, "profile", "", "use the named `PROFILE` of the config file (BEIAN_PROFILE)")
	pf.StringVar(&g.ConfigFile, "config", "", "read settings from `FILE`, which must exist (BEIAN_CONFIG)")
	pf.StringVar(&g.Server, "server", "", "filing server `URL`; empty means the local sandbox (BEIAN_SERVER)")
	pf.StringVar(&g.Lang, "lang", "", "language of messages: zh or en (BEIAN_LANG, else the locale)")
	pf.BoolVar(&g.NoInput, "no-input", false, "never prompt: a missing value is an error naming its flag (BEIAN_NO_INPUT)")
	pf.BoolVar(&g.Accessible, "accessible", false, "plain line prompts for screen readers (BEIAN_ACCESSIBLE)")
	pf.BoolVar(&g.Debug, "debug", false, "trace HTTP requests on stderr, secrets redacted (BEIAN_DEBUG)")
	pf.StringSliceVar(&g.CACerts, "ca-cert", nil, "trust the certificate authority in PEM `FILE` too (repeatable; BEIAN_CA_CERT)")
	pf.StringVarP(&g.Output, "output", "o", "table", "output format of read commands: table, json or yaml (BEIAN_OUTPUT)")
	pf.StringVarP(&g.JQ, "jq", "q", "", "filter JSON output with a jq `EXPRESSION` (implies JSON)")
	g.Set = pf
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(output.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions([]string{"zh", "en"}, cobra.ShellCompDirectiveNoFileComp))

	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})

	for _, add := range commands {
		cmd.AddCommand(add(f))
	}
	cmd.AddCommand(versioncmd.NewCmdVersion(f, g))
	cmd.AddCommand(newHelpTopic(f, "exit-codes", "Exit codes of beian and what they mean", "topic.exit_codes"))
	cmd.AddCommand(newHelpTopic(f, "environment", "Environment variables and configuration files", "topic.environment"))
	cmd.AddCommand(newGenDocsCmd(cmd))
	cmd.InitDefaultCompletionCmd()
	cmd.InitDefaultHelpCmd()
	for _, c := range cmd.Commands() {
		if c.Name() == "completion" || c.Name() == "help" {
			cmdutil.SkipConfig(c)
		}
		if c.Name() == "completion" {
			c.Example = `  source <(beian completion bash)
  beian completion zsh > "${fpath[1]}/_beian"
  beian completion fish > ~/.config/fish/completions/beian.fish`
		}
	}
	wrapArgs(cmd)
	// Help in the user's language, decided once flags and config are read
	// (--lang, BEIAN_LANG, the locale).
	defaultHelp := cmd.HelpFunc()
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		LocalizeHelp(c.Root(), f.Localizer().Lang())
		defaultHelp(c, args)
	})
	defaultUsage := cmd.UsageFunc()
	cmd.SetUsageFunc(func(c *cobra.Command) error {
		LocalizeHelp(c.Root(), f.Localizer().Lang())
		return defaultUsage(c)
	})
	return cmd
}

// commands are the constructors of the commands this package owns, in
// help order. register.go fills it.
var commands []func(*cmdutil.Factory) *cobra.Command

// applyGlobals makes --no-input and --accessible (and their config file
// values) take effect before a command runs. Commands marked SkipConfig
// (help, completion, version) read nothing.
func applyGlobals(f *cmdutil.Factory, g *cmdutil.GlobalFlags, cmd *cobra.Command) error {
	ios := f.IOStreams
	if g.Changed("no-input") && g.NoInput {
		ios.SetNeverPrompt(true)
	}
	if g.Changed("accessible") && g.Accessible {
		ios.SetAccessible(true)
	}
	if g.Changed("output") {
		if _, err := output.ParseFormat(g.Output); err != nil {
			return &cmdutil.FlagError{Err: err}
		}
	}
	if g.JQ != "" {
		if err := output.CheckJQ(g.JQ); err != nil {
			return err
		}
	}
	if !cmdutil.NeedsConfig(cmd) {
		return nil
	}
	g.NewProfile = cmd.Annotations[cmdutil.AnnotationNewProfile] == "true"
	c, err := f.Config()
	if err != nil {
		return err
	}
	if c.Bool("no_input") {
		ios.SetNeverPrompt(true)
	}
	if c.Bool("accessible") {
		ios.SetAccessible(true)
	}
	return nil
}

// wrapArgs makes every positional-argument error a usage error (exit 3).
func wrapArgs(cmd *cobra.Command) {
	if cmd.Args != nil {
		orig := cmd.Args
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := orig(c, args); err != nil {
				return &cmdutil.FlagError{Err: err}
			}
			return nil
		}
	}
	for _, c := range cmd.Commands() {
		wrapArgs(c)
	}
}

// newHelpTopic is a help-only command (`beian help exit-codes`): no Run, so
// cobra lists it under "Additional help topics". Its text is rendered in
// the user's language when shown.
func newHelpTopic(f *cmdutil.Factory, name, short, id string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   name,
		Short: short,
		Long:  englishTopic(id),
	}
	cmdutil.SkipConfig(cmd)
	cmd.SetHelpFunc(func(c *cobra.Command, _ []string) {
		fmt.Fprint(c.OutOrStdout(), f.T(id))
	})
	return cmd
}
