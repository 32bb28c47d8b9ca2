package cli

import (
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
	return root.NewCmdRoot(f, g, version.String(), Extras...)
}
