// Package faulttest proves beian-server's no-loss promises under faults, as
// Go tests run by `go test ./...` (and so by .ci/run):
//
//   - the server killed with SIGKILL in the middle of 1,000 concurrent
//     submissions that retry with their Idempotency-Keys: after a restart
//     every acknowledged submission exists exactly once, nothing is
//     half-written (SQLite and PostgreSQL);
//   - PostgreSQL stopped and started under load: /readyz turns false,
//     requests fail fast with 503, and the server recovers by itself;
//   - slow clients are cut off by the server's timeouts, and a flood of
//     failed logins from one address is rate-limited while another address
//     still signs in;
//   - fuzz targets on every request decoder and on the CSV import: no
//     panic and no 500, whatever the body.
//
// The tests run the real beian-server, built from ./cmd/beian-server, as a
// subprocess on loopback; they are bounded in time and in requests.
// The package itself holds the helpers they share.
package faulttest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx", as sqlstore registers it
	_ "modernc.org/sqlite"             // "sqlite", as sqlstore registers it

	"github.com/beian-dev/beian/internal/loadtest"
)

var (
	buildOnce sync.Once
	buildDir  string
	serverBin string
	buildErr  error
)

// ServerBinary builds ./cmd/beian-server once per test binary and returns
// its path; Cleanup removes it.
func ServerBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := loadtest.ModuleRoot(".")
		if err != nil {
			buildErr = err
			return
		}
		if buildDir, err = os.MkdirTemp("", "faulttest-bin"); err != nil {
			buildErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		serverBin, buildErr = loadtest.Build(ctx, root, "./cmd/beian-server", buildDir)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return serverBin
}

// Cleanup removes what ServerBinary built; TestMain calls it.
func Cleanup() {
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}

// OpenDB opens a plain database/sql handle on a store's DSN, for checks
// that look at the rows themselves.
func OpenDB(dsn string) (*sql.DB, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		return sql.Open("sqlite", strings.TrimPrefix(path, "//")+"?_pragma=busy_timeout(10000)")
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return sql.Open("pgx", dsn)
	}
	return nil, fmt.Errorf("faulttest: unknown DSN")
}

// Rebind turns ? placeholders into $1, $2… for PostgreSQL DSNs.
func Rebind(dsn, q string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
