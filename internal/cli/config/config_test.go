package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

func envOf(m map[string]string) Getenv { return func(k string) string { return m[k] } }

const fileWithProfiles = `server: https://file.example
ca_cert: [file-a.pem, file-b.pem]
timeout: 45s
profiles:
  work:
    server: https://work.example
    ca_cert: work.pem
  empty: {}
`

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPrecedence walks each level for a scalar key (server) and a list key
// (ca_cert): flag > env > profile > file > default.
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "config.yaml", fileWithProfiles)
	base := map[string]string{"BEIAN_CONFIG_DIR": dir}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name       string
		flags      map[string]any
		env        map[string]string
		profile    string
		wantServer string
		wantSrc    Source
		wantCA     []string
		wantCASrc  Source
	}{
		{name: "file", env: base,
			wantServer: "https://file.example", wantSrc: SourceFile,
			wantCA: []string{"file-a.pem", "file-b.pem"}, wantCASrc: SourceFile},
		{name: "profile over file", env: base, profile: "work",
			wantServer: "https://work.example", wantSrc: SourceProfile,
			wantCA: []string{"work.pem"}, wantCASrc: SourceProfile},
		{name: "empty profile falls back to file", env: base, profile: "empty",
			wantServer: "https://file.example", wantSrc: SourceFile,
			wantCA: []string{"file-a.pem", "file-b.pem"}, wantCASrc: SourceFile},
		{name: "profile from environment", env: with(map[string]string{"BEIAN_PROFILE": "work"}),
			wantServer: "https://work.example", wantSrc: SourceProfile,
			wantCA: []string{"work.pem"}, wantCASrc: SourceProfile},
		{name: "env over profile", profile: "work",
			env:        with(map[string]string{"BEIAN_SERVER": "https://env.example", "BEIAN_CA_CERT": "env1.pem, env2.pem"}),
			wantServer: "https://env.example", wantSrc: SourceEnv,
			wantCA: []string{"env1.pem", "env2.pem"}, wantCASrc: SourceEnv},
		{name: "flag over env", profile: "work",
			flags:      map[string]any{"server": "https://flag.example", "ca-cert": []string{"flag.pem"}},
			env:        with(map[string]string{"BEIAN_SERVER": "https://env.example", "BEIAN_CA_CERT": "env1.pem"}),
			wantServer: "https://flag.example", wantSrc: SourceFlag,
			wantCA: []string{"flag.pem"}, wantCASrc: SourceFlag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(LoadOptions{Flags: tt.flags, Profile: tt.profile, Getenv: envOf(tt.env)})
			if err != nil {
				t.Fatal(err)
			}
			v, err := c.Get("server")
			if err != nil {
				t.Fatal(err)
			}
			if v.Text != tt.wantServer || v.Source != tt.wantSrc {
				t.Errorf("server = %q from %s, want %q from %s", v.Text, v.Source, tt.wantServer, tt.wantSrc)
			}
			ca, _ := c.Get("ca_cert")
			if !reflect.DeepEqual(ca.List, tt.wantCA) || ca.Source != tt.wantCASrc {
				t.Errorf("ca_cert = %q from %s, want %q from %s", ca.List, ca.Source, tt.wantCA, tt.wantCASrc)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c, err := Load(LoadOptions{Getenv: envOf(map[string]string{"BEIAN_CONFIG_DIR": t.TempDir()})})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"server": "", "output": "table", "timeout": "30s", "retries": "4", "no_input": "false"} {
		v, err := c.Get(name)
		if err != nil || v.Text != want || v.Source != SourceDefault {
			t.Errorf("%s = %q from %s (%v), want default %q", name, v.Text, v.Source, err, want)
		}
	}
	if v, _ := c.Get("ca_cert"); v.List != nil || v.Source != SourceDefault {
		t.Errorf("ca_cert = %#v", v)
	}
}

func TestDir(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"BEIAN_CONFIG_DIR": "/c", "XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/c"},
		{map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, filepath.Join("/x", "beian")},
		{map[string]string{"HOME": "/h"}, filepath.Join("/h", ".config", "beian")},
	}
	if runtime.GOOS == "windows" {
		t.Skip("paths differ on Windows")
	}
	for _, tt := range tests {
		if got := Dir(envOf(tt.env)); got != tt.want {
			t.Errorf("Dir(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestExplicitConfigMissing(t *testing.T) {
	env := envOf(map[string]string{"BEIAN_CONFIG_DIR": t.TempDir()})
	_, err := Load(LoadOptions{ConfigFile: filepath.Join(t.TempDir(), "nope.yaml"), Getenv: env})
	if !errors.Is(err, ErrConfigMissing) {
		t.Fatalf("err = %v, want config_missing", err)
	}
	// BEIAN_CONFIG is explicit too.
	_, err = Load(LoadOptions{Getenv: envOf(map[string]string{"BEIAN_CONFIG": "/does/not/exist.yaml"})})
	if !errors.Is(err, ErrConfigMissing) {
		t.Fatalf("BEIAN_CONFIG: err = %v", err)
	}
	// The default path may be missing.
	if _, err := Load(LoadOptions{Getenv: env}); err != nil {
		t.Fatalf("default path missing: %v", err)
	}
}

func TestExplicitConfigUsed(t *testing.T) {
	p := writeFile(t, t.TempDir(), "other.yaml", "server: https://other.example\n")
	c, err := Load(LoadOptions{ConfigFile: p, Getenv: envOf(map[string]string{"BEIAN_CONFIG_DIR": t.TempDir()})})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.String("server"); got != "https://other.example" {
		t.Errorf("server = %q", got)
	}
}

func TestUnknownProfile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "config.yaml", fileWithProfiles)
	_, err := Load(LoadOptions{Profile: "home", Getenv: envOf(map[string]string{"BEIAN_CONFIG_DIR": dir})})
	if !errors.Is(err, ErrUnknownProfile) {
		t.Fatalf("err = %v", err)
	}
}

