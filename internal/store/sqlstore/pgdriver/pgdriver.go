// Package pgdriver gives sqlstore its PostgreSQL driver, pgx/v5 through
// database/sql. Import it for its side effect in every binary that opens a
// postgres:// database:
//
//	import _ "github.com/beian-dev/beian/internal/store/sqlstore/pgdriver"
package pgdriver

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/beian-dev/beian/internal/store/sqlstore"
)

func init() {
	sqlstore.RegisterPostgres(sqlstore.PostgresDriver{
		SQLDriver:   "pgx",
		ServerError: serverError,
		Transient:   transient,
	})
}

func serverError(err error) (sqlstate, constraint string, ok bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return "", "", false
	}
	return pe.Code, pe.ConstraintName, true
}

func transient(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || pgconn.SafeToRetry(err)
}
