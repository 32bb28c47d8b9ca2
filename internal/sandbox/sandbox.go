// Package sandbox is beian's zero-set-up default: when no server is
// configured, commands talk to the real filing server — internal/server over
// internal/platform over a SQLite file at $XDG_DATA_HOME/beian/sandbox.db —
// running inside the beian process, with the sandbox's automatic review and
// an account created and signed in automatically. Requests never touch the
// network: the client's transport calls the server's handler directly.
// Nothing filed here reaches any authority, and every command says so.
package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server"
	"github.com/beian-dev/beian/internal/store/sqlstore"
)

// BaseURL is the address clients use for the in-process sandbox. The
// .invalid top-level domain (RFC 2606) never resolves, so nothing meant for
// the sandbox can leak onto the network.
const BaseURL = "http://sandbox.beian.invalid"

// Options configure Open.
type Options struct {
	// Dir holds sandbox.db, the automatic account's credentials and the
	// attachments; empty means DataDir(os.Getenv).
	Dir string
	// PublicURL is the server's address as others see it (`sandbox serve`);
	// empty means BaseURL.
	PublicURL string
	// OnOpen is called when the database is opened (start-up probes).
	OnOpen func()
}

// Sandbox is an open sandbox.
type Sandbox struct {
	dir     string
	store   *sqlstore.Store
	desk    *platform.Desk
	handler http.Handler
	public  string

	signMu sync.Mutex
}

// DataDir is where the sandbox lives: $XDG_DATA_HOME/beian, else
// ~/.local/share/beian (%LocalAppData%\beian on Windows).
func DataDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "beian")
	}
	if runtime.GOOS == "windows" {
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "beian")
		}
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "beian")
}

// DatabaseFile is the sandbox database inside dir.
func DatabaseFile(dir string) string { return filepath.Join(dir, "sandbox.db") }

