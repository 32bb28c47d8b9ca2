// Package servertest starts the real beian-server stack — store, filing
// desk, HTTP handler and middleware — on 127.0.0.1:0 for tests, and hands
// them an *http.Client whose transport checks every request and response
// against docs/openapi.yaml, so the document cannot drift from the code.
//
//	env := servertest.Start(t)                       // SQLite in t.TempDir()
//	env := servertest.Start(t, servertest.Postgres()) // BEIAN_TEST_POSTGRES_URL
//	alice := env.RegisterSponsor(t, "alice")          // SMS code read from the outbox
//	res := env.Call(t, "GET", "/v1/account", alice.Token, nil)
//
// A test that sends bad input on purpose marks the request with Unchecked
// (or uses CallUnchecked): the request is not checked, the answer still is.
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/docs"
	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/httpmw"
	"github.com/beian-dev/beian/internal/metrics"
	"github.com/beian-dev/beian/internal/netpolicy"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server"
	"github.com/beian-dev/beian/internal/store"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// SupportEmail is the support address every test server is configured with.
const SupportEmail = "support@beian.test"

// Password is the password of every account the helpers create.
const Password = "correct-horse-battery-9"

// Env is one running server.
type Env struct {
	URL     string       // http://127.0.0.1:NNNNN, no trailing slash
	Client  *http.Client // checks every exchange against docs/openapi.yaml
	Store   store.Store
	DSN     string // the store's DSN: pass it to DSN() to start a second server on the same data
	Desk    *platform.Desk
	Metrics *metrics.Metrics
	Handler http.Handler // the full stack, middleware included
	Logs    *LogBuffer   // the server's JSON logs; printed when the test fails
	// ClaimFiles is what each domain serves at platform.ClaimPath: the
	// desk reads it instead of the network (Publish).
	ClaimFiles *sync.Map
	// Gate can hold requests at the listener (not in Handler).
	Gate *Gate
}

// Publish makes domain serve body at platform.ClaimPath, as its owner would
// to claim an earlier filing.
func (e *Env) Publish(domain, body string) { e.ClaimFiles.Store(strings.ToLower(domain), body) }

type config struct {
	postgres     bool
	dsn          string
	sandbox      *platform.SandboxOptions
	faultPercent int
	faultRoll    func() int
	desk         []func(*platform.Options)
	webhooks     time.Duration // run the delivery worker this often; 0: not at all
}

// Option changes how Start builds the server.
type Option func(*config)

// Postgres runs the server on a fresh schema of BEIAN_TEST_POSTGRES_URL;
// the test is skipped when it is unset (failed under
// BEIAN_TEST_REQUIRE_POSTGRES=1).
func Postgres() Option { return func(c *config) { c.postgres = true } }

// SQLite runs the server on a fresh SQLite file in t.TempDir() (the default).
func SQLite() Option { return func(c *config) { c.postgres, c.dsn = false, "" } }

// Databases runs fn once per database, as a subtest: "sqlite" always,
// "postgres" when BEIAN_TEST_POSTGRES_URL is set (skipped otherwise, failed
// under BEIAN_TEST_REQUIRE_POSTGRES=1). Pass db to Start:
//
//	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
//		env := servertest.Start(t, db)
//		…
//	})
func Databases(t *testing.T, fn func(t *testing.T, db Option)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite()) })
	t.Run("postgres", func(t *testing.T) {
		storetest.PostgresURL(t)
		fn(t, Postgres())
	})
}

// DSN runs the server on an existing database — another Env's DSN, to
// have two servers ("replicas") share one PostgreSQL.
func DSN(dsn string) Option { return func(c *config) { c.dsn = dsn } }

// Sandbox turns the sandbox switches on (outbox and review routes,
// automatic review with RunAutoReview, return.test).
func Sandbox(o platform.SandboxOptions) Option {
	return func(c *config) { c.sandbox = &o }
}

// FaultPercent answers that share of /v1 requests with an injected 503
// (httpmw.FaultInjection), as --sandbox-fail-percent does.
func FaultPercent(n int) Option { return func(c *config) { c.faultPercent = n } }

// FaultEvery answers every nth /v1 request with an injected 503, so a test
// knows failures happen (a random share may, by chance, inject none) and a
// retry — the next request — always gets through for n ≥ 2.
func FaultEvery(n int) Option {
	return func(c *config) {
		var count atomic.Int64
		c.faultPercent = 1
		c.faultRoll = func() int {
			if count.Add(1)%int64(n) == 0 {
				return 0 // below the percentage: inject
			}
			return 99
		}
	}
}

