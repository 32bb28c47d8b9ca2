package servercmd

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// EnvPrefix starts the environment variable of every flag:
// --sandbox-fail-percent is BEIAN_SERVER_SANDBOX_FAIL_PERCENT.
const EnvPrefix = "BEIAN_SERVER_"

// envName is the environment variable of a flag.
func envName(flag string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// bindEnv sets every flag of cmd the command line left alone from its
// BEIAN_SERVER_* variable, so flags win over the environment, which wins
// over defaults. A bad value names the variable it came from.
func bindEnv(cmd *cobra.Command, getenv func(string) string) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" || f.Name == "version" {
			return
		}
		v := getenv(envName(f.Name))
		if v == "" {
			return
		}
		if serr := f.Value.Set(v); serr != nil {
			err = usagef("%s=%q: %v", envName(f.Name), v, serr)
			return
		}
		f.Changed = true
	})
	return err
}

// dataDir is where beian-server keeps its files by default:
// $XDG_DATA_HOME/beian, else ~/.local/share/beian.
func dataDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "beian"), nil
	}
	home := getenv("HOME")
	if home == "" {
		home = getenv("USERPROFILE") // Windows
	}
	if home == "" {
		return "", fmt.Errorf("cannot tell where to keep the database: set --db, XDG_DATA_HOME or HOME")
	}
	return filepath.Join(home, ".local", "share", "beian"), nil
}

// defaultDSN is the SQLite database under the data directory.
func defaultDSN(getenv func(string) string) (string, error) {
	dir, err := dataDir(getenv)
	if err != nil {
		return "", err
	}
	return "sqlite:" + filepath.Join(dir, "server.db"), nil
}

// dbFlag is the --db flag every command that opens the database shares.
type dbFlag struct{ dsn string }

func (d *dbFlag) register(fs *pflag.FlagSet) {
	fs.StringVar(&d.dsn, "db", "", "database: `sqlite:PATH` or postgres://USER:PASSWORD@HOST/DB (default sqlite:$XDG_DATA_HOME/beian/server.db)")
}

// resolve returns the DSN to open.
func (d *dbFlag) resolve(getenv func(string) string) (string, error) {
	if d.dsn != "" {
		return d.dsn, nil
	}
	return defaultDSN(getenv)
}

// isPostgres reports whether dsn names a PostgreSQL database.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// redactDSN hides a PostgreSQL password, for messages and logs.
func redactDSN(dsn string) string {
	if !isPostgres(dsn) {
		return dsn
	}
	scheme, rest, _ := strings.Cut(dsn, "://")
	userinfo, host, ok := strings.Cut(rest, "@")
	if !ok {
		return dsn
	}
	if user, _, hasPw := strings.Cut(userinfo, ":"); hasPw {
		return scheme + "://" + user + ":***@" + host
	}
	return dsn
}
