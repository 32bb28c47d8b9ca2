// Package clitest helps the client's tests run commands against the real
// filing server — the sandbox's server in-process over a temporary SQLite
// file — instead of mocks: a signed-in client, a Factory wired to it, and
// shortcuts to file a subject and sites.
package clitest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/i18n"
	"github.com/beian-dev/beian/internal/sandbox"
)

// Env is a sandbox server in a temporary directory and a client signed in
// to its automatic account.
type Env struct {
	Sandbox *sandbox.Sandbox
	Client  *client.Client
	Dir     string
}

// NewSandbox opens a fresh sandbox for the test.
func NewSandbox(t testing.TB) *Env {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	sb, err := sandbox.Open(ctx, sandbox.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	token, err := sb.SignIn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Options{BaseURL: sb.BaseURL(), Token: token, Transport: sb.Transport(),
		RetryWait: time.Millisecond, RetryMaxWait: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return &Env{Sandbox: sb, Client: c, Dir: dir}
}

// Factory returns a factory over ios whose API client is e's, whose target
// is the sandbox, with English messages and the given output options.
func (e *Env) Factory(ios *iostreams.IOStreams, out output.Options) *cmdutil.Factory {
	f := NewFactory(ios, e.Client, out)
	f.Target = func() (cmdutil.Target, error) { return cmdutil.Target{Server: e.Sandbox.BaseURL(), Sandbox: true}, nil }
	f.Sandbox = func() (cmdutil.Sandbox, error) { return e.Sandbox, nil }
	return f
}

// NewFactory returns a factory with stubs: c as the API client (signed in
// or not), English messages, out as the output options, an empty config.
func NewFactory(ios *iostreams.IOStreams, c *client.Client, out output.Options) *cmdutil.Factory {
	if out.Format == "" {
		out.Format = output.FormatTable
	}
	loc := i18n.New(i18n.EN)
	env := map[string]string{}
	return &cmdutil.Factory{
		IOStreams:  ios,
		AppVersion: "test",
		Getenv:     func(k string) string { return env[k] },
		Now:        time.Now,
		Probes:     &cmdutil.Probes{},
		Config: func() (*config.Config, error) {
			return config.Load(config.LoadOptions{Getenv: func(k string) string {
				if k == "BEIAN_CONFIG_DIR" {
					return "/nonexistent-beian-test-dir"
				}
				return ""
			}})
		},
		Localizer: func() *i18n.Localizer { return loc },
		Output:    func() (output.Options, error) { return out, nil },
		Target:    func() (cmdutil.Target, error) { return cmdutil.Target{Server: c.BaseURL()}, nil },
		Credentials: func() (*config.Credentials, error) {
			return config.LoadCredentials("/nonexistent-beian-test-dir/c.yaml")
		},
		APIClient:       func(context.Context) (*client.Client, error) { return c, nil },
		AnonymousClient: func(context.Context) (*client.Client, error) { return c.WithToken(""), nil },
		Sandbox:         func() (cmdutil.Sandbox, error) { return nil, errors.New("no sandbox in this test") },
	}
}

// FileSubject files and submits the example unit subject (Wuhan, 420111).
func (e *Env) FileSubject(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	cur, err := e.Client.Subject(ctx)
	version := 0
	if err == nil {
		version = cur.Version
	}
	if _, err := e.Client.PutSubject(ctx, api.SubjectWrite{Subject: filingtest.Subject()}, version); err != nil {
		t.Fatalf("put subject: %v", err)
	}
	if _, err := e.Client.SubmitSubject(ctx); err != nil {
		t.Fatalf("submit subject: %v", err)
	}
}

// FileSite creates and submits a site with domain (the subject is filed
// first when needed); with review, the sandbox's review decides it.
func (e *Env) FileSite(t testing.TB, domain string, review bool) *api.SiteRecord {
	t.Helper()
	ctx := context.Background()
	if _, err := e.Client.Subject(ctx); err != nil {
		e.FileSubject(t)
	}
	rec, err := e.Client.CreateSite(ctx, api.SiteWrite{Site: filingtest.Site(domain)}, false)
	if err != nil {
		t.Fatalf("create site %s: %v", domain, err)
	}
	rec, err = e.Client.SubmitSite(ctx, rec.ID)
	if err != nil {
		t.Fatalf("submit site %s: %v", domain, err)
	}
	if review {
		e.Review(t)
		if rec, err = e.Client.Site(ctx, rec.ID); err != nil {
			t.Fatal(err)
		}
	}
	return rec
}

// Review runs the sandbox's automatic review.
func (e *Env) Review(t testing.TB) {
	t.Helper()
	if _, err := e.Sandbox.Review(context.Background()); err != nil {
		t.Fatalf("review: %v", err)
	}
}

// Args splits a command line on spaces, keeping "double-quoted" parts whole.
func Args(s string) []string {
	var out []string
	var cur []rune
	quoted, started := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			started = true
		case r == ' ' && !quoted:
			if started {
				out = append(out, string(cur))
			}
			cur, started = nil, false
		default:
			cur = append(cur, r)
			started = true
		}
	}
	if started {
		out = append(out, string(cur))
	}
	return out
}

// WithCredentials points f's credentials file into dir and returns its path.
func WithCredentials(t testing.TB, f *cmdutil.Factory, dir string) string {
	t.Helper()
	path := config.CredentialsPath(dir)
	creds, err := config.LoadCredentials(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Credentials = func() (*config.Credentials, error) { return creds, nil }
	return path
}

// Anonymous returns a client for the sandbox without a token.
func (e *Env) Anonymous() *client.Client { return e.Client.WithToken("") }
