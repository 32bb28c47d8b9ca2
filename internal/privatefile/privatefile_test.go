package privatefile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A file is written 0600, replaced whole on a second write, and no
// temporary file is left beside it; a missing directory is an error.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "credentials.yaml")
	for _, data := range []string{"first\n", "second\n"} {
		if err := Write(p, []byte(data)); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != data {
			t.Fatalf("read %q, %v; want %q", b, err, data)
		}
	}
	if st, _ := os.Stat(p); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := Write(filepath.Join(dir, "no", "such", "dir", "f"), []byte("x")); err == nil {
		t.Error("a missing directory was not an error")
	}
}
