// Package badge implements `beian badge`: the footer badge of a recorded
// site from the server, or — with --record — rendered offline for a number
// filed anywhere, read as users actually write it.
package badge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/badge"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
	"github.com/beian-dev/beian/internal/ident"
	"github.com/beian-dev/beian/internal/recordno"
)

// Options are the inputs of badgeRun.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Target    func() (cmdutil.Target, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	Ref       string // site ID or domain
	Record    string // --record: a number filed elsewhere, rendered offline
	Format    string
	Link      string // server, current, legacy
	ICP       bool
	ICPNumber string // --icp-number, offline
	IconURL   string // --icon, offline
	// Structured is set when -o json/yaml or --jq was given explicitly.
	Structured bool
	// Inject are HTML files (or template partials) to put the badge in;
	// Check only says whether they hold it, with a diff.
	Inject []string
	Check  bool
}

// Link choices.
var links = []string{"server", "current", "legacy"}

// NewCmdBadge builds the command; runF replaces badgeRun in tests.
func NewCmdBadge(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, APIClient: f.APIClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer}
	formats := make([]string, len(badge.Formats))
	for i, fm := range badge.Formats {
		formats[i] = string(fm)
	}
	cmd := &cobra.Command{
		Use:   "badge [<site-id | domain>]",
		Short: "Print the footer badge of a recorded site",
		Long: `Print the badge a recorded site must show at the bottom of its homepage
(FAQ item 6): the icon and the record number, linked to the record's public
page. Formats: html (default), html-legacy (the long-standing snippet),
markdown, text and json.

--link chooses where the number links: server (the filing server's own
public record page, the default), current (the national platform's query
page) or legacy (the old query page many footers still carry).

With --record the badge is rendered offline for a number filed anywhere,
written as people write it: without the space, without 号, with 黔/云/蜀, as
a legacy 12-digit number. What had to be forgiven is printed as warnings on
stderr; something that is not a record number exits 5.

--inject FILE... puts the badge into HTML files or template partials, between
the comments <!-- beian:badge --> and <!-- /beian:badge -->; a file without
them gets them just before its last </footer>, else before </body>, else at
its end. Nothing outside the markers changes, the file keeps its encoding
(UTF-8, with or without a BOM, or GBK) and its line endings, and a second run
changes nothing. With --check nothing is written: the command prints the diff
and exits 11 when a file lacks the badge or holds an outdated one (for CI).`,
		Example: `  beian badge example.com.cn
  beian badge example.com.cn --format markdown --icp
  beian badge --record "湘公网安备43010502002236号"
  beian badge --record 京公网安备11010802020134 --format html-legacy --link legacy
  beian badge example.com.cn --inject public/index.html
  beian badge example.com.cn --inject templates/footer.html --check`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Ref = args[0]
			}
			switch {
			case opts.Ref == "" && opts.Record == "":
				return cmdutil.FlagErrorf("give a site ID or domain, or --record NUMBER")
			case opts.Ref != "" && opts.Record != "":
				return cmdutil.FlagErrorf("give a site or --record, not both")
			case opts.Record == "" && (opts.ICPNumber != "" || opts.IconURL != ""):
				return cmdutil.FlagErrorf("--icp-number and --icon go with --record; a recorded site's badge comes from the server")
			}
			if _, err := badge.ParseFormat(opts.Format); err != nil {
				return cmdutil.FlagErrorf("invalid --format %q: use one of %s", opts.Format, strings.Join(formats, ", "))
			}
			if opts.Link != "" && !slices.Contains(links, opts.Link) {
				return cmdutil.FlagErrorf("invalid --link %q: use one of %s", opts.Link, strings.Join(links, ", "))
			}
			if opts.ICPNumber != "" {
				opts.ICP = true
			}
			if f := badge.Format(strings.ToLower(opts.Format)); len(opts.Inject) > 0 && f != badge.FormatHTML && f != badge.FormatHTMLLegacy {
				return cmdutil.FlagErrorf("--inject puts HTML into files: use --format html or html-legacy")
			}
			if opts.Check && len(opts.Inject) == 0 {
				return cmdutil.FlagErrorf("--check goes with --inject FILE")
			}
			opts.Structured = cmd.Flags().Changed("output") || cmd.Flags().Changed("jq")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return badgeRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Format, "format", "F", "html", "badge format: "+strings.Join(formats, ", "))
	fl.StringVar(&opts.Link, "link", "", "where the number links: server, current or legacy (default server; current with --record)")
	fl.BoolVar(&opts.ICP, "icp", false, "add the site's MIIT ICP number beside the badge")
	fl.StringVar(&opts.Record, "record", "", "render offline for record `NUMBER` filed elsewhere")
	fl.StringVar(&opts.ICPNumber, "icp-number", "", "with --record: the MIIT ICP `NUMBER` to show beside it")
	fl.StringVar(&opts.IconURL, "icon", "", "with --record: icon `URL` (default: the icon embedded as a data: URL)")
	fl.StringArrayVar(&opts.Inject, "inject", nil, "put the badge into this HTML `FILE` (repeatable)")
	fl.BoolVar(&opts.Check, "check", false, "with --inject: change nothing; exit 11 with a diff when a file lacks the badge")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("link", cobra.FixedCompletions(links, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func badgeRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	var b *api.Badge
	if opts.Record != "" {
		b, err = offline(opts)
	} else {
		b, err = fromServer(ctx, opts)
	}
	if err != nil {
		return err
	}
	if len(opts.Inject) > 0 {
		return inject(opts, b.Rendered, b.Code)
	}
	if opts.Structured {
		return output.Print(opts.IO, out, b, nil)
	}
	_, err = fmt.Fprintln(opts.IO.Out, strings.TrimRight(b.Rendered, "\n"))
	return err
}

func fromServer(ctx context.Context, opts *Options) (*api.Badge, error) {
	c, err := opts.APIClient(ctx)
	if err != nil {
		return nil, err
	}
	rec, err := cmdutil.FindSite(ctx, c, opts.Ref)
	if err != nil {
		return nil, err
	}
	return c.SiteBadge(ctx, rec.ID, client.BadgeQuery{Format: opts.Format, Link: opts.Link, ICP: opts.ICP})
}

// offline renders the badge of a number filed elsewhere, without a server.
func offline(opts *Options) (*api.Badge, error) {
	loc := opts.Localizer()
	n, warnings, err := recordno.Parse(opts.Record)
	if err != nil {
		return nil, cmdutil.Exit(cmdutil.ExitInvalid, err)
	}
	for _, w := range warnings {
		// English has the detailed sentence (it names the canonical
		// number); Chinese has the message of the warning's code.
		msg := w.Message
		if loc.Lang() != i18n.EN {
			msg = loc.Field(w.Code)
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("badge.warning", msg))
	}
	rec := badge.Record{Number: n.String(), Code: n.Digits}
	if opts.ICPNumber != "" {
		icp, err := ident.ParseICP(opts.ICPNumber)
		if err != nil {
			return nil, cmdutil.Exit(cmdutil.ExitInvalid, err)
		}
		rec.ICP = icp.String()
	}
	bo := badge.Options{Format: badge.Format(opts.Format), WithICP: opts.ICP, IconURL: opts.IconURL}
	switch opts.Link {
	case "", "current":
		bo.LinkTemplate = badge.LinkCurrent
	case "legacy":
		bo.LinkTemplate = badge.LinkLegacy
	case "server":
		t, err := opts.Target()
		if err != nil {
			return nil, err
		}
		if t.Sandbox {
			return nil, cmdutil.FlagErrorf("--link server needs a configured server; use --link current or legacy")
		}
		bo.LinkTemplate = badge.LinkServer
		bo.Base = t.Server
	}
	if bo.IconURL == "" {
		bo.IconURL = badge.IconDataURL()
	}
	rendered, err := badge.Render(rec, bo)
	if err != nil {
		return nil, cmdutil.Exit(cmdutil.ExitInvalid, err)
	}
	htmlOpts := bo
	htmlOpts.Format = badge.FormatHTML
	html, err := badge.Render(rec, htmlOpts)
	if err != nil {
		return nil, cmdutil.Exit(cmdutil.ExitInvalid, err)
	}
	base := bo.Base
	return &api.Badge{
		RecordNumber: rec.Number,
		Code:         rec.Code,
		Link:         badge.Link(bo.LinkTemplate, base, rec.Code),
		IconURL:      bo.IconURL,
		HTML:         html,
		Rendered:     rendered,
		ICP:          rec.ICP,
	}, nil
}

// ExitBadgeMissing is --check's exit status when a file lacks the badge or
// holds an outdated one (verify's code for a missing badge).
const ExitBadgeMissing = 11

// inject puts snippet into every --inject file, or with --check prints
// what it would change.
func inject(opts *Options, snippet, code string) error {
	loc := opts.Localizer()
	stale := 0
	for _, path := range opts.Inject {
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		inj, err := badge.Inject(src, snippet, code)
		if err != nil {
			return cmdutil.Exit(cmdutil.ExitInvalid, fmt.Errorf("%s: %w", path, err))
		}
		switch {
		case !inj.Changed:
			fmt.Fprintln(opts.IO.ErrOut, loc.T("badge.inject_current", path))
		case opts.Check:
			stale++
			fmt.Fprint(opts.IO.Out, badge.Diff(path, src, inj.Out))
		default:
			if err := writeKeepingMode(path, inj.Out); err != nil {
				return err
			}
			fmt.Fprintln(opts.IO.ErrOut, loc.T("badge.inject_done", path, inj.Where, inj.Encoding))
		}
	}
	if stale > 0 {
		return cmdutil.Exit(ExitBadgeMissing, errors.New(loc.T("badge.inject_stale", stale)))
	}
	return nil
}

// writeKeepingMode replaces path with data atomically and durably: a
// temporary file in the same directory, synced, renamed over it, and the
// directory synced. A symbolic link is followed, so that its target gets
// the badge and the link stays a link; a file the user may not write is
// refused, not replaced; permission bits, owner and group are kept
// (issue 23, finding 14).
func writeKeepingMode(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	// A file nobody may write is read-only on purpose, even to root.
	if st.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("%s is read-only (mode %04o): make it writable to inject the badge", path, st.Mode().Perm())
	}
	// Opening for writing asks the system whether the user may write it,
	// as the rename (which only needs the directory) would not.
	probe, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s cannot be written: %w", path, err)
	}
	probe.Close()
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+"-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	keepOwner(tmp, st)
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	if dir, err := os.Open(filepath.Dir(target)); err == nil {
		_ = dir.Sync()
		dir.Close()
	}
	return nil
}
