package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// env is what a command may touch of the outside world, so tests can drive
// the whole CLI in-process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// command is one subcommand. Each lives in its own file and registers itself
// from init, so adding a command means adding a file.
type command struct {
	name    string
	summary string // one line, shown by "chathook help"
	usage   string // synopsis, e.g. "chathook validate [flags] FILE..."
	example string // shown under -h
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

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		printHelp(e.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return finish(e, c.name, c.run(ctx, e, []string{"-h"}))
			}
		}
		printHelp(e.stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "chathook: unknown command %q (commands: %s)\n", name, strings.Join(commandNames(), ", "))
		return exitUsage
	}
	return finish(e, c.name, c.run(ctx, e, args[1:]))
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

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "chathook: contract tests and a mock platform for Chatwoot-family and Swiftsell webhooks\n\n")
	fmt.Fprintf(w, "Usage: chathook <command> [flags] [args]\n\nCommands:\n")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun \"chathook <command> -h\" for a command's flags and an example.\n")
	fmt.Fprintf(w, "Exit codes: 0 ok, 1 check failed, 2 usage or input error, 3 target unreachable or harness could not run.\n")
}
