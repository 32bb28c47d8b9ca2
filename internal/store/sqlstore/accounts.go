package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/beian-dev/beian/internal/accountrules"
	"github.com/beian-dev/beian/internal/store"
)

const accountCols = "id, login, mobile, email, email_verified, password_hash, role, area_prefix, created_at"

func accountDest(a *store.Account) []any {
	return []any{&a.ID, &a.Login, textCol{&a.Mobile}, &a.Email, &a.EmailVerified, &a.PasswordHash,
		&a.Role, &a.AreaPrefix, timeCol{&a.CreatedAt}}
}

// CreateAccount inserts a; an empty Role becomes "sponsor".
func (s *Store) CreateAccount(ctx context.Context, a *store.Account) error {
	acc := *a
	if acc.ID == "" {
		acc.ID = newID()
	}
	if acc.Role == "" {
		acc.Role = "sponsor"
	}
	acc.CreatedAt = s.stamp()
	_, err := s.exec(ctx, "INSERT INTO accounts ("+accountCols+", login_fold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		acc.ID, acc.Login, textArg(acc.Mobile), acc.Email, acc.EmailVerified, acc.PasswordHash,
		acc.Role, acc.AreaPrefix, formatTime(acc.CreatedAt), accountrules.FoldLogin(acc.Login))
	if err != nil {
		return err
	}
	*a = acc
	return nil
}

func (s *Store) accountBy(ctx context.Context, col, v string) (store.Account, error) {
	var a store.Account
	err := s.get(ctx, "SELECT "+accountCols+" FROM accounts WHERE "+col+" = ?", []any{v}, accountDest(&a)...)
	return a, err
}

func (s *Store) AccountByID(ctx context.Context, id string) (store.Account, error) {
	return s.accountBy(ctx, "id", id)
}

// AccountByLogin finds the account whose login folds to login's; an account
// that collided with an older one before logins were folded (migration 0008)
// is found by its exact login only.
func (s *Store) AccountByLogin(ctx context.Context, login string) (store.Account, error) {
	a, err := s.accountBy(ctx, "login_fold", accountrules.FoldLogin(login))
	if errors.Is(err, store.ErrNotFound) {
		return s.accountBy(ctx, "login", login)
	}
	return a, err
}

func (s *Store) AccountByMobile(ctx context.Context, mobile string) (store.Account, error) {
	if mobile == "" {
		return store.Account{}, store.ErrNotFound
	}
	return s.accountBy(ctx, "mobile", mobile)
}

// UpdateAccount writes every field but ID and CreatedAt.
func (s *Store) UpdateAccount(ctx context.Context, a *store.Account) error {
	n, err := s.exec(ctx, `UPDATE accounts SET login_fold = CASE WHEN login = ? THEN login_fold ELSE ? END,
		login = ?, mobile = ?, email = ?, email_verified = ?,
		password_hash = ?, role = ?, area_prefix = ? WHERE id = ?`,
		a.Login, accountrules.FoldLogin(a.Login), a.Login, textArg(a.Mobile), a.Email, a.EmailVerified, a.PasswordHash, a.Role, a.AreaPrefix, a.ID)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	return err
}

// CreateToken stores a token; a zero CreatedAt becomes now.
func (s *Store) CreateToken(ctx context.Context, t store.Token) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.stamp()
	}
	_, err := s.exec(ctx, "INSERT INTO tokens (hash, account_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
		t.Hash, t.AccountID, formatTime(t.ExpiresAt), formatTime(t.CreatedAt))
	return err
}

func (s *Store) TokenByHash(ctx context.Context, hash string) (store.Token, error) {
	var t store.Token
	err := s.get(ctx, "SELECT hash, account_id, expires_at, created_at FROM tokens WHERE hash = ?", []any{hash},
		&t.Hash, &t.AccountID, timeCol{&t.ExpiresAt}, timeCol{&t.CreatedAt})
	return t, err
}

// sessionQuery joins the token to its account: one statement per
// authenticated request instead of two.
const sessionQuery = "SELECT t.hash, t.account_id, t.expires_at, t.created_at, " +
	"a.id, a.login, a.mobile, a.email, a.email_verified, a.password_hash, a.role, a.area_prefix, a.created_at " +
	"FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = ?"

