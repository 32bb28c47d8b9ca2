package forms

import (
	"context"
	"errors"
	"io"
	"reflect"
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

	// ahead holds the keys typed after a page's last Enter (type-ahead):
	// they reached the program of the page being left, and are handed to
	// the next form this Runner runs, in order.
	ahead []tea.Msg
}

// drainFor is how long a finished page keeps listening for keys typed
// right after its last Enter, so that they are given to the next page
// rather than lost between two programs. Keys typed later stay in the
// terminal until the next page reads them.
const drainFor = 40 * time.Millisecond

// pageDone ends a page once its drain is over.
type pageDone struct{}

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
//
// changed, when set, is called (on the form's goroutine) once the user has
// paused typing for saveAfter, so that what is on the screen is journalled
// even if beian is killed rather than interrupted.
func (r *Runner) RunPage(ctx context.Context, f *huh.Form, changed func()) error {
	var first huh.Field
	back := false
	err := r.runFiltered(ctx, f, changed, func(msg tea.Msg) (tea.Msg, bool) {
		if first == nil {
			first = f.GetFocusedField()
		}
		if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "shift+tab" && f.GetFocusedField() == first {
			back = true
			return nil, true // leave the page, keeping what is typed next for the previous one
		}
		return msg, back
	})
	if back && ctx.Err() == nil {
		return ErrBack
	}
	return err
}

// ErrBack is returned when the user asks for the previous page
// (Shift-Tab on a page's first field).
var ErrBack = errors.New("forms: back to the previous page")

func (r *Runner) run(ctx context.Context, f *huh.Form) error {
	return r.runFiltered(ctx, f, nil, nil)
}

// runFiltered runs f with page, when set, seeing each message first: it
// returns the message to pass on, and true once the page is to end (a
// normal exit, so the terminal and its input are handed over cleanly).
//
// A full-screen form's keys are carried across forms: those typed after
// the form is done are kept on r and replayed into the next form it runs.
func (r *Runner) runFiltered(ctx context.Context, f *huh.Form, changed func(), page func(tea.Msg) (tea.Msg, bool)) error {
	if !r.Accessible {
		c := &keyCarrier{r: r, f: f, page: page, changed: changed}
		f = f.WithProgramOptions(tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg { return c.filter(msg) }))
	}
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

// keyCarrier keeps type-ahead in order. huh moves to the next field, and
// past a page's last field, through messages that come back after the key
// that asked for it; a key typed right behind that key would land in the
// field being left, or in a form that has already finished. So after a
// key that may advance (Enter, Tab, Shift-Tab, a confirm's y or n) the
// keys that follow are held until huh's own messages have settled for
// holdFor; they are then replayed, or, if the form is done, kept on the
// Runner for the next form, whose first message replays them. Keys that
// arrive while a replay is under way wait behind it.
//
// When the form completes (huh's submit is a tea.Quit) or page asks to
// leave, the program listens drainFor longer, keeping every key, then quits.
//
// With changed set, a clock ticks every saveEvery while the page is open,
// and changed is called once the user has paused typing for saveAfter.
type keyCarrier struct {
	r       *Runner
	f       *huh.Form
	page    func(tea.Msg) (tea.Msg, bool)
	changed func()

	started, draining, holding, replaying bool
	held, live                            []tea.Msg
	gen                                   int
	edits, saved                          int
	lastEdit                              time.Time
}

const (
	// holdFor is how quiet huh's own messages must be before held keys
	// are replayed.
	holdFor = 25 * time.Millisecond
	// saveEvery and saveAfter: how often the page's clock ticks, and the
	// pause in typing after which the page's answers are journalled.
	saveEvery = 150 * time.Millisecond
	saveAfter = 300 * time.Millisecond
)

type (
	// passed is a message the carrier has already seen, coming back to
	// be handed on as it is.
	passed struct{ msg tea.Msg }
	// replayed is a key of a replay; replayEnd ends one.
	replayed  struct{ msg tea.Msg }
	replayEnd struct{}
	// release ends hold number gen.
	release struct{ gen int }
	// saveTick is the clock of changed.
	saveTick struct{}
)

func isKey(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		return true
	}
	return false
}

// replay sends msgs back through the filter in order, then the extra
// commands' messages.
func (c *keyCarrier) replay(msgs []tea.Msg, extra ...tea.Cmd) tea.Msg {
	c.replaying = true
	cmds := make([]tea.Cmd, 0, len(msgs)+1+len(extra))
	for _, m := range msgs {
		cmds = append(cmds, func() tea.Msg { return replayed{m} })
	}
	cmds = append(cmds, func() tea.Msg { return replayEnd{} })
	return tea.Sequence(append(cmds, extra...)...)()
}

