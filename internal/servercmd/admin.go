package servercmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/store/sqlstore"
)

// operator is the actor of the administrative commands in the audit
// trail: whoever runs beian-server on the machine acts as an admin.
var operator = platform.Actor{AccountID: "beian-server", Role: api.RoleAdmin}

// cheapPasswordHashing makes every desk hash passwords with tiny argon2id
// parameters. Tests only; set in TestMain.
var cheapPasswordHashing bool

// adminDeskOptions are the desk's options for the one-shot commands.
func adminDeskOptions() platform.Options {
	return platform.Options{CheapPasswordHashing: cheapPasswordHashing}
}

func newMigrateCmd(e *env) *cobra.Command {
	var db dbFlag
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date",
		Long: "Apply the embedded migrations the database lacks. serve does the same at start-up;\n" +
			"run migrate first when several replicas share one PostgreSQL, or to check a DSN.\n" +
			"Safe to run while servers are running and from several places at once.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, dsn, err := openDB(cmd.Context(), e, &db, "migrate", nil)
			if err != nil {
				return err
			}
			defer st.Close()
			v, err := st.SchemaVersion(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s: schema version %d\n", redactDSN(dsn), v)
			return nil
		},
	}
	db.register(cmd.Flags())
	return cmd
}

func newUserCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage reviewer and admin accounts",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newUserAddCmd(e))
	return cmd
}

type userAddOptions struct {
	db            dbFlag
	login         string
	mobile        string
	email         string
	password      string
	passwordStdin bool
	role          string
	area          string
}

func newUserAddCmd(e *env) *cobra.Command {
	o := &userAddOptions{}
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Create a reviewer (scoped to an area) or an admin",
		Example: "  beian-server user add --login wuhan-review --mobile 13800138000 --email review@example.cn \\\n" +
			"      --role reviewer --area 4201 --password-stdin < password.txt",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, f := range []string{"login", "mobile", "email", "role"} {
				if !cmd.Flags().Changed(f) {
					return usagef("--%s is required", f)
				}
			}
			switch {
			case o.passwordStdin && cmd.Flags().Changed("password"):
				return usagef("give --password or --password-stdin, not both")
			case o.passwordStdin:
				line, err := bufio.NewReader(e.stdin).ReadString('\n')
				if err != nil && !errors.Is(err, io.EOF) {
					return fmt.Errorf("read the password from stdin: %w", err)
				}
				o.password = strings.TrimRight(line, "\r\n")
			case !cmd.Flags().Changed("password"):
				return usagef("--password-stdin (or --password, or BEIAN_SERVER_PASSWORD) is required")
			}
			switch api.Role(o.role) {
			case api.RoleReviewer:
				if o.area == "" {
					return usagef("a reviewer needs --area, the GB/T 2260 prefix of its jurisdiction (42, 4201, 420111)")
				}
			case api.RoleAdmin:
				if o.area != "" {
					return usagef("an admin sees every area: drop --area")
				}
			default:
				return usagef("--role must be reviewer or admin (sponsors register themselves)")
			}
			st, _, err := openDB(cmd.Context(), e, &o.db, "open", nil)
			if err != nil {
				return err
			}
			defer st.Close()
			acc, err := platform.New(st, adminDeskOptions()).CreateUser(cmd.Context(), operator, api.UserCreateRequest{
				Login: o.login, Mobile: o.mobile, Email: o.email, Password: o.password,
				Role: api.Role(o.role), AreaPrefix: o.area,
			})
			if err != nil {
				return problemError(err)
			}
			scope := "every area"
			if acc.AreaPrefix != "" {
				scope = "area " + acc.AreaPrefix
			}
			fmt.Fprintf(e.stdout, "created %s %s (%s), id %s\n", acc.Role, acc.Login, scope, acc.ID)
			return nil
		},
	}
	f := cmd.Flags()
	o.db.register(f)
	f.StringVar(&o.login, "login", "", "login `name`")
	f.StringVar(&o.mobile, "mobile", "", "mobile `number`")
	f.StringVar(&o.email, "email", "", "email `address`")
	f.StringVar(&o.password, "password", "", "password (prefer --password-stdin: arguments are visible to other users)")
	f.BoolVar(&o.passwordStdin, "password-stdin", false, "read the password from the first line of stdin")
	f.StringVar(&o.role, "role", "", "reviewer or admin")
	f.StringVar(&o.area, "area", "", "reviewer's jurisdiction: a GB/T 2260 `prefix` (42 = Hubei, 4201 = Wuhan, 420111 = Hongshan)")
	return cmd
}

