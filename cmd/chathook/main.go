// Command chathook is a contract-testing harness and mock platform for the
// webhooks of Chatwoot (and its rebrands Bevatel, MessageHub, Voxsig) and
// Swiftsell (and its rebrand ReplyCX).
//
// Usage:
//
//	chathook <command> [flags] [args]
//
// Run "chathook help" for the list of commands and "chathook <command> -h"
// for a command's flags and an example.
//
// Exit codes, the same for every command: 0 success, 1 the checked thing
// failed (invalid payload, non-conformant receiver), 2 usage or input error,
// 3 the target could not be reached or the harness could not run.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
	})
	stop()
	os.Exit(code)
}
