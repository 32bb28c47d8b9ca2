package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Build compiles the package pkg (e.g. "./cmd/beian-server") of the module
// in moduleDir into dir and returns the binary's path. Release settings:
// no race detector, trimmed paths.
func Build(ctx context.Context, moduleDir, pkg, dir string) (string, error) {
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("loadtest: go build %s: %v\n%s", pkg, err, b)
	}
	return out, nil
}

// ModuleRoot finds the directory of go.mod from dir upwards.
func ModuleRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", errors.New("loadtest: no go.mod above " + dir)
		}
		d = parent
	}
}

// Server is a beian-server process.
type Server struct {
	URL string // http://127.0.0.1:PORT
	cmd *exec.Cmd
	log *tailBuffer
	// done is closed when the process has exited; err is its Wait error.
	done chan struct{}
	err  error
}

// ServerOptions start a server.
type ServerOptions struct {
	Binary string // beian-server
	DSN    string // --db
	// Addr is --addr; default 127.0.0.1:0 (a free port). Only loopback
	// addresses are accepted.
	Addr string
	Args []string // more flags for serve
	Env  []string // more environment (KEY=VALUE)
	// StartTimeout bounds the wait for "listening on" (default 60s: the
	// schema is migrated first, which takes a while on a big database).
	StartTimeout time.Duration
}

// StartServer runs `beian-server serve` and waits until it prints the
// address it listens on.
func StartServer(ctx context.Context, o ServerOptions) (*Server, error) {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if err := CheckLoopback(o.Addr); err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--db", o.DSN, "--addr", o.Addr}, o.Args...)
	return StartProcess(ctx, o.Binary, args, o.Env, o.StartTimeout)
}

// StartProcess runs a program that prints "listening on URL" on stderr once
// it serves (beian-server, beian sandbox serve, beian-load bare-http) and
// waits for that line, at most timeout (default 60s: a server migrates its
// schema first, which takes a while on a big database).
func StartProcess(ctx context.Context, binary string, args, env []string, timeout time.Duration) (*Server, error) {
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = io.Discard
	s := &Server{cmd: cmd, log: &tailBuffer{max: 64 << 10}, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("loadtest: start %s: %w", binary, err)
	}
	addr := make(chan string, 1)
	go func() {
		// Read everything the process logs, so that it never blocks on a
		// full pipe; keep the tail for error reports.
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "listening on "); ok {
				select {
				case addr <- strings.TrimSpace(u):
				default:
				}
			}
			s.log.WriteLine(line)
		}
		_, _ = io.Copy(io.Discard, stderr)
		s.err = cmd.Wait()
		close(s.done)
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case u := <-addr:
		if err := CheckLoopbackURL(u); err != nil {
			s.Kill()
			return nil, err
		}
		s.URL = u
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("loadtest: %s exited before listening (%v):\n%s", filepath.Base(binary), s.err, s.log.String())
	case <-t.C:
		s.Kill()
		return nil, fmt.Errorf("loadtest: %s did not listen within %s:\n%s", filepath.Base(binary), timeout, s.log.String())
	case <-ctx.Done():
		s.Kill()
		return nil, ctx.Err()
	}
}

// PID is the server's process ID.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Log is the tail of what the server wrote to stderr.
func (s *Server) Log() string { return s.log.String() }

// PeakRSS is the server's peak resident set size so far (VmHWM).
func (s *Server) PeakRSS() (int64, error) { return PeakRSS(s.PID()) }

// Kill sends SIGKILL and waits for the process to be gone.
func (s *Server) Kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// Stop asks the server to finish its requests and stop (SIGTERM), and
// kills it if it has not within grace.
func (s *Server) Stop(grace time.Duration) error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		var ee *exec.ExitError
		if errors.As(s.err, &ee) {
			return fmt.Errorf("beian-server exited with %v:\n%s", s.err, s.log.String())
		}
		return s.err
	case <-time.After(grace):
		s.Kill()
		return fmt.Errorf("beian-server did not stop within %s after SIGTERM", grace)
	}
}

// Done is closed when the process has exited.
func (s *Server) Done() <-chan struct{} { return s.done }

// PeakRSS reads the peak resident set size (VmHWM) of a live process from
// /proc/PID/status, in bytes.
func PeakRSS(pid int) (int64, error) {
	return procStatusKB(pid, "VmHWM:")
}

// RSS reads the current resident set size (VmRSS) of a live process, in bytes.
func RSS(pid int) (int64, error) {
	return procStatusKB(pid, "VmRSS:")
}

func procStatusKB(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseStatusKB(b, field)
}

// parseStatusKB finds "Field:   1234 kB" in a /proc status file.
func parseStatusKB(status []byte, field string) (int64, error) {
	for line := range bytes.Lines(status) {
		rest, ok := bytes.CutPrefix(line, []byte(field))
		if !ok {
			continue
		}
		f := strings.Fields(string(rest))
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("loadtest: odd %s line %q", field, line)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, err
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("loadtest: no %s in /proc status", field)
}

// tailBuffer keeps the last max bytes of lines written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tailBuffer) WriteLine(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, line...)
	t.buf = append(t.buf, '\n')
	if len(t.buf) > t.max {
		cut := len(t.buf) - t.max
		if i := bytes.IndexByte(t.buf[cut:], '\n'); i >= 0 {
			cut += i + 1
		}
		t.buf = append(t.buf[:0], t.buf[cut:]...)
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// MiB formats bytes as MiB.
func MiB(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// StrippedSize builds pkg as a release does (-trimpath, -s -w) into out and
// returns its size in bytes.
func StrippedSize(ctx context.Context, moduleDir, pkg, out string) (int64, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = moduleDir
	if b, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
	}
	fi, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
