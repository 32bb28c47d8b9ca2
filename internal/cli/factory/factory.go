// Package factory builds the real cmdutil.Factory: configuration from
// flags, environment and file; an API client for the configured server or,
// when none is configured, for the in-process sandbox; the user's language.
// Everything is built on first use and at most once.
package factory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// SandboxURL is the base URL of the in-process sandbox. The .invalid
// top-level domain (RFC 2606) can never resolve, so a request meant for the
// sandbox cannot leak onto the network.
const SandboxURL = "http://sandbox.beian.invalid"

// SandboxOpener opens the sandbox; internal/sandbox provides the real one.
type SandboxOpener func(f *cmdutil.Factory) (cmdutil.Sandbox, error)

// Options are what Main knows before any command runs.
type Options struct {
	IOStreams  *iostreams.IOStreams
	AppVersion string
	Getenv     func(string) string
	Globals    *cmdutil.GlobalFlags
	// OpenSandbox opens the sandbox; nil means "no sandbox available".
	OpenSandbox SandboxOpener
}

// New returns a factory whose parts are built lazily.
func New(o Options) *cmdutil.Factory {
	f := &cmdutil.Factory{
		IOStreams:  o.IOStreams,
		AppVersion: o.AppVersion,
		Getenv:     o.Getenv,
		Now:        time.Now,
		Probes:     &cmdutil.Probes{},
	}
	g := o.Globals

	var (
		cfgOnce sync.Once
		cfg     *config.Config
		cfgErr  error
	)
	f.Config = func() (*config.Config, error) {
		cfgOnce.Do(func() {
			f.Probes.ConfigLoads.Add(1)
			lo := config.LoadOptions{Getenv: f.Getenv}
			if g != nil {
				lo.Flags = g.ConfigFlags()
				lo.ConfigFile = g.ConfigFile
				lo.Profile = g.Profile
				lo.NewProfile = g.NewProfile
			}
			cfg, cfgErr = config.Load(lo)
		})
		return cfg, cfgErr
	}

	var (
		locOnce sync.Once
		loc     *i18n.Localizer
	)
	f.Localizer = func() *i18n.Localizer {
		locOnce.Do(func() {
			// The language must be known even when the config is broken
			// (to say so): flag, then BEIAN_LANG, then the file, then the
			// locale. A file that does not load is simply skipped here.
			explicit := ""
			switch {
			case g != nil && g.Changed("lang"):
				explicit = g.Lang
			case f.Getenv("BEIAN_LANG") != "":
				explicit = f.Getenv("BEIAN_LANG")
			default:
				if c, err := f.Config(); err == nil {
					explicit = c.String("lang")
				}
			}
			loc = i18n.New(i18n.Detect(explicit, f.Getenv))
		})
		return loc
	}

	f.Output = func() (output.Options, error) {
		var o output.Options
		if g != nil {
			o.JQ = g.JQ
		}
		format := ""
		if g != nil && g.Changed("output") {
			format = g.Output
		} else if c, err := f.Config(); err == nil {
			format = c.String("output")
		} else {
			return o, err
		}
		fm, err := output.ParseFormat(format)
		if err != nil {
			return o, &cmdutil.FlagError{Err: err}
		}
		o.Format = fm
		return o, nil
	}

	f.Target = func() (cmdutil.Target, error) {
		c, err := f.Config()
		if err != nil {
			return cmdutil.Target{}, err
		}
		return targetOf(c)
	}

	var (
		credOnce sync.Once
		creds    *config.Credentials
		credErr  error
	)
	f.Credentials = func() (*config.Credentials, error) {
		credOnce.Do(func() {
			creds, credErr = config.LoadCredentials(config.CredentialsPath(config.Dir(f.Getenv)))
			if credErr == nil && creds.Repaired {
				fmt.Fprintln(f.IOStreams.ErrOut, f.T("cli.credentials_repaired", creds.Path()))
			}
		})
		return creds, credErr
	}

	var (
		sbOnce sync.Once
		sb     cmdutil.Sandbox
		sbErr  error
	)
	f.Sandbox = func() (cmdutil.Sandbox, error) {
		sbOnce.Do(func() {
			if o.OpenSandbox == nil {
				sbErr = errors.New("this build of beian has no sandbox: configure a server with `beian config set server URL`")
				return
			}
			sb, sbErr = o.OpenSandbox(f)
		})
		return sb, sbErr
	}

	var noticeOnce, reviewOnce sync.Once
	var buildFor func(ctx context.Context, c *config.Config, t cmdutil.Target, signedIn, strict bool) (*client.Client, error)
	build := func(ctx context.Context, signedIn bool) (*client.Client, error) {
		t, err := f.Target()
		if err != nil {
			return nil, err
		}
		c, err := f.Config()
		if err != nil {
			return nil, err
		}
		return buildFor(ctx, c, t, signedIn, false)
	}
	buildFor = func(ctx context.Context, c *config.Config, t cmdutil.Target, signedIn, strict bool) (*client.Client, error) {
		var err error
		opts := client.Options{
			BaseURL:        t.Server,
			UserAgent:      client.DefaultUserAgent(f.AppVersion),
			CACertFiles:    c.List("ca_cert"),
			ConnectTimeout: c.Duration("connect_timeout", 10*time.Second),
			Timeout:        c.Duration("timeout", 30*time.Second),
			TotalTimeout:   c.Duration("total_timeout", 60*time.Second),
			Retries:        c.Int("retries", 4),
			Getenv:         f.Getenv,
		}
		if opts.Retries == 0 {
			opts.Retries = -1 // 0 in the config means "never retry"
		}
		if c.Bool("debug") {
			opts.Debug = f.IOStreams.ErrOut
		}
		var box cmdutil.Sandbox
		if t.Sandbox {
			box, err = f.Sandbox()
			if err != nil {
				return nil, err
			}
			opts.Transport = box.Transport()
			// The sandbox reviews on its own: whatever waited out the
			// review delay is decided before any command reads it, so a
			// plain `beian status` shows the decision (not only --wait).
			reviewOnce.Do(func() {
				_, _ = box.Review(ctx)
				// Webhook events of earlier commands go out now: the
				// in-process sandbox has no worker between commands.
				_, _ = box.Deliver(ctx)
			})
			noticeOnce.Do(func() {
				fmt.Fprintln(f.IOStreams.ErrOut, f.IOStreams.ColorScheme().Yellow(f.T("cli.sandbox_notice")))
			})
		}
		if signedIn {
			// BEIAN_TOKEN, else `beian login`'s credential for this server,
			// else (sandbox only) the automatic account.
			if !strict {
				opts.Token = f.Getenv("BEIAN_TOKEN")
			}
			if opts.Token == "" {
				cr, err := f.Credentials()
				if err != nil {
					return nil, err
				}
				// A profile's own sign-in, else (not strict) the server's.
				if cred, ok := cr.Get(t.CredentialKey()); ok {
					opts.Token = cred.Token
				} else if cred, ok := cr.Get(t.Server); ok && !strict {
					opts.Token = cred.Token
				}
				if strict && opts.Token == "" {
					return nil, cmdutil.Exit(cmdutil.ExitAuth, fmt.Errorf("profile %s is not signed in to %s: run `beian --profile %s login`", t.Profile, t.Server, t.Profile))
				}
			}
			if opts.Token == "" && t.Sandbox {
				opts.Token, err = box.SignIn(ctx)
				if err != nil {
					return nil, err
				}
			}
		}
		f.Probes.HTTPClients.Add(1)
		return client.New(opts)
	}
	f.ProfileClient = func(ctx context.Context, profile string) (*client.Client, error) {
		lo := config.LoadOptions{Getenv: f.Getenv, Profile: profile}
		if g != nil {
			lo.ConfigFile = g.ConfigFile
		}
		c, err := config.Load(lo)
		if err != nil {
			return nil, err
		}
		t, err := targetOf(c)
		if err != nil {
			return nil, err
		}
		return buildFor(ctx, c, t, true, true)
	}
	var (
		apiMu  sync.Mutex
		apiCl  *client.Client
		anonCl *client.Client
	)
	f.APIClient = func(ctx context.Context) (*client.Client, error) {
		apiMu.Lock()
		defer apiMu.Unlock()
		if apiCl != nil {
			return apiCl, nil
		}
		cl, err := build(ctx, true)
		if err == nil {
			apiCl = cl
		}
		return cl, err
	}
	f.AnonymousClient = func(ctx context.Context) (*client.Client, error) {
		apiMu.Lock()
		defer apiMu.Unlock()
		if anonCl != nil {
			return anonCl, nil
		}
		cl, err := build(ctx, false)
		if err == nil {
			anonCl = cl
		}
		return cl, err
	}
	return f
}

// targetOf is the server c names (with its profile), else the sandbox.
func targetOf(c *config.Config) (cmdutil.Target, error) {
	if s := c.String("server"); s != "" {
		if _, err := c.Get("server"); err != nil {
			return cmdutil.Target{}, err
		}
		return cmdutil.Target{Server: s, Profile: c.Profile()}, nil
	}
	return cmdutil.Target{Server: SandboxURL, Sandbox: true, Profile: c.Profile()}, nil
}
