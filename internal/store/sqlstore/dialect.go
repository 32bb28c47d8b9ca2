package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/beian-dev/beian/internal/store"
)

const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"
)

// dialect is everything that differs between the two databases once the
// schema is created: placeholders and how errors are reported.
type dialect struct {
	name         string
	dollarParams bool // PostgreSQL numbers its placeholders: $1, $2, …
}

var (
	sqliteDialect   = &dialect{name: dialectSQLite}
	postgresDialect = &dialect{name: dialectPostgres, dollarParams: true}
)

func (d *dialect) bind(query string) string {
	if !d.dollarParams {
		return query
	}
	return rebind(query)
}

// rebind turns ? placeholders into $1, $2, … . A ? inside a quoted string
// literal or identifier is left alone.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// unique is one unique index of the schema, as each database names it in
// its errors: PostgreSQL by index name, SQLite by "table.column, …".
type unique struct {
	constraint store.Constraint
	pgIndex    string
	sqliteCols string
}

// subjectExists is the subjects primary key: a second insert for the same
// account means the caller's "there is none yet" was stale.
const subjectExists store.Constraint = "subject_exists"

var uniques = []unique{
	{store.UniqueLogin, "accounts_login_uq", "accounts.login"},
	{store.UniqueLogin, "accounts_login_fold_uq", "accounts.login_fold"},
	{store.UniqueMobile, "accounts_mobile_uq", "accounts.mobile"},
	{store.UniqueSubjectCert, "subjects_cert_uq", "subjects.cert_number"},
	{subjectExists, "subjects_pkey", "subjects.account_id"},
	{store.UniqueLiveDomain, "site_domains_live_uq", "site_domains.domain"},
	{store.UniqueAccountDomain, "site_domains_account_uq", "site_domains.account_id, site_domains.domain"},
	{store.UniqueRecordNumber, "sites_record_number_uq", "sites.record_number"},
	{store.UniqueIdempotency, "idempotency_pkey", "idempotency.account_id, idempotency.idem_key"},
	{store.UniqueOpenChange, "change_requests_open_uq", "change_requests.site_id"},
	{store.UniqueOpenChange, "subject_change_requests_open_uq", "subject_change_requests.account_id"},
}

// mapErr turns driver errors into the store's domain errors: no row →
// ErrNotFound, unique violation → *store.ConflictError, lost or refused
// connection → ErrUnavailable (wrapping the cause). Context errors stay
// recognisable with errors.Is.
func (d *dialect) mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ce *store.ConflictError
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrVersionConflict) ||
		errors.Is(err, store.ErrUnavailable) || errors.As(err, &ce) {
		return err // already mapped
	}

	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code()
		switch {
		case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			// "constraint failed: UNIQUE constraint failed: t.a, t.b (2067)"
			msg := se.Error()
			cols := msg[strings.LastIndex(msg, "constraint failed: ")+len("constraint failed: "):]
			cols, _, _ = strings.Cut(cols, " (")
			for _, u := range uniques {
				if u.sqliteCols == cols {
					return &store.ConflictError{Constraint: u.constraint}
				}
			}
			return fmt.Errorf("sqlstore: unmapped unique violation: %w", err)
		case code&0xff == sqlite3.SQLITE_BUSY, code&0xff == sqlite3.SQLITE_LOCKED,
			code&0xff == sqlite3.SQLITE_CANTOPEN, code&0xff == sqlite3.SQLITE_IOERR,
			code&0xff == sqlite3.SQLITE_FULL, code&0xff == sqlite3.SQLITE_READONLY:
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return err
	}

	if code, constraint, ok := pgServerError(err); ok {
		switch {
		case code == "23505": // unique_violation
			for _, u := range uniques {
				if u.pgIndex == constraint {
					return &store.ConflictError{Constraint: u.constraint}
				}
			}
			return fmt.Errorf("sqlstore: unmapped unique violation: %w", err)
		case strings.HasPrefix(code, "08"), // connection exception
			code == "57P01", code == "57P02", code == "57P03", // shutting down, cannot connect now
			code == "53300": // too many connections
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return err
	}

	var netErr net.Error
	if pgTransient(err) || errors.As(err, &netErr) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "sql: database is closed") {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}
