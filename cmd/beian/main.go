// Command beian is the client of the public-security website filing platform.
// Everything lives in internal/cli so that tests can run the program in-process.
package main

import (
	"os"

	"github.com/beian-dev/beian/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
