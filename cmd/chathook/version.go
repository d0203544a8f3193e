package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is set with -ldflags "-X main.version=v1.2.3"; otherwise the
// module version recorded in the binary's build info is used.
var version = ""

func moduleVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func init() {
	c := &command{
		name:    "version",
		summary: "print chathook's module version",
		usage:   "chathook version",
		example: "chathook version",
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		if _, err := parseFlags(fs, args); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "chathook %s\n", moduleVersion())
		return nil
	}
	register(c)
}
