// Package journal keeps what the user typed into `beian file` so that
// nothing is lost (SPEC §7): the answers are written after every page of the
// form to $XDG_STATE_HOME/beian/drafts/<ID>.yaml (else
// ~/.local/state/beian/drafts), together with what the server has already
// done with them — the site's ID and the idempotency keys of the requests
// sent. A resumed filing re-sends the same keyed requests, so a request that
// reached the server before a failure is answered with its first result
// instead of filing the site twice.
//
// Files are written atomically (a temporary file renamed over the old one)
// with mode 0600: they hold identity numbers and phone numbers.
package journal

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/privatefile"
)

// Entry is one filing in progress.
type Entry struct {
	// ID names the entry: `beian file --resume ID`.
	ID string `yaml:"id"`
	// Server is the server the filing is for ("" or the sandbox URL for
	// the sandbox); a resume against another server starts afresh there.
	Server    string    `yaml:"server"`
	CreatedAt time.Time `yaml:"created_at"`
	UpdatedAt time.Time `yaml:"updated_at"`

	// Step is the last page of the form answered; Complete says the form
	// is done and a resume sends the answers without asking again.
	Step     string        `yaml:"step,omitempty"`
	Complete bool          `yaml:"complete,omitempty"`
	Answers  forms.Answers `yaml:"answers"`
	// Refused are the fields the server (or the final check) refused last
	// time: a resumed form asks their pages again.
	Refused filing.Errors `yaml:"refused,omitempty"`

	// Progress on the server, written before and after each request.
	Progress Progress `yaml:"progress"`
}

// Progress is what has been sent, with the keys to send it again.
type Progress struct {
	// SubjectSaved: PUT /v1/subject succeeded (PUT is idempotent itself).
	SubjectSaved bool `yaml:"subject_saved,omitempty"`
	// SubjectSubmitKey is the Idempotency-Key of POST /v1/subject/submit.
	SubjectSubmitKey string `yaml:"subject_submit_key,omitempty"`
	SubjectSubmitted bool   `yaml:"subject_submitted,omitempty"`
	// Attachments are the files already uploaded, by path.
	Attachments map[string]filing.Attachment `yaml:"attachments,omitempty"`
	// CreateKey is the Idempotency-Key of POST /v1/sites; SiteID and
	// SiteVersion are known once the server answered it.
	CreateKey   string `yaml:"create_key,omitempty"`
	SiteID      string `yaml:"site_id,omitempty"`
	SiteVersion int    `yaml:"site_version,omitempty"`
	// SubmitKey is the Idempotency-Key of POST /v1/sites/{id}/submit.
	SubmitKey string `yaml:"submit_key,omitempty"`
	Submitted bool   `yaml:"submitted,omitempty"`
}

// Dir is where journals live: $XDG_STATE_HOME/beian/drafts, else
// ~/.local/state/beian/drafts (%LocalAppData%\beian\drafts on Windows).
func Dir(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "beian", "drafts")
	}
	if runtime.GOOS == "windows" {
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "beian", "drafts")
		}
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "state", "beian", "drafts")
}

// Store is the journal directory.
type Store struct {
	dir string
	now func() time.Time
}

// Open returns the store in dir; the directory is created on first Save.
func Open(dir string) *Store { return &Store{dir: dir, now: time.Now} }

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// ErrNotFound is returned for an ID with no journal.
var ErrNotFound = errors.New("no journalled filing with this ID")

// validID keeps IDs to what New makes, so an ID typed on the command line
// can never name a file outside the directory.
var validID = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$`)

// New starts an entry for server with a fresh ID: the date and a random
// suffix ("20240320-3f9c2a"), short enough to type.
func (s *Store) New(server string) *Entry {
	var b [3]byte
	_, _ = rand.Read(b[:])
	now := s.now().UTC()
	return &Entry{ID: now.Format("20060102") + "-" + hex.EncodeToString(b[:]), Server: server, CreatedAt: now, UpdatedAt: now}
}

func (s *Store) path(id string) (string, error) {
	if !validID.MatchString(id) {
		return "", fmt.Errorf("%q: %w", id, ErrNotFound)
	}
	return filepath.Join(s.dir, id+".yaml"), nil
}

// Save writes e atomically with mode 0600, stamping UpdatedAt.
func (s *Store) Save(e *Entry) error {
	p, err := s.path(e.ID)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	e.UpdatedAt = s.now().UTC()
	data, err := yaml.Marshal(e)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	// The answers must survive a crash right after this returns.
	if err := privatefile.Write(p, data); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// Load reads the entry id.
func (s *Store) Load(id string) (*Entry, error) {
	p, err := s.path(id)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var e Entry
	if err := yaml.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("journal %s is unreadable: %w", p, err)
	}
	e.ID = id
	return &e, nil
}

// List returns every entry, the most recently updated first. Unreadable
// files are skipped rather than hiding the others.
func (s *Store) List() ([]*Entry, error) {
	des, err := os.ReadDir(s.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var out []*Entry
	for _, de := range des {
		id, ok := strings.CutSuffix(de.Name(), ".yaml")
		if !ok || de.IsDir() || !validID.MatchString(id) {
			continue
		}
		if e, err := s.Load(id); err == nil {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *Entry) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	return out, nil
}

// Latest returns the most recently updated entry, or ErrNotFound.
func (s *Store) Latest() (*Entry, error) {
	all, err := s.List()
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, ErrNotFound
	}
	return all[0], nil
}

// Remove deletes the entry id: the filing went through.
func (s *Store) Remove(id string) error {
	p, err := s.path(id)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}
