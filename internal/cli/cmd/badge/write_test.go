package badge

import (
	"os"
	"path/filepath"
	"testing"
)

// Issue 23, finding 14: badge --inject replaced a symbolic link with a
// regular file (the real target never got the badge) and replaced a 0444
// file the user could not write.
func TestAttack23_14InjectWritesThroughLinksAndRespectsModes(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.html")
	if err := os.WriteFile(target, []byte("<footer></footer>"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "index.html")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := writeKeepingMode(link, []byte("<footer>badge</footer>")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); string(b) != "<footer>badge</footer>" {
		t.Errorf("the link's target holds %q", b)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	ro := filepath.Join(dir, "ro.html")
	if err := os.WriteFile(ro, []byte("<footer></footer>"), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := writeKeepingMode(ro, []byte("changed")); err == nil {
		t.Error("a read-only file was replaced")
	}
	if b, _ := os.ReadFile(ro); string(b) != "<footer></footer>" {
		t.Errorf("the read-only file holds %q", b)
	}
}
