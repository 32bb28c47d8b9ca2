// Package acceptance runs beian's acceptance scripts (testscript): the real
// `beian` main, run as a program, against a real filing server on
// 127.0.0.1:0 (internal/server/servertest) with the sandbox switches on
// (automatic review on demand, return.test, and in fault_* scripts a share
// of requests answered 503). Each script in testdata gets its own server and
// its own sponsor, signed in through BEIAN_TOKEN.
//
// Commands scripts can use besides testscript's own:
//
//	beian ARGS...              the program
//	beian-exits CODE ARGS...   the program, passing only if it exits CODE
//	mksite DOMAIN STATE        file a site as the sponsor: draft, submitted or recorded
//	review                     run the server's automatic review now
//	jsonvalid                  stdout is one JSON document
//	htmlvalid                  stdout parses as HTML with a link
//	mode PERM FILE             FILE has permission bits PERM (octal)
//	faults                     the server injected at least one 503
//	sleep DURATION             pause
//	marklog SUBSTRING          remember how often the server's log holds SUBSTRING
//	awaitlog SUBSTRING         wait until it holds it more often (a background command got going)
package acceptance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/net/html"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server/servertest"
	"github.com/beian-dev/beian/internal/store/storetest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"beian":       func() { os.Exit(cli.Main()) },
		"beian-exits": func() { os.Exit(exitsMain()) },
	})
}

// exitsMain is `beian-exits CODE ARGS...`: beian with ARGS, successful
// exactly when beian exits CODE, so scripts can assert every exit code.
func exitsMain() int {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: beian-exits CODE ARGS...")
		return 100
	}
	want, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "beian-exits: bad code:", os.Args[1])
		return 100
	}
	os.Args = append([]string{"beian"}, os.Args[2:]...)
	if got := cli.Main(); got != want {
		fmt.Fprintf(os.Stderr, "beian-exits: beian exited %d, want %d\n", got, want)
		return 1
	}
	return 0
}

func TestScripts(t *testing.T) {
	runScripts(t, "*.txtar", servertest.SQLite())
}

// TestJourneysPostgres runs the lifecycle journeys once more on PostgreSQL
// (skipped without BEIAN_TEST_POSTGRES_URL, failed without it under
// BEIAN_TEST_REQUIRE_POSTGRES=1).
func TestJourneysPostgres(t *testing.T) {
	storetest.PostgresURL(t)
	runScripts(t, "journey_*.txtar", servertest.Postgres())
}

