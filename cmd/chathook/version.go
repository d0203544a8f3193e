package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set at release build time with
//
//	-ldflags "-X main.version=v1.2.3 -X main.commit=abc1234 -X main.date=2026-01-02T03:04:05Z"
//
// (see .goreleaser.yaml and the Dockerfile). Unset, they come from the
// binary's build info: the module version for "go install ...@v1.2.3", and
// the VCS revision and time when built in a git checkout.
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildInfo is what "chathook version" reports.
type buildInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"` // GOOS/GOARCH
	Modified  bool   `json:"modified,omitempty"`
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: date, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
		if bi.GoVersion != "" {
			b.GoVersion = bi.GoVersion
		}
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}

func moduleVersion() string { return readBuildInfo().Version }

func init() {
	c := &command{
		name:    "version",
		summary: "print chathook's version, commit, build date and Go version",
		usage:   "chathook version [--format text|json]",
		example: "chathook version\nchathook version --format json | jq -r .commit",
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		format := fs.String("format", "text", "output `format`: text or json")
		if _, err := parseFlags(fs, args); err != nil {
			return err
		}
		if err := checkFormat(*format); err != nil {
			return err
		}
		b := readBuildInfo()
		if *format == "json" {
			return writeJSON(e.stdout, b)
		}
		dirty := ""
		if b.Modified {
			dirty = " (modified)"
		}
		fmt.Fprintf(e.stdout, "chathook %s\ncommit:  %s%s\nbuilt:   %s\ngo:      %s %s\n", b.Version, b.Commit, dirty, b.Date, b.GoVersion, b.Platform)
		return nil
	}
	register(c)
}