// problemError turns a desk problem into a message that lists every bad
// field, as the API would.
func problemError(err error) error {
	var p *api.Problem
	if !errors.As(err, &p) {
		return err
	}
	if len(p.Errors) == 0 {
		return fmt.Errorf("%s: %s", p.Code, p.Detail)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s:", p.Code)
	for _, fe := range p.Errors {
		fmt.Fprintf(&b, "\n  --%s: %s (%s)", strings.ReplaceAll(fe.Field, "_", "-"), fe.Message, fe.Code)
	}
	return errors.New(b.String())
}

func newImportCmd(e *env) *cobra.Command {
	var db dbFlag
	cmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Import earlier filings (unrecorded / to_claim) from CSV",
		Long: "Import sites filed with local police before the national platform (SPEC §5). One filing\n" +
			"per line: domain, old record number, subject certificate number, site name; a header line\n" +
			"starting with \"domain\" is skipped. A filing whose certificate number matches an account's\n" +
			"subject is pushed to it as unrecorded; the others wait as to_claim. Re-running an import\n" +
			"skips what is already there. FILE - reads stdin. Bad lines are listed on stderr and make\n" +
			"the exit status 1; the good lines are imported.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := e.stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			st, _, err := openDB(cmd.Context(), e, &db, "open", nil)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := platform.New(st, adminDeskOptions()).Import(cmd.Context(), operator, in)
			for _, le := range res.Errors {
				fmt.Fprintf(e.stderr, "%s:%d: %s: %s\n", args[0], le.Line, le.Code, le.Detail)
			}
			if err != nil {
				return problemError(err)
			}
			fmt.Fprintf(e.stdout, "imported %d unrecorded, %d to_claim; skipped %d already imported\n", res.Unrecorded, res.ToClaim, res.Skipped)
			if n := len(res.Errors); n > 0 {
				return fmt.Errorf("%d line(s) not imported", n)
			}
			return nil
		},
	}
	db.register(cmd.Flags())
	return cmd
}

func newBackupCmd(e *env) *cobra.Command {
	var db dbFlag
	cmd := &cobra.Command{
		Use:   "backup PATH",
		Short: "Copy a SQLite database to PATH while the server runs",
		Long: "Write a consistent copy of the SQLite database to PATH (which must not exist) without\n" +
			"stopping the server. PostgreSQL databases are backed up with pg_dump instead\n" +
			"(docs/operations.md).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, dsn, err := openDB(cmd.Context(), e, &db, "open", func(dsn string) error {
				if isPostgres(dsn) {
					return usagef("backup copies SQLite databases; back PostgreSQL up with pg_dump (docs/operations.md)")
				}
				return nil
			})
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "backed up %s to %s\n", redactDSN(dsn), args[0])
			return nil
		},
	}
	db.register(cmd.Flags())
	return cmd
}

// openStore resolves the --db flag (or its environment variable), lets
// check refuse the database before anything is opened, and opens it,
// naming the database, its password redacted, in the error as verb does.
func openDB(ctx context.Context, e *env, db *dbFlag, verb string, check func(dsn string) error) (*sqlstore.Store, string, error) {
	dsn, err := db.resolve(e.getenv)
	if err != nil {
		return nil, "", err
	}
	if check != nil {
		if err := check(dsn); err != nil {
			return nil, "", err
		}
	}
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, "", fmt.Errorf("%s %s: %w", verb, redactDSN(dsn), err)
	}
	return st, dsn, nil
}
