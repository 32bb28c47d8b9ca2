package fleet

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/beian-dev/beian/internal/client"
)

// Journal is an apply's record of the Idempotency-Keys it used, kept so
// that an apply cut short (a crash, a kill, a lost network) and run again
// with --resume repeats the same requests: the server answers a repeated
// key with its first answer, so nothing is filed twice. It is an
// append-only file of JSON lines, one per step event, fsynced before the
// request it keys is sent; a half-written last line (a kill mid-write) is
// ignored. It is removed when an apply ends with every step done.
type Journal struct {
	path    string
	mu      sync.Mutex
	f       *os.File
	entries map[string]*Entry
}

// Entry is one site's (or subject's) keys. Hash is the content the keys
// were made for: a resumed step with other content gets fresh keys, since
// the server refuses a key reused for another request.
type Entry struct {
	ID     string `json:"id"` // "subject/key", or "subject/" for the hosting subject
	Hash   string `json:"hash"`
	Create string `json:"create,omitempty"`
	Submit string `json:"submit,omitempty"`
	Amend  string `json:"amend,omitempty"`
	Cancel string `json:"cancel,omitempty"`
	Done   bool   `json:"done,omitempty"`
}

// ErrUnfinished says an earlier apply of the same fleet did not finish.
var ErrUnfinished = errors.New("apply_unfinished")

// ErrNothingToResume says --resume found no journal for the fleet.
var ErrNothingToResume = errors.New("nothing_to_resume")

// JournalDir is where apply journals live, under the state directory
// (the one `beian file` journals to).
func JournalDir(stateDir string) string { return filepath.Join(filepath.Dir(stateDir), "apply") }

// JournalPath is the journal of the fleet read from files, against server.
func JournalPath(dir, server string, files []string) string {
	abs := make([]string, len(files))
	for i, f := range files {
		abs[i], _ = filepath.Abs(f)
	}
	slices.Sort(abs)
	sum := sha256.Sum256([]byte(server + "\n" + strings.Join(abs, "\n")))
	return filepath.Join(dir, hex.EncodeToString(sum[:8])+".jsonl")
}

// OpenJournal opens the journal at path. An existing one is refused with
// ErrUnfinished unless resume is set; resume without one is
// ErrNothingToResume.
func OpenJournal(path string, resume bool) (*Journal, error) {
	j := &Journal{path: path, entries: map[string]*Entry{}}
	b, err := os.ReadFile(path)
	switch {
	case err == nil && !resume:
		return nil, fmt.Errorf("%w: %s", ErrUnfinished, path)
	case errors.Is(err, os.ErrNotExist) && resume:
		return nil, ErrNothingToResume
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var e Entry
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.ID == "" {
			continue // a line cut short by a kill
		}
		j.entries[e.ID] = &e
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	j.f, err = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		_, _ = j.f.WriteString("\n") // end the cut line so the next one parses
	}
	return j, nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Keys returns the entry for id and content hash, with fresh keys when
// there is none or it was for other content, and records it before any
// request uses it.
func (j *Journal) Keys(id, hash string) (Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if e, ok := j.entries[id]; ok && e.Hash == hash {
		return *e, nil
	}
	e := &Entry{ID: id, Hash: hash, Create: client.NewIdempotencyKey(), Submit: client.NewIdempotencyKey(),
		Amend: client.NewIdempotencyKey(), Cancel: client.NewIdempotencyKey()}
	if err := j.append(e); err != nil {
		return Entry{}, err
	}
	j.entries[id] = e
	return *e, nil
}

// Done records that id's step finished.
func (j *Journal) Done(id string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	e, ok := j.entries[id]
	if !ok {
		return nil
	}
	c := *e
	c.Done = true
	if err := j.append(&c); err != nil {
		return err
	}
	j.entries[id] = &c
	return nil
}

// Entries returns a copy of every entry, for tests and `apply --resume`'s
// report.
func (j *Journal) Entries() map[string]Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make(map[string]Entry, len(j.entries))
	for k, v := range j.entries {
		out[k] = *v
	}
	return out
}

func (j *Journal) append(e *Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return err
	}
	return j.f.Sync()
}

// Close closes the journal; with remove it is deleted (the apply finished).
func (j *Journal) Close(remove bool) error {
	err := j.f.Close()
	if remove {
		if rerr := os.Remove(j.path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			return rerr
		}
	}
	return err
}

// contentHash identifies the content a step sends.
func contentHash(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}