func runScripts(t *testing.T, glob string, db servertest.Option) {
	files, err := filepath.Glob(filepath.Join("testdata", glob))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sandboxed := servertest.Sandbox(platform.SandboxOptions{})
			opts := []servertest.Option{sandboxed, db}
			var hooks *hookReceiver
			if strings.Contains(name, "webhook") {
				opts = append(opts, servertest.Webhooks(50*time.Millisecond))
				hooks = newHookReceiver()
				t.Cleanup(hooks.srv.Close)
			}
			setup := servertest.Start(t, opts...)
			srv := setup
			if strings.HasPrefix(name, "fault") {
				// A second server on the same database injects the 503s;
				// the script's own set-up (accounts, mksite) goes through
				// the first, which does not.
				srv = servertest.Start(t, sandboxed, servertest.DSN(setup.DSN), servertest.FaultEvery(4))
			}
			login := "sponsor-" + strings.ReplaceAll(name, "_", "-")
			sponsor := setup.RegisterSponsor(t, login)
			c, err := client.New(client.Options{BaseURL: setup.URL, Token: sponsor.Token})
			mark := 0 // count of a log substring at the last marklog
			if err != nil {
				t.Fatal(err)
			}
			// Journeys meet the other roles: a reviewer of the sponsor's
			// area (Hubei, 42), one of another (Beijing, 11), an admin and
			// a second sponsor.
			var reviewer, otherReviewer, admin, stranger *servertest.User
			if strings.HasPrefix(name, "journey") {
				reviewer = setup.CreateReviewer(t, "reviewer42", "42")
				otherReviewer = setup.CreateReviewer(t, "reviewer11", "11")
				admin = setup.CreateAdmin(t, "admin1")
				stranger = setup.RegisterSponsor(t, "stranger1")
			}
			// Fleets are filed by one account per subject.
			fleetUsers := map[string]*servertest.User{}
			if strings.Contains(name, "fleet") {
				for _, fs := range fleetSubjects {
					fleetUsers[fs.id] = setup.RegisterSponsor(t, "fleet-"+fs.id)
				}
			}
			if name == "examples" {
				seedExamples(t, c, srv)
			}
			testscript.Run(t, testscript.Params{
				Files: []string{file},
				Setup: func(e *testscript.Env) error {
					e.Setenv("BEIAN_SERVER", srv.URL)
					e.Setenv("BEIAN_TOKEN", sponsor.Token)
					e.Setenv("SPONSOR_TOKEN", sponsor.Token)
					e.Setenv("SPONSOR_ACCOUNT", sponsor.Account.ID)
					e.Setenv("SPONSOR_MOBILE", sponsor.Mobile)
					e.Setenv("SERVER_URL", srv.URL)
					e.Setenv("SPONSOR_LOGIN", sponsor.Login)
					e.Setenv("SPONSOR_PASSWORD", sponsor.Password)
					if reviewer != nil {
						e.Setenv("REVIEWER_TOKEN", reviewer.Token)
						e.Setenv("OTHER_REVIEWER_TOKEN", otherReviewer.Token)
						e.Setenv("ADMIN_TOKEN", admin.Token)
						e.Setenv("STRANGER_TOKEN", stranger.Token)
					}
					for id, u := range fleetUsers {
						e.Setenv("FLEET_"+strings.ToUpper(id)+"_TOKEN", u.Token)
						e.Setenv("FLEET_"+strings.ToUpper(id)+"_ACCOUNT", u.Account.ID)
					}
					if hooks != nil {
						e.Setenv("RECEIVER_URL", hooks.srv.URL+"/beian-events")
					}
					e.Setenv("HOME", e.WorkDir)
					e.Setenv("BEIAN_CONFIG_DIR", filepath.Join(e.WorkDir, "config"))
					e.Setenv("XDG_DATA_HOME", filepath.Join(e.WorkDir, "data"))
					e.Setenv("XDG_STATE_HOME", filepath.Join(e.WorkDir, "state"))
					e.Setenv("LANG", "en_US.UTF-8")
					e.Setenv("BEIAN_RETRIES", "8")
					return nil
				},
				Condition: func(cond string) (bool, error) {
					switch cond {
					case "unix":
						return runtime.GOOS != "windows", nil
					}
					return false, fmt.Errorf("unknown condition %q", cond)
				},
				Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
					"genfleet": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) < 2 || len(args) > 3 {
							ts.Fatalf("usage: genfleet yaml|csv|xlsx PREFIX [edited|dup]")
						}
						genFleet(ts, args[0], args[1], strings.Join(args[2:], ""))
					},
					"stdoutenv": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 1 {
							ts.Fatalf("usage: stdoutenv NAME (sets $NAME to the last command's stdout, trimmed)")
						}
						ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile("stdout")))
					},
					"receiver": func(ts *testscript.TestScript, neg bool, args []string) {
						if hooks == nil {
							ts.Fatalf("receiver: only in *webhook* scripts")
						}
						hooks.command(ts, neg, args)
					},
					"gate": func(ts *testscript.TestScript, neg bool, args []string) {
						switch {
						case len(args) == 3 && args[0] == "hold":
							n, err := strconv.Atoi(args[2])
							ts.Check(err)
							srv.Gate.Hold(args[1], n)
						case len(args) == 1 && args[0] == "wait":
							ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
							defer cancel()
							ts.Check(srv.Gate.WaitHeld(ctx))
						case len(args) == 1 && args[0] == "open":
							srv.Gate.Open()
						default:
							ts.Fatalf("usage: gate hold PATH-SUFFIX N | gate wait | gate open")
						}
					},
					"mksite": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 2 {
							ts.Fatalf("usage: mksite DOMAIN draft|submitted|recorded")
						}
						ts.Check(mksite(c, srv, args[0], args[1]))
					},
					"importfiling": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 3 || admin == nil {
							ts.Fatalf("usage (journeys): importfiling DOMAIN OLD_RECORD_NUMBER mine|other")
						}
						cert := "91110108MA01ABCD1X"
						if args[2] == "mine" {
							cert = filingtest.Subject().CertNumber
						}
						ac, err := client.New(client.Options{BaseURL: setup.URL, Token: admin.Token})
						ts.Check(err)
						line := fmt.Sprintf("%s,%s,%s,历史备案网站\n", args[0], args[1], cert)
						res, err := ac.Import(context.Background(), []byte(line))
						ts.Check(err)
						if len(res.Errors) > 0 {
							ts.Fatalf("import: %+v", res.Errors)
						}
					},
					"publish": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 2 {
							ts.Fatalf("usage: publish DOMAIN FILE (DOMAIN serves FILE at /.well-known/beian-claim.txt)")
						}
						body := ts.ReadFile(args[1])
						setup.Publish(args[0], body)
						srv.Publish(args[0], body)
					},
					"siteid": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 1 {
							ts.Fatalf("usage: siteid DOMAIN (sets $SITE_ID)")
						}
						list, err := c.Sites(context.Background(), client.SiteQuery{Domain: args[0], Limit: 10})
						ts.Check(err)
						if len(list.Items) == 0 {
							ts.Fatalf("no site has %s", args[0])
						}
						ts.Setenv("SITE_ID", list.Items[0].ID)
					},
					"examples": func(ts *testscript.TestScript, neg bool, args []string) {
						runExamples(ts, setup.URL, sponsor)
					},
					"smscode": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 1 {
							ts.Fatalf("usage: smscode MOBILE (sets $SMS_CODE)")
						}
						msgs, err := setup.Store.Outbox(context.Background(), args[0])
						ts.Check(err)
						for i := len(msgs) - 1; i >= 0; i-- {
							if msgs[i].Code != "" {
								ts.Setenv("SMS_CODE", msgs[i].Code)
								return
							}
						}
						ts.Fatalf("no code texted to %s", args[0])
					},
					"review": func(ts *testscript.TestScript, neg bool, args []string) {
						_, err := srv.Desk.RunAutoReview(context.Background())
						ts.Check(err)
					},
					"jsonvalid": func(ts *testscript.TestScript, neg bool, args []string) {
						var v any
						dec := json.NewDecoder(strings.NewReader(ts.ReadFile("stdout")))
						err := dec.Decode(&v)
						if err == nil && dec.More() {
							err = errors.New("more than one JSON document")
						}
						if (err == nil) == neg {
							ts.Fatalf("stdout as JSON: %v\n%s", err, ts.ReadFile("stdout"))
						}
					},
					"htmlvalid": func(ts *testscript.TestScript, neg bool, args []string) {
						out := ts.ReadFile("stdout")
						doc, err := html.Parse(strings.NewReader(out))
						if err != nil || !hasLink(doc) {
							ts.Fatalf("stdout is not HTML with a link (%v):\n%s", err, out)
						}
					},
					"mode": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 2 {
							ts.Fatalf("usage: mode PERM FILE")
						}
						want, err := strconv.ParseUint(args[0], 8, 32)
						ts.Check(err)
						st, err := os.Stat(ts.MkAbs(args[1]))
						ts.Check(err)
						if got := st.Mode().Perm(); uint64(got) != want {
							ts.Fatalf("%s has mode %o, want %o", args[1], got, want)
						}
					},
					"sleep": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 1 {
							ts.Fatalf("usage: sleep DURATION")
						}
						d, err := time.ParseDuration(args[0])
						ts.Check(err)
						time.Sleep(d)
					},
					"marklog": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 1 {
							ts.Fatalf("usage: marklog SUBSTRING")
						}
						mark = strings.Count(srv.Logs.String(), args[0])
					},
					"awaitlog": func(ts *testscript.TestScript, neg bool, args []string) {
						if len(args) != 1 {
							ts.Fatalf("usage: awaitlog SUBSTRING")
						}
						deadline := time.Now().Add(2 * time.Minute)
						for strings.Count(srv.Logs.String(), args[0]) <= mark {
							if time.Now().After(deadline) {
								ts.Fatalf("the server never logged %q", args[0])
							}
							time.Sleep(20 * time.Millisecond)
						}
					},
					"faults": func(ts *testscript.TestScript, neg bool, args []string) {
						if !strings.Contains(srv.Logs.String(), "sandbox_fault") {
							ts.Fatalf("the server injected no 503")
						}
					},
				},
			})
		})
	}
}

