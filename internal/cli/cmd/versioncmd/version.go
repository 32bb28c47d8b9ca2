// Package versioncmd implements `beian version`: which build is running.
package versioncmd

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/version"
)

// Info is the version as data.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"date,omitempty"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// NewCmdVersion builds the command. It reads no config (only --output and
// --jq, as flags), so it works even with a broken config file.
func NewCmdVersion(f *cmdutil.Factory, g *cmdutil.GlobalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print beian's version",
		Example: `  beian version
  beian version -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := Info{Version: version.Version, Commit: version.Commit, Date: version.Date, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
			o := output.Options{Format: output.FormatTable}
			if g != nil {
				o.JQ = g.JQ
				if g.Changed("output") {
					fm, err := output.ParseFormat(g.Output)
					if err != nil {
						return &cmdutil.FlagError{Err: err}
					}
					o.Format = fm
				}
			}
			return output.Print(f.IOStreams, o, info, func() error {
				_, err := fmt.Fprintf(f.IOStreams.Out, "beian %s\n", version.String())
				return err
			})
		},
	}
	return cmdutil.SkipConfig(cmd)
}
