// Package sites implements `beian sites`: the account's sites in the lists
// the platform shows a sponsor (FAQ item 10) — under review (changes and
// cancellations included), recorded, drafts (returned ones included),
// unrecorded and to claim (pushed by the platform), cancelled.
package sites

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/fleet"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Options are the inputs of sitesRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	List   string // one of filingio.Lists, or "" for all
	Domain string
	// File is where --output csv or xlsx writes the sheet ("" = stdout,
	// csv only).
	File string
}

// NewCmdSites builds the command; runF replaces sitesRun in tests.
func NewCmdSites(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	cmd := &cobra.Command{
		Use:   "sites",
		Short: "List your sites by state",
		Long: `List the account's sites in the lists the platform shows (FAQ item 10):
under_review (changes and cancellations under review included), recorded,
drafts (returned filings included), unrecorded and to_claim (earlier filings
pushed by the platform), cancelled.

--output csv (or xlsx, with --file) writes the account's filings as a fleet
sheet, one site per row, with the columns "beian plan" and "beian apply"
read (docs/fleets.md): export, edit, and apply the sheet again. Cancelled
filings and earlier ones waiting to be claimed are left out.`,
		Example: `  beian sites
  beian sites --list drafts
  beian sites --list recorded --jq '.[].record_number'
  beian sites --output csv > sites.csv
  beian sites --output xlsx --file sites.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.List = strings.ReplaceAll(strings.ToLower(opts.List), "-", "_")
			if opts.List != "" && !slices.Contains(filingio.Lists, opts.List) {
				return cmdutil.FlagErrorf("invalid --list %q: use one of %s", opts.List, strings.Join(filingio.Lists, ", "))
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return sitesRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.List, "list", "l", "", "show one list: "+strings.Join(filingio.Lists, ", "))
	cmd.Flags().StringVar(&opts.Domain, "domain", "", "only sites with this `DOMAIN`")
	cmd.Flags().StringVar(&opts.File, "file", "", "with --output csv or xlsx: write the sheet to `PATH`")
	_ = cmd.RegisterFlagCompletionFunc("list", cobra.FixedCompletions(filingio.Lists, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func sitesRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	recs, err := c.AllSites(ctx, client.SiteQuery{Domain: opts.Domain, Limit: 100})
	if err != nil {
		return err
	}
	if out.Format == output.FormatCSV || out.Format == output.FormatXLSX {
		return exportSheet(opts, out.Format, recs)
	}
	items := []filingio.Status{}
	for i := range recs {
		st := filingio.StatusOf(&recs[i])
		if opts.List == "" || st.List == opts.List {
			items = append(items, st)
		}
	}
	order := map[string]int{}
	for i, l := range filingio.Lists {
		order[l] = i
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].List != items[j].List {
			return order[items[i].List] < order[items[j].List]
		}
		return items[i].UpdatedAt.After(items[j].UpdatedAt)
	})
	loc := opts.Localizer()
	return output.Print(opts.IO, out, items, func() error {
		if len(items) == 0 {
			// Said on stderr, so that a pipe still gets nothing on stdout.
			fmt.Fprintln(opts.IO.ErrOut, loc.T("sites.none"))
			return nil
		}
		t := output.NewTable(opts.IO, loc.T("sites.list"), loc.T("sites.id"), loc.T("sites.name"),
			loc.T("sites.domain"), loc.T("sites.state"), loc.T("sites.record_number"), loc.T("sites.next"))
		for _, st := range items {
			domain := st.PrimaryDomain
			if n, err := domainname.Normalize(domain); err == nil && n.Unicode != n.ASCII {
				domain = n.Unicode + " (" + n.ASCII + ")" // a Chinese domain as it is read
			}
			if domain == "" {
				domain = st.HomepageURL
			}
			// The command that continues a site waiting for its sponsor.
			next := ""
			switch st.List {
			case filingio.ListDrafts, filingio.ListUnrecorded, filingio.ListToClaim:
				next = filingio.NextStep(st.State, st.SiteID)
			}
			t.AddRow(loc.T("list."+st.List), st.SiteID, output.Sanitize(st.Name), output.Sanitize(domain), string(st.State), st.RecordNumber, next)
		}
		return t.Render()
	})
}

// exportSheet writes the account's filings as a fleet sheet: a header in
// the user's language and a row per site, in the order the server lists
// them.
func exportSheet(opts *Options, format output.Format, recs []api.SiteRecord) error {
	loc := opts.Localizer()
	var sites []filing.Site
	for i := range recs {
		st := filingio.StatusOf(&recs[i])
		if recs[i].State == filing.StateCancelled || recs[i].State == filing.StateToClaim || recs[i].State == filing.StateUnrecorded {
			continue
		}
		if opts.List != "" && st.List != opts.List {
			continue
		}
		sites = append(sites, recs[i].Site)
	}
	header := fleet.Header(loc)
	switch {
	case format == output.FormatXLSX && opts.File == "":
		return cmdutil.FlagErrorf("%s", loc.T("fleet.xlsx_needs_file"))
	case format == output.FormatXLSX:
		if err := fleet.WriteXLSX(opts.File, header, sites); err != nil {
			return err
		}
	case opts.File != "":
		var b bytes.Buffer
		if err := fleet.WriteCSV(&b, header, sites); err != nil {
			return err
		}
		if err := os.WriteFile(opts.File, b.Bytes(), 0o600); err != nil {
			return err
		}
	default:
		if opts.IO.IsStdoutTTY() {
			// On a terminal, a cell is shown, not stored: nothing the
			// server sent may drive the terminal (issue 23, finding 12).
			// Piped or redirected, the sheet stays exact.
			var b strings.Builder
			if err := fleet.WriteCSV(&b, header, sites); err != nil {
				return err
			}
			_, err := io.WriteString(opts.IO.Out, output.Sanitize(b.String()))
			return err
		}
		return fleet.WriteCSV(opts.IO.Out, header, sites)
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("fleet.exported", len(sites), opts.File))
	return nil
}
