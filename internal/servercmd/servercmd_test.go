package servercmd

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
	"github.com/beian-dev/beian/internal/store/sqlstore"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// syncBuffer is a bytes.Buffer the server goroutine and the test may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// envOf is a getenv over a map: tests never read the real environment.
func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// running is a beian-server serve started in-process.
type running struct {
	url    string
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

var listening = regexp.MustCompile(`listening on (https?://\S+)`)

// serve runs `beian-server serve args...` until the test ends (or stop).
func serve(t *testing.T, getenv func(string) string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- run(ctx, append([]string{"serve"}, args...), getenv, io.Discard, r.stderr) }()
	t.Cleanup(func() { _ = r.stop(t) }) // a test that cares checks stop's error itself
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := listening.FindStringSubmatch(r.stderr.String()); m != nil {
			r.url = m[1]
			return r
		}
		select {
		case err := <-r.done:
			r.done <- err
			t.Fatalf("serve stopped before listening: %v\n%s", err, r.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not print its address:\n%s", r.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop cancels the server's context (SIGINT/SIGTERM in Main) and returns
// what run returned.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
		return nil
	}
}

// waitHealthy polls /healthz as a supervisor would.
func waitHealthy(t *testing.T, client *http.Client, base string) {
	t.Helper()
	for i := 0; i < 300; i++ {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s/healthz never answered 200", base)
}

func TestMain(m *testing.M) {
	// The real argon2id parameters cost 64 MiB and, under -race, seconds
	// per hash; the desk's own tests cover them.
	cheapPasswordHashing = true
	os.Exit(m.Run())
}

func sqliteDSN(t *testing.T) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "server.db")
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	started := make(chan struct{})
	testHookWrap = func(h http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/", h)
		mux.HandleFunc("GET /test/slow", func(w http.ResponseWriter, _ *http.Request) {
			close(started)
			time.Sleep(500 * time.Millisecond)
			_, _ = io.WriteString(w, "finished")
		})
		return mux
	}
	defer func() { testHookWrap = nil }()

	r := serve(t, envOf(), "--db", sqliteDSN(t), "--addr", "127.0.0.1:0", "--log-format", "text")
	waitHealthy(t, http.DefaultClient, r.url)

	resp, err := http.Get(r.url + "/v1/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get(api.HeaderRequestID) == "" {
		t.Errorf("openapi: %d, request id %q", resp.StatusCode, resp.Header.Get(api.HeaderRequestID))
	}

	// A request in flight when the signal comes still gets its answer.
	type result struct {
		body string
		err  error
	}
	slow := make(chan result, 1)
	go func() {
		resp, err := http.Get(r.url + "/test/slow")
		if err != nil {
			slow <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		slow <- result{string(b), err}
	}()
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- r.stop(t) }()

	res := <-slow
	if res.err != nil || res.body != "finished" {
		t.Errorf("in-flight request: %q, %v — shutdown must let it finish", res.body, res.err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("run returned %v after a graceful shutdown", err)
	}
	if resp, err := http.Get(r.url + "/healthz"); err == nil {
		resp.Body.Close()
		t.Error("the server still answers after shutdown")
	}
	if !strings.Contains(r.stderr.String(), "msg=stopped") {
		t.Errorf("no 'stopped' log line:\n%s", r.stderr)
	}
}

func TestServeFromEnvironment(t *testing.T) {
	// Everything from BEIAN_SERVER_*; --log-format on the command line wins
	// over BEIAN_SERVER_LOG_FORMAT=text.
	dir := t.TempDir()
	getenv := envOf(
		"BEIAN_SERVER_DB", "sqlite:"+filepath.Join(dir, "env.db"),
		"BEIAN_SERVER_ADDR", "127.0.0.1:0",
		"BEIAN_SERVER_LOG_FORMAT", "text",
		"BEIAN_SERVER_SANDBOX", "true",
		"BEIAN_SERVER_SANDBOX_FAIL_PERCENT", "100",
		"BEIAN_SERVER_PUBLIC_URL", "https://beian.example.cn",
	)
	r := serve(t, getenv, "--log-format", "json")
	waitHealthy(t, http.DefaultClient, r.url)
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("BEIAN_SERVER_DB not used: %v", err)
	}
	if !strings.Contains(r.stderr.String(), `"public_url":"https://beian.example.cn"`) {
		t.Errorf("flag did not win over env, or BEIAN_SERVER_PUBLIC_URL was ignored:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr.String(), "SANDBOX") {
		t.Errorf("the sandbox does not say so on stderr:\n%s", r.stderr)
	}
	// The sandbox's outbox route exists, and fault injection hits /v1.
	resp, err := http.Get(r.url + "/v1/sandbox/outbox")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("sandbox outbox: %d", resp.StatusCode)
	}
	resp, err = http.Get(r.url + "/v1/account")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("BEIAN_SERVER_SANDBOX_FAIL_PERCENT=100: GET /v1/account → %d", resp.StatusCode)
	}
}

