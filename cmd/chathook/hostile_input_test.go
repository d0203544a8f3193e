package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileJSON: every command that reads JSON refuses what no platform
// can send, with one line naming the file and the reason, exit 1, without a
// panic and without sending anything.
func TestHostileJSON(t *testing.T) {
	srv, rec := newRecorder(t, 200, "ok")
	dir := t.TempDir()
	bodies := map[string]string{
		"exponent":  `{"event":"message_created","id":1e1000001}`,
		"numbers":   `{"event":"message_created","x":[` + strings.TrimSuffix(strings.Repeat("9e99999,", 400), ",") + `]}`,
		"utf8":      "{\"event\":\"message_created\",\"content\":\"caf\xe9\"}",
		"duplicate": `{"event":"message_created","event":"conversation_created"}`,
		"bom":       "\uFEFF{\"event\":\"message_created\"}",
	}
	for name, body := range bodies {
		file := filepath.Join(dir, name+".json")
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"validate", file},
			{"validate", "--format", "json", file},
			{"send", "--target", srv.URL, "--file", file},
			{"send", "--target", srv.URL, "--platform", "chatwoot", "--file", file},
			{"replay", "--target", srv.URL, file},
		} {
			t.Run(name+"/"+strings.Join(args[:1], " "), func(t *testing.T) {
				code, stdout, stderr := execCLI(t, "", args...)
				if code != exitFailed {
					t.Fatalf("%v: exit %d, want 1\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
				}
				out := stdout + stderr
				if strings.Contains(out, "goroutine") || strings.Contains(out, "panic") {
					t.Fatalf("stack trace:\n%s", out)
				}
				if args[0] != "validate" || args[1] != "--format" {
					var lines []string
					for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
						if strings.Contains(l, file) {
							lines = append(lines, l)
						}
					}
					if len(lines) != 1 || !strings.Contains(lines[0], "platform") {
						t.Fatalf("want one line naming %s and the reason, got:\n%s", file, out)
					}
				}
			})
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("%d hostile bodies were sent", n)
	}
}
