package platform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// MaxAttachmentSize is the largest approval certificate accepted (SPEC §3).
const MaxAttachmentSize = 10 << 20

// attachmentTypes are the accepted types, decided by content: a file's name
// and its declared type say nothing about what it is.
var attachmentTypes = map[string]string{
	"application/pdf": ".pdf",
	"image/png":       ".png",
	"image/jpeg":      ".jpg",
}

// SniffAttachment returns the content type of an upload if it is a PDF, PNG
// or JPEG (by its leading bytes), else "".
func SniffAttachment(head []byte) string {
	ct := http.DetectContentType(head)
	ct, _, _ = strings.Cut(ct, ";")
	if _, ok := attachmentTypes[ct]; ok {
		return ct
	}
	return ""
}

// StoreAttachment keeps an uploaded approval certificate. The bytes go
// under AttachmentDir, named by their SHA-256 (the same file uploaded twice
// is one file); the upload is recorded in the store under a new opaque ID,
// owned by the uploader, with the type sniffed from the bytes and the size
// counted from them. name is the client's file name, only kept for display.
// An account keeps at most Limits.UploadBytesPerAccount.
func (d *Desk) StoreAttachment(ctx context.Context, actor Actor, name string, body io.Reader) (filing.Attachment, error) {
	if actor.Anonymous() {
		return filing.Attachment{}, unauthenticated()
	}
	if d.opts.AttachmentDir == "" {
		return filing.Attachment{}, api.NewProblem(api.CodeUnavailable, "this server does not keep attachments")
	}
	used, err := d.store.AttachmentBytes(ctx, actor.AccountID)
	if err != nil {
		return filing.Attachment{}, d.problem(ctx, actor, err)
	}
	room := d.limits.UploadBytesPerAccount - used
	if room <= 0 {
		return filing.Attachment{}, quotaExceeded(d.limits.UploadBytesPerAccount)
	}
	if err := os.MkdirAll(d.opts.AttachmentDir, 0o750); err != nil {
		return filing.Attachment{}, d.storageProblem(ctx, actor, err)
	}
	tmp, err := os.CreateTemp(d.opts.AttachmentDir, ".upload-*")
	if err != nil {
		return filing.Attachment{}, d.storageProblem(ctx, actor, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	defer tmp.Close()
	h := sha256.New()
	head := make([]byte, 0, 512)
	n, err := io.Copy(io.MultiWriter(tmp, h, &prefixWriter{buf: &head}), io.LimitReader(body, MaxAttachmentSize+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return filing.Attachment{}, api.NewProblem(api.CodeBodyTooLarge, "an attachment may be at most 10 MiB")
		}
		return filing.Attachment{}, d.storageProblem(ctx, actor, err)
	}
	if n > MaxAttachmentSize {
		return filing.Attachment{}, api.NewProblem(api.CodeBodyTooLarge, "an attachment may be at most 10 MiB")
	}
	if n > room {
		return filing.Attachment{}, quotaExceeded(d.limits.UploadBytesPerAccount)
	}
	ct := SniffAttachment(head)
	if ct == "" {
		return filing.Attachment{}, api.NewProblem(api.CodeUnsupportedMediaType, "an attachment must be a PDF, PNG or JPEG file (checked by content)")
	}
	if err := tmp.Sync(); err != nil {
		return filing.Attachment{}, d.storageProblem(ctx, actor, err)
	}
	if err := tmp.Close(); err != nil {
		return filing.Attachment{}, d.storageProblem(ctx, actor, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	d.attachMu.Lock()
	err = os.Rename(tmp.Name(), filepath.Join(d.opts.AttachmentDir, sum+attachmentTypes[ct]))
	d.attachMu.Unlock()
	if err != nil {
		return filing.Attachment{}, d.storageProblem(ctx, actor, err)
	}
	rec := store.Attachment{AccountID: actor.AccountID, SHA256: sum, ContentType: ct, Size: n, Name: displayName(name)}
	if err := d.store.CreateAttachment(ctx, &rec); err != nil {
		return filing.Attachment{}, d.problem(ctx, actor, err)
	}
	d.storageFull.Store(false)
	return attachmentView(rec), nil
}

func attachmentView(a store.Attachment) filing.Attachment {
	return filing.Attachment{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size}
}

// displayName is the base of a client's file name, without control
// characters, at most 255 bytes.
func displayName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == ".." {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, name)
	if len(name) > 255 {
		name = strings.ToValidUTF8(name[:255], "")
	}
	return name
}

func quotaExceeded(limit int64) *api.Problem {
	return api.NewProblem(api.CodeBodyTooLarge, fmt.Sprintf("this account keeps at most %d MiB of attachments; this upload does not fit", limit>>20))
}

// storageProblem answers a failed write to the attachment directory: a
// full disk is 503 unavailable with Retry-After (the server is not broken,
// it is out of room, and the operator is told), anything else internal.
func (d *Desk) storageProblem(ctx context.Context, actor Actor, err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		d.storageFull.Store(true)
		d.log.ErrorContext(ctx, "desk: the attachment directory is full", "dir", d.opts.AttachmentDir, "err", err)
		p := api.NewProblem(api.CodeUnavailable, "the server has no room for attachments right now; retry later")
		p.RetryAfter = 60
		return p
	}
	return d.problem(ctx, actor, err)
}

// StorageFull reports whether the attachment directory is out of space (the
// server's /readyz answers not ready). Once a write has failed so, each call
// tries a small write again, and a write that succeeds clears it.
func (d *Desk) StorageFull() bool {
	if !d.storageFull.Load() {
		return false
	}
	f, err := os.CreateTemp(d.opts.AttachmentDir, ".probe-*")
	if err != nil {
		return true
	}
	defer os.Remove(f.Name())
	_, err = f.Write(make([]byte, 64<<10))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return true
	}
	d.storageFull.Store(false)
	return false
}

// resolveAttachments gives every attachment of data the type and size
// stored when it was uploaded. An ID this account never uploaded loses its
// claimed type and size; with strict it is also a field error. An
// attachment already on the stored site (prev) was accepted before and
// keeps its stored values.
func (d *Desk) resolveAttachments(ctx context.Context, st store.Store, accountID string, data *filing.Site, prev *filing.Site, strict bool) (filing.Errors, error) {
	known := map[string]filing.Attachment{}
	if prev != nil {
		for _, a := range prev.AllAttachments() {
			known[a.ID] = *a
		}
	}
	var errs filing.Errors
	for field, a := range data.AttachmentFields() {
		if a.ID == "" {
			continue // the rules report a missing attachment themselves
		}
		rec, err := st.Attachment(ctx, a.ID)
		switch {
		case err == nil && rec.AccountID == accountID:
			name := a.Name
			*a = attachmentView(rec)
			if name != "" {
				a.Name = displayName(name)
			}
			continue
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		if k, ok := known[a.ID]; ok {
			*a = k
			continue
		}
		a.ContentType, a.Size = "", 0
		if strict {
			errs = append(errs, filing.FieldError{Field: field + ".id", Code: filing.CodeAttachmentRequired,
				Message: fmt.Sprintf("attachment %q was not uploaded by this account: upload the file (POST /v1/attachments) and use the id it answers", a.ID)})
		}
	}
	return errs, nil
}

// AttachmentFile opens an attachment of a site for its reviewer: a reviewer
// whose jurisdiction covers the site, or an admin. Nobody else may read
// another's certificates; the attachment must be on the site (or on its
// open change request).
func (d *Desk) AttachmentFile(ctx context.Context, actor Actor, siteID, attachmentID string) (filing.Attachment, *os.File, error) {
	if actor.Anonymous() {
		return filing.Attachment{}, nil, unauthenticated()
	}
	if actor.Role != api.RoleReviewer && actor.Role != api.RoleAdmin {
		return filing.Attachment{}, nil, forbidden("only the reviewer of a filing may download its attachments")
	}
	s, err := d.store.Site(ctx, siteID)
	if errors.Is(err, store.ErrNotFound) {
		return filing.Attachment{}, nil, notFound("site")
	}
	if err != nil {
		return filing.Attachment{}, nil, d.problem(ctx, actor, err)
	}
	if !strings.HasPrefix(s.AreaCode, actor.AreaPrefix) {
		return filing.Attachment{}, nil, forbidden("the site is outside your jurisdiction")
	}
	on := false
	for _, a := range s.Data.AllAttachments() {
		on = on || a.ID == attachmentID
	}
	if cr, err := d.store.OpenChangeRequest(ctx, siteID); err == nil {
		for _, a := range cr.Proposed.AllAttachments() {
			on = on || a.ID == attachmentID
		}
	}
	if !on {
		return filing.Attachment{}, nil, notFound("attachment")
	}
	rec, err := d.store.Attachment(ctx, attachmentID)
	// Only the site's own account's uploads: a draft naming another
	// account's attachment ID does not make it downloadable through this
	// site (issue 23, finding 15).
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.AccountID != s.AccountID) {
		return filing.Attachment{}, nil, notFound("attachment")
	}
	if err != nil {
		return filing.Attachment{}, nil, d.problem(ctx, actor, err)
	}
	f, err := os.Open(filepath.Join(d.opts.AttachmentDir, rec.SHA256+attachmentTypes[rec.ContentType]))
	if err != nil {
		return filing.Attachment{}, nil, d.problem(ctx, actor, err)
	}
	return attachmentView(rec), f, nil
}

// prefixWriter keeps the first 512 bytes written, for content sniffing.
type prefixWriter struct{ buf *[]byte }

func (w *prefixWriter) Write(p []byte) (int, error) {
	if room := 512 - len(*w.buf); room > 0 {
		*w.buf = append(*w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
