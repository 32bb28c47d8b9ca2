//go:build unix

package badge

import (
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of the file it replaces, as far as
// the user may (a group the user is in; the owner only as root).
func keepOwner(f *os.File, st fs.FileInfo) {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		if f.Chown(int(sys.Uid), int(sys.Gid)) != nil {
			_ = f.Chown(-1, int(sys.Gid))
		}
	}
}
