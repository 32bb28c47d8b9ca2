// Package cli is the root of the beian client: it builds the command tree and
// runs it. All start-up lives in Main so that tests can run the whole program
// in-process; cmd/beian only calls os.Exit(cli.Main()).
package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/beian-dev/beian/internal/version"
)

// Main runs beian with the process's arguments and returns its exit code.
func Main() int {
	root := newRootCmd()
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "beian:", err)
		return 1
	}
	return 0
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "beian",
		Short: "File websites for public-security record (公安联网备案)",
		Long: "beian files websites for the public-security record (公安联网备案) and prints\n" +
			"the footer badge. With no server configured it works against a local sandbox:\n" +
			"nothing is filed with any authority.",
		Version:       version.String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		// Generated docs must not change with the day they are built.
		DisableAutoGenTag: true,
	}
	root.SetVersionTemplate("beian {{.Version}}\n")
	root.AddCommand(newGenDocsCmd(root))
	return root
}

// newGenDocsCmd writes man pages and Markdown for the whole command tree. It
// is hidden: the release build (.goreleaser.yaml) and the docs/cli sync test
// use it, users do not.
func newGenDocsCmd(root *cobra.Command) *cobra.Command {
	var manDir, mdDir string
	cmd := &cobra.Command{
		Use:    "gen-docs",
		Short:  "Generate man pages and Markdown reference for beian",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if manDir == "" && mdDir == "" {
				return fmt.Errorf("nothing to do: give --man DIR and/or --markdown DIR")
			}
			if manDir != "" {
				if err := os.MkdirAll(manDir, 0o755); err != nil {
					return err
				}
				header := &doc.GenManHeader{Title: "BEIAN", Section: "1", Source: "beian " + version.Version}
				if err := doc.GenManTree(root, header, manDir); err != nil {
					return err
				}
			}
			if mdDir != "" {
				if err := os.MkdirAll(mdDir, 0o755); err != nil {
					return err
				}
				if err := doc.GenMarkdownTree(root, mdDir); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&manDir, "man", "", "write man pages (section 1) into `DIR`")
	cmd.Flags().StringVar(&mdDir, "markdown", "", "write Markdown pages into `DIR`")
	return cmd
}