func (s *Store) Session(ctx context.Context, tokenHash string) (store.Token, store.Account, error) {
	var t store.Token
	var a store.Account
	dest := append([]any{&t.Hash, &t.AccountID, timeCol{&t.ExpiresAt}, timeCol{&t.CreatedAt}}, accountDest(&a)...)
	err := s.get(ctx, sessionQuery, []any{tokenHash}, dest...)
	return t, a, err
}

func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	n, err := s.exec(ctx, "DELETE FROM tokens WHERE hash = ?", hash)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	return err
}

func (s *Store) PutVerificationCode(ctx context.Context, c store.VerificationCode) error {
	_, err := s.exec(ctx, `INSERT INTO verification_codes (channel, to_addr, purpose, code_hash, attempts, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel, to_addr, purpose) DO UPDATE SET
			code_hash = excluded.code_hash, attempts = excluded.attempts, expires_at = excluded.expires_at`,
		c.Channel, c.To, c.Purpose, c.CodeHash, c.Attempts, formatTime(c.ExpiresAt))
	return err
}

func (s *Store) VerificationCode(ctx context.Context, channel, to, purpose string) (store.VerificationCode, error) {
	var c store.VerificationCode
	err := s.get(ctx, `SELECT channel, to_addr, purpose, code_hash, attempts, expires_at FROM verification_codes
		WHERE channel = ? AND to_addr = ? AND purpose = ?`, []any{channel, to, purpose},
		&c.Channel, &c.To, &c.Purpose, &c.CodeHash, &c.Attempts, timeCol{&c.ExpiresAt})
	return c, err
}

func (s *Store) UpdateVerificationAttempts(ctx context.Context, channel, to, purpose string, attempts int) error {
	n, err := s.exec(ctx, `UPDATE verification_codes SET attempts = ? WHERE channel = ? AND to_addr = ? AND purpose = ?`,
		attempts, channel, to, purpose)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	return err
}

// DeleteVerificationCode removes a used code; removing none is not an error.
func (s *Store) DeleteVerificationCode(ctx context.Context, channel, to, purpose string) error {
	_, err := s.exec(ctx, `DELETE FROM verification_codes WHERE channel = ? AND to_addr = ? AND purpose = ?`,
		channel, to, purpose)
	return err
}

// ---- Security limits ----

// HitLimit records one event under key at at and counts key's events at or
// after since, this one included. Insert first, count second: of a
// concurrent burst, at most the limit see a count within it.
func (s *Store) HitLimit(ctx context.Context, key string, at, since time.Time) (int, error) {
	if _, err := s.exec(ctx, "INSERT INTO limit_events (lim_key, at) VALUES (?, ?)", key, formatTime(at)); err != nil {
		return 0, err
	}
	n, _, err := s.LimitEvents(ctx, key, since)
	return n, err
}

// LimitEvents counts key's events at or after since and returns the newest.
func (s *Store) LimitEvents(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var n int
	var newest *time.Time
	err := s.get(ctx, "SELECT COUNT(*), MAX(at) FROM limit_events WHERE lim_key = ? AND at >= ?",
		[]any{key, formatTime(since)}, &n, nullTimeCol{&newest})
	if err != nil || newest == nil {
		return n, time.Time{}, err
	}
	return n, *newest, nil
}

// ClearLimit forgets key's events (a right code ends the guessing count).
func (s *Store) ClearLimit(ctx context.Context, key string) error {
	_, err := s.exec(ctx, "DELETE FROM limit_events WHERE lim_key = ?", key)
	return err
}

// DeleteAccountTokens revokes every session of an account.
func (s *Store) DeleteAccountTokens(ctx context.Context, accountID string) (int64, error) {
	return s.exec(ctx, "DELETE FROM tokens WHERE account_id = ?", accountID)
}

// Sweep deletes what has outlived its use, table by table.
func (s *Store) Sweep(ctx context.Context, b store.SweepBefore) (int64, error) {
	var total int64
	for _, q := range []struct {
		sql string
		at  time.Time
	}{
		{"DELETE FROM limit_events WHERE at < ?", b.LimitEvents},
		{"DELETE FROM tokens WHERE expires_at < ?", b.Expired},
		{"DELETE FROM verification_codes WHERE expires_at < ?", b.Expired},
		{"DELETE FROM idempotency WHERE created_at < ?", b.Idempotency},
		{"DELETE FROM outbox WHERE sent_at < ?", b.Outbox},
		{"DELETE FROM claim_challenges WHERE expires_at < ?", b.Expired},
	} {
		if q.at.IsZero() {
			continue
		}
		n, err := s.exec(ctx, q.sql, formatTime(q.at))
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
