package sqlstore

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/beian-dev/beian/internal/store"
)

// timeLayout is how every time is stored: fixed width, UTC, microseconds,
// so that text order is time order in both databases.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Truncate(time.Microsecond).Format(timeLayout) }

// timeArg is a nullable time column's value: NULL for nil or zero.
func timeArg(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return formatTime(*t)
}

// textArg stores "" as NULL, for the nullable unique columns (mobile,
// certificate and record numbers, a site's account) where "none" must not
// collide with another "none".
func textArg(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode: %w", err)
	}
	return string(b), nil
}

// The column scanners below read what the helpers above wrote.

type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	s, ok := textOf(src)
	if !ok {
		return fmt.Errorf("sqlstore: time column holds %T", src)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("sqlstore: time column: %w", err)
	}
	*c.t = t.UTC()
	return nil
}

type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(src any) error {
	if src == nil {
		*c.t = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(src); err != nil {
		return err
	}
	*c.t = &t
	return nil
}

type textCol struct{ s *string }

func (c textCol) Scan(src any) error {
	if src == nil {
		*c.s = ""
		return nil
	}
	s, ok := textOf(src)
	if !ok {
		return fmt.Errorf("sqlstore: text column holds %T", src)
	}
	*c.s = s
	return nil
}

type jsonCol struct{ v any }

func (c jsonCol) Scan(src any) error {
	s, ok := textOf(src)
	if !ok {
		return fmt.Errorf("sqlstore: JSON column holds %T", src)
	}
	if err := json.Unmarshal([]byte(s), c.v); err != nil {
		return fmt.Errorf("sqlstore: JSON column: %w", err)
	}
	return nil
}

func textOf(src any) (string, bool) {
	switch v := src.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", false
}

// IDs: 48 bits of Unix milliseconds then 80 random bits, in lower-case
// Crockford base32 (26 characters, URL-safe, no padding). Within a process
// each ID is greater than the last even inside one millisecond (the random
// part is incremented), so ORDER BY id is creation order for one server and
// roughly so across replicas — which is all a cursor needs.
var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

var ids struct {
	sync.Mutex
	last [16]byte
}

func newID() string {
	ids.Lock()
	defer ids.Unlock()
	ms := uint64(time.Now().UnixMilli())
	lastMS := binary.BigEndian.Uint64(ids.last[:8]) >> 16
	var id [16]byte
	if ms > lastMS {
		binary.BigEndian.PutUint64(id[:8], ms<<16)
		rand.Read(id[6:]) // never fails (crypto/rand panics instead)
	} else {
		// Same millisecond, or the clock stepped back: last + 1.
		id = ids.last
		for i := 15; i >= 0; i-- {
			id[i]++
			if id[i] != 0 {
				break
			}
		}
	}
	ids.last = id
	return idEncoding.EncodeToString(id[:])
}

// Cursors are opaque to callers: base64url of the sort key of the last row
// served, fields separated by "|", then a check of 4 bytes (SHA-256), so
// that a cursor this store did not hand out — garbage, truncated, edited —
// is ErrInvalidCursor, not a page from nowhere. They carry no secrets, only
// positions: a forged one only moves the caller within its own results.
func encodeCursor(fields ...string) string {
	body := []byte(strings.Join(fields, "|"))
	sum := sha256.Sum256(body)
	return base64.RawURLEncoding.EncodeToString(append(body, sum[:cursorCheck]...))
}

const (
	cursorCheck = 4
	maxCursor   = 1024
)

func decodeCursor(cursor string, n int) ([]string, error) {
	if len(cursor) > maxCursor {
		return nil, store.ErrInvalidCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) <= cursorCheck {
		return nil, store.ErrInvalidCursor
	}
	body, check := b[:len(b)-cursorCheck], b[len(b)-cursorCheck:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:cursorCheck], check) {
		return nil, store.ErrInvalidCursor
	}
	f := strings.Split(string(body), "|")
	if len(f) != n {
		return nil, store.ErrInvalidCursor
	}
	for _, s := range f {
		if s == "" {
			return nil, store.ErrInvalidCursor
		}
	}
	return f, nil
}

const (
	defaultLimit = 50
	maxLimit     = 500
)

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// prefixRange turns a prefix into the half-open range [lo, hi) of strings
// that start with it, which both databases can answer from an index
// (LIKE 'p%' cannot use one under PostgreSQL's default operator class).
// Prefixes here are area codes: digits, so the last byte never overflows.
func prefixRange(prefix string) (lo, hi string) {
	b := []byte(prefix)
	b[len(b)-1]++
	return prefix, string(b)
}

// randomToken is 128 random bits in lower-case base32: an identifier that
// says nothing about when or by whom it was made and cannot be guessed.
func randomToken() string {
	var b [16]byte
	rand.Read(b[:])
	return strings.ToLower(strings.TrimRight(base32.StdEncoding.EncodeToString(b[:]), "="))
}

// trimPage cuts a page read with LIMIT limit+1 to limit rows; the extra row
// says there is a next page, whose cursor cursorOf makes from the last row
// kept. "" means the page is the last.
func trimPage[T any](rows []T, limit int, cursorOf func(last T) string) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, cursorOf(rows[limit-1])
}
