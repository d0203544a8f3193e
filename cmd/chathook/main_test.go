package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets a test run the whole CLI in a child process: the test binary
// re-executed with CHATHOOK_EXEC_ARGS set (arguments separated by "\x1f")
// behaves as the chathook binary. Commands that run a Ginkgo suite need this,
// because Ginkgo runs one suite per process.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("CHATHOOK_EXEC_ARGS"); ok {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // as main does
		code := run(ctx, strings.Split(args, "\x1f"), &env{
			stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		})
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// execChild runs the CLI in a child process and returns its exit code and
// output. extraEnv entries are KEY=VALUE.
func execChild(t *testing.T, extraEnv []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "CHATHOOK_EXEC_ARGS="+strings.Join(args, "\x1f"), "TMPDIR="+t.TempDir()), extraEnv...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	} else if err != nil {
		t.Fatalf("running child: %v", err)
	}
	return 0, out.String(), errb.String()
}
