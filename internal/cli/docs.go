package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmd/root"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/factory"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/version"
)

// CommandTree builds beian's command tree as Main does, without running
// anything: for the generated reference in docs/cli and its sync test.
func CommandTree() *cobra.Command {
	ios, _, _, _ := iostreams.Test()
	g := &cmdutil.GlobalFlags{}
	f := factory.New(factory.Options{IOStreams: ios, AppVersion: version.Version, Getenv: func(string) string { return "" }, Globals: g})
	return root.NewCmdRoot(f, g, version.String())
}

// ExampleLines are the shell lines of every example in the tree's help, in
// command order: comments dropped, continued lines joined. Tests parse them
// against the tree and run them against a real server.
func ExampleLines(c *cobra.Command) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(c.Example, "\\\n", " "), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	for _, sub := range c.Commands() {
		out = append(out, ExampleLines(sub)...)
	}
	return out
}
