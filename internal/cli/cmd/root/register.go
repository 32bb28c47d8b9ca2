package root

import (
	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
)

func init() {
	commands = []func(*cmdutil.Factory) *cobra.Command{}
}
