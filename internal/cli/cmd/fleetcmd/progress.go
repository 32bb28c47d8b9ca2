package fleetcmd

import (
	"fmt"
	"strings"

	"github.com/beian-dev/beian/internal/cli/fleet"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/i18n"
)

// progress reports an apply's steps on stderr: a bar redrawn in place on a
// terminal, a plain line per step when piped (a CI log).
type progress struct {
	ios   *iostreams.IOStreams
	loc   *i18n.Localizer
	total int
	n     int
	tty   bool
}

func newProgress(ios *iostreams.IOStreams, loc *i18n.Localizer, total int) *progress {
	return &progress{ios: ios, loc: loc, total: total, tty: ios.IsStderrTTY()}
}

// step is told each step as it ends (Apply serialises the calls).
func (p *progress) step(r fleet.Result) {
	p.n++
	what := r.Key
	if what == "" {
		what = r.Name
	}
	status := r.State
	if r.Err != nil {
		status = "✗ " + errorText(p.loc, r.Err)
	}
	line := fmt.Sprintf("%-7s %s  %s", r.Action, output.Sanitize(what), output.Sanitize(status))
	if !p.tty {
		fmt.Fprintf(p.ios.ErrOut, "[%d/%d] %s\n", p.n, p.total, line)
		return
	}
	const width = 30
	filled := width
	if p.total > 0 {
		filled = width * p.n / p.total
	}
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	if r.Err != nil { // a failure stays on the screen
		fmt.Fprintf(p.ios.ErrOut, "\r\x1b[K%s\n", line)
	}
	fmt.Fprintf(p.ios.ErrOut, "\r\x1b[K%s %d/%d  %s", bar, p.n, p.total, output.Sanitize(what))
}

// done ends the bar's line.
func (p *progress) done() {
	if p.tty && p.n > 0 {
		fmt.Fprint(p.ios.ErrOut, "\r\x1b[K")
	}
}
