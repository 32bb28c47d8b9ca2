// Package config resolves beian's settings from four levels, highest first:
// command-line flags, BEIAN_* environment variables, the config file (a
// named profile's section over the file's top level), and built-in
// defaults (SPEC §7). The file is YAML read and written with viper;
// credentials live apart in credentials.yaml with mode 0600 (credentials.go).
//
// Where the file lives: $BEIAN_CONFIG_DIR/config.yaml, else
// $XDG_CONFIG_HOME/beian/config.yaml, else ~/.config/beian/config.yaml
// (%AppData%\beian on Windows). --config (or BEIAN_CONFIG) names another
// file, which must then exist.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Source says which level a value came from.
type Source string

// The levels, highest precedence first.
const (
	SourceFlag    Source = "flag"
	SourceEnv     Source = "env"
	SourceProfile Source = "profile"
	SourceFile    Source = "file"
	SourceDefault Source = "default"
)

// Key describes one setting: its name in the file, its environment
// variable, its global flag (if any), its default and whether it is a list.
type Key struct {
	Name    string
	Env     string
	Flag    string
	Default string
	List    bool
	// Check validates a value given to `config set` or read from anywhere.
	Check func(string) error
	// Help is the English one-line description; `beian help environment`
	// and `config list` show it.
	Help string
}

// Keys is every setting beian reads, in the order `config list` shows them.
var Keys = []Key{
	{Name: "server", Env: "BEIAN_SERVER", Flag: "server", Check: checkServer,
		Help: "URL of the filing server; empty means the local sandbox"},
	{Name: "lang", Env: "BEIAN_LANG", Flag: "lang", Check: checkLang,
		Help: "language of messages: zh or en (default: from the locale)"},
	{Name: "output", Env: "BEIAN_OUTPUT", Flag: "output", Default: "table", Check: checkOutput,
		Help: "output of read commands: table, json or yaml"},
	{Name: "no_input", Env: "BEIAN_NO_INPUT", Flag: "no-input", Default: "false", Check: checkBool,
		Help: "never prompt; a missing value is an error naming its flag"},
	{Name: "accessible", Env: "BEIAN_ACCESSIBLE", Flag: "accessible", Default: "false", Check: checkBool,
		Help: "plain line prompts for screen readers"},
	{Name: "ca_cert", Env: "BEIAN_CA_CERT", Flag: "ca-cert", List: true,
		Help: "PEM files of private certificate authorities, added to the system pool"},
	{Name: "timeout", Env: "BEIAN_TIMEOUT", Default: "30s", Check: checkDuration,
		Help: "longest time one request may take, retries not counted"},
	{Name: "total_timeout", Env: "BEIAN_TOTAL_TIMEOUT", Default: "60s", Check: checkDuration,
		Help: "longest time one request may take with all its retries"},
	{Name: "connect_timeout", Env: "BEIAN_CONNECT_TIMEOUT", Default: "10s", Check: checkDuration,
		Help: "longest time to open a connection"},
	{Name: "retries", Env: "BEIAN_RETRIES", Default: "4", Check: checkCount,
		Help: "how often a safe request is retried after 503, 429 or a broken connection"},
	{Name: "debug", Env: "BEIAN_DEBUG", Flag: "debug", Default: "false", Check: checkBool,
		Help: "trace HTTP requests on stderr (tokens and passwords redacted)"},
}