// Open opens (creating on first use) the sandbox in o.Dir.
func Open(ctx context.Context, o Options) (*Sandbox, error) {
	if o.Dir == "" {
		o.Dir = DataDir(os.Getenv)
	}
	if o.PublicURL == "" {
		o.PublicURL = BaseURL
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if o.OnOpen != nil {
		o.OnOpen()
	}
	st, err := sqlstore.Open(ctx, "sqlite:"+DatabaseFile(o.Dir))
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	desk := platform.New(st, platform.Options{
		Sandbox:              &platform.SandboxOptions{ReviewDelay: 0},
		PublicURL:            o.PublicURL,
		AttachmentDir:        filepath.Join(o.Dir, "sandbox-attachments"),
		SupportEmail:         "support@sandbox.beian.invalid",
		CheapPasswordHashing: true, // nobody's real password lives here
		// A local playground: webhooks to a receiver on this machine are
		// the point. Short leases, so a command cut short leaves nothing
		// waiting long, and an attempt gives up after 2 s.
		Webhooks: platform.WebhookOptions{AllowPrivate: true, Lease: 4 * time.Second, RetryBase: time.Second, RetryMax: time.Minute},
	})
	return &Sandbox{dir: o.Dir, store: st, desk: desk, handler: server.New(desk, server.Options{}), public: o.PublicURL}, nil
}

// BaseURL is the URL clients use.
func (s *Sandbox) BaseURL() string { return BaseURL }

// Handler is the filing server over the sandbox database.
func (s *Sandbox) Handler() http.Handler { return s.handler }

// DatabasePath is the SQLite file.
func (s *Sandbox) DatabasePath() string { return DatabaseFile(s.dir) }

// Transport serves each request by calling the handler in-process.
func (s *Sandbox) Transport() http.RoundTripper { return handlerTransport{s.handler} }

// Review runs the automatic review now: subjects, then sites, changes and
// cancellations submitted so far are decided (sites under return.test are
// returned with a reason, everything else approved).
func (s *Sandbox) Review(ctx context.Context) (int, error) { return s.desk.RunAutoReview(ctx) }

// Deliver sends the webhook deliveries due now. Commands run it once each,
// as they run the review; `beian sandbox serve` runs it continuously.
// A pass sends each webhook's oldest due delivery, so passes repeat while
// they find work (at most 100: a command does not wait on a long backlog).
func (s *Sandbox) Deliver(ctx context.Context) (int, error) {
	total := 0
	for range 100 {
		n, err := s.desk.DeliverWebhooks(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
	return total, nil
}

// Close closes the database.
func (s *Sandbox) Close() error { return s.store.Close() }

// Reset deletes the sandbox in dir: its database, the automatic account's
// credentials and attachments. The sandbox must not be open.
func Reset(dir string) error {
	var errs []error
	for _, p := range []string{DatabaseFile(dir), DatabaseFile(dir) + "-wal", DatabaseFile(dir) + "-shm", credentialsFile(dir)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "sandbox-attachments")); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// SignIn returns a valid token of the sandbox's automatic account, creating
// the account on first use (a random login and mobile number, verified with
// the code the sandbox's SMS outbox kept) and signing in again when the
// stored token no longer works.
func (s *Sandbox) SignIn(ctx context.Context) (string, error) {
	s.signMu.Lock()
	defer s.signMu.Unlock()
	cred, err := loadAccount(s.dir)
	if err != nil {
		return "", err
	}
	if cred.Token != "" {
		if _, err := s.desk.Authenticate(ctx, cred.Token); err == nil {
			return cred.Token, nil
		}
		if cred.Login != "" && cred.Password != "" {
			if sess, err := s.desk.Login(ctx, platform.Actor{}, api.LoginRequest{Login: cred.Login, Password: cred.Password}); err == nil {
				cred.Token = sess.Token
				return cred.Token, saveAccount(s.dir, cred)
			}
		}
	}
	login, mobile, password, err := newIdentity()
	if err != nil {
		return "", err
	}
	anon := platform.Actor{}
	if err := s.desk.SendSMSCode(ctx, anon, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}); err != nil {
		return "", fmt.Errorf("sandbox account: %w", err)
	}
	box, err := s.desk.Outbox(ctx, anon, mobile)
	if err != nil || len(box.Items) == 0 {
		return "", fmt.Errorf("sandbox account: no verification code in the outbox (%v)", err)
	}
	code := box.Items[len(box.Items)-1].Code
	if _, err := s.desk.Register(ctx, anon, api.RegisterRequest{
		Login: login, Mobile: mobile, SMSCode: code, Password: password, Email: login + "@sandbox.beian.invalid",
	}); err != nil {
		return "", fmt.Errorf("sandbox account: %w", err)
	}
	sess, err := s.desk.Login(ctx, platform.Actor{}, api.LoginRequest{Login: login, Password: password})
	if err != nil {
		return "", fmt.Errorf("sandbox account: %w", err)
	}
	return sess.Token, saveAccount(s.dir, account{Login: login, Token: sess.Token, Password: password})
}

// newIdentity makes a login, a mobile number in the 199 range and a
// password for a fresh sandbox account.
func newIdentity() (login, mobile, password string, err error) {
	var b [12]byte
	if _, err = rand.Read(b[:]); err != nil {
		return
	}
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return
	}
	return "sandbox-" + hex.EncodeToString(b[:4]), fmt.Sprintf("199%08d", n.Int64()), hex.EncodeToString(b[4:]) + "-Sx1", nil
}

// handlerTransport is an http.RoundTripper that serves requests with an
// http.Handler in the same process.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	// The handler may read the body after RoundTrip's caller closed it:
	// give it its own copy.
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	if req.RemoteAddr == "" {
		req.RemoteAddr = "127.0.0.1:0"
	}
	if req.RequestURI == "" {
		req.RequestURI = req.URL.RequestURI()
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
