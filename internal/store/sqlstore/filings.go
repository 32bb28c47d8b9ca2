package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// ---- Subjects ----

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

// ---- Sites ----

const siteCols = `id, account_id, state, version, data, area_code, record_number, old_record_number,
	import_cert, return_reason, late, submitted_at, recorded_at, created_at, updated_at`

func siteDest(v *store.Site) []any {
	return []any{&v.ID, textCol{&v.AccountID}, &v.State, &v.Version, jsonCol{&v.Data}, &v.AreaCode,
		textCol{&v.RecordNumber}, &v.OldRecordNumber, &v.ImportCert, &v.ReturnReason, &v.Late,
		nullTimeCol{&v.SubmittedAt}, nullTimeCol{&v.RecordedAt}, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}}
}

// CreateSite inserts the site and its domain rows together. An empty State
// becomes draft.
func (s *Store) CreateSite(ctx context.Context, site *store.Site) error {
	v := *site
	if v.ID == "" {
		v.ID = newID()
	}
	if v.State == "" {
		v.State = filing.StateDraft
	}
	v.Version = 1
	v.CreatedAt = s.stamp()
	v.UpdatedAt = v.CreatedAt
	v.Domains = dedupe(v.Domains)
	data, err := jsonArg(v.Data)
	if err != nil {
		return err
	}
	err = s.atomically(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, "INSERT INTO sites ("+siteCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			v.ID, textArg(v.AccountID), string(v.State), v.Version, data, v.AreaCode, textArg(v.RecordNumber),
			v.OldRecordNumber, v.ImportCert, v.ReturnReason, v.Late, timeArg(v.SubmittedAt), timeArg(v.RecordedAt),
			formatTime(v.CreatedAt), formatTime(v.UpdatedAt)); err != nil {
			return err
		}
		return tx.insertDomains(ctx, &v)
	})
	if err != nil {
		return err
	}
	*site = v
	return nil
}

// insertDomains writes one row per domain, one statement each, so that a
// unique violation names the domain that caused it. Rows go in in domain
// order, whatever the site's order: two transactions filing {a, b} and
// {b, a} then wait for each other's index entries in the same order instead
// of deadlocking on PostgreSQL.
func (s *Store) insertDomains(ctx context.Context, v *store.Site) error {
	reserving := store.Reserving(v.State)
	live := v.State != filing.StateCancelled
	order := make([]int, len(v.Domains))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(v.Domains[a], v.Domains[b]) })
	for _, i := range order {
		d := v.Domains[i]
		_, err := s.exec(ctx, `INSERT INTO site_domains (site_id, pos, domain, account_id, reserving, live)
			VALUES (?, ?, ?, ?, ?, ?)`, v.ID, i, d, textArg(v.AccountID), reserving, live)
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			return &store.ConflictError{Constraint: ce.Constraint, Domain: d}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// UpdateSite writes every field of the site guarded by its version and
// rewrites its domain rows to match its domains, account and state.
func (s *Store) UpdateSite(ctx context.Context, site *store.Site, expectVersion int) error {
	v := *site
	v.Version = expectVersion + 1
	v.UpdatedAt = s.stamp()
	v.Domains = dedupe(v.Domains)
	data, err := jsonArg(v.Data)
	if err != nil {
		return err
	}
	err = s.atomically(ctx, func(tx *Store) error {
		err := tx.get(ctx, `UPDATE sites SET account_id = ?, state = ?, version = ?, data = ?, area_code = ?,
				record_number = ?, old_record_number = ?, import_cert = ?, return_reason = ?, late = ?,
				submitted_at = ?, recorded_at = ?, updated_at = ?
			WHERE id = ? AND version = ? RETURNING created_at`,
			[]any{textArg(v.AccountID), string(v.State), v.Version, data, v.AreaCode, textArg(v.RecordNumber),
				v.OldRecordNumber, v.ImportCert, v.ReturnReason, v.Late, timeArg(v.SubmittedAt), timeArg(v.RecordedAt),
				formatTime(v.UpdatedAt), v.ID, expectVersion},
			timeCol{&v.CreatedAt})
		if errors.Is(err, store.ErrNotFound) {
			return tx.staleOrMissing(ctx, "sites", "id", v.ID)
		}
		if err != nil {
			return err
		}
		// Delete and re-insert: a handful of rows, and each insert can name
		// the domain a unique index refuses.
		if _, err := tx.exec(ctx, "DELETE FROM site_domains WHERE site_id = ?", v.ID); err != nil {
			return err
		}
		return tx.insertDomains(ctx, &v)
	})
	if err != nil {
		return err
	}
	*site = v
	return nil
}

// DeleteSite removes a site (drafts); expectVersion 0 deletes whatever the
// version.
func (s *Store) DeleteSite(ctx context.Context, id string, expectVersion int) error {
	q, args := "DELETE FROM sites WHERE id = ?", []any{id}
	if expectVersion != 0 {
		q, args = q+" AND version = ?", append(args, expectVersion)
	}
	n, err := s.exec(ctx, q, args...)
	if err == nil && n == 0 {
		return s.staleOrMissing(ctx, "sites", "id", id)
	}
	return err
}

func (s *Store) Site(ctx context.Context, id string) (store.Site, error) {
	return s.siteWhere(ctx, "id = ?", id)
}

func (s *Store) SiteByRecordNumber(ctx context.Context, number string) (store.Site, error) {
	if number == "" {
		return store.Site{}, store.ErrNotFound
	}
	return s.siteWhere(ctx, "record_number = ?", number)
}

func (s *Store) siteWhere(ctx context.Context, where string, arg any) (store.Site, error) {
	var v store.Site
	if err := s.get(ctx, "SELECT "+siteCols+" FROM sites WHERE "+where, []any{arg}, siteDest(&v)...); err != nil {
		return store.Site{}, err
	}
	sites := []store.Site{v}
	if err := s.fillDomains(ctx, sites); err != nil {
		return store.Site{}, err
	}
	return sites[0], nil
}

// fillDomains loads the domains of sites in one query.
func (s *Store) fillDomains(ctx context.Context, sites []store.Site) error {
	if len(sites) == 0 {
		return nil
	}
	idx := make(map[string]int, len(sites))
	args := make([]any, len(sites))
	for i, v := range sites {
		idx[v.ID] = i
		args[i] = v.ID
	}
	return s.list(ctx, "SELECT site_id, domain FROM site_domains WHERE site_id IN ("+placeholders(len(args))+
		") ORDER BY site_id, pos", args, func(r *sql.Rows) error {
		var id, d string
		if err := r.Scan(&id, &d); err != nil {
			return err
		}
		i := idx[id]
		sites[i].Domains = append(sites[i].Domains, d)
		return nil
	})
}

func (s *Store) ListSites(ctx context.Context, f store.SiteFilter) ([]store.Site, string, error) {
	var where []string
	var args []any
	if f.AccountID != "" {
		where, args = append(where, "account_id = ?"), append(args, f.AccountID)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.Domain != "" {
		where = append(where, "EXISTS (SELECT 1 FROM site_domains d WHERE d.site_id = sites.id AND d.domain = ?)")
		args = append(args, f.Domain)
	}
	if f.AreaPrefix != "" {
		lo, hi := prefixRange(f.AreaPrefix)
		where, args = append(where, "area_code >= ? AND area_code < ?"), append(args, lo, hi)
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, 1)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "id > ?"), append(args, c[0])
	}
	q := "SELECT " + siteCols + " FROM sites"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := pageLimit(f.Limit)
	q += " ORDER BY id LIMIT ?"
	args = append(args, limit+1)
	sites, err := s.scanSites(ctx, q, args)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(sites) > limit {
		sites = sites[:limit]
		next = encodeCursor(sites[limit-1].ID)
	}
	return sites, next, s.fillDomains(ctx, sites)
}

