// Package verify implements `beian verify`: fetch the live homepages of
// sites and say whether each shows its badge as FAQ items 2, 3 and 6 ask
// (internal/footer reads the page, this package fetches it).
package verify

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/fleet"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/footer"
	"github.com/beian-dev/beian/internal/i18n"
	"github.com/beian-dev/beian/internal/recordno"
)

// Exit codes of verify (also in `beian help exit-codes`).
const (
	ExitMissing     = 11 // a badge is missing or incomplete
	ExitWrong       = 12 // a number is not the site's record, or links to another
	ExitUnreachable = 13 // a homepage could not be read
)

// Options are the inputs of verifyRun.
type Options struct {
	IO              *iostreams.IOStreams
	AnonymousClient func(context.Context) (*client.Client, error)
	Target          func() (cmdutil.Target, error)
	Output          func() (output.Options, error)
	Localizer       func() *i18n.Localizer
	Getenv          func(string) string

	Sites        []string
	From         string
	Fleet        []string
	Record       string
	CACerts      []string
	Timeout      time.Duration
	MaxRedirects int
	MaxBytes     int64
	Parallel     int
	NoLookup     bool

	// dial, when set (tests), connects every homepage fetch: a test
	// serves many "domains" from 127.0.0.1.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// NewCmdVerify builds the command; runF replaces verifyRun in tests.
func NewCmdVerify(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, AnonymousClient: f.AnonymousClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "verify <url | domain>...",
		Short: "Check that live homepages show their badge",
		Long: `Fetch each site's homepage and check what FAQ items 2, 3 and 6 ask of it: the
public-security record number (in any spelling beian accepts), that it is the
site's record (the public register lists the site's domain, or --record), that
it links to a public query page for that number, that the badge icon is beside
it, and that it sits at the bottom of the page (a footer, or the last part of
the body). The MIIT ICP number and its link are reported when present.

A domain is fetched over HTTPS, then HTTP if HTTPS cannot connect. Redirects
are followed up to --max-redirects (a loop is named), at most --max-bytes are
read, every fetch ends after --timeout, proxies come from HTTPS_PROXY and
HTTP_PROXY, and --ca-cert adds to the system's roots.

One line per site, or -o json. Exit status: 0 every badge is right, 11 some
badge is missing or incomplete, 12 some number is wrong, 13 some homepage
could not be read (the worst of these wins: 12, then 11, then 13).`,
		Example: `  beian verify example.com.cn
  beian verify https://www.example.com.cn/ --record "京公网安备 11010802020134号"
  beian verify --from domains.txt --parallel 32 -o json
  beian verify -f fleet.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Sites = args
			if len(args) == 0 && opts.From == "" && len(opts.Fleet) == 0 {
				return cmdutil.FlagErrorf("give URLs or domains, --from FILE or -f FLEET")
			}
			if opts.Parallel < 1 || opts.Parallel > 256 {
				return cmdutil.FlagErrorf("invalid --parallel %d: use 1 to 256", opts.Parallel)
			}
			if opts.MaxRedirects < 0 || opts.MaxBytes < 1024 || opts.Timeout <= 0 {
				return cmdutil.FlagErrorf("--max-redirects must be ≥ 0, --max-bytes ≥ 1024 and --timeout > 0")
			}
			if opts.Record != "" {
				if _, _, err := recordno.Parse(opts.Record); err != nil {
					return cmdutil.Exit(cmdutil.ExitInvalid, fmt.Errorf("--record: %w", err))
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return verifyRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "read URLs or domains from `FILE`, one per line (- for stdin)")
	cmd.Flags().StringArrayVarP(&opts.Fleet, "file", "f", nil, "verify the sites of a fleet (docs/fleets.md)")
	cmd.Flags().StringVar(&opts.Record, "record", "", "the record number every site must show")
	cmd.Flags().StringArrayVar(&opts.CACerts, "ca-cert", nil, "trust this PEM `FILE` too (repeatable)")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 15*time.Second, "give up on a homepage after this long")
	cmd.Flags().IntVar(&opts.MaxRedirects, "max-redirects", 5, "follow at most this many redirects")
	cmd.Flags().Int64Var(&opts.MaxBytes, "max-bytes", 2<<20, "read at most this many bytes of a homepage")
	cmd.Flags().IntVar(&opts.Parallel, "parallel", 16, "homepages fetched at once")
	cmd.Flags().BoolVar(&opts.NoLookup, "no-lookup", false, "do not look the number up on the public register")
	return cmd
}

// Result is the answer for one site (-o json).
type Result struct {
	Site     string            `json:"site"`
	URL      string            `json:"url,omitempty"` // the page read, after redirects
	Verdict  footer.Verdict    `json:"verdict"`
	Problems []string          `json:"problems,omitempty"`
	Error    string            `json:"error,omitempty"` // unreachable: why
	Expected string            `json:"expected,omitempty"`
	Page     *footer.Report    `json:"page,omitempty"`
	Record   *api.PublicRecord `json:"-"`
}

func verifyRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	sites, err := targets(opts)
	if err != nil {
		return err
	}
	tr, err := client.HTTPTransport(client.Options{CACertFiles: opts.CACerts, ConnectTimeout: min(opts.Timeout, 10*time.Second), Timeout: opts.Timeout, Getenv: opts.Getenv})
	if err != nil {
		return cmdutil.FlagErrorf("%v", err)
	}
	if opts.dial != nil {
		tr.DialContext = opts.dial
	}
	v := &verifier{opts: opts, http: &http.Client{Transport: tr}, cache: map[string]*lookup{}}
	if !opts.NoLookup {
		if c, err := opts.AnonymousClient(ctx); err == nil {
			v.register = c
			v.recordBase = c.BaseURL()
		}
	}
	results := make([]Result, len(sites))
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for i, s := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = v.check(ctx, s)
		}()
	}
	wg.Wait()
	loc := opts.Localizer()
	if err := output.Print(opts.IO, out, results, func() error { return table(opts.IO, loc, results) }); err != nil {
		return err
	}
	return exitOf(results)
}

// targets are the sites to verify: arguments, then --from, then the fleet.
func targets(opts *Options) ([]string, error) {
	sites := append([]string{}, opts.Sites...)
	if opts.From != "" {
		r := opts.IO.In
		if opts.From != "-" {
			f, err := os.Open(opts.From)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			r = f
		}
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line != "" && !strings.HasPrefix(line, "#") {
				sites = append(sites, line)
			}
		}
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	if len(opts.Fleet) > 0 {
		fl, err := fleet.Load(opts.Fleet...)
		if err != nil {
			return nil, err
		}
		for _, s := range fl.Subjects {
			for _, site := range s.Sites {
				switch {
				case site.Site.HasPrimaryDomain && site.Site.PrimaryDomain != "":
					sites = append(sites, site.Site.PrimaryDomain)
				case site.Site.HomepageURL != "":
					sites = append(sites, site.Site.HomepageURL)
				}
			}
		}
	}
	if len(sites) == 0 {
		return nil, cmdutil.FlagErrorf("no sites to verify")
	}
	return sites, nil
}

type verifier struct {
	opts       *Options
	http       *http.Client
	register   *client.Client
	recordBase string
	mu         sync.Mutex
	cache      map[string]*lookup // public records by digits
}

type lookup struct {
	once sync.Once
	rec  *api.PublicRecord
	err  error
}

// urls are the homepages to try for a site: a URL as given; a domain over
// HTTPS, then HTTP.
func urls(site string) ([]string, string, error) {
	if strings.Contains(site, "://") {
		u, err := url.Parse(site)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, "", fmt.Errorf("%q is not an http(s) URL or a domain", site)
		}
		return []string{u.String()}, u.Hostname(), nil
	}
	host := site
	if n, err := domainname.Normalize(site); err == nil {
		host = n.ASCII
	} else if strings.ContainsAny(site, "/ ") {
		return nil, "", fmt.Errorf("%q is not an http(s) URL or a domain", site)
	}
	return []string{"https://" + host + "/", "http://" + host + "/"}, host, nil
}

func (v *verifier) check(ctx context.Context, site string) Result {
	r := Result{Site: site, Expected: v.opts.Record}
	tries, host, err := urls(site)
	if err != nil {
		r.Verdict, r.Error = footer.Unreachable, err.Error()
		return r
	}
	var body []byte
	for i, u := range tries {
		body, r.URL, err = v.fetch(ctx, u)
		var ce *connectError
		if err == nil || !errors.As(err, &ce) || i == len(tries)-1 {
			break
		}
	}
	if err != nil {
		r.Verdict, r.Error = footer.Unreachable, err.Error()
		return r
	}
	rep, err := footer.Inspect(strings.NewReader(string(body)), footer.Options{RecordBase: v.recordBase})
	if err != nil {
		r.Verdict, r.Error = footer.Unreachable, "the homepage is not HTML: "+err.Error()
		return r
	}
	r.Page = rep
	e := footer.Expected{Host: host}
	if v.opts.Record != "" {
		n, _, _ := recordno.Parse(v.opts.Record)
		e.Number, e.Digits = n.String(), n.Digits
	}
	if rep.Found && v.register != nil {
		rec, err := v.record(ctx, rep.Digits)
		var p *api.Problem
		switch {
		case errors.As(err, &p) && p.Code == api.CodeNotFound:
			e.RecordMissing = true
		case err == nil:
			for _, d := range rec.Domains {
				e.RecordDomains = append(e.RecordDomains, d.ASCII)
			}
		}
	}
	r.Verdict, r.Problems = footer.Judge(rep, e)
	return r
}

// record looks a number up on the public register, once per number.
func (v *verifier) record(ctx context.Context, digits string) (*api.PublicRecord, error) {
	v.mu.Lock()
	l, ok := v.cache[digits]
	if !ok {
		l = &lookup{}
		v.cache[digits] = l
	}
	v.mu.Unlock()
	l.once.Do(func() { l.rec, l.err = v.register.PublicRecord(ctx, digits) })
	return l.rec, l.err
}

// connectError is a homepage that could not be connected to at all (the
// next URL is tried).
type connectError struct{ err error }

func (e *connectError) Error() string { return e.err.Error() }
func (e *connectError) Unwrap() error { return e.err }

// fetch reads a homepage: redirects followed up to the limit (a loop is
// named), at most MaxBytes read, the whole within Timeout.
func (v *verifier) fetch(ctx context.Context, u string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, v.opts.Timeout)
	defer cancel()
	seen := map[string]bool{u: true}
	c := *v.http
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		next := req.URL.String()
		if seen[next] {
			return fmt.Errorf("a redirect loop: %s leads back to %s", via[len(via)-1].URL, next)
		}
		seen[next] = true
		if len(via) > v.opts.MaxRedirects {
			return fmt.Errorf("more than %d redirects", v.opts.MaxRedirects)
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("a redirect to %s", req.URL.Scheme)
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, u, err
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	req.Header.Set("User-Agent", "beian-verify (+https://github.com/beian-dev/beian)")
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ue) && ue.Timeout()):
			return nil, u, fmt.Errorf("no answer within %s", v.opts.Timeout)
		case errors.As(err, &ue) && !strings.Contains(err.Error(), "redirect"):
			return nil, u, &connectError{err: fmt.Errorf("cannot connect: %v", ue.Err)}
		}
		return nil, u, err
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	if resp.StatusCode >= 400 {
		return nil, final, fmt.Errorf("the homepage answered %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "html") {
		return nil, final, fmt.Errorf("the homepage is %s, not HTML", ct)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, v.opts.MaxBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, final, fmt.Errorf("no answer within %s", v.opts.Timeout)
		}
		return nil, final, err
	}
	if int64(len(body)) > v.opts.MaxBytes {
		return nil, final, fmt.Errorf("the homepage is over %d bytes (--max-bytes)", v.opts.MaxBytes)
	}
	return body, final, nil
}

func table(ios *iostreams.IOStreams, loc *i18n.Localizer, results []Result) error {
	t := output.NewTable(ios, loc.T("verify.col.site"), loc.T("verify.col.verdict"), loc.T("verify.col.number"), loc.T("verify.col.details"))
	for _, r := range results {
		number, details := "", r.Error
		if r.Page != nil {
			number = r.Page.Number
			details = strings.Join(r.Problems, "; ")
			if r.Page.ICP != "" {
				if details != "" {
					details += "; "
				}
				details += "ICP " + r.Page.ICP
			}
		}
		t.AddRow(output.Sanitize(r.Site), loc.T("verify.verdict."+string(r.Verdict)), output.Sanitize(number), output.Sanitize(details))
	}
	return t.Render()
}

// exitOf is the exit status: the worst verdict, wrong first.
func exitOf(results []Result) error {
	worst := 0
	rank := map[footer.Verdict]int{footer.Wrong: 3, footer.Missing: 2, footer.Incomplete: 2, footer.Unreachable: 1}
	for _, r := range results {
		worst = max(worst, rank[r.Verdict])
	}
	switch worst {
	case 3:
		return cmdutil.SilentExit(ExitWrong)
	case 2:
		return cmdutil.SilentExit(ExitMissing)
	case 1:
		return cmdutil.SilentExit(ExitUnreachable)
	}
	return nil
}