func TestInvalidValue(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "config.yaml", "output: xml\n")
	c, err := Load(LoadOptions{Getenv: envOf(map[string]string{"BEIAN_CONFIG_DIR": dir})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("output"); err == nil {
		t.Error("output: xml accepted")
	}
}

func TestSetWritesTopLevelAndProfile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "config.yaml", fileWithProfiles)
	env := envOf(map[string]string{"BEIAN_CONFIG_DIR": dir})
	c, err := Load(LoadOptions{Getenv: env})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set("server", "https://new.example"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("ca_cert", "x.pem,y.pem"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("server", "ftp://nope"); err == nil {
		t.Error("ftp:// accepted")
	}
	if err := c.Set("colour", "on"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
	w, err := Load(LoadOptions{Profile: "work", Getenv: env})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Set("timeout", "1m"); err != nil {
		t.Fatal(err)
	}

	again, err := Load(LoadOptions{Getenv: env})
	if err != nil {
		t.Fatal(err)
	}
	if got := again.String("server"); got != "https://new.example" {
		t.Errorf("server = %q", got)
	}
	if got := again.List("ca_cert"); !reflect.DeepEqual(got, []string{"x.pem", "y.pem"}) {
		t.Errorf("ca_cert = %q", got)
	}
	if got := again.String("timeout"); got != "45s" {
		t.Errorf("top-level timeout = %q (the profile's set leaked?)", got)
	}
	work, _ := Load(LoadOptions{Profile: "work", Getenv: env})
	if v, _ := work.Get("timeout"); v.Text != "1m" || v.Source != SourceProfile {
		t.Errorf("work timeout = %+v", v)
	}
	if got := work.String("server"); got != "https://work.example" {
		t.Errorf("work server kept = %q", got)
	}
	// Removing a key with an empty value.
	if err := again.Set("timeout", ""); err != nil {
		t.Fatal(err)
	}
	final, _ := Load(LoadOptions{Getenv: env})
	if v, _ := final.Get("timeout"); v.Source != SourceDefault {
		t.Errorf("timeout after removal = %+v", v)
	}
}

func TestCredentialsMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	dir := t.TempDir()
	p := CredentialsPath(filepath.Join(dir, "sub"))
	c, err := LoadCredentials(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put("https://beian.example", Credential{Login: "alice", Token: "secret"}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("created with mode %v, want 0600", st.Mode().Perm())
	}
	// A looser file is repaired on load and reported.
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := LoadCredentials(p)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Repaired {
		t.Error("looser mode not reported")
	}
	st, _ = os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode after repair %v", st.Mode().Perm())
	}
	if cr, ok := back.Get("https://beian.example"); !ok || cr.Token != "secret" || cr.Login != "alice" {
		t.Errorf("credential = %+v, %v", cr, ok)
	}
	if err := back.Delete("https://beian.example"); err != nil {
		t.Fatal(err)
	}
	if _, ok := back.Get("https://beian.example"); ok {
		t.Error("not deleted")
	}
}