func hasLink(n *html.Node) bool {
	if n.Type == html.ElementNode && n.Data == "a" {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasLink(c) {
			return true
		}
	}
	return false
}

// mksite files the example site with domain as the sponsor and takes it to
// state: draft, submitted (under review) or recorded.
func mksite(c *client.Client, srv *servertest.Env, domain, state string) error {
	ctx := context.Background()
	if _, err := c.Subject(ctx); err != nil {
		if _, err := c.PutSubject(ctx, api.SubjectWrite{Subject: filingtest.Subject()}, 0); err != nil {
			return fmt.Errorf("subject: %w", err)
		}
		if _, err := c.SubmitSubject(ctx); err != nil {
			return fmt.Errorf("submit subject: %w", err)
		}
	}
	rec, err := c.CreateSite(ctx, api.SiteWrite{Site: filingtest.Site(domain)}, false)
	if err != nil {
		return fmt.Errorf("create %s: %w", domain, err)
	}
	if state == "draft" {
		return nil
	}
	if _, err := c.SubmitSite(ctx, rec.ID); err != nil {
		return fmt.Errorf("submit %s: %w", domain, err)
	}
	if state == "recorded" {
		if _, err := srv.Desk.RunAutoReview(ctx); err != nil {
			return err
		}
	}
	return nil
}

