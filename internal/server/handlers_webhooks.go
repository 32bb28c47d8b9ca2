package server

import (
	"net/http"

	"github.com/beian-dev/beian/internal/api"
)

// Webhooks (issue 14).

func (s *server) addWebhook(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.WebhookCreate
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	hook, err := s.desk.AddWebhook(r.Context(), c.actor, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, hook)
}

func (s *server) webhooks(w http.ResponseWriter, r *http.Request, c *call) error {
	list, err := s.desk.Webhooks(r.Context(), c.actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}

func (s *server) deleteWebhook(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.desk.DeleteWebhook(r.Context(), c.actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) testWebhook(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.desk.TestWebhook(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, d)
}

func (s *server) webhookDeliveries(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	list, err := s.desk.WebhookDeliveries(r.Context(), c.actor, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}