func TestBindEnvPrecedence(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     []string
		want    string
		wantErr string
	}{
		{"default", nil, nil, "127.0.0.1:8080", ""},
		{"env", nil, []string{"BEIAN_SERVER_ADDR", ":9000"}, ":9000", ""},
		{"flag wins over env", []string{"--addr", ":7000"}, []string{"BEIAN_SERVER_ADDR", ":9000"}, ":7000", ""},
		{"bad env value names the variable", nil, []string{"BEIAN_SERVER_DEADLINE_DAYS", "ten"}, "", "BEIAN_SERVER_DEADLINE_DAYS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var addr string
			var days int
			cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
			cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "")
			cmd.Flags().IntVar(&days, "deadline-days", 30, "")
			if err := cmd.ParseFlags(tt.args); err != nil {
				t.Fatal(err)
			}
			err := bindEnv(cmd, envOf(tt.env...))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || addr != tt.want {
				t.Errorf("addr = %q, err %v; want %q", addr, err, tt.want)
			}
		})
	}
	if got := envName("sandbox-fail-percent"); got != "BEIAN_SERVER_SANDBOX_FAIL_PERCENT" {
		t.Errorf("envName = %s", got)
	}
}

func TestServeRefusals(t *testing.T) {
	pg := "postgres://beian:secret-pw@127.0.0.1:1/beian"
	tests := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"sandbox on postgres", []string{"--sandbox", "--db", pg}, nil, "--sandbox refuses a PostgreSQL database"},
		{"sandbox on postgres from the environment", nil, []string{"BEIAN_SERVER_SANDBOX", "1", "BEIAN_SERVER_DB", pg}, "--sandbox refuses a PostgreSQL database"},
		{"sandbox with a real SMS sender", []string{"--sandbox", "--sms", "https://sms.example.cn/send"}, nil, "refuses --sms"},
		{"fail percent without sandbox", []string{"--sandbox-fail-percent", "10"}, nil, "needs --sandbox"},
		{"review delay without sandbox", []string{"--sandbox-review-delay", "1s"}, nil, "needs --sandbox"},
		{"fail percent out of range", []string{"--sandbox", "--sandbox-fail-percent", "101"}, nil, "between 0 and 100"},
		{"half of TLS", []string{"--tls-cert", "c.pem"}, nil, "go together"},
		{"unknown limit", []string{"--limit", "codes_per_hour=5"}, nil, "no limit is called \"codes_per_hour\""},
		{"limit without a value", []string{"--limit", "codes_per_minute"}, nil, "is not NAME=VALUE"},
		{"limit not a number", []string{"--limit", "codes_per_minute=lots"}, nil, "not a positive whole number"},
		{"limit not a duration", []string{"--limit", "code_window=0"}, nil, "not a positive duration"},
		{"bad badge link", []string{"--badge-link", "https://example.cn/no-code"}, nil, "--badge-link"},
		{"bad sms", []string{"--sms", "carrier-pigeon"}, nil, "--sms"},
		{"bad public url", []string{"--public-url", "beian.example.cn"}, nil, "--public-url"},
		{"bad log format", []string{"--log-format", "xml"}, nil, "--log-format"},
		{"stray argument", []string{"extra"}, nil, "unknown command"},
		{"negative read timeout", []string{"--read-timeout", "-5s"}, nil, "--read-timeout must be a positive duration"},
		{"zero header timeout", []string{"--read-header-timeout", "0"}, nil, "--read-header-timeout must be a positive duration"},
		{"not a duration", []string{"--idle-timeout", "soon"}, nil, "--idle-timeout"},
		{"negative shutdown grace", []string{"--shutdown-grace", "-1s"}, nil, "--shutdown-grace must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)
			if !strings.Contains(strings.Join(append(tt.args, tt.env...), " "), "postgres") {
				args = append(args, "--db", sqliteDSN(t))
			}
			// A refusal returns at once; a server that starts instead is
			// stopped by the deadline and fails below.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var stderr syncBuffer
			err := run(ctx, args, envOf(tt.env...), io.Discard, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret-pw") {
				t.Errorf("the error leaks the database password: %v", err)
			}
			if strings.Contains(stderr.String(), "listening on") {
				t.Error("the server started before refusing")
			}
		})
	}
	if code := exitCode(usagef("x"), io.Discard); code != exitUsage {
		t.Errorf("usage error exit code = %d, want %d", code, exitUsage)
	}
	if code := exitCode(errors.New("x"), io.Discard); code != exitError {
		t.Errorf("error exit code = %d", code)
	}
	if code := exitCode(nil, io.Discard); code != exitOK {
		t.Errorf("success exit code = %d", code)
	}
}

