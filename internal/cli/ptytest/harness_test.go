//go:build linux || darwin || freebsd || netbsd || openbsd

package ptytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server"
	"github.com/beian-dev/beian/internal/store"
	"github.com/beian-dev/beian/internal/store/sqlstore"
)

// binary is the beian binary built by TestMain.
var binary string

func TestMain(m *testing.M) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" && !strings.HasSuffix(runtime.GOOS, "bsd") {
		fmt.Println("ptytest: pseudo-terminals need a Unix system; skipped")
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "beian-ptytest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "beian")
	build := exec.Command("go", "build", "-o", binary, "github.com/beian-dev/beian/cmd/beian")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "ptytest: building beian:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// timeout bounds every wait on the terminal and the process; the race
// detector makes the binary's start-up slower, so it is generous.
const timeout = 40 * time.Second

// ---- the server -------------------------------------------------------

// filingServer is a real filing server (the platform over SQLite behind
// internal/server) on 127.0.0.1:0 that a test can stop and start again on
// the same database, as an operator restarting it would.
type filingServer struct {
	t     *testing.T
	dsn   string
	store *sqlstore.Store
	Desk  *platform.Desk
	URL   string
	srv   *http.Server
	// Wrap, when set before Start, wraps the handler (to stop mid-request).
	Wrap func(s *filingServer, next http.Handler) http.Handler
}

func newFilingServer(t *testing.T) *filingServer {
	return &filingServer{t: t, dsn: "sqlite:" + filepath.Join(t.TempDir(), "beian.db")}
}

func (s *filingServer) Start() {
	s.t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, s.dsn)
	if err != nil {
		s.t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.t.Fatal(err)
	}
	s.store, s.URL = st, "http://"+ln.Addr().String()
	s.Desk = platform.New(st, platform.Options{
		SupportEmail: "support@beian.test", PublicURL: s.URL, AttachmentDir: s.t.TempDir(), CheapPasswordHashing: true,
	})
	h := server.New(s.Desk, server.Options{})
	if s.Wrap != nil {
		h = s.Wrap(s, h)
	}
	s.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	s.t.Cleanup(s.Stop)
}

// Stop closes the listener, every connection and the database.
func (s *filingServer) Stop() {
	if s.srv != nil {
		_ = s.srv.Close()
		s.srv = nil
	}
	if s.store != nil {
		_ = s.store.Close()
		s.store = nil
	}
}

var mobileSeq int

// sponsor registers and signs in an account; with a subject it also files
// that subject and has it under review.
func (s *filingServer) sponsor(login string, subject *filing.Subject) (platform.Actor, string) {
	s.t.Helper()
	ctx := context.Background()
	mobileSeq++
	mobile := fmt.Sprintf("1396%07d", os.Getpid()%10000*100+mobileSeq)
	anon := platform.Actor{}
	if err := s.Desk.SendSMSCode(ctx, anon, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}); err != nil {
		s.t.Fatal(err)
	}
	msgs, err := s.store.Outbox(ctx, mobile)
	if err != nil || len(msgs) == 0 {
		s.t.Fatalf("no SMS code: %v", err)
	}
	const password = "correct horse battery 9"
	if _, err := s.Desk.Register(ctx, anon, api.RegisterRequest{Login: login, Mobile: mobile, SMSCode: msgs[len(msgs)-1].Code, Password: password, Email: login + "@example.com"}); err != nil {
		s.t.Fatal(err)
	}
	sess, err := s.Desk.Login(ctx, platform.Actor{Addr: "127.0.0.1"}, api.LoginRequest{Login: login, Password: password})
	if err != nil {
		s.t.Fatal(err)
	}
	actor, err := s.Desk.Authenticate(ctx, sess.Token)
	if err != nil {
		s.t.Fatal(err)
	}
	if subject != nil {
		if _, err := s.Desk.PutSubject(ctx, actor, 0, api.SubjectWrite{Subject: *subject}); err != nil {
			s.t.Fatal(err)
		}
		if _, err := s.Desk.SubmitSubject(ctx, actor); err != nil {
			s.t.Fatal(err)
		}
	}
	return actor, sess.Token
}

// sites lists the account's sites with domain (all of them for "").
func (s *filingServer) sites(actor platform.Actor, domain string) []api.SiteRecord {
	s.t.Helper()
	list, err := s.Desk.ListSites(context.Background(), actor, platform.SiteListFilter{Domain: domain, Page: store.Page{Limit: 100}})
	if err != nil {
		s.t.Fatal(err)
	}
	return list.Items
}

