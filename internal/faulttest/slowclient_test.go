package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/loadtest"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// timeoutFlags returns the serve flags that pin the read timeouts of the
// test, and those timeouts.
func timeoutFlags(t *testing.T) (args []string, header, body time.Duration) {
	t.Helper()
	// The values are pinned with serve's flags, short so the test does
	// not wait out the production defaults (5 s and 60 s).
	header, body = 2*time.Second, 4*time.Second
	return []string{"--read-header-timeout", header.String(), "--read-timeout", body.String()}, header, body
}

// startSQLiteServer runs beian-server on a fresh SQLite file.
func startSQLiteServer(t *testing.T, args ...string) (*loadtest.Server, string) {
	t.Helper()
	dsn := storetest.NewSQLiteDSN(t)
	srv, err := loadtest.StartServer(context.Background(), loadtest.ServerOptions{Binary: ServerBinary(t), DSN: dsn,
		Args: append([]string{"--attachments", t.TempDir()}, args...)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(30 * time.Second); err != nil {
			t.Error(err)
		}
	})
	return srv, dsn
}

// trickle opens a connection, writes head at once, then one byte of drip
// every interval, until the server closes the connection; it returns how
// long the server let it live and what it answered.
func trickle(t *testing.T, addr, head, drip string, interval, limit time.Duration) (time.Duration, string) {
	t.Helper()
	if err := loadtest.CheckLoopback(addr); err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	closed := make(chan string, 1)
	go func() {
		conn.SetReadDeadline(time.Now().Add(limit))
		b, _ := io.ReadAll(conn) // until the server closes (or the limit)
		closed <- string(b)
	}()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case answer := <-closed:
			return time.Since(start), answer
		case <-tick.C:
			if time.Since(start) > limit {
				t.Fatalf("the server still holds a connection trickling %q after %s", drip, limit)
			}
			conn.SetWriteDeadline(time.Now().Add(time.Second))
			conn.Write([]byte{drip[i%len(drip)]}) // an error means it is closed: the reader sees it
		}
	}
}

func hostPort(t *testing.T, rawURL string) string {
	t.Helper()
	return strings.TrimPrefix(rawURL, "http://")
}

// A client that sends its headers, or its body, a byte at a time is cut off
// by the server's timeouts, and while many such clients hang on, others
// are still served at once.
func TestSlowClientsAreCutOff(t *testing.T) {
	t.Parallel()
	args, headerTimeout, bodyTimeout := timeoutFlags(t)
	srv, _ := startSQLiteServer(t, args...)
	addr := hostPort(t, srv.URL)

	var wg sync.WaitGroup
	// Slow headers: never finishing the request line's headers.
	wg.Go(func() {
		el, answer := trickle(t, addr, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X-Slow: a\r\n", 200*time.Millisecond, headerTimeout+15*time.Second)
		if el < headerTimeout-time.Second || el > headerTimeout+5*time.Second {
			t.Errorf("slow headers cut off after %s; ReadHeaderTimeout is %s", el.Round(time.Millisecond), headerTimeout)
		}
		if strings.Contains(answer, "200 OK") {
			t.Errorf("slow headers were answered: %q", answer)
		}
		t.Logf("slow headers: connection closed after %s", el.Round(time.Millisecond))
	})
	// Slow body: headers at once, then the declared body a byte a second.
	wg.Go(func() {
		head := "POST /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"
		el, answer := trickle(t, addr, head, `"login":"slow" `, time.Second, bodyTimeout+20*time.Second)
		if el < bodyTimeout-2*time.Second || el > bodyTimeout+10*time.Second {
			t.Errorf("slow body cut off after %s; ReadTimeout is %s", el.Round(time.Millisecond), bodyTimeout)
		}
		if strings.Contains(answer, " 201 ") || strings.Contains(answer, " 500 ") {
			t.Errorf("slow body answered %q", answer)
		}
		t.Logf("slow body: cut off after %s, answer %q", el.Round(time.Millisecond), firstLine(answer))
	})
	// Meanwhile 64 more slow-header connections, and an ordinary client
	// that must not notice them.
	var conns []net.Conn
	for range 64 {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
		conns = append(conns, c)
	}
	client := loadtest.NewClient(1, 5*time.Second)
	for range 10 {
		start := time.Now()
		resp, err := client.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatalf("healthz beside slow clients: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		// Slow clients must not hold others up: a server that queued behind
		// them would answer only once they are cut off (5 s for headers).
		// The bound stays well below that but leaves room for a machine busy
		// with the rest of a -race test run.
		if el := time.Since(start); resp.StatusCode != http.StatusOK || el > 4*time.Second {
			t.Errorf("healthz beside slow clients: %d after %s", resp.StatusCode, el)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, c := range conns {
		c.Close()
	}
	wg.Wait()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\r\n")
	return line
}

// clientFrom is an HTTP client whose connections come from the loopback
// address ip (127.0.0.2…): the server sees that as the peer address.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if err := loadtest.CheckLoopback(addr); err != nil {
				return nil, err
			}
			return d.DialContext(ctx, network, addr)
		},
	}}
}

