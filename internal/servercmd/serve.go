package servercmd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/docs"
	"github.com/beian-dev/beian/internal/badge"
	"github.com/beian-dev/beian/internal/httpmw"
	"github.com/beian-dev/beian/internal/metrics"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server"
	"github.com/beian-dev/beian/internal/sms"
	_ "github.com/beian-dev/beian/internal/store/sqlstore/pgdriver" // postgres:// databases
)

// Sandbox switches of `serve` (SPEC §1, issue 3 item 6), documented here
// and in docs/operations.md. A sandbox is a test server that is a little
// hostile on purpose; none of this may run in a real filing desk, which is
// why --sandbox refuses a PostgreSQL database (a production database is
// PostgreSQL) and a real SMS sender.
//
//   - --sandbox (BEIAN_SERVER_SANDBOX=true): automatic review, the outbox
//     and review routes under /v1/sandbox, .test domains accepted.
//   - --sandbox-review-delay D: a submitted filing is decided automatically
//     once it has waited D — approved, except sites with a domain under
//     return.test (platform.ReturnDomain), which are returned with a reason.
//   - --sandbox-fail-percent N: N% of /v1 requests answer 503 unavailable
//     with Retry-After (httpmw.FaultInjection), so clients prove their retries.
const (
	// sandboxReviewEvery is how often the automatic reviewer runs.
	sandboxReviewEvery = time.Second
	// defaultReviewDelay gives a client time to show "under review" before
	// the sandbox decides.
	defaultReviewDelay = 5 * time.Second
)

// serveOptions are the flags of `serve`.
type serveOptions struct {
	db           dbFlag
	addr         string
	publicURL    string
	badgeLink    string
	smsSender    string
	supportEmail string
	deadlineDays int
	attachments  string
	tlsCert      string
	tlsKey       string
	logFormat    string
	logLevel     string
	grace        time.Duration
	timeouts     httpmw.Timeouts

	limits []string

	webhooksAllowPrivate bool
	webhooksEvery        time.Duration
	webhooksLease        time.Duration

	sandbox            bool
	sandboxReviewDelay time.Duration
	sandboxFailPercent int
}

func newServeCmd(e *env) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the Filing API v1",
		Long: "Serve the Filing API v1 over HTTP (HTTPS with --tls-cert and --tls-key) until SIGINT or\n" +
			"SIGTERM, then finish the requests in flight and stop. The database schema is brought up\n" +
			"to date first. The bound address is printed as \"listening on URL\".",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serveRun(cmd.Context(), e, o, cmd)
		},
	}
	f := cmd.Flags()
	o.db.register(f)
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
	f.StringVar(&o.publicURL, "public-url", "", "the server's public base `URL` for badge links and icons (default: the listening address)")
	f.StringVar(&o.badgeLink, "badge-link", "server", "where badges link: server (this server's record page), current, legacy, or a URL `template` with {code}")
	f.StringVar(&o.smsSender, "sms", "log", "SMS sender: log (keep messages in the outbox) or a webhook `URL`")
	f.StringVar(&o.supportEmail, "support-email", "", "support `address` named in SMS refusals and account recovery")
	f.IntVar(&o.deadlineDays, "deadline-days", 30, "filing deadline in `days` after a site's launch date")
	f.StringVar(&o.attachments, "attachments", "", "keep uploaded approval certificates in `DIR` (default: beside a SQLite database, else $XDG_DATA_HOME/beian/attachments)")
	f.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (PEM, with --tls-key)")
	f.StringVar(&o.tlsKey, "tls-key", "", "private key `FILE` of --tls-cert (PEM)")
	f.StringVar(&o.logFormat, "log-format", "json", "log format: json or text")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	f.DurationVar(&o.timeouts.ReadHeader, "read-header-timeout", httpmw.DefaultTimeouts.ReadHeader, "close a connection whose request headers take longer (slow clients)")
	f.DurationVar(&o.timeouts.Read, "read-timeout", httpmw.DefaultTimeouts.Read, "close a connection whose whole request, body included, takes longer")
	f.DurationVar(&o.timeouts.Write, "write-timeout", httpmw.DefaultTimeouts.Write, "give up on an answer not written within this long of the request")
	f.DurationVar(&o.timeouts.Idle, "idle-timeout", httpmw.DefaultTimeouts.Idle, "close a keep-alive connection idle this long")
	f.DurationVar(&o.grace, "shutdown-grace", httpmw.DefaultTimeouts.Shutdown, "on SIGINT/SIGTERM, wait this long for requests in flight")
	f.StringArrayVar(&o.limits, "limit", nil, "set a security limit, `NAME=VALUE` (repeatable; docs/security.md): "+strings.Join(platform.LimitNames(), ", "))
	f.BoolVar(&o.webhooksAllowPrivate, "webhooks-allow-private", false, "let webhooks target loopback and private addresses (internal receivers)")
	f.DurationVar(&o.webhooksEvery, "webhooks-every", time.Second, "look for webhook deliveries due this often")
	f.DurationVar(&o.webhooksLease, "webhooks-lease", time.Minute, "a replica holds a delivery it is sending this long; one that dies mid-send leaves it to the others (or itself, restarted) after that")
	f.BoolVar(&o.sandbox, "sandbox", false, "run as a sandbox: automatic review, outbox routes; NOTHING IS FILED WITH ANY AUTHORITY (SQLite only)")
	f.DurationVar(&o.sandboxReviewDelay, "sandbox-review-delay", defaultReviewDelay, "sandbox: decide a submitted filing automatically after this long")
	f.IntVar(&o.sandboxFailPercent, "sandbox-fail-percent", 0, "sandbox: answer this `percent` of /v1 requests with 503 unavailable")
	return cmd
}