// flush replays the held keys once nothing holds them.
func (c *keyCarrier) flush() tea.Msg {
	if c.holding || c.replaying || len(c.held) == 0 {
		return nil
	}
	msgs := c.held
	c.held = nil
	if c.draining {
		c.r.ahead = append(c.r.ahead, msgs...)
		return nil
	}
	return c.replay(msgs)
}

// passThenWait hands msg on and (re)starts the hold's clock.
func (c *keyCarrier) passThenWait(msg tea.Msg) tea.Msg {
	c.holding = true
	c.gen++
	gen := c.gen
	return tea.Sequence(
		func() tea.Msg { return passed{msg} },
		tea.Tick(holdFor, func(time.Time) tea.Msg { return release{gen} }),
	)()
}

func (c *keyCarrier) drain() tea.Msg {
	c.draining = true
	c.holding = false
	c.r.ahead = append(c.r.ahead, c.held...)
	c.held = nil
	return tea.BatchMsg{tea.Tick(drainFor, func(time.Time) tea.Msg { return pageDone{} })}
}

func (c *keyCarrier) tick() tea.Cmd {
	if c.changed == nil {
		return nil
	}
	return tea.Tick(saveEvery, func(time.Time) tea.Msg { return saveTick{} })
}

// advances says whether k may move the form on.
func (c *keyCarrier) advances(k tea.KeyPressMsg) bool {
	switch k.String() {
	case "enter", "tab", "shift+tab":
		return true
	case "y", "n", "Y", "N":
		_, confirm := c.f.GetFocusedField().(*huh.Confirm)
		return confirm
	}
	return false
}

func (c *keyCarrier) filter(msg tea.Msg) tea.Msg {
	if !c.started {
		c.started = true
		msgs := append([]tea.Msg{msg}, c.r.ahead...)
		c.r.ahead = nil
		return c.replay(msgs, c.tick())
	}
	switch m := msg.(type) {
	case passed:
		return m.msg
	case replayEnd:
		c.replaying = false
		c.held = append(c.held, c.live...)
		c.live = nil
		return c.flush()
	case release:
		if m.gen != c.gen {
			return nil
		}
		c.holding = false
		return c.flush()
	case saveTick:
		if c.draining || c.f.State != huh.StateNormal {
			return nil
		}
		if c.edits != c.saved && time.Since(c.lastEdit) >= saveAfter {
			c.saved = c.edits
			c.changed()
		}
		return tea.BatchMsg{c.tick()}
	case pageDone:
		if c.replaying {
			return c.drain() // keys still coming back: listen on
		}
		c.r.ahead = append(c.r.ahead, append(c.held, c.live...)...)
		c.held, c.live = nil, nil
		return tea.QuitMsg{}
	case replayed:
		msg = m.msg
	default:
		if c.replaying && isKey(msg) {
			c.live = append(c.live, msg)
			return nil
		}
	}
	return c.handle(msg)
}

// handle is filter for a message in its turn.
func (c *keyCarrier) handle(msg tea.Msg) tea.Msg {
	key := isKey(msg)
	switch {
	case c.draining:
		if key {
			c.r.ahead = append(c.r.ahead, msg)
			return nil
		}
		if _, ok := msg.(tea.QuitMsg); ok {
			return nil // the drain ends the page
		}
		return msg
	case c.holding && key:
		c.held = append(c.held, msg)
		return nil
	}
	if _, ok := msg.(tea.QuitMsg); ok && c.f.State == huh.StateCompleted {
		return c.drain()
	}
	if c.page != nil {
		var leave bool
		if msg, leave = c.page(msg); leave {
			return c.drain()
		}
		if msg == nil {
			return nil
		}
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && c.advances(k) {
		return c.passThenWait(msg)
	}
	if c.holding && msg != nil && reflect.TypeOf(msg).PkgPath() == huhPackage {
		return c.passThenWait(msg) // huh is still moving: wait on
	}
	if key {
		c.edits++
		c.lastEdit = time.Now()
	}
	return msg
}

// huhPackage is the import path of huh, whose unexported messages
// (next field, next group) show that the form is still moving.
var huhPackage = reflect.TypeFor[huh.Form]().PkgPath()

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
	return filing.SiteOptions{ForSubmit: true, Today: e.today(), AllowNonPublicIP: e.AllowNonPublicIP, TestDomains: e.AllowNonPublicIP}
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
