// Handlers of accounts and sessions: codes, registration, sign-in, password reset, e-mail.

package server

import (
	"context"
	"encoding/json"
	"net"
	"net/http"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/netpolicy"
	"github.com/beian-dev/beian/internal/platform"
)

func (s *server) sendSMSCode(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.SMSCodeRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	if err := s.desk.SendSMSCode(r.Context(), c.actor, req); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (s *server) register(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.RegisterRequest
	_, err := decode(w, r, &req)
	if err != nil {
		return err
	}
	// The stored request hash must not be a fast hash of the password and
	// the code (issue 23, finding 18: a dictionary recovered both from a
	// database copy in seconds): the keyed request is identified by the
	// body without them. Only argon2 ever sees the password.
	public := req
	public.Password, public.SMSCode = "", ""
	hashed, err := json.Marshal(public)
	if err != nil {
		return err
	}
	return s.keyed(w, r, c, hashed, func(ctx context.Context, d *platform.Desk) (int, any, error) {
		a, err := d.Register(ctx, c.actor, req)
		return http.StatusCreated, a, err
	})
}

func (s *server) login(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.LoginRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	sess, err := s.desk.Login(r.Context(), c.actor, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sess)
}

// clientAddr is the peer's IP address, for the per-address login limit.
// Proxies' forwarding headers are not trusted: anyone can send them.
// clientAddr is the client's address as the per-address limits count it:
// an IPv6 client by its /64 (netpolicy.ClientKey).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return netpolicy.ClientKey(r.RemoteAddr)
	}
	return netpolicy.ClientKey(host)
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.desk.Logout(r.Context(), c.actor, c.token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) logoutAll(w http.ResponseWriter, r *http.Request, c *call) error {
	if _, err := s.desk.LogoutAll(r.Context(), c.actor); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) resetPassword(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.PasswordResetRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	if err := s.desk.ResetPassword(r.Context(), c.actor, req); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) account(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := s.desk.Account(r.Context(), c.actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (s *server) sendEmailCode(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.desk.SendEmailCode(r.Context(), c.actor); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (s *server) verifyEmail(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.EmailVerifyRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	if err := s.desk.VerifyEmail(r.Context(), c.actor, req); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request, c *call) error {
	var req api.UserCreateRequest
	if _, err := decode(w, r, &req); err != nil {
		return err
	}
	a, err := s.desk.CreateUser(r.Context(), c.actor, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}