// publicSite is a filingtest site with public addresses, as a real server
// (not the sandbox) requires.
func publicSite(domain string) filing.Site {
	s := filingtest.Site(domain)
	s.IPAddresses = []string{"220.181.38.148"}
	return s
}

// ---- the terminal -----------------------------------------------------

// terminal is beian running on a pseudo-terminal, with everything it wrote.
type terminal struct {
	t    *testing.T
	pty  *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	raw  bytes.Buffer
	mark int // how much of the flattened screen text expect has consumed
	exit chan error
	// wrote is signalled (never blocking) after each read of beian's
	// output; drained is closed once the reader has seen the end of it.
	wrote   chan struct{}
	drained chan struct{}
	// fullScreen is false in accessible mode, which reads lines.
	fullScreen bool
}

// waitRaw waits until the program has switched the terminal out of line
// mode. Master and slave share one termios on Linux and the BSDs.
func (tm *terminal) waitRaw() {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		tio, err := unix.IoctlGetTermios(int(tm.pty.Fd()), ioctlGetTermios)
		if err != nil || tio.Lflag&unix.ICANON == 0 {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the terminal stayed in line mode for %s", timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// beianEnv is the environment of a beian run against url with token, in
// its own configuration, state and data directories.
func beianEnv(t *testing.T, home, url, token string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"BEIAN_CONFIG_DIR=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"BEIAN_SERVER=" + url,
		"BEIAN_TOKEN=" + token,
		"BEIAN_RETRIES=1",
		"LANG=en_US.UTF-8",
		"TERM=xterm-256color",
		"NO_COLOR=1",
	}
	return append(env, extra...)
}

// start runs beian with args on a fresh 50×150 pseudo-terminal.
func start(t *testing.T, env []string, args ...string) *terminal {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 150})
	if err != nil {
		t.Fatal(err)
	}
	tm := &terminal{t: t, pty: f, cmd: cmd, exit: make(chan error, 1),
		wrote: make(chan struct{}, 1), drained: make(chan struct{}),
		fullScreen: !slices.Contains(env, "BEIAN_ACCESSIBLE=1")}
	go func() {
		defer close(tm.drained)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			tm.mu.Lock()
			tm.raw.Write(buf[:n])
			tm.mu.Unlock()
			select {
			case tm.wrote <- struct{}{}:
			default:
			}
			if err != nil {
				return // EIO once the process has gone
			}
		}
	}()
	go func() { tm.exit <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		f.Close()
		if t.Failed() {
			t.Logf("terminal:\n%s", tm.screen())
		}
	})
	return tm
}

// Escape sequences: CSI (with the cursor-forward and repeat forms the
// renderer uses to skip or repeat cells), OSC, and two-byte escapes.
var (
	csi = regexp.MustCompile(`^\x1b\[([0-9;?<>=]*)([ -/]*)([@-~])`)
	osc = regexp.MustCompile(`^\x1b\][^\x07\x1b]*(\x07|\x1b\\)`)
)

