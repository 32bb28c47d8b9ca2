package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/store"
)

type memOutbox struct {
	mu   sync.Mutex
	msgs []store.OutboxMessage
	err  error
}

func (o *memOutbox) AddOutbox(_ context.Context, m *store.OutboxMessage) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	m.ID = "ob1"
	m.SentAt = time.Now()
	o.msgs = append(o.msgs, *m)
	return nil
}

func TestLogSender(t *testing.T) {
	var logs bytes.Buffer
	out := &memOutbox{}
	s := NewLogSender(out).WithLogger(slog.New(slog.NewJSONHandler(&logs, nil)))
	err := s.Send(context.Background(), Message{To: "13812345678", Body: "您的验证码是 482913", Code: "482913"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.msgs) != 1 {
		t.Fatalf("outbox has %d messages", len(out.msgs))
	}
	got := out.msgs[0]
	if got.Channel != "sms" || got.To != "13812345678" || got.Code != "482913" || !strings.Contains(got.Body, "482913") {
		t.Errorf("outbox message = %+v", got)
	}
	for _, secret := range []string{"482913", "13812345678"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log leaks %q: %s", secret, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "****5678") {
		t.Errorf("log should name the recipient masked: %s", logs.String())
	}

	out.err = store.ErrUnavailable
	if err := s.Send(context.Background(), Message{To: "13812345678", Body: "x"}); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("err = %v, want the store's error wrapped", err)
	}
}

func TestWebhookSender(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		answer  string
		wantErr error // nil: delivered; ErrBlacklisted; errOther: any other error
	}{
		{"ok", 200, `{"id":"p-1"}`, nil},
		{"accepted, plain text", 202, "queued", nil},
		{"403", 403, "", ErrBlacklisted},
		{"451", 451, "", ErrBlacklisted},
		{"blacklisted in body with 200", 200, `{"error":"blacklisted"}`, ErrBlacklisted},
		{"blacklisted in body with 400", 400, `{"error":" Blacklisted "}`, ErrBlacklisted},
		{"provider down", 502, "bad gateway", errOther},
		{"other error", 400, `{"error":"bad_number"}`, errOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got webhookMessage
			var ct string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ct = r.Header.Get("Content-Type")
				if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
					t.Errorf("provider got bad JSON: %v", err)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.answer)
			}))
			defer srv.Close()
			err := NewWebhookSender(srv.URL, nil).Send(context.Background(), Message{To: "+8613812345678", Body: "验证码 123456", Code: "123456"})
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("err = %v, want delivered", err)
			case tt.wantErr == ErrBlacklisted && !errors.Is(err, ErrBlacklisted):
				t.Fatalf("err = %v, want ErrBlacklisted", err)
			case tt.wantErr == errOther && (err == nil || errors.Is(err, ErrBlacklisted)):
				t.Fatalf("err = %v, want a delivery failure", err)
			}
			if got != (webhookMessage{Channel: "sms", To: "+8613812345678", Body: "验证码 123456"}) || ct != "application/json" {
				t.Errorf("provider got %+v (%s)", got, ct)
			}
		})
	}
}

var errOther = errors.New("any other error")

func TestWebhookSenderTimeoutAndSecretURL(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := NewWebhookSender(srv.URL+"/send?api_key=SECRET-KEY", nil).Send(ctx, Message{To: "13812345678", Body: "x"})
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline error", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("the sender did not give up in time")
	}
	if strings.Contains(err.Error(), "SECRET-KEY") {
		t.Errorf("error leaks the webhook URL's key: %v", err)
	}
}

func TestWebhookSenderBadURL(t *testing.T) {
	err := NewWebhookSender("http://127.0.0.1:1/unreachable", nil).Send(context.Background(), Message{To: "1", Body: "x"})
	if err == nil || errors.Is(err, ErrBlacklisted) {
		t.Errorf("err = %v, want a delivery failure", err)
	}
}
