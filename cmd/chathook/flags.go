package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// newFlagSet returns a flag set for c whose -h output shows the synopsis,
// the flags and the example, and whose parse errors become usage errors.
func newFlagSet(c *command, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("chathook "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { printCommandUsage(fs.Output(), c, fs) }
	return fs
}

func printCommandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "%s\n\nUsage: %s\n", c.summary, c.usage)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.PrintDefaults()
	}
	if c.example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", indent(strings.TrimSpace(c.example), "  "))
	}
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// parseFlags parses args allowing flags after positional arguments
// ("validate a.json --strict"), as users type them. "--" ends flags.
// A parse error is one line naming the flag (exit 2); -h prints the usage
// and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	defer func() { fs.Usage = usage; fs.SetOutput(out) }()
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				fs.SetOutput(out)
				usage()
				return nil, err
			}
			return nil, usageErrorf("%v (see %s -h)", err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// fs.Parse stops at the first non-flag; "--" is consumed by Parse,
		// detect it by comparing with the input.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// stringList is a repeatable string flag (--event a --event b, or a,b).
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// secretFlag reads a flag value, falling back to an environment variable so
// secrets stay out of shell history and CI logs.
func secretFrom(flagValue, envName string, e *env) string {
	if flagValue != "" {
		return flagValue
	}
	return e.getenv(envName)
}

// redact shows at most the first 3 characters of a secret.
func redact(s string) string {
	switch {
	case s == "":
		return "(none)"
	case len(s) <= 6:
		return "***"
	default:
		return s[:3] + "***"
	}
}

// checkListenAddr refuses a malformed --addr as a usage error (exit 2),
// before listening turns it into a network error.
func checkListenAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8787 (%v)", addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return usageErrorf("--addr %q: port %q is not a number from 0 to 65535", addr, port)
	}
	_ = host
	return nil
}
