package cmdutil

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Factory hands out what commands need. Every field that costs something
// (reading the config file, opening the sandbox database, building an HTTP
// client) is a function called on first use, so `beian --version` or
// `beian help` pays for none of it. Tests build a Factory with stubs.
type Factory struct {
	IOStreams  *iostreams.IOStreams
	AppVersion string
	// Getenv reads the environment (os.Getenv in Main).
	Getenv func(string) string
	// Now is the clock (time.Now in Main).
	Now func() time.Time
	// Probes count expensive start-up work, so tests can prove a command
	// did none of it.
	Probes *Probes

	// Config resolves settings: flags > BEIAN_* > file > defaults.
	Config func() (*config.Config, error)
	// Localizer renders messages in the user's language.
	Localizer func() *i18n.Localizer
	// Output is --output and --jq, resolved.
	Output func() (output.Options, error)
	// Target says which server commands talk to.
	Target func() (Target, error)
	// Credentials is the credentials file (tokens by server).
	Credentials func() (*config.Credentials, error)
	// APIClient is a client for Target, signed in with BEIAN_TOKEN, the
	// stored credential or (sandbox) the automatic account.
	APIClient func(ctx context.Context) (*client.Client, error)
	// AnonymousClient is a client for Target without a token (register,
	// login, public records).
	AnonymousClient func(ctx context.Context) (*client.Client, error)
	// ProfileClient is a client for the server of a configuration profile,
	// signed in with that profile's own credential only (`beian --profile
	// P login`): a fleet's subjects name their accounts this way.
	ProfileClient func(ctx context.Context, profile string) (*client.Client, error)
	// Sandbox opens the local sandbox (its database is created on first use).
	Sandbox func() (Sandbox, error)
	// EditSubject edits a subject interactively (the forms); nil when this
	// build or this terminal has none, and then `subject edit` needs --from.
	EditSubject func(ctx context.Context, current filing.Subject) (filing.Subject, error)
}

// Target is the server commands talk to.
type Target struct {
	// Server is the configured URL, or the sandbox's base URL.
	Server string
	// Sandbox is true when no server is configured: commands then run
	// against the in-process sandbox and nothing is filed with any authority.
	Sandbox bool
	// Profile is the configuration profile in use, if any: a profile
	// signs in to its own account (CredentialKey).
	Profile string
}

// CredentialKey is where `beian login` keeps this target's credential:
// the server's URL, or with a profile the URL and the profile, so that
// several accounts of one server (a hosting company's customers, each
// with its own subject) can each have a profile.
func (t Target) CredentialKey() string {
	if t.Profile == "" {
		return t.Server
	}
	return t.Server + "#profile=" + t.Profile
}

// Sandbox is the in-process filing server (internal/sandbox).
type Sandbox interface {
	// BaseURL is the URL clients use for it (a reserved name that never
	// reaches the network).
	BaseURL() string
	// Transport serves requests by calling the server's handler directly.
	Transport() http.RoundTripper
	// Handler is the server, for `beian sandbox serve`.
	Handler() http.Handler
	// DatabasePath is the SQLite file.
	DatabasePath() string
	// Review runs the automatic review now and says how many items it decided.
	Review(ctx context.Context) (int, error)
	// Deliver sends the webhook deliveries due now (one pass of the
	// server's worker) and says how many it attempted.
	Deliver(ctx context.Context) (int, error)
	// SignIn returns a token for the sandbox's automatic account, creating
	// the account on first use.
	SignIn(ctx context.Context) (string, error)
	// Close releases the database.
	Close() error
}

// Probes count the work a light command must not do. The sandbox counts
// DatabaseOpens and the forms count FormThemes when they build a theme. A
// query to the terminal is an escape sequence written to it: the start-up
// test looks for any in the output instead of counting.
type Probes struct {
	DatabaseOpens atomic.Int64
	FormThemes    atomic.Int64
	ConfigLoads   atomic.Int64
	HTTPClients   atomic.Int64
}

// Snapshot returns the counters as a map, for test messages and the
// start-up benchmark.
func (p *Probes) Snapshot() map[string]int64 {
	return map[string]int64{
		"database_opens": p.DatabaseOpens.Load(),
		"form_themes":    p.FormThemes.Load(),
		"config_loads":   p.ConfigLoads.Load(),
		"http_clients":   p.HTTPClients.Load(),
	}
}

// T is a shortcut for f.Localizer().T.
func (f *Factory) T(id string, args ...any) string { return f.Localizer().T(id, args...) }
