package sqlstore

import "context"

// PragmaForTest reads a SQLite PRAGMA on one of the store's connections.
func PragmaForTest(ctx context.Context, s *Store, name string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// LatestMigrationForTest is the highest migration number of a dialect.
func LatestMigrationForTest(dialect string) int {
	ms, err := migrations(dialect)
	if err != nil || len(ms) == 0 {
		return -1
	}
	return ms[len(ms)-1].version
}