// check refuses combinations that cannot be meant, before anything starts.
func (o *serveOptions) check(cmd *cobra.Command, dsn string) error {
	if !o.sandbox {
		for _, name := range []string{"sandbox-review-delay", "sandbox-fail-percent"} {
			if cmd.Flags().Changed(name) {
				return usagef("--%s needs --sandbox", name)
			}
		}
	}
	if o.sandbox {
		if isPostgres(dsn) {
			return usagef("--sandbox refuses a PostgreSQL database: the sandbox approves filings automatically and must never run on a production desk; use --db sqlite:PATH")
		}
		if o.smsSender != "log" {
			return usagef("--sandbox keeps text messages in its outbox; it refuses --sms %s", o.smsSender)
		}
	}
	if _, err := o.limitSet(); err != nil {
		return usagef("--limit: %v", err)
	}
	if o.sandboxFailPercent < 0 || o.sandboxFailPercent > 100 {
		return usagef("--sandbox-fail-percent must be between 0 and 100")
	}
	if o.sandboxReviewDelay < 0 {
		return usagef("--sandbox-review-delay must not be negative")
	}
	for name, d := range map[string]time.Duration{
		"read-header-timeout": o.timeouts.ReadHeader, "read-timeout": o.timeouts.Read,
		"write-timeout": o.timeouts.Write, "idle-timeout": o.timeouts.Idle,
	} {
		if d <= 0 {
			return usagef("--%s must be a positive duration such as 30s (got %s)", name, d)
		}
	}
	if o.grace < 0 {
		return usagef("--shutdown-grace must not be negative")
	}
	if o.deadlineDays < 1 {
		return usagef("--deadline-days must be at least 1")
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	if o.publicURL != "" {
		if u, err := url.Parse(o.publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("--public-url %q is not an http(s) URL", o.publicURL)
		}
	}
	if _, err := badgeLinkTemplate(o.badgeLink); err != nil {
		return err
	}
	if o.smsSender != "log" {
		if u, err := url.Parse(o.smsSender); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return usagef("--sms must be log or an http(s) webhook URL")
		}
	}
	if _, err := newLogger(o.logFormat, o.logLevel, nil); err != nil {
		return err
	}
	return nil
}

// badgeLinkTemplate maps --badge-link to a badge link template.
func badgeLinkTemplate(v string) (string, error) {
	switch v {
	case "", "server":
		return badge.LinkServer, nil
	case "current":
		return badge.LinkCurrent, nil
	case "legacy":
		return badge.LinkLegacy, nil
	}
	if !strings.Contains(v, "{code}") || !(strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "{base}")) {
		return "", usagef("--badge-link must be server, current, legacy or an http(s) URL template containing {code}")
	}
	return v, nil
}

// newLogger builds the process's slog logger on w.
func newLogger(format, level string, w interface{ Write([]byte) (int, error) }) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level must be debug, info, warn or error")
	}
	hopts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		if w == nil {
			return nil, nil
		}
		return slog.New(slog.NewJSONHandler(w, hopts)), nil
	case "text":
		if w == nil {
			return nil, nil
		}
		return slog.New(slog.NewTextHandler(w, hopts)), nil
	}
	return nil, usagef("--log-format must be json or text")
}

// testHookWrap, when set by a test, wraps the handler beian-server serves
// (to add a deliberately slow route for the graceful-shutdown test).
var testHookWrap func(http.Handler) http.Handler