func (s *Store) scanSites(ctx context.Context, q string, args []any) ([]store.Site, error) {
	var sites []store.Site
	err := s.list(ctx, q, args, func(r *sql.Rows) error {
		var v store.Site
		if err := r.Scan(siteDest(&v)...); err != nil {
			return err
		}
		sites = append(sites, v)
		return nil
	})
	return sites, err
}

func (s *Store) SitesByImportCert(ctx context.Context, cert string) ([]store.Site, error) {
	if cert == "" {
		return nil, nil
	}
	sites, err := s.scanSites(ctx, "SELECT "+siteCols+" FROM sites WHERE import_cert = ? ORDER BY id", []any{cert})
	if err != nil {
		return nil, err
	}
	return sites, s.fillDomains(ctx, sites)
}

// domainBatch keeps IN lists well below both databases' parameter limits.
const domainBatch = 500

func (s *Store) DomainHolders(ctx context.Context, domains []string) ([]store.DomainHolder, error) {
	domains = dedupe(domains)
	var out []store.DomainHolder
	for len(domains) > 0 {
		batch := domains[:min(domainBatch, len(domains))]
		domains = domains[len(batch):]
		args := make([]any, len(batch))
		for i, d := range batch {
			args[i] = d
		}
		err := s.list(ctx, `SELECT d.domain, s.id, s.account_id, s.state, s.record_number
			FROM site_domains d JOIN sites s ON s.id = d.site_id
			WHERE d.live AND d.domain IN (`+placeholders(len(args))+`)`, args, func(r *sql.Rows) error {
			var h store.DomainHolder
			if err := r.Scan(&h.Domain, &h.SiteID, textCol{&h.AccountID}, &h.State, textCol{&h.RecordNumber}); err != nil {
				return err
			}
			out = append(out, h)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b store.DomainHolder) int {
		if c := strings.Compare(a.Domain, b.Domain); c != 0 {
			return c
		}
		return strings.Compare(a.SiteID, b.SiteID)
	})
	return out, nil
}

// NextSequence advances the area's counter. The upsert takes the row lock
// of the area on PostgreSQL (and the database write lock on SQLite) until
// the surrounding transaction ends, so concurrent approvers in one area
// queue here, each sees the previous one's committed value, and a rolled
// back approval gives its number back: no gaps, no repeats.
func (s *Store) NextSequence(ctx context.Context, areaCode string) (int, error) {
	if areaCode == "" {
		return 0, errors.New("sqlstore: NextSequence without an area code")
	}
	var n int
	err := s.get(ctx, `INSERT INTO area_sequences (area_code, last_seq) VALUES (?, 1)
		ON CONFLICT (area_code) DO UPDATE SET last_seq = area_sequences.last_seq + 1
		RETURNING last_seq`, []any{areaCode}, &n)
	return n, err
}

// dedupe drops repeated and empty strings, keeping the first occurrence.
func dedupe(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(xs))
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// ---- Change requests ----

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

// ---- Review queue ----

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
	next := ""
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		next = encodeCursor(stamps[limit-1], last.Kind, last.ID)
	}
	return items, next, nil
}

func (s *Store) QueueLength(ctx context.Context) (int, error) {
	var n int
	err := s.get(ctx, "SELECT COUNT(*) FROM ("+reviewQueue+") n", nil, &n)
	return n, err
}
