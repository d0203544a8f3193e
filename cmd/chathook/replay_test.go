package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestReplayJSONLAndStdin(t *testing.T) {
	srv, rec := newRecorder(t, 200, "")
	var bodies [][]byte
	for i, ev := range []string{"message_created", "conversation_created", "contact_updated"} {
		bodies = append(bodies, firstPayload(t, "chatwoot", ev, "", int64(i+1), "realistic", "latest"))
	}
	bodies = append(bodies, firstPayload(t, "swiftsell", "message", "form", 4, "realistic", ""))
	jsonl := string(bytes.Join(bodies, []byte("\n"))) + "\n"
	file := filepath.Join(t.TempDir(), "payloads.jsonl")
	if err := os.WriteFile(file, []byte(jsonl), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := execCLI(t, "", "replay", "--target", srv.URL, file, "--secret", "s3cret-rep")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	code, out2, errs := execCLI(t, jsonl, "replay", "--target", srv.URL, "-")
	if code != exitOK {
		t.Fatalf("stdin: exit %d\n%s%s", code, out2, errs)
	}
	reqs := rec.requests()
	if len(reqs) != 2*len(bodies) {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, r := range reqs {
		if !bytes.Equal(r.Body, bodies[i%len(bodies)]) {
			t.Errorf("request %d: body differs", i)
		}
	}
	if !strings.Contains(out, "swiftsell/message.form ["+file+":4]") || !strings.Contains(out, "4 delivered: 4 ok") {
		t.Errorf("output:\n%s", out)
	}
	// Chatwoot bodies were signed, the Swiftsell one was not.
	if reqs[0].Header.Get("X-Chatwoot-Signature") == "" || reqs[3].Header.Get("X-Chatwoot-Signature") != "" {
		t.Errorf("signing by detected platform")
	}
}

func TestReplayDirectoryOrderAndInputErrors(t *testing.T) {
	srv, rec := newRecorder(t, 200, "")
	dir := t.TempDir()
	files := map[string]string{
		"000010-message_created.json":              `{"event":"message_created","n":10}`,
		"000002-conversation_created.json":         `{"event":"conversation_created","n":2}`,
		"000002-conversation_created.headers.json": `{"header":{}}`,
		".capture-123.tmp":                         `half`,
		"notes.txt":                                `ignored`,
	}
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := execCLI(t, "", "replay", "--target", srv.URL, "--platform", "chatwoot", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	reqs := rec.requests()
	if len(reqs) != 2 || !strings.Contains(string(reqs[0].Body), `"n":2`) || !strings.Contains(string(reqs[1].Body), `"n":10`) {
		t.Fatalf("requests: %d, want 2 in seq order", len(reqs))
	}
	// Input errors: nothing is sent.
	missing := filepath.Join(dir, "missing.json")
	for _, tt := range []struct {
		args   []string
		inErrs string
	}{
		{[]string{dir, missing}, "cannot read"},
		{[]string{filepath.Join(dir, "notes.txt")}, "cannot tell the platform"},
		{nil, "no files given"},
		{[]string{filepath.Join(dir, "000002-conversation_created.headers.json")}, "no payloads"},
	} {
		code, out, errs := execCLI(t, "", append([]string{"replay", "--target", srv.URL}, tt.args...)...)
		if code != exitUsage || !strings.Contains(errs, tt.inErrs) {
			t.Errorf("%v: exit %d\n%s%s", tt.args, code, out, errs)
		}
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("input errors sent %d more requests", n-2)
	}
}

func TestReplayExitCodes(t *testing.T) {
	srv, _ := newRecorder(t, 422, "no")
	body := firstPayload(t, "chatwoot", "message_created", "", 1, "realistic", "latest")
	file := filepath.Join(t.TempDir(), "a.json")
	_ = os.WriteFile(file, body, 0o644)
	if code, out, errs := execCLI(t, "", "replay", "--target", srv.URL, file); code != exitFailed || !strings.Contains(out, "-> 422") {
		t.Errorf("422: exit %d\n%s%s", code, out, errs)
	}
	dead := closedPort(t)
	if code, out, errs := execCLI(t, "", "replay", "--target", dead, file, file); code != exitUnreachable ||
		!strings.Contains(errs, "connection refused (refused)") || !strings.Contains(out, "1 of 2 not sent") {
		t.Errorf("refused: exit %d\n%s%s", code, out, errs)
	}
}

func TestReplayCtrlCStopsWithAccounting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // so the server notices the client going away
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			return // 200
		}
		cancel() // Ctrl-C while the second delivery is in flight
		<-r.Context().Done()
	}))
	defer srv.Close()
	body := string(firstPayload(t, "chatwoot", "message_created", "", 1, "realistic", "latest"))
	stdin := strings.Repeat(body+"\n", 5)
	code, out, errs := execCLIEnv(t, ctx, nil, stdin, "replay", "--target", srv.URL, "-")
	if code != exitUnreachable || !strings.Contains(errs, "interrupted after 1 of 5 deliveries") ||
		!strings.Contains(out, "1 delivered: 1 ok (2xx), 0 failed, 0 not answered; 4 of 5 not sent") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
	mu.Lock()
	defer mu.Unlock()
	if n != 2 {
		t.Errorf("the receiver saw %d requests, want 2", n)
	}
}

// A capture whose body is not JSON is still replayed, as the platform listen
// recorded in its .headers.json.
func TestReplaySavedCaptureUsesRecordedPlatform(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "000001-unknown.json"), []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "000001-unknown.headers.json"), []byte(`{"seq":1,"platform":"swiftsell"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
	}))
	defer srv.Close()
	code, out, errs := execCLI(t, "", "replay", "--target", srv.URL, dir)
	if code != exitOK || string(got) != "not json" || !strings.Contains(out, "#1 swiftsell") {
		t.Errorf("exit %d, receiver got %q\n%s%s", code, got, out, errs)
	}
}
