package platform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
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

// StoreAttachment keeps an uploaded approval certificate under
// AttachmentDir, named by the SHA-256 of its content: the same file
// uploaded twice is one file, and the ID proves the content. name is the
// client's file name, only echoed back for display.
func (d *Desk) StoreAttachment(ctx context.Context, actor Actor, name string, body io.Reader) (filing.Attachment, error) {
	if actor.Anonymous() {
		return filing.Attachment{}, unauthenticated()
	}
	if d.opts.AttachmentDir == "" {
		return filing.Attachment{}, api.NewProblem(api.CodeUnavailable, "this server does not keep attachments")
	}
	if err := os.MkdirAll(d.opts.AttachmentDir, 0o750); err != nil {
		return filing.Attachment{}, d.problem(ctx, actor, err)
	}
	tmp, err := os.CreateTemp(d.opts.AttachmentDir, ".upload-*")
	if err != nil {
		return filing.Attachment{}, d.problem(ctx, actor, err)
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
		return filing.Attachment{}, d.problem(ctx, actor, err)
	}
	if n > MaxAttachmentSize {
		return filing.Attachment{}, api.NewProblem(api.CodeBodyTooLarge, "an attachment may be at most 10 MiB")
	}
	ct := SniffAttachment(head)
	if ct == "" {
		return filing.Attachment{}, api.NewProblem(api.CodeUnsupportedMediaType, "an attachment must be a PDF, PNG or JPEG file (checked by content)")
	}
	if err := tmp.Close(); err != nil {
		return filing.Attachment{}, d.problem(ctx, actor, err)
	}
	id := hex.EncodeToString(h.Sum(nil)) + attachmentTypes[ct]
	d.attachMu.Lock()
	err = os.Rename(tmp.Name(), filepath.Join(d.opts.AttachmentDir, id))
	d.attachMu.Unlock()
	if err != nil {
		return filing.Attachment{}, d.problem(ctx, actor, err)
	}
	return filing.Attachment{ID: id, Name: filepath.Base(name), ContentType: ct, Size: n}, nil
}

// prefixWriter keeps the first 512 bytes written, for content sniffing.
type prefixWriter struct{ buf *[]byte }

func (w *prefixWriter) Write(p []byte) (int, error) {
	if room := 512 - len(*w.buf); room > 0 {
		*w.buf = append(*w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
