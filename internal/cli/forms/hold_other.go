//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package forms

// holdInput does nothing where there is no termios: each page sets and
// restores the console mode itself.
func holdInput(any) func() { return func() {} }
