// Package review implements `beian review`: the reviewer's side of the
// desk (SPEC §3) — the queue of the reviewer's area, everything needed to
// decide one item, and the decision: approve, or return with a reason.
//
// An item is named as the queue prints it: a site ID for a site, a change
// or a cancellation, and subject/ACCOUNT_ID for a hosting subject. A domain
// of a queued site works too.
package review

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
	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/i18n"
)

// SubjectPrefix marks a subject item: subject/ACCOUNT_ID.
const SubjectPrefix = "subject/"

// Options are the inputs shared by the review commands.
type Options struct {
	IO        *iostreams.IOStreams
	APIClient func(context.Context) (*client.Client, error)
	Output    func() (output.Options, error)
	Localizer func() *i18n.Localizer

	Item     string
	Download string // review show: save the item's attachments into this directory
	Kind     string
	Reason   string
	Limit    int
}

// NewCmdReview is the `review` group.
func NewCmdReview(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review <command>",
		Short: "Review filings: the queue, one item, approve, return",
		Long: `For reviewers and admins: the filings waiting in your area (by the subject's
office address), everything needed to decide one, and the decision. An
approved site gets its record number; a returned one goes back to its
sponsor with your reason, which is required. Sponsors cannot use these
commands (exit 4).`,
		Example: `  beian review queue
  beian review queue --kind site
  beian review show 06h3hmwwq0cj81g7f56ztyf5cc
  beian review approve 06h3hmwwq0cj81g7f56ztyf5cc
  beian review return subject/06h3hmw0000000000000000000 --reason "营业执照已过期"`,
	}
	newOpts := func() *Options {
		return &Options{IO: f.IOStreams, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	}
	cmd.AddCommand(NewCmdQueue(newOpts(), nil), NewCmdShow(newOpts(), nil),
		NewCmdApprove(newOpts(), nil), NewCmdReturn(newOpts(), nil))
	return cmd
}

