// Package client is the Filing API v1 over HTTP, one method per route of
// internal/api/routes.go, built on resty. It owns everything about talking
// to a server that a command should not think about: the base URL and
// User-Agent, the bearer token, timeouts on every call, retries where they
// are safe, problem+json answers turned into *api.Problem, --debug tracing
// with secrets redacted, proxies from the environment and private CAs.
//
// Retries: only GET requests and POSTs that carry an Idempotency-Key (the
// server answers a repeated key with the first answer and creates nothing
// twice) are retried, after a broken connection, 503 or 429, with capped
// exponential backoff and jitter, waiting at least what Retry-After says.
// One key is generated per logical operation and reused by every retry.
package client

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"golang.org/x/net/http/httpproxy"

	"github.com/beian-dev/beian/internal/api"
)

// Options configure a Client.
type Options struct {
	// BaseURL is the server, e.g. "https://beian.example.com" (no /v1).
	BaseURL string
	// Token is the bearer token, if signed in.
	Token string
	// UserAgent is sent with every request; the default names beian.
	UserAgent string
	// Transport, when set, replaces the network (the in-process sandbox,
	// tests). CACertFiles, ConnectTimeout and Getenv are then unused.
	Transport http.RoundTripper
	// CACertFiles are PEM files added to the system's certificate pool.
	CACertFiles []string
	// ConnectTimeout bounds dialling and the TLS handshake (default 10s).
	ConnectTimeout time.Duration
	// Timeout bounds one attempt of a request, body included (default 30s).
	Timeout time.Duration
	// TotalTimeout bounds a request with all its retries (default 60s): a
	// server that stalls every attempt does not hold a command for
	// Retries × Timeout.
	TotalTimeout time.Duration
	// MaxResponseBytes caps an answer's body (default 32 MiB): an endless
	// answer is refused, not read into memory.
	MaxResponseBytes int
	// Retries is how many times a safe request is retried (default 4;
	// negative means none).
	Retries int
	// RetryWait and RetryMaxWait bound the backoff (defaults 250ms and 20s).
	RetryWait, RetryMaxWait time.Duration
	// Debug receives a trace of every request and response, secrets
	// redacted; nil traces nothing.
	Debug io.Writer
	// Getenv reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY (default os.Getenv).
	Getenv func(string) string
}

// DefaultMaxResponseBytes is the largest answer read by default: far above
// any page of 500 sites or a 10 MiB attachment.
const DefaultMaxResponseBytes = 32 << 20

// Client calls one Filing API server.
type Client struct {
	r    *resty.Client
	opts Options
}

// DefaultUserAgent is "beian/VERSION (OS/ARCH)".
func DefaultUserAgent(version string) string {
	return fmt.Sprintf("beian/%s (%s/%s)", version, runtime.GOOS, runtime.GOARCH)
}

