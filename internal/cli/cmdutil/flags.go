package cmdutil

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// GlobalFlags are the root command's persistent flags. The root binds them;
// the factory reads them lazily, knowing from Set which ones the user gave
// (a flag beats the environment only when it was given).
type GlobalFlags struct {
	Profile    string
	ConfigFile string
	Server     string
	Lang       string
	NoInput    bool
	Accessible bool
	Debug      bool
	CACerts    []string
	Output     string
	JQ         string
	// NewProfile: the command writes --profile's section (`config set`),
	// so a profile not yet in the file is created, not refused.
	NewProfile bool

	Set *pflag.FlagSet
}

// Changed reports whether the user gave the global flag name.
func (g *GlobalFlags) Changed(name string) bool {
	return g != nil && g.Set != nil && g.Set.Changed(name)
}

// ConfigFlags returns the given flags that are also config keys, as
// config.LoadOptions.Flags wants them.
func (g *GlobalFlags) ConfigFlags() map[string]any {
	m := map[string]any{}
	if g == nil {
		return m
	}
	add := func(name string, v any) {
		if g.Changed(name) {
			m[name] = v
		}
	}
	add("server", g.Server)
	add("lang", g.Lang)
	add("output", g.Output)
	add("no-input", g.NoInput)
	add("accessible", g.Accessible)
	add("debug", g.Debug)
	add("ca-cert", g.CACerts)
	return m
}

// Annotation keys on commands.
const (
	// AnnotationSkipConfig marks commands that must work without reading
	// the config (help, version, completion, gen-docs, config path).
	AnnotationSkipConfig = "beian/skip-config"
)

// AnnotationNewProfile marks commands that may name a profile the config
// file does not have yet: they create it (`config set`).
const AnnotationNewProfile = "beian/new-profile"

// NewProfile marks cmd as creating the --profile it is given.
func NewProfile(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[AnnotationNewProfile] = "true"
	return cmd
}

// SkipConfig marks cmd as not needing the config.
func SkipConfig(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[AnnotationSkipConfig] = "true"
	return cmd
}

// NeedsConfig reports whether cmd reads the config before running.
func NeedsConfig(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[AnnotationSkipConfig] == "true" {
			return false
		}
	}
	return true
}
