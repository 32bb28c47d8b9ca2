package sqlstore

import "context"

// PragmaForTest reads a SQLite PRAGMA on one of the store's connections.
func PragmaForTest(ctx context.Context, s *Store, name string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}
