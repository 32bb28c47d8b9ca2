// Change requests and the review queue.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

const changeCols = "id, site_id, kind, state, proposed, changes, reason, created_at, decided_at"

const subjectChangeCols = "id, account_id, kind, state, proposed, changes, reason, created_at, decided_at"

// CreateChangeRequest inserts a site's request into change_requests and a
// subject's (SiteID "", AccountID set) into subject_change_requests: each table's
// partial unique index keeps one open request per site or per subject.
func (s *Store) CreateChangeRequest(ctx context.Context, c *store.ChangeRequest) error {
	v := *c
	if v.ID == "" {
		v.ID = newID()
	}
	if v.State == "" {
		v.State = "open"
	}
	v.CreatedAt = s.stamp()
	if subjectChange(&v) {
		if v.ProposedSubject == nil {
			return errors.New("sqlstore: a subject change request without ProposedSubject")
		}
		proposed, err := jsonArg(v.ProposedSubject)
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, "INSERT INTO subject_change_requests ("+subjectChangeCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			v.ID, v.AccountID, v.Kind, v.State, proposed, string(v.Changes), v.Reason, formatTime(v.CreatedAt),
			timeArg(v.DecidedAt)); err != nil {
			return err
		}
		*c = v
		return nil
	}
	proposed, err := jsonArg(v.Proposed)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, "INSERT INTO change_requests ("+changeCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		v.ID, v.SiteID, v.Kind, v.State, proposed, string(v.Changes), v.Reason, formatTime(v.CreatedAt),
		timeArg(v.DecidedAt)); err != nil {
		return err
	}
	*c = v
	return nil
}

func (s *Store) OpenChangeRequest(ctx context.Context, siteID string) (store.ChangeRequest, error) {
	var v store.ChangeRequest
	var changes string
	err := s.get(ctx, "SELECT "+changeCols+" FROM change_requests WHERE site_id = ? AND state = 'open'", []any{siteID},
		&v.ID, &v.SiteID, &v.Kind, &v.State, jsonCol{&v.Proposed}, &changes, &v.Reason,
		timeCol{&v.CreatedAt}, nullTimeCol{&v.DecidedAt})
	if changes != "" {
		v.Changes = []byte(changes)
	}
	return v, err
}

// subjectChange tells a subject's request (no site, an account) from a
// site's.
func subjectChange(c *store.ChangeRequest) bool { return c.SiteID == "" && c.AccountID != "" }

// OpenSubjectChangeRequest is the open key change of an account's subject.
func (s *Store) OpenSubjectChangeRequest(ctx context.Context, accountID string) (store.ChangeRequest, error) {
	var v store.ChangeRequest
	var changes string
	var proposed filing.Subject
	err := s.get(ctx, "SELECT "+subjectChangeCols+" FROM subject_change_requests WHERE account_id = ? AND state = 'open'", []any{accountID},
		&v.ID, &v.AccountID, &v.Kind, &v.State, jsonCol{&proposed}, &changes, &v.Reason,
		timeCol{&v.CreatedAt}, nullTimeCol{&v.DecidedAt})
	if err != nil {
		return store.ChangeRequest{}, err
	}
	v.ProposedSubject = &proposed
	if changes != "" {
		v.Changes = []byte(changes)
	}
	return v, nil
}

// UpdateChangeRequest writes the decision, in the table of the request's
// kind (subjectChange).
func (s *Store) UpdateChangeRequest(ctx context.Context, c *store.ChangeRequest) error {
	table, proposedValue := "change_requests", any(c.Proposed)
	if subjectChange(c) {
		if c.ProposedSubject == nil {
			return errors.New("sqlstore: a subject change request without ProposedSubject")
		}
		table, proposedValue = "subject_change_requests", c.ProposedSubject
	}
	proposed, err := jsonArg(proposedValue)
	if err != nil {
		return err
	}
	n, err := s.exec(ctx, `UPDATE `+table+` SET state = ?, proposed = ?, changes = ?, reason = ?, decided_at = ?
		WHERE id = ?`, c.State, proposed, string(c.Changes), c.Reason, timeArg(c.DecidedAt), c.ID)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	return err
}

// reviewQueue is every filing waiting for a reviewer, with the time it has
// waited since: subjects and new sites from their submission, changes and
// cancellations from their open request. A subject's key change is listed
// as kind subject too: the reviewer decides it on the subject's routes.
const reviewQueue = `SELECT kind, id, area_code, submitted_at FROM (
	SELECT 'subject' AS kind, s.account_id AS id, s.area_code, COALESCE(c.created_at, s.submitted_at, s.updated_at) AS submitted_at
	FROM subjects s LEFT JOIN subject_change_requests c ON c.account_id = s.account_id AND c.state = 'open'
	WHERE s.state IN ('under_review', 'change_under_review')
	UNION ALL
	SELECT CASE s.state WHEN 'under_review' THEN 'site' WHEN 'change_under_review' THEN 'change' ELSE 'cancel' END,
		s.id, s.area_code, COALESCE(c.created_at, s.submitted_at, s.updated_at)
	FROM sites s LEFT JOIN change_requests c ON c.site_id = s.id AND c.state = 'open'
	WHERE s.state IN ('under_review', 'change_under_review', 'cancel_under_review')
) q`

func (s *Store) ReviewQueue(ctx context.Context, areaPrefix, kind string, p store.Page) ([]store.ReviewItem, string, error) {
	var where []string
	var args []any
	if areaPrefix != "" {
		lo, hi := prefixRange(areaPrefix)
		where, args = append(where, "area_code >= ? AND area_code < ?"), append(args, lo, hi)
	}
	if kind != "" {
		where, args = append(where, "kind = ?"), append(args, kind)
	}
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor, 3)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "(submitted_at, kind, id) > (?, ?, ?)")
		args = append(args, c[0], c[1], c[2])
	}
	q := reviewQueue
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := pageLimit(p.Limit)
	q += " ORDER BY submitted_at, kind, id LIMIT ?"
	args = append(args, limit+1)
	var items []store.ReviewItem
	var stamps []string // the stored text, for an exact cursor
	err := s.list(ctx, q, args, func(r *sql.Rows) error {
		var it store.ReviewItem
		var at string
		if err := r.Scan(&it.Kind, &it.ID, &it.AreaCode, &at); err != nil {
			return err
		}
		if err := (timeCol{&it.SubmittedAt}).Scan(at); err != nil {
			return err
		}
		items, stamps = append(items, it), append(stamps, at)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	items, next := trimPage(items, limit, func(last store.ReviewItem) string {
		return encodeCursor(stamps[limit-1], last.Kind, last.ID)
	})
	return items, next, nil
}

func (s *Store) QueueLength(ctx context.Context) (int, error) {
	var n int
	err := s.get(ctx, "SELECT COUNT(*) FROM ("+reviewQueue+") n", nil, &n)
	return n, err
}

// SiteCounts counts sites by state and province.
func (s *Store) SiteCounts(ctx context.Context) ([]store.SiteCount, error) {
	var out []store.SiteCount
	err := s.list(ctx, "SELECT state, substr(area_code, 1, 2), COUNT(*) FROM sites GROUP BY state, substr(area_code, 1, 2) ORDER BY 1, 2", nil,
		func(r *sql.Rows) error {
			var c store.SiteCount
			if err := r.Scan(&c.State, &c.Province, &c.N); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	return out, err
}