// screen flattens what beian wrote into plain text: escape sequences
// dropped, cursor-forward turned into spaces and REP into repeated runes,
// so that text drawn by a cell-diffing renderer can be matched.
func (tm *terminal) screen() string {
	tm.mu.Lock()
	s := tm.raw.String()
	tm.mu.Unlock()
	var b strings.Builder
	last := ' '
	for len(s) > 0 {
		if s[0] == 0x1b {
			if m := csi.FindStringSubmatch(s); m != nil {
				n, _ := strconv.Atoi(strings.Split(m[1], ";")[0])
				n = max(n, 1)
				switch m[3] {
				case "C":
					b.WriteString(strings.Repeat(" ", n))
				case "b":
					b.WriteString(strings.Repeat(string(last), n))
				case "H", "E", "F", "J", "K":
					b.WriteString("\n")
				}
				s = s[len(m[0]):]
				continue
			}
			if m := osc.FindString(s); m != "" {
				s = s[len(m):]
				continue
			}
			if len(s) >= 2 {
				s = s[2:]
			} else {
				s = ""
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		b.WriteRune(r)
		if !unicode.IsSpace(r) {
			last = r
		}
		s = s[size:]
	}
	return b.String()
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// expect waits until want appears in what beian wrote after the previous
// match (white space ignored: the renderer moves the cursor over blanks).
func (tm *terminal) expect(want string) {
	tm.t.Helper()
	needle := squash(want)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	drained := tm.drained
	for {
		flat := squash(tm.screen())
		if i := strings.Index(flat[min(tm.mark, len(flat)):], needle); i >= 0 {
			tm.mark += i + len(needle)
			return
		}
		tail := flat[max(0, len(flat)-1500):]
		if drained == nil { // everything beian wrote was searched
			tm.t.Fatalf("beian exited before %q appeared; the terminal ends with:\n%s", want, tail)
		}
		select {
		case <-tm.wrote:
		case <-drained:
			drained = nil // search once more, then give up
		case <-deadline.C:
			tm.t.Fatalf("waited %s for %q; the terminal ends with:\n%s", timeout, want, tail)
		}
	}
}

// send types keys. On a full-screen form it first waits for the terminal
// to be in raw mode: the line discipline translates what arrives while the
// terminal is still in line mode (Enter becomes a newline, which a
// full-screen program reads as ctrl+j), so keys typed in the instant between
// a form's first drawing and its switch to raw mode would be mangled. After
// typing it waits for the program to redraw and settle, as a person waits
// to see what a key did: the program's input parser may otherwise hold an
// Enter while the next key arrives.
func (tm *terminal) send(keys string) {
	tm.t.Helper()
	if !tm.fullScreen {
		tm.write(keys)
		return
	}
	// huh moves to the next field through a message that comes back after
	// the key that asked for it, so a key typed right behind an Enter can
	// still land in the field being left: each Enter is sent on its own
	// and its redraw awaited.
	for keys != "" {
		seg := keys
		if i := strings.Index(keys, enter); i >= 0 {
			seg = keys[:i+len(enter)]
		}
		keys = keys[len(seg):]
		tm.waitRaw()
		before := tm.written()
		tm.write(seg)
		tm.settle(before)
	}
}

func (tm *terminal) write(keys string) {
	tm.t.Helper()
	if _, err := tm.pty.Write([]byte(keys)); err != nil {
		tm.t.Fatalf("typing %q: %v", keys, err)
	}
}

func (tm *terminal) written() int {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.raw.Len()
}

// settle waits for output after before (at most a second: some keys change
// nothing) and then for 100 ms without any, woken by each write.
func (tm *terminal) settle(before int) {
	first := time.NewTimer(time.Second)
	defer first.Stop()
	for tm.written() == before {
		select {
		case <-tm.wrote:
			continue
		case <-tm.drained:
		case <-first.C:
		}
		break
	}
	quiet := time.NewTimer(100 * time.Millisecond)
	defer quiet.Stop()
	for {
		select {
		case <-tm.wrote:
			quiet.Reset(100 * time.Millisecond)
		case <-tm.drained:
			return
		case <-quiet.C:
			return
		}
	}
}

// answer waits for a prompt and types a reply to it.
func (tm *terminal) answer(prompt, keys string) {
	tm.t.Helper()
	tm.expect(prompt)
	tm.send(keys)
}

// wait waits for beian to exit and returns its exit code.
func (tm *terminal) wait() int {
	tm.t.Helper()
	select {
	case err := <-tm.exit:
		tm.exit <- err
		select { // the last of the output read
		case <-tm.drained:
		case <-time.After(timeout):
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			tm.t.Fatalf("beian: %v", err)
		}
		return 0
	case <-time.After(timeout):
		tm.t.Fatalf("beian did not exit within %s", timeout)
		return -1
	}
}

// idle waits until beian has written nothing for 100 ms: the form has
// drawn what the last key did and reads the next.
func (tm *terminal) idle() { tm.settle(0) }

// waitForFile waits until the file at path holds want: beian writes it in
// the background (the journal as one types), so there is no output to wait
// for. It re-reads the file each 10 ms, up to the timeout.
func waitForFile(t *testing.T, path, want string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(b), want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not hold %q after %s (%v):\n%s", path, want, timeout, err, b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Keys of a terminal in raw mode.
const (
	enter     = "\r"
	ctrlU     = "\x15" // delete to the start of the field
	ctrlC     = "\x03"
	shiftTab  = "\x1b[Z"
	down      = "\x1b[B"
	arrowDown = "\x1b[B"
)

// run runs beian without a terminal and returns its exit code and output.
func run(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Stdin = io.LimitReader(nil, 0)
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errOut.String()
	case err != nil:
		t.Fatalf("beian %v: %v", args, err)
	}
	return 0, out.String(), errOut.String()
}

// rawBytes is everything beian wrote, escape sequences included.
func (tm *terminal) rawBytes() []byte {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return bytes.Clone(tm.raw.Bytes())
}
