// Package iostreams is the one place that knows what beian's standard
// streams are: whether stdin, stdout and stderr are terminals, whether the
// program may prompt, whether colour is on, and how wide the terminal is.
// Commands write data to Out and messages to ErrOut; nothing else in the
// client looks at file descriptors.
//
// Detection is deliberately cheap: an isatty ioctl per stream and a few
// environment variables. No escape sequence is ever sent to ask the
// terminal anything (background colour, cursor position), so a command such
// as `beian status -o json` never stalls on a terminal that does not answer.
package iostreams

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"
)

// IOStreams holds the standard streams and what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool

	neverPrompt  bool
	colorEnabled bool
	accessible   bool
	width        int
	outFd        uintptr
	hasOutFd     bool
	reader       *bufio.Reader // shared by the prompts, so no input is lost between them
}

// Getenv reads the environment; System takes it so tests can pass their own.
type Getenv func(string) string

// System returns the process's streams. getenv is usually os.Getenv.
//
// Colour is on only when stdout is a terminal and neither NO_COLOR (any
// value, https://no-color.org) nor TERM=dumb says otherwise. Accessible mode
// starts on with BEIAN_ACCESSIBLE=1 or TERM=dumb; --accessible can still
// turn it on later.
func System(getenv Getenv) *IOStreams {
	s := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	s.stdinTTY = isTerminal(os.Stdin)
	s.stdoutTTY = isTerminal(os.Stdout)
	s.stderrTTY = isTerminal(os.Stderr)
	s.outFd, s.hasOutFd = os.Stdout.Fd(), true
	s.applyEnv(getenv)
	return s
}

func (s *IOStreams) applyEnv(getenv Getenv) {
	dumb := getenv("TERM") == "dumb"
	_, noColor := lookup(getenv, "NO_COLOR")
	s.colorEnabled = s.stdoutTTY && !noColor && !dumb
	s.accessible = dumb || truthy(getenv("BEIAN_ACCESSIBLE"))
	if truthy(getenv("BEIAN_NO_INPUT")) {
		s.neverPrompt = true
	}
}

// lookup treats an empty value as set: NO_COLOR= still means no colour by
// the convention's wording ("when present"), but os.Getenv cannot tell an
// empty value from a missing one, so only a non-empty value counts here.
func lookup(getenv Getenv, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

func truthy(v string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	return err == nil && b
}

func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// Test returns streams over buffers, none of them a terminal: the shape of
// a script or CI job. Tests flip the TTY flags with the setters.
func Test() (s *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	s = &IOStreams{In: in, Out: out, ErrOut: errOut}
	return s, in, out, errOut
}

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// SetStdinTTY overrides detection (tests, pseudo-terminals).
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// SetStdoutTTY overrides detection.
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY overrides detection.
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetNeverPrompt forbids prompting (--no-input, BEIAN_NO_INPUT).
func (s *IOStreams) SetNeverPrompt(v bool) { s.neverPrompt = v }

// CanPrompt reports whether asking the user is possible: both stdin and
// stdout are terminals and prompting is not forbidden. When it is false a
// missing value must be an error naming its flag, never a hang.
func (s *IOStreams) CanPrompt() bool {
	return !s.neverPrompt && s.stdinTTY && s.stdoutTTY
}

// ColorEnabled reports whether output may carry ANSI colour.
func (s *IOStreams) ColorEnabled() bool { return s.colorEnabled }

// SetColorEnabled overrides the decision (tests).
func (s *IOStreams) SetColorEnabled(v bool) { s.colorEnabled = v }

// Accessible reports whether prompts must be plain lines (screen readers,
// TERM=dumb): --accessible, BEIAN_ACCESSIBLE=1 or TERM=dumb.
func (s *IOStreams) Accessible() bool { return s.accessible }

// SetAccessible turns accessible mode on or off.
func (s *IOStreams) SetAccessible(v bool) { s.accessible = v }

// TerminalWidth is stdout's width in columns, or 80 when it is not a
// terminal or the size is unknown. It asks the kernel (an ioctl), never the
// terminal itself.
func (s *IOStreams) TerminalWidth() int {
	if s.width > 0 {
		return s.width
	}
	if s.stdoutTTY && s.hasOutFd {
		if w, _, err := term.GetSize(int(s.outFd)); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// SetTerminalWidth fixes the width (tests).
func (s *IOStreams) SetTerminalWidth(w int) { s.width = w }

// ColorScheme returns the palette, which prints plain text when colour is off.
func (s *IOStreams) ColorScheme() *ColorScheme { return &ColorScheme{enabled: s.colorEnabled} }

// ColorScheme wraps text in ANSI SGR codes when colour is enabled. Plain
// escape codes are enough for a few words of emphasis and, unlike a styling
// library, need no knowledge of the terminal's background.
type ColorScheme struct{ enabled bool }

func (c *ColorScheme) wrap(code, s string) string {
	if !c.enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Bold text.
func (c *ColorScheme) Bold(s string) string { return c.wrap("1", s) }

// Red text: failures, refusals.
func (c *ColorScheme) Red(s string) string { return c.wrap("31", s) }

// Green text: success, recorded, available.
func (c *ColorScheme) Green(s string) string { return c.wrap("32", s) }

// Yellow text: warnings, pending.
func (c *ColorScheme) Yellow(s string) string { return c.wrap("33", s) }

// Gray text: secondary details.
func (c *ColorScheme) Gray(s string) string { return c.wrap("90", s) }
