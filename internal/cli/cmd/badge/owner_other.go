//go:build !unix

package badge

import (
	"io/fs"
	"os"
)

func keepOwner(*os.File, fs.FileInfo) {}
