package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/datagen"
	"github.com/beian-dev/beian/internal/loadtest"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// TestWebhookDeliveredAfterAKillMidDelivery: beian-server is killed with
// SIGKILL while a webhook delivery is in flight (the receiver has the
// request and has not answered), then restarted on the same database: the
// restarted server delivers the event, once the killed one's lease ends,
// and the log shows it delivered.
func TestWebhookDeliveredAfterAKillMidDelivery(t *testing.T) {
	t.Parallel()
	bin := ServerBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dsn := storetest.NewSQLiteDSN(t)
	plan := datagen.NewPlan(datagen.Config{Recorded: 10, MinAccounts: 1})
	if _, err := datagen.Fill(ctx, dsn, plan); err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		accepted []string
		first    = make(chan struct{})
		release  = make(chan struct{})
		once     sync.Once
	)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hung := false
		once.Do(func() { hung = true })
		if hung { // the first attempt: hold it until the server is dead
			close(first)
			<-release
			return
		}
		var ev api.WebhookEvent
		_ = json.Unmarshal(body, &ev)
		mu.Lock()
		accepted = append(accepted, ev.ID)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()
	defer close(release)

	start := func() *loadtest.Server {
		t.Helper()
		srv, err := loadtest.StartServer(ctx, loadtest.ServerOptions{Binary: bin, DSN: dsn,
			Args: []string{"--log-level", "warn", "--webhooks-allow-private", "--webhooks-every", "50ms", "--webhooks-lease", "2s"}})
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	srv := start()
	token := plan.Token(0)
	call := func(base, method, path string, body any, out any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		if out != nil {
			if err := json.Unmarshal(raw, out); err != nil {
				t.Fatal(err)
			}
		}
	}
	var hook api.Webhook
	call(srv.URL, "POST", "/v1/webhooks", api.WebhookCreate{URL: recv.URL + "/hook"}, &hook)
	var ping api.WebhookDelivery
	call(srv.URL, "POST", "/v1/webhooks/"+hook.ID+"/test", nil, &ping)
	select {
	case <-first:
	case <-ctx.Done():
		t.Fatalf("the first attempt never came:\n%s", srv.Log())
	}
	srv.Kill() // mid-delivery: nothing of the attempt is recorded
	srv = start()
	defer func() { _ = srv.Stop(10 * time.Second) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(accepted)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not delivered after the restart:\n%s", srv.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
	var log api.WebhookDeliveryList
	for range 100 { // the restarted worker records its attempt just after the answer
		call(srv.URL, "GET", "/v1/webhooks/"+hook.ID+"/deliveries", nil, &log)
		if len(log.Items) == 1 && log.Items[0].State == "delivered" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(accepted) != 1 || accepted[0] != ping.ID || len(log.Items) != 1 || log.Items[0].State != "delivered" {
		t.Fatalf("accepted %v (ping %s), log %s", accepted, ping.ID, fmt.Sprint(log.Items))
	}
}
