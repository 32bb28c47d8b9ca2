// Package check implements `beian check`: is a domain free to file? It
// checks domains given as arguments or read from a file (one a line), in
// batches of up to 1,000 sent concurrently, and exits 0 when every domain
// is available, 6 when any is taken or already yours, 5 when any is invalid.
package check

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of checkRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	Domains []string
	From    string // a file, "-" for stdin
	// BatchSize is the number of domains per request (api.MaxBatchCheck).
	BatchSize int
	// Concurrency is how many batches are in flight at once.
	Concurrency int
}

// NewCmdCheck builds the command; runF replaces checkRun in tests.
func NewCmdCheck(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer,
		BatchSize: api.MaxBatchCheck, Concurrency: 4}
	cmd := &cobra.Command{
		Use:   "check [domain...]",
		Short: "Check whether domains are free to file",
		Long: `Check whether domains are free to file (FAQ item 5). Each answer is one of:
available, yours (this account already has a site with it), taken (another
subject holds it), claimable (an earlier filing waits to be claimed) or
invalid (with the reason).

Domains come from the arguments or from --from FILE (one a line; blank lines
and lines starting with # are skipped; - reads stdin). Large lists are sent
in batches of 1,000, several at once.

Exit code: 0 when every domain is available, 5 when any is invalid, else 6
when any is taken, yours or claimable.`,
		Example: `  beian check example.com.cn 示例.中国
  beian check --from domains.txt --output json
  cat domains.txt | beian check --from - --jq '.[] | select(.status != "available") | .domain'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Domains = args
			if len(args) == 0 && opts.From == "" {
				return cmdutil.FlagErrorf("give domains as arguments or with --from FILE")
			}
			if len(args) > 0 && opts.From != "" {
				return cmdutil.FlagErrorf("give domains as arguments or with --from, not both")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return checkRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.From, "from", "f", "", "read domains from `FILE`, one a line (- for stdin)")
	return cmd
}

// ReadDomains reads one domain a line, skipping blank lines and # comments.
func ReadDomains(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

func checkRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	domains := opts.Domains
	if opts.From != "" {
		var r io.Reader
		if opts.From == "-" {
			r = opts.IO.In
		} else {
			fh, err := os.Open(opts.From)
			if err != nil {
				return err
			}
			defer fh.Close()
			r = fh
		}
		if domains, err = ReadDomains(r); err != nil {
			return err
		}
		if len(domains) == 0 {
			return cmdutil.FlagErrorf("%s holds no domains", opts.From)
		}
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	results, err := CheckAll(ctx, c, domains, opts.BatchSize, opts.Concurrency)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	err = output.Print(opts.IO, out, results, func() error {
		t := output.NewTable(opts.IO, loc.T("check.domain"), loc.T("check.status"), loc.T("check.detail"))
		cs := opts.IO.ColorScheme()
		for _, r := range results {
			status := string(r.Status)
			switch r.Status {
			case api.DomainAvailable:
				status = cs.Green(status)
			case api.DomainInvalid:
				status = cs.Red(status)
			default:
				status = cs.Yellow(status)
			}
			d := detail(loc, r)
			if r.Warning != "" {
				d = strings.TrimSpace(d + " " + loc.T("check.warning", r.Warning))
			}
			t.AddRow(r.Domain, status, d)
		}
		return t.Render()
	})
	if err != nil {
		return err
	}
	return cmdutil.SilentExitIf(ExitCode(results))
}

func detail(loc *i18n.Localizer, r api.DomainCheck) string {
	switch r.Status {
	case api.DomainYours:
		return fmt.Sprintf("%s (%s, %s)", loc.T("error.domain_yours"), r.SiteID, filingio.StateLabel(loc, r.SiteState))
	case api.DomainTaken:
		if r.RecordNumber != "" {
			return loc.T("check.taken_recorded", r.RecordNumber)
		}
		return loc.T("error.domain_taken")
	case api.DomainClaimable:
		return loc.T("error.domain_claimable")
	case api.DomainInvalid:
		return loc.Field(r.Reason)
	}
	if r.Unicode != "" && r.Unicode != r.Domain {
		return r.Unicode
	}
	if r.ASCII != "" && r.ASCII != r.Domain {
		return r.ASCII
	}
	return ""
}

// ExitCode is check's exit code: 5 if any domain is invalid, else 6 if any
// is taken, yours or claimable, else 0.
func ExitCode(results []api.DomainCheck) int {
	code := cmdutil.ExitOK
	for _, r := range results {
		switch r.Status {
		case api.DomainInvalid:
			return cmdutil.ExitInvalid
		case api.DomainAvailable:
		default:
			code = cmdutil.ExitConflict
		}
	}
	return code
}

// CheckAll checks domains in batches of at most size, up to concurrency
// batches at once, and returns the answers in the order of domains.
func CheckAll(ctx context.Context, c *client.Client, domains []string, size, concurrency int) ([]api.DomainCheck, error) {
	if size <= 0 || size > api.MaxBatchCheck {
		size = api.MaxBatchCheck
	}
	if concurrency <= 0 {
		concurrency = 1
	}
	results := make([]api.DomainCheck, len(domains))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	sem := make(chan struct{}, concurrency)
	for start := 0; start < len(domains); start += size {
		end := min(start+size, len(domains))
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(start, end int) {
			defer wg.Done()
			defer func() { <-sem }()
			resp, err := c.CheckDomains(ctx, domains[start:end])
			if err == nil && len(resp.Results) != end-start {
				err = fmt.Errorf("the server answered %d results for %d domains", len(resp.Results), end-start)
			}
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
				return
			}
			copy(results[start:end], resp.Results)
		}(start, end)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}