// Webhooks runs the webhook delivery worker every interval (private
// targets allowed: receivers are on 127.0.0.1; retries from 50 ms).
func Webhooks(every time.Duration) Option {
	return func(c *config) {
		c.webhooks = every
		c.desk = append(c.desk, func(o *platform.Options) {
			o.Webhooks.AllowPrivate = true
			if o.Webhooks.RetryBase == 0 {
				o.Webhooks.RetryBase, o.Webhooks.RetryMax = 50*time.Millisecond, 400*time.Millisecond
			}
		})
	}
}

// TestLimits are the default limits but for the per-address and
// platform-wide code limits: every test client is on 127.0.0.1, and a test
// registers many accounts. Tests of those limits set
// platform.DefaultLimits() through DeskOptions.
func TestLimits() platform.Limits {
	l := platform.DefaultLimits()
	l.CodesPerAddress, l.GuessesPerAddress, l.CodesPerMinute = 1_000_000, 1_000_000, 1_000_000
	return l
}

// DeskOptions edits the desk's options (clock, deadline, SMS sender...)
// before the desk is built.
func DeskOptions(fn func(*platform.Options)) Option {
	return func(c *config) { c.desk = append(c.desk, fn) }
}

// Start builds and serves the whole stack for t; everything stops when t
// ends. SQLite in t.TempDir() unless an option says otherwise.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	env := &Env{Logs: &LogBuffer{}, ClaimFiles: &sync.Map{}}
	switch {
	case cfg.dsn != "":
		env.DSN = cfg.dsn
		env.Store = storetest.Open(t, cfg.dsn)
	case cfg.postgres:
		env.Store, env.DSN = storetest.OpenPostgres(t)
	default:
		env.DSN = storetest.NewSQLiteDSN(t)
		env.Store = storetest.Open(t, env.DSN)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("servertest: listen: %v", err)
	}
	env.URL = "http://" + ln.Addr().String()

	logger := slog.New(slog.NewJSONHandler(env.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dopts := platform.Options{
		SupportEmail:         SupportEmail,
		PublicURL:            env.URL,
		AttachmentDir:        t.TempDir(),
		Sandbox:              cfg.sandbox,
		CheapPasswordHashing: true,
		Logger:               logger,
		Limits:               TestLimits(),
		ClaimFetcher: func(_ context.Context, domain string) ([]byte, error) {
			if b, ok := env.ClaimFiles.Load(strings.ToLower(domain)); ok {
				return []byte(b.(string)), nil
			}
			return nil, &netpolicy.SafeError{Text: fmt.Sprintf("http://%s%s answered 404 Not Found", domain, platform.ClaimPath)}
		},
	}
	for _, fn := range cfg.desk {
		fn(&dopts)
	}
	env.Desk = platform.New(env.Store, dopts)
	env.Metrics = metrics.NewMetrics(env.Store.QueueLength)
	env.Metrics.AddSiteCounts(env.Store.SiteCounts)
	stack := httpmw.Options{Logger: logger, Observe: env.Metrics.Observe, FaultPercent: cfg.faultPercent, FaultRoll: cfg.faultRoll}
	env.Handler = server.New(env.Desk, server.Options{
		OpenAPI:    docs.OpenAPI,
		Metrics:    env.Metrics.Handler(),
		Middleware: func(h http.Handler) http.Handler { return httpmw.Stack(h, stack) },
		Logger:     logger,
	})

	if cfg.webhooks > 0 {
		wctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); env.Desk.RunWebhooks(wctx, cfg.webhooks) }()
		t.Cleanup(func() { stop(); <-done })
	}
	env.Gate = newGate()
	srv := &http.Server{Handler: env.Gate.wrap(env.Handler), ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	httpmw.DefaultTimeouts.Apply(srv)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("servertest: serve: %v", err)
		}
	}()

	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 256 // concurrency tests hammer one host
	tr, err := NewTransport(t, base)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	env.Client = &http.Client{Transport: tr, Timeout: 60 * time.Second}

	t.Cleanup(func() {
		env.Gate.Open() // nothing stays held past the test
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("servertest: shutdown: %v", err)
		}
		<-done
		base.CloseIdleConnections()
		if t.Failed() {
			t.Logf("server log:\n%s", env.Logs.String())
		}
	})
	return env
}

// LogBuffer collects the server's log lines, safe for concurrent writes.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Response is an answer read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it cannot.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d answer: %v\nbody: %s", r.Status, err, clip(r.Body))
	}
}

// Problem decodes a problem+json answer.
func (r *Response) Problem(t testing.TB) api.Problem {
	t.Helper()
	var p api.Problem
	if !isProblem(r.Header.Get("Content-Type")) {
		t.Fatalf("status %d is not a problem (Content-Type %q): %s", r.Status, r.Header.Get("Content-Type"), clip(r.Body))
	}
	r.JSON(t, &p)
	return p
}

// Want fails the test unless the status is want, showing the body.
func (r *Response) Want(t testing.TB, want int) *Response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d\nbody: %s", r.Status, want, clip(r.Body))
	}
	return r
}

