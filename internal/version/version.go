// Package version says which build of beian is running.
//
// Release builds set the variables below with the linker, for example
//
//	go build -ldflags "-X github.com/beian-dev/beian/internal/version.Version=1.2.0" ./cmd/beian
//
// (.goreleaser.yaml does exactly that). A plain `go install module@v1.2.0`
// sets nothing, so the values then come from the build information the Go
// toolchain embeds in every binary; `go run` in a checkout reports "devel".
package version

import "runtime/debug"

// Version is the release version without a leading "v", e.g. "1.2.0", or
// "devel" for a build from a working tree.
var Version string

// Commit is the VCS revision the binary was built from, when known.
var Commit string

// Date is the build or commit time (RFC 3339), when known.
var Date string

func init() {
	info, _ := debug.ReadBuildInfo() // nil when the binary carries none
	Version, Commit, Date = fill(Version, Commit, Date, info)
}

// fill completes the linker-set values from the embedded build information.
// Values set by the linker always win: a release must report what it was
// tagged as, not what the toolchain guessed.
func fill(version, commit, date string, info *debug.BuildInfo) (string, string, string) {
	if info != nil {
		if version == "" {
			v := info.Main.Version
			if v != "" && v != "(devel)" {
				version = trimV(v)
			}
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && commit == "":
				commit = s.Value
			case s.Key == "vcs.time" && date == "":
				date = s.Value
			}
		}
	}
	if version == "" {
		version = "devel"
	}
	return version, commit, date
}

func trimV(v string) string {
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return v[1:]
	}
	return v
}

// String is the one-line description printed by `--version`, e.g.
// "1.2.0 (commit 1a2b3c4, built 2026-11-01T08:00:00Z)".
func String() string {
	s := Version
	switch {
	case Commit != "" && Date != "":
		s += " (commit " + short(Commit) + ", built " + Date + ")"
	case Commit != "":
		s += " (commit " + short(Commit) + ")"
	case Date != "":
		s += " (built " + Date + ")"
	}
	return s
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}