// LookupKey finds a key by its file name.
func LookupKey(name string) (Key, bool) {
	for _, k := range Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// Value is a resolved setting.
type Value struct {
	Key    string
	Text   string   // the scalar value, or the list joined by commas
	List   []string // for list keys
	Source Source
}

// Getenv reads the environment (os.Getenv, or a map in tests).
type Getenv func(string) string

// LoadOptions are the inputs of Load.
type LoadOptions struct {
	// Flags holds the global flags the user actually set, by flag name
	// ("server", "ca-cert"); a list flag's value is []string.
	Flags map[string]any
	// ConfigFile is --config; empty means BEIAN_CONFIG, else the default path.
	ConfigFile string
	// Profile is --profile; empty means BEIAN_PROFILE, else the file's
	// `profile:` key, else none.
	Profile string
	// NewProfile accepts a Profile the file does not have yet: the
	// command is about to write it (`beian config --profile P set …`).
	NewProfile bool
	Getenv     Getenv
}

// Config is the resolved configuration of one run.
type Config struct {
	path     string // the config file (may not exist when not explicit)
	explicit bool
	dir      string
	profile  string
	flags    map[string]any
	getenv   Getenv
	file     *viper.Viper
}

// Errors a user can see, with stable codes for localisation.
var (
	ErrConfigMissing  = errors.New("config_missing")
	ErrUnknownProfile = errors.New("unknown_profile")
	ErrUnknownKey     = errors.New("unknown_key")
)

// Error is a configuration error with a stable code (config_missing,
// unknown_profile, unknown_key, invalid_value, config_unreadable).
type Error struct {
	code string
	Arg  string // the file, profile or key concerned
	Err  error
}

// Code is the stable code.
func (e *Error) Code() string { return e.code }

func (e *Error) Error() string {
	switch e.code {
	case "config_missing":
		return fmt.Sprintf("config file %s does not exist", e.Arg)
	case "unknown_profile":
		return fmt.Sprintf("profile %q is not in the config file", e.Arg)
	case "unknown_key":
		return fmt.Sprintf("unknown config key %q", e.Arg)
	case "invalid_value":
		return fmt.Sprintf("invalid value for %s: %v", e.Arg, e.Err)
	}
	return fmt.Sprintf("config file %s: %v", e.Arg, e.Err)
}

// Unwrap lets errors.Is match the sentinel of each code.
func (e *Error) Unwrap() error {
	switch e.code {
	case "config_missing":
		return ErrConfigMissing
	case "unknown_profile":
		return ErrUnknownProfile
	case "unknown_key":
		return ErrUnknownKey
	}
	return e.Err
}

// Dir is the directory of config.yaml and credentials.yaml.
func Dir(getenv Getenv) string {
	if d := getenv("BEIAN_CONFIG_DIR"); d != "" {
		return d
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "beian")
	}
	if runtime.GOOS == "windows" {
		if d := getenv("AppData"); d != "" {
			return filepath.Join(d, "beian")
		}
	}
	return filepath.Join(home(getenv), ".config", "beian")
}

func home(getenv Getenv) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}

// Load reads the config file (if any) and prepares resolution. It never
// contacts a server nor opens a database.
func Load(o LoadOptions) (*Config, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	c := &Config{dir: Dir(getenv), flags: o.Flags, getenv: getenv, file: viper.New()}
	if c.flags == nil {
		c.flags = map[string]any{}
	}
	c.path = o.ConfigFile
	if c.path == "" {
		c.path = getenv("BEIAN_CONFIG")
	}
	if c.path != "" {
		c.explicit = true
	} else {
		c.path = filepath.Join(c.dir, "config.yaml")
	}
	c.file.SetConfigFile(c.path)
	c.file.SetConfigType("yaml")
	if err := c.file.ReadInConfig(); err != nil {
		var pe *fs.PathError
		switch {
		case errors.As(err, &pe) && errors.Is(pe.Err, fs.ErrNotExist):
			if c.explicit {
				return nil, &Error{code: "config_missing", Arg: c.path}
			}
		default:
			return nil, &Error{code: "config_unreadable", Arg: c.path, Err: err}
		}
	}
	c.profile = o.Profile
	if c.profile == "" {
		c.profile = getenv("BEIAN_PROFILE")
	}
	if c.profile == "" {
		c.profile = c.file.GetString("profile")
	}
	if c.profile != "" && !o.NewProfile && !c.file.IsSet("profiles."+strings.ToLower(c.profile)) {
		return nil, &Error{code: "unknown_profile", Arg: c.profile}
	}
	return c, nil
}

// Path is the config file's path.
func (c *Config) Path() string { return c.path }

// Dir is the directory holding the config and credentials files.
func (c *Config) Dir() string { return c.dir }

// Profile is the active profile, or "".
func (c *Config) Profile() string { return c.profile }

