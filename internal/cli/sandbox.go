package cli

import (
	"github.com/beian-dev/beian/internal/cli/factory"
)

// openSandbox opens the in-process sandbox; nil until internal/sandbox lands.
var openSandbox factory.SandboxOpener
