package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestVersionJSON(t *testing.T) {
	code, out, errs := execCLI(t, "", "version", "--format", "json")
	var b buildInfo
	if code != 0 || json.Unmarshal([]byte(out), &b) != nil {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if b.Version == "" || b.Commit == "" || b.Date == "" || b.GoVersion != runtime.Version() || b.Platform != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("version --format json: %+v", b)
	}
}

// TestVersionLdflags builds the binary with the release -ldflags and checks
// that chathook version reports them.
func TestVersionLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "chathook")
	build := exec.Command("go", "build", "-o", bin, "-ldflags",
		"-X main.version=v9.8.7 -X main.commit=0123abc -X main.date=2026-01-02T03:04:05Z", ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"chathook v9.8.7", "commit:  0123abc", "built:   2026-01-02T03:04:05Z", "go:      go"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
	if out, err := exec.Command(bin, "--version").Output(); err != nil || !strings.HasPrefix(string(out), "chathook v9.8.7\n") {
		t.Errorf("--version: %v %s", err, out)
	}
}
