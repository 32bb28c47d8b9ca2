package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/beian-dev/beian/internal/privatefile"
	"go.yaml.in/yaml/v3"
)

// CredentialsFile is the name of the file holding tokens, beside config.yaml.
const CredentialsFile = "credentials.yaml"

// Credential is what beian keeps after `beian login` for one server.
type Credential struct {
	Login string `yaml:"login,omitempty"`
	Token string `yaml:"token"`
	// Password is kept only for the sandbox's own automatic account, whose
	// password nobody chose; real logins never store one.
	Password string `yaml:"password,omitempty"`
}

// Credentials are the tokens by server URL. The file is written with mode
// 0600 and refused-then-repaired when found looser: a token is a password.
type Credentials struct {
	path    string
	Servers map[string]Credential `yaml:"servers"`
	// Repaired is set when Load found the file readable by others and
	// tightened it; the caller says so on stderr.
	Repaired bool `yaml:"-"`
}

// CredentialsPath is the credentials file inside dir.
func CredentialsPath(dir string) string { return filepath.Join(dir, CredentialsFile) }

// LoadCredentials reads the credentials file at path; a missing file is empty.
func LoadCredentials(path string) (*Credentials, error) {
	c := &Credentials{path: path, Servers: map[string]Credential{}}
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("credentials file %s is readable by others (mode %v) and could not be repaired: %w", path, st.Mode().Perm(), err)
		}
		c.Repaired = true
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", path, err)
	}
	if c.Servers == nil {
		c.Servers = map[string]Credential{}
	}
	return c, nil
}

// Path is where the credentials live.
func (c *Credentials) Path() string { return c.path }

// Get returns the credential for server.
func (c *Credentials) Get(server string) (Credential, bool) {
	cr, ok := c.Servers[server]
	return cr, ok && cr.Token != ""
}

// Put stores a credential for server and saves the file.
func (c *Credentials) Put(server string, cr Credential) error {
	c.Servers[server] = cr
	return c.Save()
}

// Delete forgets server's credential and saves the file.
func (c *Credentials) Delete(server string) error {
	delete(c.Servers, server)
	return c.Save()
}

// Save writes the file atomically with mode 0600: a temporary file created
// 0600 in the same directory, then renamed over the old one, so the token is
// never readable by others even for a moment.
func (c *Credentials) Save() error {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return err
	}
	b, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	return privatefile.Write(c.path, b)
}
