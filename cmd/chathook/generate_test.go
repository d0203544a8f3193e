package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runGenerate(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"generate"}, args...), &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
	})
	return code, out.String(), errb.String()
}

func TestGenerateJSONL(t *testing.T) {
	code, out, errs := runGenerate(t, "--platform", "bevatel", "--event", "message_created,conversation_updated", "--count", "5", "--seed", "42")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "seed: 42\n") {
		t.Errorf("stderr %q lacks the seed", errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want 5", len(lines))
	}
	for i, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		want := []string{"message_created", "conversation_updated"}[i%2]
		if v["event"] != want {
			t.Errorf("line %d: event %v, want %s", i, v["event"], want)
		}
	}
	// Same seed, same bytes.
	_, again, _ := runGenerate(t, "--platform", "chatwoot", "--event", "message_created,conversation_updated", "--count", "5", "--seed", "42")
	if again != out {
		t.Error("same seed gave different output")
	}
}

func TestGenerateOutDirAndKinds(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runGenerate(t, "--platform", "replycx", "--event", "message", "--kind", "form", "--kind", "form.response", "--count", "3", "--seed", "7", "--out", dir, "--pretty")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range []string{"message.form-1.json", "message.form.response-2.json", "message.form-3.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("\n  ")) {
			t.Errorf("%s is not indented", name)
		}
		if !bytes.Contains(b, []byte(`\u00bf\u00b7`)) {
			t.Errorf("%s lost the platform's escapes", name)
		}
	}
}

func TestGenerateAllEventsDefault(t *testing.T) {
	code, out, errs := runGenerate(t, "--platform", "chatwoot", "--count", "21", "--seed", "3", "--version", "4.10", "--profile", "edge")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatal(err)
		}
		seen[v["event"].(string)] = true
	}
	// 4.10 sends every event but inbox_created and inbox_updated, which
	// cannot be delivered from 3.2.0 to 4.14.0.
	if len(seen) != 19 || seen["inbox_created"] || seen["inbox_updated"] {
		t.Errorf("%d distinct events, want 19 without inbox events", len(seen))
	}
}

func TestGenerateUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{}, "--platform is required"},
		{[]string{"--platform", "slack"}, "is not a platform"},
		{[]string{"--platform", "chatwoot", "--event", "message.created"}, "message_created"},
		{[]string{"--platform", "swiftsell", "--event", "message", "--kind", "pdf"}, "form.response"},
		{[]string{"--platform", "chatwoot", "--kind", "text"}, "swiftsell message events only"},
		{[]string{"--platform", "chatwoot", "--profile", "wild"}, "realistic, edge"},
		{[]string{"--platform", "chatwoot", "--version", "4.x"}, "not a release number"},
		{[]string{"--platform", "chatwoot", "--version", "4.17"}, "1.18.0 to 4.16.2"},
		{[]string{"--platform", "chatwoot", "--version", "4.14", "--count", "0"}, "--count"},
		{[]string{"--platform", "chatwoot", "--count", "0"}, "--count"},
		{[]string{"--platform", "chatwoot", "--version", "2", "--event", "conversation_typing_on"}, "Chatwoot 2.18.0 never sends conversation_typing_on"},
	} {
		code, _, errs := runGenerate(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q (want 2 and %q)", c.args, code, errs, c.want)
		}
	}
}
