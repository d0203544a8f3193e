package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/chathook/chathook/mockplatform"
	"github.com/spf13/pflag"
)

// newFlagSet returns a flag set for c. Commands define their flags on it
// with the standard flag package; parseFlags parses them the pflag way
// (--flag, -v shorthands, flags after arguments) and prints cobra's help.
func newFlagSet(c *command, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("chathook "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	fs.Usage = func() {}
	owners.Store(fs, owner{c, e})
	return fs
}

type owner struct {
	c *command
	e *env
}

// owners maps a flag set to its command and env, so parseFlags keeps the
// signature every command file calls.
var owners sync.Map

// errIntrospected ends a command run whose flags were only being read.
var errIntrospected = errors.New("chathook: flags introspected")

// parseFlags parses args allowing flags after positional arguments
// ("validate a.json --strict"), as users type them. "--" ends flags. A
// single-dash long flag (-target) is read as --target, as the Go flag
// package did. A parse error is one line naming the flag (exit 2);
// -h/--help prints the command's help on stdout and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	v, ok := owners.LoadAndDelete(fs)
	if !ok {
		return nil, fmt.Errorf("chathook: flag set %s not made by newFlagSet", fs.Name())
	}
	o := v.(owner)
	if o.e.introspect != nil {
		o.e.introspect(fs)
		return nil, errIntrospected
	}
	ps := pflagSet(fs)
	help := ps.BoolP("help", "h", false, "help for "+o.c.name)
	if err := ps.Parse(normalizeDashes(args, ps)); err != nil {
		return nil, usageErrorf("%v%s (see %s --help)", err, suggestFlag(err, ps), fs.Name())
	}
	if *help {
		printCommandHelp(o.c, o.e, ps)
		return nil, flag.ErrHelp
	}
	pos := ps.Args()
	if takesNoArgs[o.c.name] && len(pos) > 0 {
		return nil, usageErrorf("unexpected argument %q: %s takes no arguments (see %s --help)", pos[0], fs.Name(), fs.Name())
	}
	return pos, nil
}

// suggestFlag returns " (did you mean --x?)" for an unknown flag close to
// a defined one.
func suggestFlag(err error, ps *pflag.FlagSet) string {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return ""
	}
	best, bestD := "", 3
	ps.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if d := editDistance(name, f.Name); d < bestD || (d == bestD && best == "" && strings.HasPrefix(f.Name, name)) {
			best, bestD = f.Name, d
		}
	})
	if best == "" {
		return ""
	}
	return " (did you mean --" + best + "?)"
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// pflagSet mirrors fs as a pflag set. Setting a flag goes through fs.Set,
// so fs.Visit still reports the flags given. Ginkgo's flags are hidden
// from help (conform documents them as --ginkgo.*).
func pflagSet(fs *flag.FlagSet) *pflag.FlagSet {
	ps := pflag.NewFlagSet(fs.Name(), pflag.ContinueOnError)
	ps.SetOutput(io.Discard)
	ps.SortFlags = true
	fs.VisitAll(func(gf *flag.Flag) {
		pf := pflag.PFlagFromGoFlag(gf)
		pf.Value = &recordingValue{Value: pf.Value, fs: fs, name: gf.Name}
		if strings.HasPrefix(gf.Name, "ginkgo.") {
			pf.Hidden = true
		}
		ps.AddFlag(pf)
	})
	return ps
}

// recordingValue sets a flag through its flag.FlagSet (which records it as
// set), keeping pflag's view of the value.
type recordingValue struct {
	pflag.Value
	fs   *flag.FlagSet
	name string
}

func (v *recordingValue) Set(s string) error { return v.fs.Set(v.name, s) }

// Type names the value in help when the usage has no `name`.
func (v *recordingValue) Type() string {
	switch t := v.Value.Type(); t {
	case "stringList":
		return "list"
	case "headerList":
		return "header"
	default:
		return t
	}
}

// normalizeDashes rewrites -name and -name=value to --name when name is a
// long flag of ps, up to a "--".
func normalizeDashes(args []string, ps *pflag.FlagSet) []string {
	out := make([]string, len(args))
	copy(out, args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		letter := (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')
		if len(name) > 1 && letter && (ps.Lookup(name) != nil || ps.ShorthandLookup(name[:1]) == nil) {
			out[i] = "-" + a
		}
	}
	return out
}

// printCommandHelp prints c's cobra help (synopsis, prose, flags in --flag
// style, example) on stdout.
func printCommandHelp(c *command, e *env, ps *pflag.FlagSet) {
	cc := e.cmds[c.name]
	if cc == nil { // run without the cobra tree (tests of one command)
		fmt.Fprintf(e.stdout, "%s\n\nUsage: %s\n\nFlags:\n%s", c.summary, c.usage, ps.FlagUsages())
		if c.example != "" {
			fmt.Fprintf(e.stdout, "\nExamples:\n%s\n", indent(strings.TrimSpace(c.example), "  "))
		}
		return
	}
	_ = cc.Help()
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
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

// redact shows at most the first 3 characters of a secret (see
// mockplatform.Redact), "(none)" when there is none.
func redact(s string) string {
	if s == "" {
		return "(none)"
	}
	return mockplatform.Redact(s)
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
