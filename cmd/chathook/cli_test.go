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
		{nil, exitUsage, "chathook [command]", ""},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`, ""},
		{[]string{"confrom"}, exitUsage, "did you mean conform?", ""},
		{[]string{"help", "conform"}, exitOK, "", "--ginkgo.v"},
		{[]string{"completion", "bash"}, exitOK, "", "bash completion"},
		{[]string{"completion", "zsh"}, exitOK, "", "zsh completion"},
		{[]string{"completion", "fish"}, exitOK, "", "fish completion"},
		{[]string{"completion", "powershell"}, exitOK, "", "powershell completion"},
		{[]string{"version", "extra"}, exitUsage, "takes no arguments", ""},
		{[]string{"platforms", "extra"}, exitUsage, "takes no arguments", ""},
		{[]string{"send", "--tagret", "x"}, exitUsage, "did you mean --target?", ""},
		{[]string{"platforms", "-format", "json"}, exitOK, "", `"aliases"`},
		{[]string{"receiver", "-h"}, exitOK, "", "Examples:"},
		{[]string{"help"}, exitOK, "", "validate"},
		{[]string{"version"}, exitOK, "", "chathook "},
		{[]string{"--version"}, exitOK, "", "chathook "},
		{[]string{"validate", "-h"}, exitOK, "", "Examples:"},
		{[]string{"validate", "--no-such-flag", "x.json"}, exitUsage, "unknown flag: --no-such-flag", ""},
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
