package root

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/version"
)

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
				return cmdutil.FlagErrorf("nothing to do: give --man DIR and/or --markdown DIR")
			}
			return GenDocs(root, manDir, mdDir)
		},
	}
	cmdutil.SkipConfig(cmd)
	cmd.Flags().StringVar(&manDir, "man", "", "write man pages (section 1) into `DIR`")
	cmd.Flags().StringVar(&mdDir, "markdown", "", "write Markdown pages into `DIR`")
	return cmd
}

// GenDocs writes the reference of root's tree: man pages into manDir and
// Markdown into mdDir (either may be empty).
func GenDocs(root *cobra.Command, manDir, mdDir string) error {
	if manDir != "" {
		if err := os.MkdirAll(manDir, 0o755); err != nil {
			return err
		}
		header := &doc.GenManHeader{Title: "BEIAN", Section: "1", Source: "beian " + version.Version}
		if err := doc.GenManTree(root, header, manDir); err != nil {
			return fmt.Errorf("man pages: %w", err)
		}
	}
	if mdDir != "" {
		if err := os.MkdirAll(mdDir, 0o755); err != nil {
			return err
		}
		if err := doc.GenMarkdownTree(root, mdDir); err != nil {
			return fmt.Errorf("markdown: %w", err)
		}
	}
	return nil
}
