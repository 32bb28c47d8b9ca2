package acceptance

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/platform"
)

// hookReceiver is a webhook endpoint for the scripts: it checks each
// signature with the secret the script gives it (`receiver secret FILE`)
// and keeps the event types it accepted, in order.
type hookReceiver struct {
	mu      sync.Mutex
	secret  string
	events  []string
	ids     map[string]int
	bad     int
	down    bool
	refused int // requests answered 503 while down
	srv     *httptest.Server
}

func newHookReceiver() *hookReceiver {
	r := &hookReceiver{ids: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.down {
			r.refused++
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		sig := req.Header.Get(platform.SignatureHeader)
		ts, _, _ := strings.Cut(strings.TrimPrefix(sig, "t="), ",")
		sec, _ := strconv.ParseInt(ts, 10, 64)
		if r.secret == "" || platform.Sign(r.secret, time.Unix(sec, 0), body) != sig {
			r.bad++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var ev api.WebhookEvent
		_ = json.Unmarshal(body, &ev)
		r.events = append(r.events, ev.Type)
		r.ids[ev.ID]++
		w.WriteHeader(http.StatusNoContent)
	}))
	return r
}

// command is the `receiver` script command:
//
//	receiver secret FILE     check signatures with the secret in FILE
//	receiver down|up         answer 503, or accept again
//	receiver wait TYPE...    wait until these event types arrived, in this order
//	receiver refused N       wait until N requests were refused while down
//	receiver once            every delivery was accepted once
func (r *hookReceiver) command(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: receiver secret FILE | down | up | wait TYPE... | once")
	}
	switch args[0] {
	case "secret":
		r.mu.Lock()
		r.secret = strings.TrimSpace(ts.ReadFile(args[1]))
		r.mu.Unlock()
	case "down", "up":
		r.mu.Lock()
		r.down = args[0] == "down"
		r.mu.Unlock()
	case "wait":
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for {
			r.mu.Lock()
			got := strings.Join(r.events, " ")
			bad := r.bad
			r.mu.Unlock()
			if bad > 0 {
				ts.Fatalf("%d deliveries had a bad signature", bad)
			}
			if subsequence(r.snapshot(), args[1:]) {
				return
			}
			select {
			case <-ctx.Done():
				ts.Fatalf("received %q, waiting for %v", got, args[1:])
			case <-time.After(20 * time.Millisecond):
			}
		}
	case "refused":
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		deadline := time.Now().Add(time.Minute)
		for {
			r.mu.Lock()
			got := r.refused
			r.mu.Unlock()
			if got >= n {
				return
			}
			if time.Now().After(deadline) {
				ts.Fatalf("%d requests refused, waiting for %d", got, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	case "once":
		r.mu.Lock()
		defer r.mu.Unlock()
		for id, n := range r.ids {
			if n != 1 {
				ts.Fatalf("delivery %s accepted %d times", id, n)
			}
		}
	default:
		ts.Fatalf("receiver: unknown %q", args[0])
	}
}

func (r *hookReceiver) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string{}, r.events...)
}

// subsequence says whether want appears in got in order (others between).
func subsequence(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}
