package forms

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Env is what every builder reads besides the answers themselves. It holds
// no terminal and no connection: CheckDomain is a plain function the command
// supplies, so tests pass a table.
type Env struct {
	// Loc renders titles, options and errors in the user's language.
	Loc *i18n.Localizer
	// Today is the day of the filing, for date rules and the late-filing
	// warning; zero means now.
	Today time.Time
	// DeadlineDays is the filing deadline after launch (0: the default 30).
	DeadlineDays int
	// AllowNonPublicIP accepts private and documentation addresses: the
	// sandbox does, a real server does not.
	AllowNonPublicIP bool
	// CheckDomain asks the server whether a normalised domain is free
	// (GET /v1/domain-checks/{domain}); nil skips the check. A failure to
	// ask is not the user's mistake: the form accepts the domain and the
	// server checks again on submission.
	CheckDomain func(domain string) (*api.DomainCheck, error)
	// Unchecked, when set, hears of every domain CheckDomain could not
	// ask about, so that the command can say so once the form is done.
	Unchecked func(domain string)
	// Accessible says the forms run as line prompts, where an empty line
	// keeps the value shown.
	Accessible bool
}

func (e Env) today() time.Time {
	if e.Today.IsZero() {
		return time.Now()
	}
	return e.Today
}

func (e Env) t(id string, args ...any) string { return e.Loc.T(id, args...) }

// Runner runs built forms on a terminal: full-screen with a theme, or as
// plain line prompts in accessible mode. Forms draw on Out (stderr in beian,
// so stdout stays data only).
type Runner struct {
	In         io.Reader
	Out        io.Writer
	Accessible bool
	// Theme styles full-screen forms; nil uses huh's base theme.
	Theme huh.Theme
}

// ErrCancelled is returned when the user interrupts a form (Ctrl-C or
// Esc-quit); beian exits 2 and keeps what was journalled.
var ErrCancelled = cmdutil.ErrCancel

// Run runs f until it completes, the user cancels, or ctx ends.
//
// In accessible mode huh reads stdin with blocking line reads that a
// cancelled context cannot interrupt, and Ctrl-C reaches beian as SIGINT
// (which Main turns into a cancelled context) rather than as a key, so the
// form runs on its own goroutine and Run returns as soon as ctx is done.
func (r *Runner) Run(ctx context.Context, f *huh.Form) error { return r.run(ctx, f) }

// RunPage is Run for one page of a walk: Shift-Tab on the page's first
// field ends it with ErrBack, so the walker can open the previous page (huh
// moves back between the fields of a page, not past the first).
func (r *Runner) RunPage(ctx context.Context, f *huh.Form) error {
	var first huh.Field
	back := false
	f = f.WithProgramOptions(tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
		if first == nil {
			first = f.GetFocusedField()
		}
		if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "shift+tab" && f.GetFocusedField() == first {
			back = true
			return tea.QuitMsg{} // a normal exit: the terminal and its input are handed over cleanly
		}
		if back {
			return nil // nothing more for a page being left
		}
		return msg
	}))
	err := r.run(ctx, f)
	if back && ctx.Err() == nil {
		return ErrBack
	}
	return err
}

// ErrBack is returned when the user asks for the previous page
// (Shift-Tab on a page's first field).
var ErrBack = errors.New("forms: back to the previous page")

func (r *Runner) run(ctx context.Context, f *huh.Form) error {
	f = f.WithAccessible(r.Accessible).WithShowHelp(!r.Accessible)
	if r.In != nil {
		f = f.WithInput(r.In)
	}
	if r.Out != nil {
		out := r.Out
		if r.Accessible {
			// Line prompts are for screen readers and dumb terminals: no
			// escape sequence at all, whatever a style asks for.
			out = &colorprofile.Writer{Forward: out, Profile: colorprofile.NoTTY}
		}
		f = f.WithOutput(out)
	}
	switch {
	case r.Accessible:
		f = f.WithTheme(huh.ThemeFunc(plainTheme))
	case r.Theme != nil:
		f = f.WithTheme(r.Theme)
	}
	if !r.Accessible {
		return mapFormError(ctx, f.RunWithContext(ctx))
	}
	done := make(chan error, 1)
	go func() { done <- f.RunWithContext(ctx) }()
	select {
	case err := <-done:
		return mapFormError(ctx, err)
	case <-ctx.Done():
		return ErrCancelled
	}
}

// plainTheme styles nothing, and ends each prompt's title with a colon so
// that a line prompt does not run the label into the answer ("Site name:
// 示例网站", not "Site name 示例网站").
func plainTheme(bool) *huh.Styles {
	st := &huh.Styles{}
	colon := func(s string) string {
		t := strings.TrimRight(s, " ")
		if t == "" || strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") {
			return s
		}
		if strings.ContainsFunc(t, func(r rune) bool { return r >= 0x2e80 }) {
			return t + "："
		}
		return t + ":"
	}
	st.Focused.Title = lipgloss.NewStyle().Transform(colon)
	st.Blurred = st.Focused
	return st
}

func mapFormError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ErrCancelled
	}
	if errors.Is(err, huh.ErrUserAborted) || errors.Is(err, huh.ErrTimeout) {
		return ErrCancelled
	}
	return err
}

// siteOptions are the rules the inline checks apply: as for submission (so
// required fields are required), on the filing day.
func (e Env) siteOptions() filing.SiteOptions {
	return filing.SiteOptions{ForSubmit: true, Today: e.today(), AllowNonPublicIP: e.AllowNonPublicIP}
}

func (e Env) subjectOptions() filing.SubjectOptions {
	return filing.SubjectOptions{ForSubmit: true, Today: e.today()}
}

// NewRunner is the Runner of a command: forms on ios's stdin and stderr,
// accessible when ios says so, themed (in colour when colour is on)
// otherwise. probes, when set, counts the theme built.
func NewRunner(ios *iostreams.IOStreams, probes *cmdutil.Probes) *Runner {
	r := &Runner{In: ios.In, Out: ios.ErrOut, Accessible: ios.Accessible()}
	if !r.Accessible {
		if probes != nil {
			probes.FormThemes.Add(1)
		}
		r.Theme = huh.ThemeFunc(huh.ThemeBase)
		if ios.ColorEnabled() {
			r.Theme = huh.ThemeFunc(huh.ThemeCharm)
		}
	}
	return r
}
