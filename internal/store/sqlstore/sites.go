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
	sites, next := trimPage(sites, limit, func(last store.Site) string { return encodeCursor(last.ID) })
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

// ---- Review queue ----
