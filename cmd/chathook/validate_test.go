package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtureDir = "../../schemas/testdata"

func firstFixture(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(fixtureDir, pattern))
	if len(m) == 0 {
		t.Fatalf("no fixture matches %s", pattern)
	}
	return m[0]
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	seed := firstFixture(t, "swiftsell/seed/*.json")
	seedBody, _ := os.ReadFile(seed)
	invalid := firstFixture(t, "swiftsell/invalid/*.json")
	drift := firstFixture(t, "swiftsell/drift/*.json")
	notJSON := write("broken.json", `{"event": "message_created",`)
	jsonl := write("batch.jsonl", strings.TrimSpace(string(seedBody))+"\n\n"+`{"events": "nope"}`+"\n")

	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"seed example valid", "", []string{"validate", seed}, 0, []string{seed + ": ok (swiftsell"}, nil},
		{"invalid fixture", "", []string{"validate", invalid}, 1, []string{invalid + ": /", "1 invalid"}, nil},
		{"flags after files", "", []string{"validate", seed, "--platform", "replycx", "--quiet"}, 0, []string{"1 valid"}, nil},
		{"not json", "", []string{"validate", notJSON}, 1, []string{notJSON + ": (root): not JSON: truncated"}, nil},
		{"missing file", "", []string{"validate", filepath.Join(dir, "nope.json")}, 2, nil, []string{"cannot read", "nope.json", "no such file"}},
		{"no files", "", []string{"validate"}, 2, nil, []string{"no files given"}},
		{"unknown platform", "", []string{"validate", "--platform", "slack", seed}, 2, nil, []string{`--platform "slack" is not a platform`, "replycx"}},
		{"unknown event", "", []string{"validate", "--event", "message.created", seed}, 2, nil, []string{"unknown event", "message_created"}},
		{"event mismatch", "", []string{"validate", "--event", "note", seed}, 1, []string{`expected event "note"`}, nil},
		{"bad format", "", []string{"validate", "--format", "xml", seed}, 2, nil, []string{"--format"}},
		{"jsonl reports lines", "", []string{"validate", jsonl}, 1, []string{jsonl + ":1: ok", jsonl + ":3: /events: expected array"}, nil},
		{"stdin single", string(seedBody), []string{"validate", "-"}, 0, []string{"stdin: ok"}, nil},
		{"stdin lines", strings.TrimSpace(string(seedBody)) + "\n" + "[]\n", []string{"validate", "-"}, 1, []string{"stdin:1: ok", "stdin:2: (root): not a webhook body"}, nil},
		{"drift is a warning", "", []string{"validate", drift}, 0, []string{": warning: /"}, nil},
		{"drift fails strict", "", []string{"validate", "--strict", drift}, 1, []string{": error: /"}, nil},
		{"payload over max size", "", []string{"validate", "--max-size", "100", seed}, 1, []string{"exceeds --max-size 100"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := execCLI(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d; want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if strings.Contains(stderr, "goroutine ") || strings.Count(strings.TrimSpace(stderr), "\n") > 2 {
				t.Errorf("stderr is not a short error:\n%s", stderr)
			}
		})
	}
}

func TestValidateJSONOutput(t *testing.T) {
	seed := firstFixture(t, "swiftsell/seed/*.json")
	invalid := firstFixture(t, "swiftsell/invalid/*.json")
	code, stdout, _ := execCLI(t, "", "validate", "--format", "json", seed, invalid)
	if code != 1 {
		t.Fatalf("exit %d; want 1", code)
	}
	var out struct {
		Payloads []struct {
			Source string `json:"source"`
			Valid  bool   `json:"valid"`
			Errors []struct {
				Pointer, Message string
			} `json:"errors"`
		} `json:"payloads"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if len(out.Payloads) != 2 || !out.Payloads[0].Valid || out.Payloads[1].Valid || len(out.Payloads[1].Errors) == 0 {
		t.Errorf("unexpected report: %+v", out)
	}
	if out.Summary["total"] != 2 || out.Summary["invalid"] != 1 {
		t.Errorf("summary = %v", out.Summary)
	}
}

func TestValidateHugeGarbageFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(p, []byte(strings.Repeat("x", 50<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := execCLI(t, "", "validate", "--max-size", "100000000", p)
	if code != 1 || !strings.Contains(stdout, "not JSON") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 with a not-JSON error", code, stdout, stderr)
	}
	code, stdout, _ = execCLI(t, "", "validate", p)
	if code != 1 || !strings.Contains(stdout, "exceeds --max-size") {
		t.Errorf("default max size: exit %d, stdout %q; want exit 1 with a size error", code, stdout)
	}
}