// seedExamples makes the world the help examples talk about: the sponsor's
// recorded example.com.cn and returned example-shop.cn, and a reviewer
// that keeps deciding, so that `--wait` examples end.
func seedExamples(t *testing.T, c *client.Client, srv *servertest.Env) {
	ctx := context.Background()
	if err := mksite(c, srv, "example.com.cn", "recorded"); err != nil {
		t.Fatal(err)
	}
	if err := mksite(c, srv, "example-shop.cn", "submitted"); err != nil {
		t.Fatal(err)
	}
	list, err := c.Sites(ctx, client.SiteQuery{Domain: "example-shop.cn", Limit: 10})
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("example-shop.cn: %v %v", err, list)
	}
	if _, err := srv.Desk.ReturnSite(ctx, platform.System, list.Items[0].ID, api.ReturnRequest{Reason: "网站名称与首页不符"}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				_, _ = srv.Desk.RunAutoReview(ctx)
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
}

// exampleExits are the exit codes an example may end with against the
// seeded world: success, or a documented refusal (SPEC §7) — an example's
// placeholder IDs are not found, a sponsor is no reviewer. A usage error
// (3) is a broken example, unless beian only asked for the terminal the
// example is meant to be typed on.
var exampleExits = map[int]bool{0: true, 1: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true, 11: true, 12: true, 13: true}

const noTerminal = "there is no terminal to ask for it"

// runExamples runs every line of every command's help examples as a user
// pastes it: bash, in the script's directory (which holds the files the
// examples name), a fresh config directory each, and a password line on
// stdin for the examples that read one.
func runExamples(ts *testscript.TestScript, serverURL string, sponsor *servertest.User) {
	lines := cli.ExampleLines(cli.CommandTree())
	if len(lines) < 60 {
		ts.Fatalf("only %d example lines", len(lines))
	}
	work := ts.Getenv("WORK")
	for i, line := range lines {
		token := ts.Getenv("BEIAN_TOKEN")
		if strings.HasPrefix(line, "beian logout") {
			// Its own session: logging out ends the token it uses.
			anon, err := client.New(client.Options{BaseURL: serverURL})
			ts.Check(err)
			s, err := anon.Login(context.Background(), api.LoginRequest{Login: sponsor.Login, Password: sponsor.Password})
			ts.Check(err)
			token = s.Token
		}
		script := `set -o pipefail; fpath=("$PWD"); mkdir -p "$HOME/.config/fish/completions"; ` + line
		if strings.HasPrefix(line, "beian sandbox serve") {
			// Serves until interrupted: interrupt it after a while.
			script = `timeout -s INT 3 ` + line + `; rc=$?; [ $rc -eq 124 ] && rc=0; exit $rc`
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "-c", script)
		cmd.Dir = work
		cmd.Env = []string{
			"PATH=" + ts.Getenv("PATH"), "HOME=" + work, "LANG=en_US.UTF-8", "TERM=dumb",
			"BEIAN_SERVER=" + ts.Getenv("BEIAN_SERVER"), "BEIAN_TOKEN=" + token, "BEIAN_RETRIES=2",
			"BEIAN_CONFIG_DIR=" + filepath.Join(work, "config", strconv.Itoa(i)),
			"XDG_DATA_HOME=" + filepath.Join(work, "data"), "XDG_STATE_HOME=" + filepath.Join(work, "state"),
		}
		cmd.Stdin = strings.NewReader("an-example-password-2026\n")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		timedOut := ctx.Err() != nil
		cancel()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			ts.Fatalf("%s: %v", line, err)
		}
		ts.Logf("exit %d: %s", code, line)
		switch {
		case timedOut:
			ts.Fatalf("%s: still running after a minute", line)
		case strings.Contains(stderr.String(), "panic:") || strings.Contains(stderr.String(), "goroutine "):
			ts.Fatalf("%s: crashed:\n%s", line, stderr.String())
		case code == 3 && !strings.Contains(stderr.String(), noTerminal):
			ts.Fatalf("%s: a usage error:\n%s", line, stderr.String())
		case code != 3 && !exampleExits[code]:
			ts.Fatalf("%s: exit %d, not one beian documents:\n%s", line, code, stderr.String())
		}
	}
}
