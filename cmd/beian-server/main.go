// Command beian-server is the reference filing server of the Filing API v1.
// Everything lives in internal/servercmd so that tests can run it in-process.
package main

import (
	"os"

	"github.com/beian-dev/beian/internal/servercmd"
)

func main() {
	os.Exit(servercmd.Main())
}