// New builds a client. It fails only on an unusable option (a CA file that
// cannot be read, a base URL that is not http or https).
func New(o Options) (*Client, error) {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.TotalTimeout <= 0 {
		o.TotalTimeout = 2 * o.Timeout
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if o.Retries == 0 {
		o.Retries = 4
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.RetryWait <= 0 {
		o.RetryWait = 250 * time.Millisecond
	}
	if o.RetryMaxWait <= 0 {
		o.RetryMaxWait = 20 * time.Second
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent("devel")
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server %q is not an http:// or https:// URL", o.BaseURL)
	}
	transport := o.Transport
	if transport == nil {
		t, err := networkTransport(o)
		if err != nil {
			return nil, err
		}
		transport = t
	}
	if o.Debug != nil {
		transport = &tracer{next: transport, w: o.Debug}
	}
	hc := &http.Client{Transport: transport, Timeout: o.Timeout}
	r := resty.NewWithClient(hc).
		SetBaseURL(strings.TrimRight(o.BaseURL, "/")).
		SetHeader("User-Agent", o.UserAgent).
		SetHeader("Accept", "application/json, "+api.ContentTypeProblem).
		SetRetryCount(o.Retries).
		SetRetryWaitTime(o.RetryWait).
		SetRetryMaxWaitTime(o.RetryMaxWait).
		SetRetryAfter(retryAfter).
		AddRetryCondition(shouldRetry).
		SetResponseBodyLimit(o.MaxResponseBytes).
		SetDisableWarn(true).
		SetLogger(quietLogger{})
	if o.Debug != nil {
		r.AddRetryHook(func(resp *resty.Response, err error) {
			what := "connection error"
			if err == nil && resp != nil {
				what = resp.Status()
			}
			fmt.Fprintf(o.Debug, "* retrying after %s\n", what)
		})
	}
	if o.Token != "" {
		r.SetAuthToken(o.Token)
	}
	return &Client{r: r, opts: o}, nil
}

// BaseURL is the server this client talks to.
func (c *Client) BaseURL() string { return c.opts.BaseURL }

// Token is the bearer token in use, or "".
func (c *Client) Token() string { return c.opts.Token }

// WithToken returns a client like c but signed in with token.
func (c *Client) WithToken(token string) *Client {
	o := c.opts
	o.Token = token
	n := &Client{r: c.r.Clone(), opts: o}
	n.r.SetAuthToken(token)
	return n
}

func networkTransport(o Options) (*http.Transport, error) {
	proxy := (&httpproxy.Config{
		HTTPProxy:  firstEnv(o.Getenv, "HTTP_PROXY", "http_proxy"),
		HTTPSProxy: firstEnv(o.Getenv, "HTTPS_PROXY", "https_proxy"),
		NoProxy:    firstEnv(o.Getenv, "NO_PROXY", "no_proxy"),
	}).ProxyFunc()
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		Proxy:                 func(r *http.Request) (*url.URL, error) { return proxy(r.URL) },
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.Timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	if len(o.CACertFiles) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		for _, f := range o.CACertFiles {
			pem, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("--ca-cert: %w", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("--ca-cert: %s holds no PEM certificate", f)
			}
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return t, nil
}

func firstEnv(getenv func(string) string, keys ...string) string {
	for _, k := range keys {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// retryable reports whether a request may be sent again: reads, and POSTs
// the server deduplicates by their Idempotency-Key.
func retryable(req *resty.Request) bool {
	if req == nil {
		return false
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodPost:
		return req.Header.Get(api.HeaderIdempotencyKey) != ""
	}
	return false
}

func shouldRetry(resp *resty.Response, err error) bool {
	if resp == nil {
		return false
	}
	if err != nil {
		// The connection failed: the server may have acted, so only a
		// request it can deduplicate is safe to send again. The caller's
		// own deadline or cancellation is final.
		if ctx := resp.Request.Context(); ctx != nil && ctx.Err() != nil {
			return false
		}
		return retryable(resp.Request)
	}
	switch resp.StatusCode() {
	case http.StatusServiceUnavailable:
		// A 503 means the server did not act on the request (the API's
		// contract: an outage rolls the transaction back, and the sandbox's
		// injected failures answer before any handler runs), so any method
		// may be sent again, PUTs and unkeyed POSTs included.
		return true
	case http.StatusTooManyRequests:
		return retryable(resp.Request)
	}
	return false
}

// retryAfter honours the Retry-After header (seconds or an HTTP date);
// 0 lets resty use its jittered exponential backoff.
func retryAfter(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
	if resp == nil || resp.RawResponse == nil {
		return 0, nil
	}
	return parseRetryAfter(resp.Header().Get("Retry-After"), time.Now()), nil
}

func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

// NewIdempotencyKey returns a fresh random key for one logical operation.
// Callers that may repeat an operation across runs (a resumed filing) keep
// the key and pass it with WithIdempotencyKey.
func NewIdempotencyKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// CallOption adjusts one call.
type CallOption func(*resty.Request)

// WithIdempotencyKey sends key instead of a fresh one.
func WithIdempotencyKey(key string) CallOption {
	return func(r *resty.Request) { r.SetHeader(api.HeaderIdempotencyKey, key) }
}

// NetworkError is a failure to reach the server at all: refused, unknown
// host, timeout, TLS. Its Code lets the client localise it.
type NetworkError struct {
	Server string
	Err    error
}

// Code is the stable code "server_unreachable".
func (e *NetworkError) Code() string { return "server_unreachable" }

func (e *NetworkError) Error() string {
	return fmt.Sprintf("cannot reach the server at %s: %v", e.Server, rootCause(e.Err))
}

func (e *NetworkError) Unwrap() error { return e.Err }

// BadAnswerError is a server that answered, but not as a Filing API server
// does: an answer too large to be one.
type BadAnswerError struct {
	Server string
	Err    error
}

func (e *BadAnswerError) Error() string {
	return "server " + e.Server + " misbehaved: " + e.Err.Error()
}
func (e *BadAnswerError) Unwrap() error { return e.Err }

// Timeout reports whether the request timed out.
func (e *NetworkError) Timeout() bool {
	var ne net.Error
	return errors.Is(e.Err, context.DeadlineExceeded) || (errors.As(e.Err, &ne) && ne.Timeout())
}

func rootCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

// call is one request: method, path, body, result, and whether it creates
// or submits something (then it carries an Idempotency-Key).
type call struct {
	method  string
	path    string
	query   url.Values
	body    any
	raw     []byte // a non-JSON body (attachments, CSV)
	ctype   string
	result  any
	keyed   bool
	ifMatch int // version for If-Match; 0 sends none
	opts    []CallOption
}

func (c *Client) do(parent context.Context, k call) (*resty.Response, error) {
	ctx, cancel := context.WithTimeout(parent, c.opts.TotalTimeout)
	defer cancel()
	req := c.r.R().SetContext(ctx)
	if k.query != nil {
		req.SetQueryParamsFromValues(k.query)
	}
	switch {
	case k.raw != nil:
		req.SetHeader("Content-Type", k.ctype).SetBody(k.raw)
	case k.body != nil:
		req.SetHeader("Content-Type", "application/json").SetBody(k.body)
	}
	if k.keyed {
		req.SetHeader(api.HeaderIdempotencyKey, NewIdempotencyKey())
	}
	if k.ifMatch > 0 {
		req.SetHeader("If-Match", ETag(k.ifMatch))
	}
	for _, o := range k.opts {
		o(req)
	}
	resp, err := req.Execute(k.method, k.path)
	if err != nil {
		switch {
		case parent.Err() != nil: // the caller gave up (Ctrl-C, --timeout)
			return resp, parent.Err()
		case errors.Is(err, resty.ErrResponseBodyTooLarge):
			return resp, &BadAnswerError{Server: c.opts.BaseURL, Err: fmt.Errorf("%s %s: the answer is larger than %d MiB", k.method, k.path, c.opts.MaxResponseBytes>>20)}
		case ctx.Err() != nil:
			return resp, &NetworkError{Server: c.opts.BaseURL, Err: fmt.Errorf("%s %s: no complete answer within %s, retries included: %w", k.method, k.path, c.opts.TotalTimeout, context.DeadlineExceeded)}
		}
		return resp, &NetworkError{Server: c.opts.BaseURL, Err: err}
	}
	if resp.IsError() {
		return resp, problemOf(resp)
	}
	if k.result != nil && len(resp.Body()) > 0 {
		if b, ok := k.result.(*[]byte); ok {
			*b = resp.Body()
			return resp, nil
		}
		if err := json.Unmarshal(resp.Body(), k.result); err != nil {
			return resp, fmt.Errorf("%s %s: unreadable answer from the server: %w", k.method, k.path, err)
		}
	}
	return resp, nil
}

// ETag is the entity tag of a version, as the server sends it.
func ETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// problemOf turns an error response into *api.Problem: the server's own
// problem+json when it sent one, else one made up from the status (a proxy's
// HTML error page, say) so that callers always get a code.
func problemOf(resp *resty.Response) *api.Problem {
	var p api.Problem
	if err := json.Unmarshal(resp.Body(), &p); err == nil && p.Code != "" {
		if p.Status == 0 {
			p.Status = resp.StatusCode()
		}
		if p.RetryAfter == 0 {
			p.RetryAfter = int(parseRetryAfter(resp.Header().Get("Retry-After"), time.Now()) / time.Second)
		}
		return &p
	}
	code := api.CodeInternal
	switch resp.StatusCode() {
	case http.StatusBadRequest:
		code = api.CodeMalformedRequest
	case http.StatusUnauthorized:
		code = api.CodeUnauthenticated
	case http.StatusForbidden:
		code = api.CodeForbidden
	case http.StatusNotFound:
		code = api.CodeNotFound
	case http.StatusMethodNotAllowed:
		code = api.CodeMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		code = api.CodeBodyTooLarge
	case http.StatusTooManyRequests:
		code = api.CodeRateLimited
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		code = api.CodeUnavailable
	}
	detail := strings.TrimSpace(string(resp.Body()))
	if len(detail) > 200 {
		detail = detail[:200] + "…"
	}
	p = *api.NewProblem(code, fmt.Sprintf("HTTP %d from the server: %s", resp.StatusCode(), detail))
	return &p
}

// HTTPTransport is the transport the client itself uses — proxies from
// the environment, o.CACertFiles added to the system roots, o's connect
// and header timeouts — for other requests a command makes (`beian verify`
// fetching homepages).
func HTTPTransport(o Options) (*http.Transport, error) {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	return networkTransport(o)
}
