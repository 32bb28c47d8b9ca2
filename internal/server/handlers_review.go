// Handlers of the reviewers' and administrators' desk: the queue, approvals and returns, imports, audit, the sandbox's outbox and review run.

package server

import (
	"net/http"

	"github.com/beian-dev/beian/internal/api"
)

func (s *server) reviewQueue(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q, err := s.desk.ReviewQueue(r.Context(), c.actor, r.URL.Query().Get("kind"), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, q)
}

func (s *server) approveSubject(w http.ResponseWriter, r *http.Request, c *call) error {
	rec, err := s.desk.ApproveSubject(r.Context(), c.actor, r.PathValue("account_id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) returnSubject(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.ReturnRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	rec, err := s.desk.ReturnSubject(r.Context(), c.actor, r.PathValue("account_id"), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) approveSite(w http.ResponseWriter, r *http.Request, c *call) error {
	rec, err := s.desk.ApproveSite(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) returnSite(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.ReturnRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	rec, err := s.desk.ReturnSite(r.Context(), c.actor, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) importFilings(w http.ResponseWriter, r *http.Request, c *call) error {
	body, err := readBody(w, r, maxUploadBody, "text/csv")
	if err != nil {
		return err
	}
	res, err := s.desk.Import(r.Context(), c.actor, bytesReader(body))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *server) adminAudit(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	list, err := s.desk.AdminAudit(r.Context(), c.actor, r.URL.Query().Get("entity_id"), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}

func (s *server) outbox(w http.ResponseWriter, r *http.Request, c *call) error {
	list, err := s.desk.Outbox(r.Context(), c.actor, r.URL.Query().Get("to"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}

func (s *server) runReview(w http.ResponseWriter, r *http.Request, c *call) error {
	if _, err := s.desk.RunAutoReview(r.Context()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
