package server

import (
	"context"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/platform"
)

// Accounts and sessions.

// The hosting subject.

func (s *server) getSubject(w http.ResponseWriter, r *http.Request, c *call) error {
	rec, err := s.desk.Subject(r.Context(), c.actor)
	if err != nil {
		return err
	}
	setETag(w, rec.Version)
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) putSubject(w http.ResponseWriter, r *http.Request, c *call) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req api.SubjectWrite
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	rec, err := s.desk.PutSubject(r.Context(), c.actor, version, req)
	if err != nil {
		return err
	}
	setETag(w, rec.Version)
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) submitSubject(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.keyed(w, r, c, nil, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		rec, err := d.SubmitSubject(ctx, c.actor)
		return http.StatusOK, rec, err
	})
}

func (s *server) amendSubject(w http.ResponseWriter, r *http.Request, c *call) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req api.SubjectWrite
	body, err := decode(w, r, &req)
	if err != nil {
		return err
	}
	return s.keyed(w, r, c, body, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		rec, err := d.AmendSubject(ctx, c.actor, version, req)
		return http.StatusOK, rec, err
	})
}

// Sites.

func (s *server) listSites(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := s.desk.ListSites(r.Context(), c.actor, platform.SiteListFilter{State: q.Get("state"), Domain: q.Get("domain"), Page: p})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}

func (s *server) createSite(w http.ResponseWriter, r *http.Request, c *call) error {
	dryRun, err := boolParam(r, "dry_run")
	if err != nil {
		return err
	}
	var req api.SiteWrite
	body, err := decode(w, r, &req)
	if err != nil {
		return err
	}
	if dryRun {
		rec, err := s.desk.CreateSite(r.Context(), c.actor, req, true)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, rec)
	}
	return s.keyed(w, r, c, body, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		rec, err := d.CreateSite(ctx, c.actor, req, false)
		return http.StatusCreated, rec, err
	})
}

func (s *server) getSite(w http.ResponseWriter, r *http.Request, c *call) error {
	rec, err := s.desk.Site(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, rec.Version)
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) updateSite(w http.ResponseWriter, r *http.Request, c *call) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req api.SiteWrite
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	rec, err := s.desk.UpdateSite(r.Context(), c.actor, r.PathValue("id"), version, req)
	if err != nil {
		return err
	}
	setETag(w, rec.Version)
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) deleteSite(w http.ResponseWriter, r *http.Request, c *call) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.desk.DeleteSite(r.Context(), c.actor, r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) submitSite(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	return s.keyed(w, r, c, nil, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		rec, err := d.SubmitSite(ctx, c.actor, id)
		return http.StatusOK, rec, err
	})
}

func (s *server) amendSite(w http.ResponseWriter, r *http.Request, c *call) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req api.AmendRequest
	body, err := decode(w, r, &req)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	return s.keyed(w, r, c, body, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		res, err := d.AmendSite(ctx, c.actor, id, version, req)
		return http.StatusOK, res, err
	})
}

func (s *server) cancelSite(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.CancelRequest
	body, err := decode(w, r, &req)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	return s.keyed(w, r, c, body, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		rec, err := d.CancelSite(ctx, c.actor, id, req)
		return http.StatusOK, rec, err
	})
}

func (s *server) claimChallenge(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.ClaimChallengeRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	ch, err := s.desk.ClaimChallenge(r.Context(), c.actor, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ch)
}

func (s *server) claimByDomain(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.ClaimRequest
	body, err := decode(w, r, &req)
	if err != nil {
		return err
	}
	// The proof reads the domain over the network: before the keyed
	// transaction, never inside it.
	proof := s.desk.ProveClaimByDomain(r.Context(), c.actor, req)
	return s.keyed(w, r, c, body, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		rec, err := d.Claim(ctx, c.actor, proof, req)
		return http.StatusOK, rec, err
	})
}

func (s *server) claimSite(w http.ResponseWriter, r *http.Request, c *call) error {
	// The body is optional: an unrecorded filing pushed to this account
	// needs no proof.
	var req api.ClaimRequest
	var body []byte
	if r.ContentLength != 0 || r.Header.Get("Content-Type") != "" {
		var err error
		if body, err = decode(w, r, &req); err != nil {
			return err
		}
	}
	id := r.PathValue("id")
	proof := s.desk.ProveClaim(r.Context(), c.actor, id)
	return s.keyed(w, r, c, body, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		rec, err := d.Claim(ctx, c.actor, proof, req)
		return http.StatusOK, rec, err
	})
}

func (s *server) siteBadge(w http.ResponseWriter, r *http.Request, c *call) error {
	icp, err := boolParam(r, "icp")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	b, err := s.desk.Badge(r.Context(), c.actor, r.PathValue("id"), platform.BadgeQuery{Format: q.Get("format"), Link: q.Get("link"), ICP: icp})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

func (s *server) siteHistory(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	list, err := s.desk.SiteHistory(r.Context(), c.actor, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}

// Domain checks and attachments.

func (s *server) checkDomain(w http.ResponseWriter, r *http.Request, c *call) error {
	res, err := s.desk.CheckDomain(r.Context(), c.actor, r.PathValue("domain"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *server) checkDomains(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.DomainCheckRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	res, err := s.desk.CheckDomains(r.Context(), c.actor, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// uploadAttachment takes the raw file; its type is decided by content, so
// any declared type of the three (or application/octet-stream) is accepted.
// The file name comes from ?name= or Content-Disposition.
func (s *server) uploadAttachment(w http.ResponseWriter, r *http.Request, c *call) error {
	body, err := readBody(w, r, maxUploadBody, "application/pdf", "image/png", "image/jpeg", "application/octet-stream")
	if err != nil {
		return err
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		if _, params, err := mimeDisposition(r); err == nil {
			name = params["filename"]
		}
	}
	a, err := s.desk.StoreAttachment(r.Context(), c.actor, path.Base("/"+name), bytesReader(body))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

// downloadAttachment streams one attachment of a site to its reviewer,
// with the type sniffed at upload, as a download (never rendered inline).
func (s *server) downloadAttachment(w http.ResponseWriter, r *http.Request, c *call) error {
	a, f, err := s.desk.AttachmentFile(r.Context(), c.actor, r.PathValue("id"), r.PathValue("attachment_id"))
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Length", strconv.FormatInt(a.Size, 10))
	name := a.Name
	if name == "" {
		name = a.ID
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, err = io.Copy(w, io.LimitReader(f, a.Size))
	if err != nil {
		s.log.WarnContext(r.Context(), "server: attachment download cut short", "err", err)
	}
	return nil
}

// Notifications.

func (s *server) notifications(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	unread, err := boolParam(r, "unread")
	if err != nil {
		return err
	}
	list, err := s.desk.Notifications(r.Context(), c.actor, unread, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}

func (s *server) markRead(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.desk.MarkNotificationRead(r.Context(), c.actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Public records.

// Review.

// Admin.

// Sandbox.

// Operations.