func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	r := serve(t, envOf(), "--db", sqliteDSN(t), "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(r.url, "https://") {
		t.Fatalf("url = %s, want https", r.url)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	waitHealthy(t, client, r.url)
	// Plain HTTP on the TLS port is not served.
	if resp, err := http.Get(strings.Replace(r.url, "https://", "http://", 1) + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP answered on the TLS port")
		}
	}
}

func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "beian-server test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func openStore(t *testing.T, dsn string) store.Store {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestMigrate(t *testing.T) {
	dsn := sqliteDSN(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--db", dsn}, envOf(), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`schema version [1-9]`).MatchString(out.String()) {
		t.Errorf("migrate printed %q", out.String())
	}
	// Again: nothing to do, same answer.
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "--db", dsn}, envOf(), &out, io.Discard); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
}

func TestDefaultDatabaseUnderXDGDataHome(t *testing.T) {
	data := t.TempDir()
	if err := run(context.Background(), []string{"migrate"}, envOf("XDG_DATA_HOME", data), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "beian", "server.db")); err != nil {
		t.Errorf("default database not under XDG_DATA_HOME: %v", err)
	}
	home := t.TempDir()
	if err := run(context.Background(), []string{"migrate"}, envOf("HOME", home), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "beian", "server.db")); err != nil {
		t.Errorf("default database not under ~/.local/share: %v", err)
	}
	if err := run(context.Background(), []string{"migrate"}, envOf(), io.Discard, io.Discard); err == nil {
		t.Error("no HOME, no XDG_DATA_HOME, no --db: want an error, not a database in the working directory")
	}
}

