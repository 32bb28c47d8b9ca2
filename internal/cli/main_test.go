package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// run runs beian in-process with env as its whole environment.
func run(t testing.TB, env map[string]string, probes *cmdutil.Probes, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	code = Run(context.Background(), Env{Args: args, Getenv: func(k string) string { return env[k] }, IOStreams: ios, Probes: probes})
	return code, out.String(), errOut.String()
}

func isolated(t testing.TB) map[string]string {
	dir := t.TempDir()
	return map[string]string{
		"HOME":             dir,
		"BEIAN_CONFIG_DIR": filepath.Join(dir, "config"),
		"XDG_DATA_HOME":    filepath.Join(dir, "data"),
		"XDG_STATE_HOME":   filepath.Join(dir, "state"),
		"LANG":             "en_US.UTF-8",
	}
}

// configuredServer starts a real server with one sponsor and one site under
// review, and returns the environment of a beian configured for it.
func configuredServer(t testing.TB) (map[string]string, *api.SiteRecord) {
	t.Helper()
	srv := servertest.Start(t)
	user := srv.RegisterSponsor(t, "light")
	c, err := client.New(client.Options{BaseURL: srv.URL, Token: user.Token})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.PutSubject(ctx, api.SubjectWrite{Subject: filingtest.Subject()}, 0); err != nil {
		t.Fatal(err)
	}
	site := filingtest.Site("light-example.com.cn")
	site.IPAddresses = []string{"8.8.8.8"}
	rec, err := c.CreateSite(ctx, api.SiteWrite{Site: site}, false)
	if err != nil {
		t.Fatal(err)
	}
	env := isolated(t)
	env["BEIAN_SERVER"] = srv.URL
	env["BEIAN_TOKEN"] = user.Token
	return env, rec
}

// beian --version, beian help and beian status -o json against a configured
// server open no database, ask the terminal nothing and build no form theme.
func TestStartupIsLight(t *testing.T) {
	env, rec := configuredServer(t)
	cases := [][]string{
		{"--version"},
		{"help"},
		{"status", rec.ID, "-o", "json"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			probes := &cmdutil.Probes{}
			code, stdout, stderr := run(t, env, probes, args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			snap := probes.Snapshot()
			for _, k := range []string{"database_opens", "form_themes"} {
				if snap[k] != 0 {
					t.Errorf("%s = %d", k, snap[k])
				}
			}
			// An escape sequence on either stream would be a terminal query
			// (or colour where none was asked for).
			if strings.Contains(stdout+stderr, "\x1b") {
				t.Errorf("escape sequence written: %q %q", stdout, stderr)
			}
			if _, err := os.Stat(filepath.Join(env["XDG_DATA_HOME"], "beian", "sandbox.db")); !os.IsNotExist(err) {
				t.Errorf("the sandbox database was created")
			}
		})
	}
	// The status is data: JSON that parses, on stdout only.
	_, stdout, _ := run(t, env, nil, "status", rec.ID, "-o", "json")
	var st map[string]any
	if err := json.Unmarshal([]byte(stdout), &st); err != nil || st["state"] != "draft" {
		t.Errorf("status JSON %v %q", err, stdout)
	}
	// The light commands build no HTTP client either, except status.
	probes := &cmdutil.Probes{}
	run(t, env, probes, "--version")
	if probes.HTTPClients.Load() != 0 || probes.ConfigLoads.Load() != 0 {
		t.Errorf("--version: %v", probes.Snapshot())
	}
}

// BenchmarkStartup measures the in-process start-up of the light commands
// (see docs/startup.md for recorded numbers).
func BenchmarkStartup(b *testing.B) {
	env, rec := configuredServer(b)
	for _, args := range [][]string{{"--version"}, {"help"}, {"status", rec.ID, "-o", "json"}} {
		b.Run(strings.Join(args, "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if code, _, stderr := run(b, env, nil, args...); code != 0 {
					b.Fatalf("exit %d: %s", code, stderr)
				}
			}
		})
	}
}