// NewCmdQueue builds `review queue`.
func NewCmdQueue(opts *Options, runF func(context.Context, *Options) error) *cobra.Command {
	kinds := []string{string(api.ReviewSubject), string(api.ReviewSite), string(api.ReviewChange), string(api.ReviewCancel)}
	cmd := &cobra.Command{
		Use:   "queue",
		Short: "List what waits for your review, oldest first",
		Example: `  beian review queue
  beian review queue --kind change -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Kind = strings.ToLower(strings.TrimSpace(opts.Kind))
			if opts.Kind != "" && !slices.Contains(kinds, opts.Kind) {
				return cmdutil.FlagErrorf("invalid --kind %q: use one of %s", opts.Kind, strings.Join(kinds, ", "))
			}
			if opts.Limit < 0 {
				return cmdutil.FlagErrorf("--limit must not be negative")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return queueRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Kind, "kind", "", "only one kind: "+strings.Join(kinds, ", "))
	cmd.Flags().IntVar(&opts.Limit, "limit", 0, "show at most `N` items (0: all)")
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(kinds, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// ItemRef is the name of a queue item in commands.
func ItemRef(it api.ReviewItem) string {
	if it.Kind == api.ReviewSubject {
		return SubjectPrefix + it.ID
	}
	return it.ID
}

// queue reads the whole queue (or up to limit items), page by page.
func queue(ctx context.Context, c *client.Client, kind api.ReviewKind, limit int) ([]api.ReviewItem, error) {
	var all []api.ReviewItem
	cursor := ""
	for {
		page, err := c.ReviewQueue(ctx, kind, 100, cursor)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if limit > 0 && len(all) >= limit {
			return all[:limit], nil
		}
		if page.NextCursor == "" || len(page.Items) == 0 {
			return all, nil
		}
		cursor = page.NextCursor
	}
}

func queueRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	items, err := queue(ctx, c, api.ReviewKind(opts.Kind), opts.Limit)
	if err != nil {
		return roleHint(opts.IO, loc, err)
	}
	if items == nil {
		items = []api.ReviewItem{}
	}
	return output.Print(opts.IO, out, items, func() error {
		if len(items) == 0 {
			fmt.Fprintln(opts.IO.ErrOut, loc.T("review.empty"))
			return nil
		}
		t := output.NewTable(opts.IO, loc.T("review.item"), loc.T("review.kind"), loc.T("review.area"),
			loc.T("review.subject"), loc.T("review.site"), loc.T("review.submitted"))
		for _, it := range items {
			site := it.SiteName
			if it.Domain != "" {
				site += " (" + it.Domain + ")"
			}
			t.AddRow(ItemRef(it), loc.T("review.kind."+string(it.Kind)), it.AreaCode,
				output.Sanitize(it.SubjectName), output.Sanitize(site), it.SubmittedAt.Local().Format("2006-01-02 15:04"))
		}
		return t.Render()
	})
}

// roleHint explains a refusal of the review routes: the account is a
// sponsor, or a reviewer of another area.
func roleHint(ios *iostreams.IOStreams, loc *i18n.Localizer, err error) error {
	var p *api.Problem
	if errors.As(err, &p) && p.Code == api.CodeForbidden {
		fmt.Fprintln(ios.ErrOut, loc.T("review.forbidden"))
	}
	return err
}

// find looks ref up in the queue: a subject/ID, a site ID or a queued
// site's domain.
func find(ctx context.Context, c *client.Client, ref string) (*api.ReviewItem, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, cmdutil.FlagErrorf("give a queue item: a site ID or subject/ACCOUNT_ID")
	}
	items, err := queue(ctx, c, "", 0)
	if err != nil {
		return nil, err
	}
	for i := range items {
		it := &items[i]
		if ItemRef(*it) == ref || (it.Kind != api.ReviewSubject && it.Domain != "" && strings.EqualFold(it.Domain, ref)) {
			return it, nil
		}
	}
	return nil, nil
}

// NewCmdShow builds `review show`.
func NewCmdShow(opts *Options, runF func(context.Context, *Options) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show <item>",
		Short: "Show everything needed to decide one item",
		Long: `Show one item of the queue: the subject, the site with its domains and
attachments, the changes asked for (old → new) and the history. With
--download DIR, the site's attachments (approval certificates, prior
approvals) are saved into DIR to be opened and checked.`,
		Example: `  beian review show 06h3hmwwq0cj81g7f56ztyf5cc
  beian review show 06h3hmwwq0cj81g7f56ztyf5cc --download certificates
  beian review show subject/06h3hmw0000000000000000000 -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return showRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Download, "download", "", "save the site's attachments into `DIR`")
	return cmd
}

// Detail is what `review show` prints: the queue item with the site's
// history.
type Detail struct {
	Item    api.ReviewItem    `json:"item"`
	History []api.AuditEvent  `json:"history"`
	Changes []api.FieldChange `json:"changes"`
}

func showRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	it, err := find(ctx, c, opts.Item)
	if err != nil {
		return roleHint(opts.IO, loc, err)
	}
	if it == nil {
		return notQueued(loc, opts.Item)
	}
	d := Detail{Item: *it, History: []api.AuditEvent{}, Changes: []api.FieldChange{}}
	if it.Kind != api.ReviewSubject {
		h, err := c.SiteHistory(ctx, it.ID)
		if err != nil {
			return roleHint(opts.IO, loc, err)
		}
		d.History = h.Items
		if it.Site != nil && it.Site.ChangeRequest != nil {
			d.Changes = it.Site.ChangeRequest.Changes
		}
	} else if it.Subject != nil && it.Subject.ChangeRequest != nil {
		d.Changes = it.Subject.ChangeRequest.Changes
	}
	if opts.Download != "" {
		if err := download(ctx, opts, c, d.Item); err != nil {
			return err
		}
	}
	return output.Print(opts.IO, out, d, func() error { return printDetail(opts.IO, loc, d) })
}

