package filingio

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// ReportOptions control Report.
type ReportOptions struct {
	// Wait follows the review of a site under review until it decides.
	Wait    bool
	Timeout time.Duration
	// Interval is the first pause between polls (tests shorten it).
	Interval time.Duration
	// Sandbox: the server is the in-process sandbox (see WaitOptions).
	Sandbox bool
}

// Report ends a command that filed or submitted rec (`file`, `edit
// --submit`, `submit`): with Wait it waits for the review, then prints the
// status on stdout, says how to fix a returned site, and exits as `status
// --exit-status` would (8 when the wait timed out).
func Report(ctx context.Context, c *client.Client, ios *iostreams.IOStreams, out output.Options, loc *i18n.Localizer, rec *api.SiteRecord, o ReportOptions) error {
	timedOut := false
	if o.Wait && cmdutil.Pending(rec.State) {
		fmt.Fprintln(ios.ErrOut, loc.T("status.waiting", rec.ID, StateLabel(loc, rec.State)))
		last, err := WaitForDecision(ctx, c, rec.ID, WaitOptions{Timeout: o.Timeout, Interval: o.Interval, Sandbox: o.Sandbox})
		switch {
		case errors.Is(err, ErrWaitTimeout):
			timedOut = true
		case err != nil:
			return err
		}
		if last != nil {
			rec = last
		}
	}
	if err := PrintStatus(ios, out, loc, StatusOf(rec)); err != nil {
		return err
	}
	if timedOut {
		fmt.Fprintln(ios.ErrOut, loc.T("status.wait_timeout", rec.ID, o.Timeout))
		return cmdutil.SilentExit(cmdutil.ExitPending)
	}
	if rec.State == filing.StateReturned && rec.ReturnReason != "" {
		fmt.Fprintln(ios.ErrOut, loc.T("edit.returned_again", output.Sanitize(rec.ReturnReason), rec.ID))
	}
	if o.Wait {
		return cmdutil.SilentExitIf(cmdutil.StateExitCode(rec.State))
	}
	return nil
}

// FileRefPrefix marks an attachment that is a local file still to upload:
// `approval_certificates: [{id: "file:certs/icp.pdf"}]` in a filing file.
const FileRefPrefix = "file:"

// ResolveFileRefs makes the relative file references of a site read from
// the file at from relative to that file's directory (stdin: the working
// directory).
func ResolveFileRefs(site *filing.Site, from string) {
	if from == "-" || from == "" {
		return
	}
	dir := filepath.Dir(from)
	for _, a := range site.AttachmentFields() {
		if p, ok := strings.CutPrefix(a.ID, FileRefPrefix); ok && p != "" && !filepath.IsAbs(p) {
			a.ID = FileRefPrefix + filepath.Join(dir, p)
		}
	}
}

// AttachFlags adds the files of --attach KIND=PATH to site as file
// references: KIND "certificate" is an approval certificate, a prior
// approval item (news, publishing, …) a prior approval. Paths are made
// absolute; a file that cannot be read is refused here.
func AttachFlags(site *filing.Site, attach []string) error {
	for _, kv := range attach {
		kind, path, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(path) == "" {
			return fmt.Errorf("%q is not KIND=PATH", kv)
		}
		abs, err := filepath.Abs(strings.TrimSpace(path))
		if err != nil {
			return err
		}
		if st, err := os.Stat(abs); err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a readable file", path)
		}
		ref := filing.Attachment{ID: FileRefPrefix + abs, Name: filepath.Base(abs)}
		switch kind = strings.TrimSpace(kind); {
		case kind == "certificate":
			site.ApprovalCertificates = append(site.ApprovalCertificates, ref)
		case slices.Contains(filing.PriorApprovalItems, filing.PriorApprovalItem(kind)):
			site.PriorApprovals = append(site.PriorApprovals, filing.PriorApproval{Item: filing.PriorApprovalItem(kind), Attachment: ref})
		default:
			return fmt.Errorf("unknown kind %q: certificate, or one of %v", kind, filing.PriorApprovalItems)
		}
	}
	return nil
}

// HasFileRefs reports whether the site names local files to upload.
func HasFileRefs(site *filing.Site) bool {
	for _, a := range site.AttachmentFields() {
		if strings.HasPrefix(a.ID, FileRefPrefix) {
			return true
		}
	}
	return false
}

// UploadFileRefs uploads every file reference of site with upload and puts
// the server's attachment in its place.
func UploadFileRefs(site *filing.Site, upload func(path string) (filing.Attachment, error)) error {
	for _, a := range site.AttachmentFields() {
		p, ok := strings.CutPrefix(a.ID, FileRefPrefix)
		if !ok {
			continue
		}
		got, err := upload(p)
		if err != nil {
			return err
		}
		if a.Name != "" {
			got.Name = a.Name // the name the filing gives it
		}
		*a = got
	}
	return nil
}

// AttachFiles puts the files still to upload (paths from the forms) in
// site in place of its attachments, uploading each with upload. A list with
// no file given keeps the site's attachments.
func AttachFiles(site *filing.Site, files forms.Files, upload func(path string) (filing.Attachment, error)) error {
	if len(files.Certificates) > 0 {
		site.ApprovalCertificates = nil
		for _, p := range files.Certificates {
			at, err := upload(p)
			if err != nil {
				return err
			}
			site.ApprovalCertificates = append(site.ApprovalCertificates, at)
		}
	}
	if len(files.PriorApprovals) > 0 {
		site.PriorApprovals = nil
		for _, pf := range files.PriorApprovals {
			at, err := upload(pf.Path)
			if err != nil {
				return err
			}
			site.PriorApprovals = append(site.PriorApprovals, filing.PriorApproval{Item: pf.Item, Attachment: at})
		}
	}
	return nil
}
