package journal

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

func TestDir(t *testing.T) {
	env := map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}
	get := func(k string) string { return env[k] }
	if got := Dir(get); got != filepath.Join("/s", "beian", "drafts") {
		t.Errorf("with XDG_STATE_HOME: %s", got)
	}
	delete(env, "XDG_STATE_HOME")
	if runtime.GOOS != "windows" {
		if got := Dir(get); got != filepath.Join("/h", ".local", "state", "beian", "drafts") {
			t.Errorf("without: %s", got)
		}
	}
}

func TestSaveLoadRoundTripAndMode(t *testing.T) {
	s := Open(filepath.Join(t.TempDir(), "drafts"))
	e := s.New("https://beian.example.com")
	subject := filingtest.Subject()
	e.Step = "site.network"
	e.Answers = forms.Answers{
		Subject: &subject,
		Site:    filingtest.Site("example.cn"),
		Files:   forms.Files{Certificates: []string{"/tmp/approval.pdf"}},
		Action:  forms.ActionSubmit,
	}
	e.Progress = Progress{CreateKey: "k1", SiteID: "s_9", SiteVersion: 2, Attachments: map[string]filing.Attachment{"/tmp/approval.pdf": {ID: "a_1"}}}
	if err := s.Save(e); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(s.Dir(), e.ID+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	got, err := s.Load(e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers.Subject == nil || got.Answers.Subject.CertNumber != filingtest.UnitUSCC {
		t.Errorf("subject lost: %+v", got.Answers.Subject)
	}
	if got.Answers.Site.PrimaryDomain != "example.cn" || got.Answers.Site.AccessProvider.AreaCode != "330106" {
		t.Errorf("site lost: %+v", got.Answers.Site)
	}
	if got.Progress.CreateKey != "k1" || got.Progress.SiteID != "s_9" || got.Progress.Attachments["/tmp/approval.pdf"].ID != "a_1" {
		t.Errorf("progress lost: %+v", got.Progress)
	}
	if got.Step != "site.network" || got.Server != "https://beian.example.com" || got.Answers.Action != forms.ActionSubmit {
		t.Errorf("entry: %+v", got)
	}
	// No temporary file is left behind.
	des, _ := os.ReadDir(s.Dir())
	if len(des) != 1 {
		t.Errorf("directory holds %d files", len(des))
	}
}

func TestListLatestRemove(t *testing.T) {
	s := Open(t.TempDir())
	clock := time.Date(2024, 3, 20, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	if _, err := s.Latest(); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty store: %v", err)
	}
	a, b := s.New(""), s.New("")
	if a.ID == b.ID {
		t.Fatal("IDs repeat")
	}
	for _, e := range []*Entry{a, b} {
		if err := s.Save(e); err != nil {
			t.Fatal(err)
		}
	}
	a.Step = "site.basics"
	if err := s.Save(a); err != nil { // a is now the latest
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir(), "junk.yaml"), []byte(":\t:"), 0o600); err != nil {
		t.Fatal(err)
	}
	all, err := s.List()
	if err != nil || len(all) != 2 || all[0].ID != a.ID {
		t.Fatalf("List = %v, %v", all, err)
	}
	if l, _ := s.Latest(); l.ID != a.ID {
		t.Errorf("Latest = %s", l.ID)
	}
	if err := s.Remove(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed entry loads: %v", err)
	}
}

func TestIDsCannotEscapeTheDirectory(t *testing.T) {
	s := Open(t.TempDir())
	for _, id := range []string{"../x", "a/b", "", ".hidden", "x.yaml/.."} {
		if _, err := s.Load(id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Load(%q) = %v", id, err)
		}
	}
}