// Call sends one request and reads the answer. body is nil (no body),
// []byte or string (sent as is; give Content-Type in header), or anything
// else (encoded as JSON). header is name, value pairs. token "" sends no
// Authorization header.
func (e *Env) Call(t testing.TB, method, path, token string, body any, header ...string) *Response {
	t.Helper()
	return e.call(t, false, method, path, token, body, header...)
}

// CallUnchecked is Call for requests outside the contract on purpose: only
// the answer is checked (see Unchecked).
func (e *Env) CallUnchecked(t testing.TB, method, path, token string, body any, header ...string) *Response {
	t.Helper()
	return e.call(t, true, method, path, token, body, header...)
}

func (e *Env) call(t testing.TB, unchecked bool, method, path, token string, body any, header ...string) *Response {
	t.Helper()
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode request: %v", err)
		}
		rd, contentType = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if unchecked {
		req = Unchecked(req)
	}
	resp, err := e.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read answer: %v", method, path, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// From returns a copy of the Env whose client connects from another
// loopback address (127.0.0.2, 127.0.0.3, …: all of 127/8 is the machine
// itself), so per-address limits can be tested with several "clients". It
// keeps the contract checks.
func (e *Env) From(t testing.TB, ip string) *Env {
	t.Helper()
	base := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	base.DialContext = d.DialContext
	tr, err := NewTransport(t, base)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	c := *e
	c.Client = &http.Client{Transport: tr, Timeout: 60 * time.Second}
	return &c
}

// User is an account the helpers created, logged in.
type User struct {
	Account  api.Account
	Login    string
	Password string
	Mobile   string
	Email    string
	Token    string
}

// mobiles hands out distinct valid mobile numbers across every Env of the
// test binary (two Envs may share one database).
var mobiles = struct {
	base uint32
	n    atomic.Uint32
}{base: rand.Uint32N(40_000_000)}

func nextMobile() string {
	return fmt.Sprintf("139%08d", mobiles.base+mobiles.n.Add(1))
}

// SMSCode returns the newest verification code texted to mobile, read
// from the store's outbox (the log sender keeps every message there).
func (e *Env) SMSCode(t testing.TB, mobile string) string {
	t.Helper()
	msgs, err := e.Store.Outbox(context.Background(), mobile)
	if err != nil {
		t.Fatalf("outbox: %v", err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Code != "" {
			return msgs[i].Code
		}
	}
	t.Fatalf("no code texted to %s", mobile)
	return ""
}

// RegisterSponsor registers a sponsor over HTTP — SMS code, registration,
// login — and returns it logged in.
func (e *Env) RegisterSponsor(t testing.TB, login string) *User {
	t.Helper()
	u := &User{Login: login, Password: Password, Mobile: nextMobile(), Email: login + "@example.com"}
	e.Call(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: u.Mobile, Purpose: api.SMSRegister}).Want(t, http.StatusAccepted)
	res := e.Call(t, "POST", "/v1/accounts", "", api.RegisterRequest{
		Login: login, Mobile: u.Mobile, SMSCode: e.SMSCode(t, u.Mobile), Password: u.Password, Email: u.Email,
	}).Want(t, http.StatusCreated)
	res.JSON(t, &u.Account)
	u.Token = e.Login(t, login, u.Password)
	return u
}

// Login opens a session over HTTP and returns its token.
func (e *Env) Login(t testing.TB, login, password string) string {
	t.Helper()
	var s api.Session
	e.Call(t, "POST", "/v1/sessions", "", api.LoginRequest{Login: login, Password: password}).Want(t, http.StatusCreated).JSON(t, &s)
	return s.Token
}

// CreateReviewer creates a reviewer scoped to areaPrefix ("4201") directly
// through the desk, as `beian-server user add` does, and logs it in.
func (e *Env) CreateReviewer(t testing.TB, login, areaPrefix string) *User {
	t.Helper()
	return e.createUser(t, login, api.RoleReviewer, areaPrefix)
}

// CreateAdmin creates an admin directly through the desk and logs it in.
func (e *Env) CreateAdmin(t testing.TB, login string) *User {
	t.Helper()
	return e.createUser(t, login, api.RoleAdmin, "")
}

func (e *Env) createUser(t testing.TB, login string, role api.Role, areaPrefix string) *User {
	t.Helper()
	u := &User{Login: login, Password: Password, Mobile: nextMobile(), Email: login + "@example.com"}
	acc, err := e.Desk.CreateUser(context.Background(), platform.System, api.UserCreateRequest{
		Login: login, Mobile: u.Mobile, Email: u.Email, Password: u.Password, Role: role, AreaPrefix: areaPrefix,
	})
	if err != nil {
		t.Fatalf("create %s %s: %v", role, login, err)
	}
	u.Account = acc
	u.Token = e.Login(t, login, u.Password)
	return u
}