func TestVersionAndUsageErrors(t *testing.T) {
	env := isolated(t)
	code, stdout, _ := run(t, env, nil, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "beian ") {
		t.Errorf("--version: %d %q", code, stdout)
	}
	code, stdout, _ = run(t, env, nil, "version", "-o", "json")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil || v["version"] == nil {
		t.Errorf("version -o json: %d %q", code, stdout)
	}
	for _, args := range [][]string{{"--bogus"}, {"status"}, {"nosuchcommand"}, {"check", "--output", "xml", "a.test"}, {"status", "x", "--jq", ".["}} {
		code, stdout, stderr := run(t, env, nil, args...)
		if code != cmdutil.ExitUsage || stdout != "" || !strings.Contains(stderr, "beian: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestHelpTopics(t *testing.T) {
	env := isolated(t)
	code, stdout, _ := run(t, env, nil, "help", "exit-codes")
	if code != 0 || !strings.Contains(stdout, "10  cancelled") {
		t.Errorf("exit-codes: %d %q", code, stdout)
	}
	env["BEIAN_LANG"] = "zh"
	code, stdout, _ = run(t, env, nil, "help", "environment")
	if code != 0 || !strings.Contains(stdout, "BEIAN_TOKEN") || !strings.Contains(stdout, "配置文件") {
		t.Errorf("environment in Chinese: %d %q", code, stdout)
	}
}

func TestMissingExplicitConfig(t *testing.T) {
	env := isolated(t)
	code, _, stderr := run(t, env, nil, "--config", filepath.Join(env["HOME"], "nope.yaml"), "sites")
	if code != cmdutil.ExitFailure || !strings.Contains(stderr, "nope.yaml does not exist") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	env["BEIAN_LANG"] = "zh"
	_, _, stderr = run(t, env, nil, "--config", "/nope.yaml", "sites")
	if !strings.Contains(stderr, "配置文件 /nope.yaml 不存在") {
		t.Errorf("zh: %q", stderr)
	}
}

// Precedence through the real flags: --server > BEIAN_SERVER > profile > file.
func TestConfigPrecedenceThroughMain(t *testing.T) {
	env := isolated(t)
	os.MkdirAll(env["BEIAN_CONFIG_DIR"], 0o700)
	os.WriteFile(filepath.Join(env["BEIAN_CONFIG_DIR"], "config.yaml"), []byte(
		"server: https://file.example\nca_cert: [a.pem, b.pem]\nprofiles:\n  work:\n    server: https://work.example\n"), 0o600)
	get := func(env map[string]string, args ...string) string {
		code, stdout, stderr := run(t, env, nil, append(args, "config", "get", "server")...)
		if code != 0 {
			t.Fatalf("%v: %d %s", args, code, stderr)
		}
		return strings.TrimSpace(stdout)
	}
	if got := get(env); got != "https://file.example" {
		t.Errorf("file: %q", got)
	}
	if got := get(env, "--profile", "work"); got != "https://work.example" {
		t.Errorf("profile: %q", got)
	}
	withEnv := map[string]string{}
	for k, v := range env {
		withEnv[k] = v
	}
	withEnv["BEIAN_SERVER"] = "https://env.example"
	if got := get(withEnv, "--profile", "work"); got != "https://env.example" {
		t.Errorf("env: %q", got)
	}
	if got := get(withEnv, "--profile", "work", "--server", "https://flag.example"); got != "https://flag.example" {
		t.Errorf("flag: %q", got)
	}
	// A list through each level.
	code, stdout, _ := run(t, env, nil, "--ca-cert", "x.pem", "--ca-cert", "y.pem", "config", "list", "--jq", `.[] | select(.key == "ca_cert") | "\(.value | join(",")) \(.source)"`)
	if code != 0 || strings.TrimSpace(stdout) != "x.pem,y.pem flag" {
		t.Errorf("list flag: %q", stdout)
	}
	_, stdout, _ = run(t, env, nil, "config", "list", "--jq", `.[] | select(.key == "ca_cert") | "\(.value | join(",")) \(.source)"`)
	if strings.TrimSpace(stdout) != "a.pem,b.pem file" {
		t.Errorf("list file: %q", stdout)
	}
	// set, then path.
	if code, _, stderr := run(t, env, nil, "config", "set", "lang", "zh"); code != 0 {
		t.Fatalf("set: %s", stderr)
	}
	if code, _, _ := run(t, env, nil, "config", "set", "colour", "on"); code != cmdutil.ExitUsage {
		t.Errorf("unknown key: exit %d", code)
	}
	_, stdout, _ = run(t, env, nil, "config", "path")
	if strings.TrimSpace(stdout) != filepath.Join(env["BEIAN_CONFIG_DIR"], "config.yaml") {
		t.Errorf("path %q", stdout)
	}
	_, _, stderr := run(t, env, nil, "config", "get", "colour")
	if !strings.Contains(stderr, "未知的配置项") {
		t.Errorf("lang from the file not used: %q", stderr)
	}
}
