package sqlstore

import (
	"errors"
	"sync/atomic"
)

// PostgresDriver is the PostgreSQL half of the store: the database/sql
// driver and how its errors read. Package sqlstore/pgdriver provides it and
// registers it when imported, the way database/sql drivers register, so
// that a binary that never talks to PostgreSQL (beian, whose sandbox is
// SQLite) does not link pgx. beian-server, beian-load and the tests import
// it.
type PostgresDriver struct {
	// SQLDriver is the database/sql driver name ("pgx").
	SQLDriver string
	// ServerError reports a PostgreSQL server error's SQLSTATE and, for a
	// constraint violation, the constraint's name; ok is false for any
	// other error.
	ServerError func(err error) (sqlstate, constraint string, ok bool)
	// Transient reports an error the driver knows to be a failure to
	// connect or safe to retry: the database is unavailable, not wrong.
	Transient func(err error) bool
}

var postgresDriver atomic.Pointer[PostgresDriver]

// RegisterPostgres makes PostgreSQL DSNs openable (pgdriver calls it).
func RegisterPostgres(d PostgresDriver) { postgresDriver.Store(&d) }

// errNoPostgres is Open's answer for a postgres:// DSN in a binary built
// without the driver.
var errNoPostgres = errors.New("sqlstore: this binary has no PostgreSQL driver (import internal/store/sqlstore/pgdriver)")

// pgServerError is the SQLSTATE and constraint of err when a registered
// PostgreSQL driver recognises it.
func pgServerError(err error) (sqlstate, constraint string, ok bool) {
	if d := postgresDriver.Load(); d != nil {
		return d.ServerError(err)
	}
	return "", "", false
}

func pgTransient(err error) bool {
	d := postgresDriver.Load()
	return d != nil && d.Transient(err)
}