// download saves every attachment of the item's site into opts.Download, named by its ID and the type the
// server sniffed, and says where on stderr.
func download(ctx context.Context, opts *Options, c *client.Client, it api.ReviewItem) error {
	loc := opts.Localizer()
	if it.Site == nil {
		return cmdutil.FlagErrorf("%s", loc.T("review.download_no_site", ItemRef(it)))
	}
	all := it.Site.Site.AllAttachments()
	if err := os.MkdirAll(opts.Download, 0o700); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, a := range all {
		if a.ID == "" || seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		b, err := c.DownloadAttachment(ctx, it.ID, a.ID)
		if err != nil {
			return roleHint(opts.IO, loc, err)
		}
		name := filepath.Join(opts.Download, safeFileName(a.ID)+extension(a.ContentType))
		if err := os.WriteFile(name, b, 0o600); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("review.downloaded", output.Sanitize(a.Name), name, len(b)))
	}
	if len(seen) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, loc.T("review.no_attachments", ItemRef(it)))
	}
	return nil
}

// safeFileName keeps letters, digits, '-' and '_' of a server-given ID, so
// that it cannot name a path outside the directory.
func safeFileName(id string) string {
	b := []byte(id)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

func extension(contentType string) string {
	switch contentType {
	case "application/pdf":
		return ".pdf"
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	}
	return ".bin"
}

func printDetail(ios *iostreams.IOStreams, loc *i18n.Localizer, d Detail) error {
	t := output.NewTable(ios)
	add := func(id, v string) {
		if v != "" {
			t.AddRow(loc.T(id), output.Sanitize(v))
		}
	}
	it := d.Item
	add("review.item", ItemRef(it))
	add("review.kind", loc.T("review.kind."+string(it.Kind)))
	add("review.area", it.AreaCode+" "+area.FullName(it.AreaCode))
	if s := it.Subject; s != nil {
		sub := s.Subject
		add("review.subject", sub.Name)
		add("subject.state", loc.T("subject_state."+string(s.State))+" ("+string(s.State)+")")
		add("subject.cert", string(sub.CertType)+" "+sub.CertNumber)
		add("subject.legal_rep", sub.LegalRepresentative)
		add("subject.address", area.FullName(sub.OfficeAddress.AreaCode)+" "+sub.OfficeAddress.Detail)
		add("subject.mobile", sub.Mobile)
		add("subject.responsible", sub.Responsible.Name+" "+string(sub.Responsible.IDType)+" "+sub.Responsible.IDNumber)
		for _, c := range it.Competing {
			add("review.competing", fmt.Sprintf("%s — %s (subject/%s)", c.Name, loc.T("subject_state."+string(c.State)), c.AccountID))
		}
	}
	if r := it.Site; r != nil {
		s := r.Site
		add("status.site", s.Name+" ("+r.ID+")")
		add("status.state", filingio.StateLabel(loc, r.State))
		var ds []string
		for _, d := range r.Domains {
			if d.Unicode != "" && d.Unicode != d.ASCII {
				ds = append(ds, d.Unicode+" ("+d.ASCII+")")
			} else {
				ds = append(ds, d.ASCII)
			}
		}
		add("status.domains", strings.Join(ds, ", "))
		for _, d := range r.Domains {
			if label, scripts := domainname.MixedScript(domainname.Name{ASCII: d.ASCII, Unicode: d.Unicode}); label != "" {
				add("review.lookalike", loc.T("review.lookalike_detail", d.Unicode, label, strings.Join(scripts, ", ")))
			}
		}
		add("status.homepage", s.HomepageURL)
		add("review.ip", strings.Join(s.IPAddresses, ", "))
		add("review.icp", s.ICPNumber)
		add("review.launch", s.LaunchDate)
		add("review.access_provider", s.AccessProvider.Name)
		add("review.important_field", string(s.ImportantField))
		for _, a := range s.ApprovalCertificates {
			add("review.attachment", fmt.Sprintf("%s %s %s %d B", a.ID, a.Name, a.ContentType, a.Size))
		}
		for _, p := range s.PriorApprovals {
			add("review.attachment", fmt.Sprintf("%s: %s %s %s %d B", p.Item, p.Attachment.ID, p.Attachment.Name, p.Attachment.ContentType, p.Attachment.Size))
		}
		add("status.record_number", r.RecordNumber)
		add("review.old_record_number", r.OldRecordNumber)
		if r.ChangeRequest != nil && r.ChangeRequest.Reason != "" {
			add("status.change_reason", r.ChangeRequest.Reason)
		}
	}
	for _, ch := range d.Changes {
		add("review.change", fmt.Sprintf("%s: %s → %s", ch.Field, forms.Shown(ch.Old), forms.Shown(ch.New)))
	}
	for _, h := range d.History {
		line := h.At.Local().Format("2006-01-02 15:04") + " " + h.Action + " (" + string(h.ActorRole) + ")"
		if h.Field != "" {
			line += " " + h.Field + ": " + forms.Shown(h.Old) + " → " + forms.Shown(h.New)
		}
		if h.Detail != "" {
			line += " — " + h.Detail
		}
		add("review.history", line)
	}
	return t.Render()
}

func notQueued(loc *i18n.Localizer, ref string) error {
	return cmdutil.Exit(cmdutil.ExitFailure, errors.New(loc.T("review.not_queued", ref)))
}

// NewCmdApprove builds `review approve`.
func NewCmdApprove(opts *Options, runF func(context.Context, *Options) error) *cobra.Command {
	return &cobra.Command{
		Use:   "approve <item>",
		Short: "Approve a subject, site, change or cancellation",
		Long: `Approve one item of your queue. A site gets its record number; a change
applies its new values; a cancellation cancels the filing.`,
		Example: `  beian review approve 06h3hmwwq0cj81g7f56ztyf5cc
  beian review approve subject/06h3hmw0000000000000000000`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return decideRun(cmd.Context(), opts, true)
		},
	}
}

