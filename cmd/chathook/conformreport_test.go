package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// conformReport is the part of the JSON report these tests read.
type conformReport struct {
	Version         string `json:"chathook_version"`
	Seed            int64  `json:"seed"`
	Passed          bool   `json:"passed"`
	Interrupted     bool   `json:"interrupted"`
	InterruptReason string `json:"interrupt_reason"`
	Specs           []struct {
		ID, State, Failure string
		Failures           []struct {
			Requirement string `json:"requirement"`
			Event       string `json:"event"`
			DeliveryID  string `json:"delivery_id"`
			Status      int    `json:"status"`
			Response    string `json:"response_excerpt"`
		}
	}
}

func (r conformReport) states() map[string]int {
	m := map[string]int{}
	for _, s := range r.Specs {
		m[s.State]++
	}
	return m
}

// TestConformJSONOnStdout: with --json -, stdout is the JSON document alone;
// Ginkgo's progress and the table go to stderr. The Markdown summary is
// appended to $GITHUB_STEP_SUMMARY, with the skip reasons.
func TestConformJSONOnStdout(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	t.Parallel()
	dir := t.TempDir()
	step := filepath.Join(dir, "step_summary.md")
	if err := os.WriteFile(step, []byte("# from an earlier step\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := execChild(t, []string{"GITHUB_STEP_SUMMARY=" + step}, "conform", "--target", "builtin",
		"--seed", "5", "--label-filter", "delivery || token", "--json", "-", "--markdown", step)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	var rep conformReport
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(&rep); err != nil || dec.More() {
		t.Fatalf("stdout is not one JSON document (%v):\n%s", err, stdout)
	}
	if rep.Version == "" || rep.Seed != 5 || !rep.Passed || rep.Interrupted {
		t.Errorf("report: %+v", rep)
	}
	if !strings.Contains(stderr, "LABEL") || !strings.Contains(stderr, "Running Suite") {
		t.Errorf("the table and Ginkgo's progress are not on stderr:\n%s", stderr)
	}
	md, _ := os.ReadFile(step)
	if !strings.HasPrefix(string(md), "# from an earlier step\n") || !strings.Contains(string(md), "chathook conformance") ||
		!strings.Contains(string(md), "### Skipped requirements") || !strings.Contains(string(md), "not selected by the label filter") {
		t.Errorf("step summary not appended with skip reasons:\n%s", md)
	}
}

// TestConformFailureDetailsAndAnnotations: a broken receiver's failures
// carry requirement, event, delivery id, status and response; with
// --github-annotations each failed requirement is one ::error line titled
// with the requirement.
func TestConformFailureDetailsAndAnnotations(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	t.Parallel()
	js := filepath.Join(t.TempDir(), "r.json")
	code, stdout, stderr := execChild(t, nil, "conform", "--target", "builtin:no-signature-check", "--seed", "3",
		"--label-filter", "signature", "--json", js, "--github-annotations")
	if code != exitFailed {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	var rep conformReport
	b, _ := os.ReadFile(js)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	failedN := 0
	for _, s := range rep.Specs {
		if s.State != "failed" {
			continue
		}
		failedN++
		if len(s.Failures) == 0 {
			t.Errorf("%s failed without failure details", s.ID)
			continue
		}
		fd := s.Failures[0]
		if fd.Requirement != s.ID || fd.Event == "" || fd.DeliveryID == "" || fd.Status != 200 {
			t.Errorf("%s: failure detail %+v", s.ID, fd)
		}
		if !strings.Contains(stdout, "::error title=chathook ["+s.ID+"] ") {
			t.Errorf("no ::error annotation for %s:\n%s", s.ID, stdout)
		}
	}
	if failedN == 0 || strings.Count(stdout, "::error ") != failedN {
		t.Errorf("%d failed, %d ::error lines", failedN, strings.Count(stdout, "::error "))
	}
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "::error") && (strings.Contains(line, ".go:") || strings.Contains(line, "file=")) {
			t.Errorf("annotation points at chathook's source: %s", line)
		}
	}
}

// TestConformInterrupted: Ctrl-C prints one line (no goroutine dump) and
// exits 3; the reports mark the run interrupted and the requirements it did
// not reach are "not run".
func TestConformInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	t.Parallel()
	dir := t.TempDir()
	js, junit, md := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.md")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TMPDIR="+dir, "CHATHOOK_EXEC_ARGS="+strings.Join([]string{"conform", "--target", "builtin:slow-ack",
		"--timeout", "10s", "--json", js, "--junit", junit, "--markdown", md}, "\x1f"))
	out, errb := newSyncBuffer(), newSyncBuffer()
	cmd.Stdout, cmd.Stderr = out, errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the suite is under way (slow-ack stalls every message
	// event for twice the timeout, so the run is far from its end).
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Will run") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	stdout, stderr := out.String(), errb.String()
	if code != exitUnreachable {
		t.Fatalf("exit %d, want 3\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "goroutine") || strings.Contains(stdout+stderr, "progress report") {
		t.Errorf("interrupt printed Ginkgo's progress report:\n%s\n%s", stdout, stderr)
	}
	lines := 0
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "interrupted") {
			lines++
		}
	}
	if lines != 1 || !strings.Contains(stderr, "requirements not run") {
		t.Errorf("want one line saying interrupted, got:\n%s", stderr)
	}
	var rep conformReport
	b, _ := os.ReadFile(js)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, b)
	}
	st := rep.states()
	if !rep.Interrupted || st["not run"] == 0 || st["failed"] != 0 {
		t.Errorf("JSON report: interrupted %v, states %v; want interrupted, some not run, none failed", rep.Interrupted, st)
	}
	x, _ := os.ReadFile(junit)
	if !bytes.Contains(x, []byte(`<property name="interrupted" value="true">`)) || bytes.Contains(x, []byte("<failure")) {
		t.Errorf("JUnit report does not mark the run interrupted (or counts a failure):\n%s", x)
	}
	m, _ := os.ReadFile(md)
	if !bytes.Contains(m, []byte("The run was interrupted")) || !bytes.Contains(m, []byte("not run")) {
		t.Errorf("Markdown does not mark the run interrupted:\n%s", m)
	}
}

// TestConformReceiverDies: a receiver that stops accepting connections
// mid-run is reported like an interrupted run (exit 3, not run), naming what
// it was sent last.
func TestConformReceiverDies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	srv := &http.Server{ReadHeaderTimeout: time.Second}
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 12 {
			go srv.Close() // dies, as a receiver that crashes on a payload
		}
		w.WriteHeader(http.StatusOK)
	})
	go srv.Serve(ln)
	defer srv.Close()
	js := filepath.Join(t.TempDir(), "r.json")
	code, stdout, stderr := execChild(t, nil, "conform", "--target", "http://"+ln.Addr().String()+"/hook", "--platform", "chatwoot",
		"--seed", "9", "--json", js)
	if code != exitUnreachable || !strings.Contains(stderr, "stopped accepting connections") {
		t.Fatalf("exit %d, want 3 saying the receiver stopped\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	var rep conformReport
	b, _ := os.ReadFile(js)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, b)
	}
	if !rep.Interrupted || rep.states()["not run"] == 0 || !strings.Contains(rep.InterruptReason, "last deliveries it was sent") {
		t.Errorf("report: interrupted %v reason %q states %v", rep.Interrupted, rep.InterruptReason, rep.states())
	}
}
