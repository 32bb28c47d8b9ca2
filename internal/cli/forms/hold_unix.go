//go:build linux || darwin || freebsd || netbsd || openbsd

package forms

import (
	"os"

	"golang.org/x/sys/unix"
)

// holdInput takes the terminal out of line mode for a whole walk, keeping
// Ctrl-C a signal, and returns what puts it back. Each page is its own
// program, which sets raw mode while it runs and restores what it found:
// without this the terminal would be in line mode between two pages, and a
// key typed in that instant would be echoed and translated (Enter arriving
// as a newline) before the next page could read it. Held in character
// mode, type-ahead waits in the terminal as typed.
func holdInput(in any) func() {
	f, ok := in.(*os.File)
	if !ok {
		return func() {}
	}
	fd := int(f.Fd())
	was, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return func() {}
	}
	now := *was
	now.Lflag &^= unix.ICANON | unix.ECHO | unix.ECHONL | unix.IEXTEN
	now.Iflag &^= unix.ICRNL | unix.INLCR | unix.IGNCR
	now.Cc[unix.VMIN], now.Cc[unix.VTIME] = 1, 0
	if unix.IoctlSetTermios(fd, ioctlSetTermios, &now) != nil {
		return func() {}
	}
	return func() { _ = unix.IoctlSetTermios(fd, ioctlSetTermios, was) }
}
