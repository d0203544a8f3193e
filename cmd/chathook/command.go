package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// env is what a command may touch of the outside world, so tests can drive
// the whole CLI in-process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// secrets are what output and reports never show (see redactOutput).
	secrets []string

	// introspect, when set, receives a command's flag set at parseFlags
	// instead of parsing: that is how the cobra tree learns each command's
	// flags (help, completion) from the command's own definitions.
	introspect func(*flag.FlagSet)
	// cmds are the cobra commands of this run, by name (help output).
	cmds map[string]*cobra.Command
}

// command is one subcommand. Each lives in its own file and registers itself
// from init, so adding a command means adding a file.
type command struct {
	name    string
	summary string // one line, shown by "chathook help"
	usage   string // synopsis, e.g. "chathook validate [flags] FILE..."; prose may follow a blank line
	example string // shown under --help
	// run parses args itself (see newFlagSet) and returns an error carrying
	// an exit code (see exitError), or nil for success.
	run func(ctx context.Context, e *env, args []string) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("chathook: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// takesNoArgs lists the commands that take flags only: parseFlags refuses a
// positional argument for them (the others check their own).
var takesNoArgs = map[string]bool{
	"platforms": true, "events": true, "version": true, "conform": true, "generate": true,
	"handshake": true, "listen": true, "load": true, "receiver": true, "scenario": true, "send": true,
}

// Exit codes shared by every command (design.md).
const (
	exitOK          = 0
	exitFailed      = 1 // the checked thing failed
	exitUsage       = 2 // bad flag, bad input, unreadable file
	exitUnreachable = 3 // target unreachable or harness could not run
)

// exitError carries an exit code and an optional one-line message.
type exitError struct {
	code int
	err  error // nil: exit quietly with code (the command already reported)
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

func unreachableErrorf(format string, a ...any) error {
	return &exitError{code: exitUnreachable, err: fmt.Errorf(format, a...)}
}

// failed returns an error that exits 1 without printing anything more: the
// command has already reported what failed.
func failed() error { return &exitError{code: exitFailed} }

// withCode wraps err so that it exits with code.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

const rootLong = `chathook: contract tests and a mock platform for Chatwoot-family and Swiftsell webhooks.

Exit codes, the same for every command: 0 ok, 1 the checked thing failed, 2 usage or input error,
3 target unreachable or the harness could not run.
Secrets may come from CHATHOOK_SECRET and CHATHOOK_TOKEN instead of flags.`

// run executes the command line args and returns the exit code. The command
// tree is cobra's (help, completion, suggestions); each command's flags are
// its own flag.FlagSet, parsed by pflag (see parseFlags).
func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		root := newRoot(ctx, e, nil)
		root.SetOut(e.stderr)
		_ = root.Usage()
		return exitUsage
	}
	switch args[0] {
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	case "-help", "-h", "--help":
		args = append([]string{"help"}, args[1:]...)
	}
	name := args[0]
	e = redactOutput(e, name, args[1:])
	var cmdErr error
	var ran string
	root := newRoot(ctx, e, func(c *command, err error) { ran, cmdErr = c.name, err })
	if _, ok := commands[name]; !ok && !isCobraBuiltin(name) {
		msg := fmt.Sprintf("chathook: unknown command %q", name)
		if s := root.SuggestionsFor(name); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
		}
		fmt.Fprintf(e.stderr, "%s; run \"chathook help\" for the list\n", msg)
		return exitUsage
	}
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(e.stderr, "chathook: %s\n", oneLine(err.Error()))
		return exitUsage
	}
	if ran == "" {
		return exitOK // help or completion
	}
	return finish(e, ran, cmdErr)
}

func isCobraBuiltin(name string) bool {
	switch name {
	case "help", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return true
	}
	return false
}

// newRoot builds the cobra tree. done receives the command that ran and its
// error (nil done: the tree is only for usage).
func newRoot(ctx context.Context, e *env, done func(*command, error)) *cobra.Command {
	root := &cobra.Command{
		Use:           "chathook",
		Short:         "contract tests and a mock platform for Chatwoot-family and Swiftsell webhooks",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
		Example: indent(`chathook conform --target builtin
CHATHOOK_SECRET=s3cret chathook conform --target http://127.0.0.1:8080/webhooks --platform chatwoot --wait 30s
chathook completion bash > /etc/bash_completion.d/chathook`, "  "),
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetIn(e.stdin)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErrorf("%v", err) })
	root.SuggestionsMinimumDistance = 2
	e.cmds = map[string]*cobra.Command{}
	for _, name := range commandNames() {
		c := commands[name]
		use, long := splitUsage(c)
		cc := &cobra.Command{
			Use:                use,
			Short:              c.summary,
			Long:               long,
			Example:            indent(strings.TrimSpace(c.example), "  "),
			DisableFlagParsing: true,
			SilenceErrors:      true,
			SilenceUsage:       true,
			RunE: func(cmd *cobra.Command, args []string) error {
				err := c.run(cmd.Context(), e, args)
				if done != nil {
					done(c, err)
				}
				return nil
			},
		}
		if fs := introspect(ctx, c, e); fs != nil {
			cc.Flags().AddFlagSet(pflagSet(fs))
		}
		e.cmds[name] = cc
		root.AddCommand(cc)
	}
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpFlag()
	return root
}

// splitUsage turns a command's usage into cobra's Use (the synopsis without
// "chathook ") and Long (the summary and any prose after the synopsis).
func splitUsage(c *command) (use, long string) {
	synopsis, prose, _ := strings.Cut(c.usage, "\n\n")
	use = strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(synopsis), "chathook ")), " ")
	if !strings.HasPrefix(use, c.name) {
		use = c.name + " " + use
	}
	long = c.summary
	if p := strings.TrimSpace(prose); p != "" {
		long += "\n\n" + p
	}
	return use, long
}

// introspect returns c's flag set as c defines it, without running c.
func introspect(ctx context.Context, c *command, e *env) *flag.FlagSet {
	var got *flag.FlagSet
	probe := *e
	probe.introspect = func(fs *flag.FlagSet) { got = fs }
	probe.stdout, probe.stderr = io.Discard, io.Discard
	_ = c.run(ctx, &probe, []string{"--help"})
	return got
}

// finish turns a command's error into an exit code and at most one line.
func finish(e *env, name string, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(e.stderr, "chathook %s: %v\n", name, ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(e.stderr, "chathook %s: %v\n", name, err)
	return exitUnreachable
}
