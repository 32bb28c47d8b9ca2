// Package privatefile writes files only their owner may read — tokens,
// passwords, half-typed filings — atomically: a temporary file made 0600 in
// the same directory, synced, then renamed over the old one, so the
// contents are never readable by others even for a moment, and a crash
// leaves either the old file or the new one, never half of either.
package privatefile

import (
	"os"
	"path/filepath"
	"runtime"
)

// Write replaces path with data, mode 0600.
func Write(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+"-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