func serveRun(ctx context.Context, e *env, o *serveOptions, cmd *cobra.Command) error {
	st, dsn, err := openDB(ctx, e, &o.db, "open", func(dsn string) error { return o.check(cmd, dsn) })
	if err != nil {
		return err
	}
	defer st.Close()
	logger, _ := newLogger(o.logFormat, o.logLevel, e.stderr)
	linkTemplate, _ := badgeLinkTemplate(o.badgeLink)
	attachments, err := o.attachmentDir(e.getenv, dsn)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	scheme := "http"
	if o.tlsCert != "" {
		scheme = "https"
	}
	listenURL := scheme + "://" + ln.Addr().String()
	publicURL := o.publicURL
	if publicURL == "" {
		publicURL = listenURL
	}

	var sender sms.Sender = sms.NewLogSender(st).WithLogger(logger)
	if o.smsSender != "log" {
		sender = sms.NewWebhookSender(o.smsSender, nil)
	}
	dopts := platform.Options{
		SMS:               sender,
		DeadlineDays:      o.deadlineDays,
		SupportEmail:      o.supportEmail,
		PublicURL:         publicURL,
		BadgeLinkTemplate: linkTemplate,
		AttachmentDir:     attachments,
		Logger:            logger,
		// Never true outside this package's tests.
		CheapPasswordHashing: cheapPasswordHashing,
		Webhooks:             platform.WebhookOptions{AllowPrivate: o.webhooksAllowPrivate, Lease: o.webhooksLease},
	}
	if o.webhooksLease < 2*time.Second || o.webhooksEvery <= 0 {
		return usagef("--webhooks-lease must be at least 2s and --webhooks-every positive")
	}
	if dopts.Limits, err = o.limitSet(); err != nil {
		return usagef("--limit: %v", err)
	}
	faults := 0
	if o.sandbox {
		dopts.Sandbox = &platform.SandboxOptions{ReviewDelay: o.sandboxReviewDelay}
		faults = o.sandboxFailPercent
	}
	desk := platform.New(st, dopts)
	meter := metrics.NewMetrics(st.QueueLength)
	meter.AddSiteCounts(st.SiteCounts)
	stack := httpmw.Options{Logger: logger, Observe: meter.Observe, FaultPercent: faults}
	handler := server.New(desk, server.Options{
		OpenAPI:    docs.OpenAPI,
		Metrics:    meter.Handler(),
		Middleware: func(h http.Handler) http.Handler { return httpmw.Stack(h, stack) },
		Logger:     logger,
	})
	if testHookWrap != nil {
		handler = testHookWrap(handler)
	}

	srv := &http.Server{
		Handler:  handler,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		// In-flight requests keep their context until they finish even
		// after the signal: Shutdown waits for them, it does not cancel.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	o.timeouts.Apply(srv)
	if o.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	if o.sandbox {
		fmt.Fprintln(e.stderr, "beian-server: SANDBOX — filings are reviewed automatically; nothing is filed with any authority")
		go autoReview(ctx, desk, logger)
	}
	go sweep(ctx, desk, logger)
	// Every replica delivers: a delivery is leased to one at a time.
	go desk.RunWebhooks(ctx, o.webhooksEvery)
	logger.Info("serving", slog.String("url", listenURL), slog.String("public_url", publicURL),
		slog.String("db", redactDSN(dsn)), slog.Bool("sandbox", o.sandbox))
	fmt.Fprintf(e.stderr, "listening on %s\n", listenURL)

	errc := make(chan error, 1)
	go func() {
		if o.tlsCert != "" {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err // the listener failed: Serve never returns nil
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight", slog.Duration("grace", o.grace))
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: requests still running after %s: %w", o.grace, err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// attachmentDir is --attachments, or a directory beside a SQLite database,
// or one under the data directory.
func (o *serveOptions) attachmentDir(getenv func(string) string, dsn string) (string, error) {
	if o.attachments != "" {
		return o.attachments, nil
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && path != ":memory:" {
		path = strings.TrimPrefix(path, "//")
		return filepath.Join(filepath.Dir(path), "attachments"), nil
	}
	dir, err := dataDir(getenv)
	if err != nil {
		return "", usagef("give --attachments DIR, where uploaded approval certificates are kept (replicas share it): %v", err)
	}
	return filepath.Join(dir, "attachments"), nil
}

// limitSet is DefaultLimits with the --limit flags applied.
func (o *serveOptions) limitSet() (platform.Limits, error) {
	l := platform.DefaultLimits()
	for _, kv := range o.limits {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return l, fmt.Errorf("%q is not NAME=VALUE", kv)
		}
		if err := l.SetLimit(strings.TrimSpace(name), strings.TrimSpace(value)); err != nil {
			return l, err
		}
	}
	return l, nil
}

// sweepEvery is how often the server deletes expired tokens, codes, limit
// counts, stored idempotent answers and old outbox messages.
const sweepEvery = 10 * time.Minute

// sweep runs Desk.Sweep every sweepEvery until ctx ends.
func sweep(ctx context.Context, desk *platform.Desk, logger *slog.Logger) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := desk.Sweep(ctx)
			if err != nil && ctx.Err() == nil {
				logger.Warn("sweep failed", slog.Any("err", err))
			} else if n > 0 {
				logger.Info("swept expired rows", slog.Int64("rows", n))
			}
		}
	}
}

// autoReview runs the sandbox's automatic reviewer until ctx ends.
func autoReview(ctx context.Context, desk *platform.Desk, logger *slog.Logger) {
	tick := time.NewTicker(sandboxReviewEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if n, err := desk.RunAutoReview(ctx); err != nil && ctx.Err() == nil {
				logger.Warn("sandbox: automatic review failed", slog.Any("err", err))
			} else if n > 0 {
				logger.Info("sandbox: automatic review", slog.Int("decided", n))
			}
		}
	}
}