func TestUserAdd(t *testing.T) {
	dsn := sqliteDSN(t)
	var out bytes.Buffer
	err := runIO(context.Background(), []string{"user", "add", "--db", dsn, "--login", "wuhan-review", "--mobile", "13800138000",
		"--email", "review@example.cn", "--role", "reviewer", "--area", "4201", "--password-stdin"},
		envOf(), strings.NewReader("a-long-enough-password\n"), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "created reviewer wuhan-review (area 4201)") {
		t.Errorf("output %q", out.String())
	}
	acc, err := openStore(t, dsn).AccountByLogin(context.Background(), "wuhan-review")
	if err != nil {
		t.Fatal(err)
	}
	if acc.Role != "reviewer" || acc.AreaPrefix != "4201" || acc.PasswordHash == "" || strings.Contains(acc.PasswordHash, "a-long-enough-password") {
		t.Errorf("stored account = %+v", acc)
	}

	// The password from the environment; an admin has no area.
	err = run(context.Background(), []string{"user", "add", "--db", dsn, "--login", "root", "--mobile", "13800138001",
		"--email", "root@example.cn", "--role", "admin"}, envOf("BEIAN_SERVER_PASSWORD", "another-long-password"), &out, io.Discard)
	if err != nil {
		t.Fatalf("admin: %v", err)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"reviewer without area", []string{"--role", "reviewer", "--password", "a-long-enough-password"}, "needs --area"},
		{"admin with area", []string{"--role", "admin", "--area", "42", "--password", "a-long-enough-password"}, "drop --area"},
		{"sponsor", []string{"--role", "sponsor", "--password", "a-long-enough-password"}, "reviewer or admin"},
		{"no password", []string{"--role", "admin"}, "--password-stdin"},
		{"bad mobile and area", []string{"--role", "reviewer", "--area", "99", "--password", "a-long-enough-password", "--mobile", "12345"}, "--mobile"},
		{"taken login", []string{"--role", "admin", "--password", "a-long-enough-password", "--login", "root", "--mobile", "13800138009"}, "login_taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"user", "add", "--db", dsn, "--login", "x-" + strings.ReplaceAll(tt.name, " ", "-"), "--mobile", "13800138002", "--email", "x@example.cn"}
			err := run(context.Background(), append(args, tt.args...), envOf(), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestImport(t *testing.T) {
	dsn := sqliteDSN(t)
	csv := "domain,old_record_number,cert_number,site_name\n" +
		"example-old.com.cn,京公网安备110102000247,91110108MA01C3RL0W,旧网站\n" +
		"another-old.cn,鄂公网安备 42011102000410号,91420100MA4K2X5L3A,另一个\n" +
		"not a domain,京公网安备110102000248,91110108MA01C3RL0W,坏行\n"
	file := filepath.Join(t.TempDir(), "earlier.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"import", "--db", dsn, file}, envOf(), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "1 line(s) not imported") {
		t.Errorf("err = %v, want the bad line counted", err)
	}
	if !strings.Contains(out.String(), "imported 0 unrecorded, 2 to_claim") {
		t.Errorf("stdout %q", out.String())
	}
	if !strings.Contains(errOut.String(), "earlier.csv:4:") {
		t.Errorf("stderr does not name the bad line: %q", errOut.String())
	}
	sites, _, err := openStore(t, dsn).ListSites(context.Background(), store.SiteFilter{States: []filing.State{filing.StateToClaim}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 2 {
		t.Errorf("%d to_claim sites stored, want 2", len(sites))
	}

	// Re-running the import from stdin skips what is there.
	out.Reset()
	err = runIO(context.Background(), []string{"import", "--db", dsn, "-"}, envOf(), strings.NewReader(strings.Join(strings.Split(csv, "\n")[:3], "\n")), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "skipped 2") {
		t.Errorf("re-import: %q", out.String())
	}
}

func TestBackup(t *testing.T) {
	dsn := sqliteDSN(t)
	if err := runIO(context.Background(), []string{"user", "add", "--db", dsn, "--login", "root", "--mobile", "13800138000",
		"--email", "root@example.cn", "--role", "admin", "--password-stdin"}, envOf(), strings.NewReader("a-long-enough-password"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "copy.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"backup", "--db", dsn, target}, envOf(), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := openStore(t, "sqlite:"+target).AccountByLogin(context.Background(), "root"); err != nil {
		t.Errorf("the backup lacks the account: %v", err)
	}
	if err := run(context.Background(), []string{"backup", "--db", dsn, target}, envOf(), io.Discard, io.Discard); err == nil {
		t.Error("a backup over an existing file must be refused")
	}
	err := run(context.Background(), []string{"backup", "--db", "postgres://u:p@127.0.0.1:1/db", target + "2"}, envOf(), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("postgres backup: %v", err)
	}
}

func TestReplicasOnPostgres(t *testing.T) {
	dsn := storetest.NewPostgresDSN(t) // skipped without BEIAN_TEST_POSTGRES_URL
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--db", dsn}, envOf(), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse(dsn); u != nil {
		if pw, ok := u.User.Password(); ok && strings.Contains(out.String(), pw) {
			t.Errorf("migrate prints the database password: %q", out.String())
		}
	}
	shared := t.TempDir() // the attachments directory replicas share
	a := serve(t, envOf("BEIAN_SERVER_DB", dsn), "--addr", "127.0.0.1:0", "--attachments", shared)
	b := serve(t, envOf("BEIAN_SERVER_DB", dsn), "--addr", "127.0.0.1:0", "--attachments", shared)
	for _, r := range []*running{a, b} {
		waitHealthy(t, http.DefaultClient, r.url)
		resp, err := http.Get(r.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s/readyz: %d", r.url, resp.StatusCode)
		}
	}
	if err := runIO(context.Background(), []string{"user", "add", "--db", dsn, "--login", "root", "--mobile", "13800138000",
		"--email", "root@example.cn", "--role", "admin", "--password-stdin"}, envOf(), strings.NewReader("a-long-enough-password"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	// An admin created beside the running replicas logs in on either.
	for _, r := range []*running{a, b} {
		resp, err := http.Post(r.url+"/v1/sessions", "application/json", strings.NewReader(`{"login":"root","password":"a-long-enough-password"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Errorf("%s login: %d", r.url, resp.StatusCode)
		}
	}
	err := run(context.Background(), []string{"backup", "--db", dsn, filepath.Join(t.TempDir(), "x.db")}, envOf(), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup on PostgreSQL: %v", err)
	}
}