func postJSON(t *testing.T, c *http.Client, url string, body any) (int, api.Problem, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := c.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var p api.Problem
	if resp.StatusCode >= 400 {
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Errorf("%d answer is not problem+json: %v: %s", resp.StatusCode, err, raw)
		}
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
	}
	return resp.StatusCode, p, raw
}

// registerSponsor registers an account over HTTP, reading the SMS code from
// the server's outbox table.
func registerSponsor(t *testing.T, c *http.Client, base, dsn, login, mobile, password string) {
	t.Helper()
	if st, _, raw := postJSON(t, c, base+"/v1/sms-codes", api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}); st != http.StatusAccepted {
		t.Fatalf("sms code: %d %s", st, raw)
	}
	db, err := OpenDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var code string
	if err := db.QueryRow(Rebind(dsn, "SELECT code FROM outbox WHERE to_addr = ? AND code <> '' ORDER BY id DESC LIMIT 1"), mobile).Scan(&code); err != nil {
		t.Fatalf("read the SMS code from the outbox: %v", err)
	}
	if st, _, raw := postJSON(t, c, base+"/v1/accounts", api.RegisterRequest{Login: login, Mobile: mobile, SMSCode: code,
		Password: password, Email: login + "@example.com"}); st != http.StatusCreated {
		t.Fatalf("register: %d %s", st, raw)
	}
}

// A flood of failed logins from 127.0.0.2 is answered 429 rate_limited once
// the per-address limit is reached — even with the right password — while
// the same account still signs in from 127.0.0.1.
func TestLoginFloodIsLimitedPerAddress(t *testing.T) {
	t.Parallel()
	srv, dsn := startSQLiteServer(t)
	const password = "correct-horse-battery-9"
	local := clientFrom("127.0.0.1")
	registerSponsor(t, local, srv.URL, dsn, "victim", "13912340001", password)

	flood := clientFrom("127.0.0.2")
	limited := -1
	for i := range 40 {
		st, p, raw := postJSON(t, flood, srv.URL+"/v1/sessions", api.LoginRequest{Login: fmt.Sprintf("guess%02d", i), Password: "wrong-password-1"})
		if st == http.StatusTooManyRequests {
			if p.Code != api.CodeRateLimited {
				t.Fatalf("429 with code %q", p.Code)
			}
			limited = i
			break
		}
		if st != http.StatusUnauthorized {
			t.Fatalf("failed login %d: %d %s", i, st, raw)
		}
	}
	if limited < 0 {
		t.Fatal("40 failed logins from one address were never rate-limited")
	}
	t.Logf("127.0.0.2 rate-limited after %d failed logins", limited)
	if st, p, _ := postJSON(t, flood, srv.URL+"/v1/sessions", api.LoginRequest{Login: "victim", Password: password}); st != http.StatusTooManyRequests || p.Code != api.CodeRateLimited {
		t.Errorf("the right password from the flooding address: %d %s, want 429 rate_limited", st, p.Code)
	}
	st, _, raw := postJSON(t, local, srv.URL+"/v1/sessions", api.LoginRequest{Login: "victim", Password: password})
	if st != http.StatusCreated {
		t.Fatalf("login from 127.0.0.1 during the flood: %d %s", st, raw)
	}
	var sess api.Session
	if err := json.Unmarshal(raw, &sess); err != nil || sess.Token == "" {
		t.Fatalf("session %s: %v", raw, err)
	}
}