// NewCmdReturn builds `review return`.
func NewCmdReturn(opts *Options, runF func(context.Context, *Options) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "return <item> --reason TEXT",
		Short: "Return a subject, site or change to its sponsor with a reason",
		Long: `Return one item of your queue with the reason the sponsor reads (by
notification and SMS). A returned change keeps the recorded values.`,
		Example: `  beian review return 06h3hmwwq0cj81g7f56ztyf5cc --reason "网站名称与首页不符"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item = args[0]
			opts.Reason = strings.TrimSpace(opts.Reason)
			if opts.Reason == "" {
				return &cmdutil.MissingFlagError{Flag: "--reason TEXT"}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return decideRun(cmd.Context(), opts, false)
		},
	}
	cmd.Flags().StringVar(&opts.Reason, "reason", "", "why it is returned, as the sponsor will read it (required)")
	return cmd
}

func decideRun(ctx context.Context, opts *Options, approve bool) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	loc := opts.Localizer()
	ref := strings.TrimSpace(opts.Item)
	if ref == "" {
		return cmdutil.FlagErrorf("give a queue item: a site ID or subject/ACCOUNT_ID")
	}
	if !strings.HasPrefix(ref, SubjectPrefix) && cmdutil.LooksLikeDomain(ref) {
		// A domain: find its site in the queue.
		it, err := find(ctx, c, ref)
		if err != nil {
			return roleHint(opts.IO, loc, err)
		}
		if it == nil {
			return notQueued(loc, ref)
		}
		ref = ItemRef(*it)
	}
	if id, ok := strings.CutPrefix(ref, SubjectPrefix); ok {
		var rec *api.SubjectRecord
		if approve {
			rec, err = c.ApproveSubject(ctx, id)
		} else {
			rec, err = c.ReturnSubject(ctx, id, opts.Reason)
		}
		if err != nil {
			return roleHint(opts.IO, loc, err)
		}
		fmt.Fprintln(opts.IO.ErrOut, loc.T("review.subject_decided", id, loc.T("subject_state."+string(rec.State))))
		return output.Print(opts.IO, out, rec, func() error { return nil })
	}
	var rec *api.SiteRecord
	if approve {
		rec, err = c.ApproveSite(ctx, ref)
	} else {
		rec, err = c.ReturnSite(ctx, ref, opts.Reason)
	}
	if err != nil {
		return roleHint(opts.IO, loc, err)
	}
	fmt.Fprintln(opts.IO.ErrOut, loc.T("review.site_decided", rec.ID, filingio.StateLabel(loc, rec.State)))
	return filingio.PrintStatus(opts.IO, out, loc, filingio.StatusOf(rec))
}
