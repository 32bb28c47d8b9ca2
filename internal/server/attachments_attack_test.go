package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server/servertest"
)

func upload(t *testing.T, env *servertest.Env, token, name, body string) filing.Attachment {
	t.Helper()
	var a filing.Attachment
	call(t, env, http.MethodPost, "/v1/attachments?name="+name, token, []byte(body), http.StatusCreated, &a, "Content-Type", "image/png")
	return a
}

// importantSite is a site in an important field with one certificate.
func importantSite(domain string, cert filing.Attachment) filing.Site {
	s := publicSite(domain)
	s.ImportantField = filing.FieldNationalAffairs
	s.ApprovalCertificates = []filing.Attachment{cert}
	return s
}

// Issue 9 item 2: an important-field site without a real certificate
// cannot be submitted — path-like IDs, another account's upload and made-up
// IDs are refused — and what the client says about a file is replaced by
// what the server read from it.
func TestAttackCertificateBypass(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env := servertest.Start(t, db)
		owner := filedSponsor(t, env, "cert-owner")
		other := filedSponsor(t, env, "cert-other")
		theirs := upload(t, env, other.Token, "theirs.png", tinyPNG)

		for i, id := range []string{".", "..", "./", "/", "../attachments", theirs.ID, "att_made_up", strings.Repeat("a", 64) + ".png"} {
			var d api.SiteRecord
			domain := []string{"a", "b", "c", "d", "e", "f", "g", "h"}[i] + "-bypass.cn"
			call(t, env, http.MethodPost, "/v1/sites", owner.Token, api.SiteWrite{Site: importantSite(domain, filing.Attachment{ID: id, ContentType: "application/pdf", Size: 2 << 20})}, http.StatusCreated, &d)
			if c := d.Site.ApprovalCertificates[0]; c.ContentType != "" || c.Size != 0 {
				t.Errorf("attachment %q: the client's type and size were stored: %+v", id, c)
			}
			res := env.Call(t, http.MethodPost, "/v1/sites/"+d.ID+"/submit", owner.Token, nil)
			p := problem(t, res, api.CodeValidationFailed)
			found := false
			for _, e := range p.Errors {
				found = found || (e.Field == "site.approval_certificates[0].id" && e.Code == filing.CodeAttachmentRequired)
			}
			if !found {
				t.Errorf("submitting with attachment %q: %+v, want attachment_required on site.approval_certificates[0].id", id, p.Errors)
			}
		}

		// The owner's own upload, with a lie about it: stored as uploaded.
		mine := upload(t, env, owner.Token, "cert.png", tinyPNG)
		var d api.SiteRecord
		call(t, env, http.MethodPost, "/v1/sites", owner.Token, api.SiteWrite{Site: importantSite("honest-cert.cn", filing.Attachment{ID: mine.ID, ContentType: "application/pdf", Size: 2 << 20})}, http.StatusCreated, &d)
		if c := d.Site.ApprovalCertificates[0]; c.ContentType != "image/png" || c.Size != int64(len(tinyPNG)) {
			t.Errorf("stored %+v, want the sniffed image/png of %d bytes", c, len(tinyPNG))
		}
		call(t, env, http.MethodPost, "/v1/sites/"+d.ID+"/submit", owner.Token, nil, http.StatusOK, nil)

		// Its reviewer downloads the bytes; the owner and others may not.
		reviewer := env.CreateReviewer(t, "cert-reviewer", "42")
		path := "/v1/review/sites/" + d.ID + "/attachments/" + mine.ID
		res := env.Call(t, http.MethodGet, path, reviewer.Token, nil).Want(t, http.StatusOK)
		if string(res.Body) != tinyPNG || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %q %v", res.Body, res.Header)
		}
		env.Call(t, http.MethodGet, path, owner.Token, nil).Want(t, http.StatusForbidden)
		env.Call(t, http.MethodGet, path, other.Token, nil).Want(t, http.StatusForbidden)
		env.Call(t, http.MethodGet, "/v1/review/sites/"+d.ID+"/attachments/"+theirs.ID, reviewer.Token, nil).Want(t, http.StatusNotFound)
	})
}

// Item 14: an account's uploads are bounded.
func TestAttackUploadQuota(t *testing.T) {
	env := servertest.Start(t, servertest.DeskOptions(func(o *platform.Options) { o.Limits.UploadBytesPerAccount = 3 * int64(len(tinyPNG)) }))
	u := env.RegisterSponsor(t, "quota")
	for range 3 {
		upload(t, env, u.Token, "c.png", tinyPNG)
	}
	res := env.Call(t, http.MethodPost, "/v1/attachments", u.Token, []byte(tinyPNG), "Content-Type", "image/png")
	problem(t, res, api.CodeBodyTooLarge)
	// Another account is not affected.
	upload(t, env, env.RegisterSponsor(t, "quota-2").Token, "c.png", tinyPNG)
}
