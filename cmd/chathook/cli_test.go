package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// execCLI runs the CLI in-process and returns its exit code and output.
func execCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &env{
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		getenv: func(string) string { return "" },
	})
	return code, out.String(), errb.String()
}

func TestTopLevelUsage(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		inStderr string
		inStdout string
	}{
		{nil, exitUsage, "Usage: chathook <command>", ""},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`, ""},
		{[]string{"help"}, exitOK, "", "validate"},
		{[]string{"version"}, exitOK, "", "chathook "},
		{[]string{"--version"}, exitOK, "", "chathook "},
		{[]string{"validate", "-h"}, exitOK, "Example:", ""},
		{[]string{"validate", "--no-such-flag", "x.json"}, exitUsage, "flag provided but not defined", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := execCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.inStderr) || !strings.Contains(stdout, tt.inStdout) {
				t.Errorf("exit %d; want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
		})
	}
}
