// Hosting subjects: one per account, with their change requests.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

const subjectCols = `account_id, state, version, data, cert_number, area_code, return_reason,
	submitted_at, approved_at, created_at, updated_at`

// PutSubject inserts (expectVersion 0) or updates the subject guarded by its
// version. An empty State becomes draft. Inserting a subject the account
// already has is ErrVersionConflict: the caller's "none yet" was stale.
func (s *Store) PutSubject(ctx context.Context, sub *store.Subject, expectVersion int) error {
	v := *sub
	if v.State == "" {
		v.State = filing.SubjectDraft
	}
	data, err := jsonArg(v.Data)
	if err != nil {
		return err
	}
	v.UpdatedAt = s.stamp()
	if expectVersion == 0 {
		v.Version, v.CreatedAt = 1, v.UpdatedAt
		_, err = s.exec(ctx, "INSERT INTO subjects ("+subjectCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			v.AccountID, string(v.State), v.Version, data, textArg(v.CertNumber), v.AreaCode, v.ReturnReason,
			timeArg(v.SubmittedAt), timeArg(v.ApprovedAt), formatTime(v.CreatedAt), formatTime(v.UpdatedAt))
		if store.IsConflict(err, subjectExists) {
			return store.ErrVersionConflict
		}
	} else {
		v.Version = expectVersion + 1
		err = s.get(ctx, `UPDATE subjects SET state = ?, version = ?, data = ?, cert_number = ?, area_code = ?,
				return_reason = ?, submitted_at = ?, approved_at = ?, updated_at = ?
			WHERE account_id = ? AND version = ? RETURNING created_at`,
			[]any{string(v.State), v.Version, data, textArg(v.CertNumber), v.AreaCode, v.ReturnReason,
				timeArg(v.SubmittedAt), timeArg(v.ApprovedAt), formatTime(v.UpdatedAt), v.AccountID, expectVersion},
			timeCol{&v.CreatedAt})
		if errors.Is(err, store.ErrNotFound) {
			return s.staleOrMissing(ctx, "subjects", "account_id", v.AccountID)
		}
	}
	if err != nil {
		return err
	}
	*sub = v
	return nil
}

func (s *Store) Subject(ctx context.Context, accountID string) (store.Subject, error) {
	var v store.Subject
	err := s.get(ctx, "SELECT "+subjectCols+" FROM subjects WHERE account_id = ?", []any{accountID},
		&v.AccountID, &v.State, &v.Version, jsonCol{&v.Data}, textCol{&v.CertNumber}, &v.AreaCode, &v.ReturnReason,
		nullTimeCol{&v.SubmittedAt}, nullTimeCol{&v.ApprovedAt}, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt})
	return v, err
}

// SubjectByCert finds the approved subject holding a normalised
// certificate number.
func (s *Store) SubjectByCert(ctx context.Context, cert string) (store.Subject, error) {
	var v store.Subject
	err := s.get(ctx, "SELECT "+subjectCols+" FROM subjects WHERE cert_number = ? AND state IN ('approved', 'change_under_review')", []any{cert},
		subjectDest(&v)...)
	return v, err
}

// SubjectsByCert lists every subject with a certificate number, whatever
// its state, oldest first.
func (s *Store) SubjectsByCert(ctx context.Context, cert string) ([]store.Subject, error) {
	var out []store.Subject
	err := s.list(ctx, "SELECT "+subjectCols+" FROM subjects WHERE cert_number = ? ORDER BY created_at, account_id", []any{cert},
		func(r *sql.Rows) error {
			var v store.Subject
			if err := r.Scan(subjectDest(&v)...); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	return out, err
}

func subjectDest(v *store.Subject) []any {
	return []any{&v.AccountID, &v.State, &v.Version, jsonCol{&v.Data}, textCol{&v.CertNumber}, &v.AreaCode, &v.ReturnReason,
		nullTimeCol{&v.SubmittedAt}, nullTimeCol{&v.ApprovedAt}, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}}
}
