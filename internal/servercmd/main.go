// Package servercmd is the root of beian-server, the reference filing server:
// it builds the command tree (serve, migrate, user, import, backup) and runs
// it. cmd/beian-server only calls os.Exit(servercmd.Main()).
package servercmd

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/beian-dev/beian/internal/version"
)

// Main runs beian-server with the process's arguments and returns its exit code.
func Main() int {
	root := newRootCmd()
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "beian-server:", err)
		return 1
	}
	return 0
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:               "beian-server",
		Short:             "Reference filing server for the beian Filing API v1",
		Version:           version.String(),
		SilenceUsage:      true,
		SilenceErrors:     true,
		DisableAutoGenTag: true,
	}
	root.SetVersionTemplate("beian-server {{.Version}}\n")
	root.AddCommand(newGenDocsCmd(root))
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
				return fmt.Errorf("nothing to do: give --man DIR")
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
