// Handlers anyone may call: the public record, meta, the icon, the OpenAPI document, health, readiness and metrics.

package server

import (
	"net/http"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/badge"
)

func (s *server) publicRecord(w http.ResponseWriter, r *http.Request, c *call) error {
	rec, err := s.desk.PublicRecord(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return writeJSON(w, http.StatusOK, rec)
}

func (s *server) meta(w http.ResponseWriter, r *http.Request, c *call) error {
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSON(w, http.StatusOK, api.Meta{APIVersion: api.Version, Sandbox: s.desk.Sandbox(), SupportEmail: s.desk.SupportEmail()})
}

func (s *server) icon(w http.ResponseWriter, r *http.Request, c *call) error {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(badge.Icon())
	return nil
}

func (s *server) openAPI(w http.ResponseWriter, r *http.Request, c *call) error {
	if s.opts.OpenAPI == nil {
		return api.NewProblem(api.CodeNotFound, "this server was built without its OpenAPI document")
	}
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(s.opts.OpenAPI)
	return nil
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request, c *call) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz is ready when the database answers and the last write to the
// attachment directory did not run out of space.
func (s *server) readyz(w http.ResponseWriter, r *http.Request, c *call) error {
	if s.desk.StorageFull() {
		p := api.NewProblem(api.CodeUnavailable, "the attachment directory is full")
		p.RetryAfter = 30
		return p
	}
	if err := s.desk.Store().Ping(r.Context()); err != nil {
		s.log.WarnContext(r.Context(), "server: database not ready", "err", err)
		p := api.NewProblem(api.CodeUnavailable, "the database is not reachable")
		p.RetryAfter = 5
		return p
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *server) metrics(w http.ResponseWriter, r *http.Request, c *call) error {
	if s.opts.Metrics == nil {
		return api.NewProblem(api.CodeNotFound, "metrics are not enabled")
	}
	s.opts.Metrics.ServeHTTP(w, r)
	return nil
}
