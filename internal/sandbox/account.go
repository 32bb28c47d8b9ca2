package sandbox

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/beian-dev/beian/internal/privatefile"
	"go.yaml.in/yaml/v3"
)

// account is the sandbox's automatic account: a login and a password
// nobody chose, and the last token. It is kept in the sandbox's own
// directory, mode 0600, in the shape the client's credentials file has
// ("servers: {sandbox: {...}}") so that sandboxes made by earlier versions
// keep their account.
type account struct {
	Login    string `yaml:"login,omitempty"`
	Token    string `yaml:"token"`
	Password string `yaml:"password,omitempty"`
}

type accountFile struct {
	Servers map[string]account `yaml:"servers"`
}

const accountKey = "sandbox"

func credentialsFile(dir string) string { return filepath.Join(dir, "sandbox-credentials.yaml") }

// loadAccount reads the account; none is the zero account.
func loadAccount(dir string) (account, error) {
	path := credentialsFile(dir)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return account{}, nil
	}
	if err != nil {
		return account{}, err
	}
	if st, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil { // a password readable by others: repair it
			return account{}, err
		}
	}
	var f accountFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return account{}, err
	}
	return f.Servers[accountKey], nil
}

// saveAccount writes the account atomically, readable by its owner only.
func saveAccount(dir string, a account) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := yaml.Marshal(accountFile{Servers: map[string]account{accountKey: a}})
	if err != nil {
		return err
	}
	return privatefile.Write(credentialsFile(dir), b)
}