// Profiles lists the profiles in the file, sorted.
func (c *Config) Profiles() []string {
	var out []string
	for name := range c.file.GetStringMap("profiles") {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Get resolves a key through the four levels.
func (c *Config) Get(name string) (Value, error) {
	k, ok := LookupKey(name)
	if !ok {
		return Value{}, &Error{code: "unknown_key", Arg: name}
	}
	v := c.resolve(k)
	if k.Check != nil && !k.List && v.Text != "" {
		if err := k.Check(v.Text); err != nil {
			return v, &Error{code: "invalid_value", Arg: fmt.Sprintf("%s (%s)", name, v.Source), Err: err}
		}
	}
	return v, nil
}

func (c *Config) resolve(k Key) Value {
	val := Value{Key: k.Name}
	set := func(raw any, src Source) {
		val.Source = src
		if k.List {
			val.List = toList(raw)
			val.Text = strings.Join(val.List, ",")
		} else {
			val.Text = toText(raw)
		}
	}
	if k.Flag != "" {
		if raw, ok := c.flags[k.Flag]; ok {
			set(raw, SourceFlag)
			return val
		}
	}
	if raw := c.getenv(k.Env); raw != "" {
		set(raw, SourceEnv)
		return val
	}
	if c.profile != "" {
		pk := "profiles." + strings.ToLower(c.profile) + "." + k.Name
		if c.file.IsSet(pk) {
			set(c.file.Get(pk), SourceProfile)
			return val
		}
	}
	if c.file.IsSet(k.Name) {
		set(c.file.Get(k.Name), SourceFile)
		return val
	}
	set(k.Default, SourceDefault)
	if k.Default == "" {
		val.List = nil
	}
	return val
}

func toText(raw any) string {
	switch t := raw.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(t)
	case []any, []string:
		return strings.Join(toList(t), ",")
	}
	return fmt.Sprint(raw)
}

// toList reads a list from YAML (a sequence or one string) or from the
// environment (comma-separated).
func toList(raw any) []string {
	var parts []string
	switch t := raw.(type) {
	case nil:
	case []string:
		parts = t
	case []any:
		for _, x := range t {
			parts = append(parts, fmt.Sprint(x))
		}
	case string:
		parts = strings.Split(t, ",")
	default:
		parts = []string{fmt.Sprint(t)}
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// String returns the value of a scalar key, "" on error.
func (c *Config) String(name string) string {
	v, _ := c.Get(name)
	return v.Text
}

// Bool returns a boolean key.
func (c *Config) Bool(name string) bool {
	b, _ := strconv.ParseBool(c.String(name))
	return b
}

// Duration returns a duration key, or def when unset or invalid.
func (c *Config) Duration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(c.String(name)); err == nil && d > 0 {
		return d
	}
	return def
}

// Int returns an integer key, or def.
func (c *Config) Int(name string, def int) int {
	if n, err := strconv.Atoi(c.String(name)); err == nil && n >= 0 {
		return n
	}
	return def
}

// List returns a list key.
func (c *Config) List(name string) []string {
	v, _ := c.Get(name)
	return v.List
}

// All resolves every key, in Keys order.
func (c *Config) All() []Value {
	out := make([]Value, 0, len(Keys))
	for _, k := range Keys {
		out = append(out, c.resolve(k))
	}
	return out
}

// Set writes key = value into the config file: into the active profile's
// section when a profile is selected, else at the top level. A list key
// takes comma-separated values; an empty value removes the key.
func (c *Config) Set(name, value string) error {
	k, ok := LookupKey(name)
	if !ok {
		return &Error{code: "unknown_key", Arg: name}
	}
	var stored any = strings.TrimSpace(value)
	if k.List {
		stored = toList(value)
	} else if k.Check != nil && value != "" {
		if err := k.Check(value); err != nil {
			return &Error{code: "invalid_value", Arg: name, Err: err}
		}
	}
	path := name
	if c.profile != "" {
		path = "profiles." + strings.ToLower(c.profile) + "." + name
	}
	settings := c.file.AllSettings()
	setNested(settings, strings.Split(path, "."), stored, value == "")
	fresh := viper.New()
	fresh.SetConfigType("yaml")
	if err := fresh.MergeConfigMap(settings); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return err
	}
	if err := fresh.WriteConfigAs(c.path); err != nil {
		return &Error{code: "config_unreadable", Arg: c.path, Err: err}
	}
	c.file = fresh
	return nil
}

func setNested(m map[string]any, path []string, v any, remove bool) {
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	if remove {
		delete(m, path[len(path)-1])
		return
	}
	m[path[len(path)-1]] = v
}

func checkServer(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http:// or https:// URL", s)
	}
	return nil
}

func checkLang(s string) error {
	if slices.Contains([]string{"zh", "zh-cn", "zh_cn", "en"}, strings.ToLower(s)) {
		return nil
	}
	return fmt.Errorf("%q: use zh or en", s)
}

func checkOutput(s string) error {
	if slices.Contains([]string{"table", "json", "yaml"}, strings.ToLower(s)) {
		return nil
	}
	return fmt.Errorf("%q: use table, json or yaml", s)
}

func checkBool(s string) error {
	if _, err := strconv.ParseBool(s); err != nil {
		return fmt.Errorf("%q: use true or false", s)
	}
	return nil
}

func checkDuration(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q: use a duration such as 30s or 2m", s)
	}
	return nil
}

func checkCount(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 20 {
		return fmt.Errorf("%q: use a number from 0 to 20", s)
	}
	return nil
}
