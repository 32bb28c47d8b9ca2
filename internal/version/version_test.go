package version

import (
	"runtime/debug"
	"testing"
)

func TestFill(t *testing.T) {
	tagged := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/beian-dev/beian", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-11-01T08:00:00Z"},
		},
	}
	worktree := &debug.BuildInfo{Main: debug.Module{Path: "github.com/beian-dev/beian", Version: "(devel)"}}

	tests := []struct {
		name                   string
		version, commit, date  string
		info                   *debug.BuildInfo
		wantV, wantC, wantDate string
	}{
		{"no build info at all", "", "", "", nil, "devel", "", ""},
		{"go run in a checkout", "", "", "", worktree, "devel", "", ""},
		{"go install module@v1.4.0", "", "", "", tagged, "1.4.0",
			"0123456789abcdef0123456789abcdef01234567", "2026-11-01T08:00:00Z"},
		{"linker flags win over build info", "2.0.0", "abc", "2026-12-01T00:00:00Z", tagged,
			"2.0.0", "abc", "2026-12-01T00:00:00Z"},
		{"linker sets only the version", "2.0.0", "", "", tagged,
			"2.0.0", "0123456789abcdef0123456789abcdef01234567", "2026-11-01T08:00:00Z"},
		{"pseudo-version keeps its shape", "", "", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261101080000-0123456789ab"}},
			"0.0.0-20261101080000-0123456789ab", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, c, d := fill(tt.version, tt.commit, tt.date, tt.info)
			if v != tt.wantV || c != tt.wantC || d != tt.wantDate {
				t.Errorf("fill() = %q, %q, %q; want %q, %q, %q", v, c, d, tt.wantV, tt.wantC, tt.wantDate)
			}
		})
	}
}

func TestString(t *testing.T) {
	defer func(v, c, d string) { Version, Commit, Date = v, c, d }(Version, Commit, Date)

	tests := []struct {
		v, c, d string
		want    string
	}{
		{"devel", "", "", "devel"},
		{"1.2.0", "0123456789abcdef", "2026-11-01T08:00:00Z", "1.2.0 (commit 0123456789ab, built 2026-11-01T08:00:00Z)"},
		{"1.2.0", "abc1234", "", "1.2.0 (commit abc1234)"},
		{"1.2.0", "", "2026-11-01T08:00:00Z", "1.2.0 (built 2026-11-01T08:00:00Z)"},
	}
	for _, tt := range tests {
		Version, Commit, Date = tt.v, tt.c, tt.d
		if got := String(); got != tt.want {
			t.Errorf("String() with %q/%q/%q = %q, want %q", tt.v, tt.c, tt.d, got, tt.want)
		}
	}
}
