package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// startListen runs "chathook listen --addr 127.0.0.1:0 args..." in-process
// and returns its URL, its output and a stop function (Ctrl-C) returning the
// exit code.
func startListen(t *testing.T, vars map[string]string, args ...string) (url string, stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = newSyncBuffer(), newSyncBuffer()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"listen", "--addr", "127.0.0.1:0"}, args...), &env{
			stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, getenv: func(k string) string { return vars[k] },
		})
	}()
	url = stderr.waitFor(t, regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+) `), done)
	stopped := false
	var code int
	stop = func() int {
		if !stopped {
			stopped = true
			cancel()
			code = <-done
		}
		return code
	}
	t.Cleanup(func() { stop() })
	return url, stdout, stderr, stop
}

// savedBodies returns the body files of a listen --save directory in order.
func savedBodies(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") {
			t.Errorf("a temporary file was left behind: %s", n)
		}
		if strings.HasSuffix(n, ".json") && !strings.HasSuffix(n, ".headers.json") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// seqOf is the delivery number of a listen line ("#12 ..." is 12).
func seqOf(line string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(strings.Fields(line + " ")[0], "#"))
	return n
}

func TestListenSendReplayEndToEnd(t *testing.T) {
	const secret, token = "s3cret-listen", "tok-listen-1"
	dir := filepath.Join(t.TempDir(), "captures")
	vars := map[string]string{"CHATHOOK_SECRET": secret, "CHATHOOK_TOKEN": token}
	url, stdout, stderr, stop := startListen(t, vars, "--save", dir)
	target := url + "/webhooks?src=test"

	// 1. send a seeded, signed Chatwoot delivery.
	if code, out, errs := execCLIEnv(t, context.Background(), vars, "", "send", "--target", target, "--platform", "chatwoot",
		"--event", "message_created", "--seed", "21"); code != exitOK {
		t.Fatalf("send: exit %d\n%s%s", code, out, errs)
	}
	// 2. replay a JSONL file of two payloads (Chatwoot and Swiftsell, the
	// token in the query), then a file that is not even JSON.
	cw := firstPayload(t, "chatwoot", "conversation_updated", "", 22, "edge", "latest")
	sw := firstPayload(t, "swiftsell", "message", "form.response", 23, "realistic", "")
	jsonl := filepath.Join(t.TempDir(), "p.jsonl")
	_ = os.WriteFile(jsonl, append(append(append(cw, '\n'), sw...), '\n'), 0o644)
	if code, out, errs := execCLIEnv(t, context.Background(), vars, "", "replay", "--target", target, jsonl,
		"--token-placement", "query"); code != exitOK {
		t.Fatalf("replay: exit %d\n%s%s", code, out, errs)
	}
	// 3. the Swiftsell handshake, answered by listen.
	if code, out, errs := execCLIEnv(t, context.Background(), vars, "", "handshake", "--target", target); code != exitOK ||
		!strings.Contains(out, "reply form raw") {
		t.Fatalf("handshake: exit %d\n%s%s", code, out, errs)
	}
	// 4. a wrongly signed delivery is refused with 401 (and kept apart, in the quarantine).
	if code, out, _ := execCLIEnv(t, context.Background(), vars, "", "send", "--target", target, "--platform", "chatwoot",
		"--event", "contact_created", "--seed", "24", "--fault", "wrong_signature"); code != exitOK || !strings.Contains(out, "-> 401") {
		t.Fatalf("wrong signature: exit %d\n%s", code, out)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("listen: exit %d\n%s", code, stderr.String())
	}

	out := stdout.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("listen printed %d lines:\n%s", len(lines), out)
	}
	// Validation runs after the answer, on worker goroutines, so a slow
	// body's line may come after a later one's: compare in delivery order.
	sort.SliceStable(lines, func(i, j int) bool { return seqOf(lines[i]) < seqOf(lines[j]) })
	for i, want := range []string{
		`^#1 chatwoot/message_created -> 200 \| signature valid \| schema: valid \| \d+ bytes \| saved 000001-message_created.json$`,
		`^#2 chatwoot/conversation_updated -> 200 \| signature valid \| schema: valid`,
		`^#3 swiftsell/message.form.response -> 200 \| token valid \(in query; --token-placement says header\) \| schema: valid`,
		`^#4 swiftsell/handshake -> 200 \| token valid \(in header\) \| handshake answered`,
		`^#5 chatwoot/contact_created -> 401 \| signature invalid: signature mismatch`,
	} {
		if !regexp.MustCompile(want).MatchString(lines[i]) {
			t.Errorf("line %d:\n%s\nwant match %s", i+1, lines[i], want)
		}
	}
	if strings.Contains(out+stderr.String(), secret) || strings.Contains(out+stderr.String(), token) {
		t.Errorf("a secret was printed whole")
	}
	if !strings.Contains(stderr.String(), "received 5 deliveries (1 rejected or invalid); 4 saved in "+dir+" (1 rejected kept in "+filepath.Join(dir, "rejected")+")") {
		t.Errorf("summary: %s", stderr.String())
	}

	// The saved bodies are exactly what was sent.
	names := savedBodies(t, dir)
	if q := savedBodies(t, filepath.Join(dir, "rejected")); len(q) != 1 || !strings.HasPrefix(q[0], "000005-contact_created") {
		t.Errorf("quarantine holds %v; want the rejected delivery", q)
	}
	if len(names) != 4 {
		t.Fatalf("saved %v", names)
	}
	read := func(n string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for i, want := range [][]byte{firstPayload(t, "chatwoot", "message_created", "", 21, "realistic", "latest"), cw, sw} {
		if !bytes.Equal(read(names[i]), want) {
			t.Errorf("%s differs from what was sent", names[i])
		}
	}
	if got := string(read(names[3])); got != `{"token":"`+token+`"}` {
		t.Errorf("handshake body saved as %q", got)
	}

	// Replaying the directory sends the same bytes again, in order.
	srv, rec := newRecorder(t, 200, "")
	code, rout, rerrs := execCLI(t, "", "replay", "--target", srv.URL, dir)
	if code != exitOK {
		t.Fatalf("replay dir: exit %d\n%s%s", code, rout, rerrs)
	}
	reqs := rec.requests()
	if len(reqs) != len(names) {
		t.Fatalf("replayed %d of %d", len(reqs), len(names))
	}
	for i, n := range names {
		if !bytes.Equal(reqs[i].Body, read(n)) {
			t.Errorf("replay of %s: bytes differ", n)
		}
	}

	// --keep-delivery-id resends a capture with its recorded delivery id.
	var meta struct {
		Header map[string][]string `json:"header"`
	}
	hb, _ := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(names[0], ".json")+".headers.json"))
	if err := json.Unmarshal(hb, &meta); err != nil || len(meta.Header["X-Chatwoot-Delivery"]) != 1 {
		t.Fatalf("headers file: %v %s", err, hb)
	}
	if code, _, errs := execCLI(t, "", "replay", "--target", srv.URL, "--keep-delivery-id", filepath.Join(dir, names[0])); code != exitOK {
		t.Fatalf("keep id: exit %d %s", code, errs)
	}
	reqs = rec.requests()
	if got := reqs[len(reqs)-1].Header.Get("X-Chatwoot-Delivery"); got != meta.Header["X-Chatwoot-Delivery"][0] {
		t.Errorf("--keep-delivery-id sent %q, want %q", got, meta.Header["X-Chatwoot-Delivery"][0])
	}
}

func TestListenJSONAndValidation(t *testing.T) {
	url, stdout, _, stop := startListen(t, nil, "--platform", "replycx", "--token", "tok-json-listen", "--format", "json")
	body := `{"events":[{"event":{"type":"message","payload":{}}}]}`
	if code, out, errs := execCLI(t, body, "send", "--target", url, "--platform", "swiftsell", "--file", "-", "--token", "tok-json-listen"); code != exitOK {
		t.Fatalf("send: exit %d\n%s%s", code, out, errs)
	}
	if stop() != exitOK {
		t.Fatal("listen did not exit 0")
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines: %s", len(lines), stdout.String())
	}
	var rec captureRecord
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatalf("%v: %s", err, stdout.String())
	}
	if rec.Platform != "swiftsell" || rec.Status != 200 || rec.Verdict.Token != "valid" || rec.Report == nil || len(rec.Report.Errors) == 0 {
		t.Errorf("record %+v", rec)
	}
	if strings.Contains(stdout.String(), "tok-json-listen") || !strings.Contains(stdout.String(), "tok***") {
		t.Errorf("token not redacted in the JSON headers: %s", stdout.String())
	}
}

func TestListenErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, errs := execCLI(t, "", "listen", "--addr", ln.Addr().String())
	if code != exitUnreachable || !strings.Contains(errs, "cannot listen on "+ln.Addr().String()) || !strings.Contains(errs, "address already in use") {
		t.Errorf("port in use: exit %d %s", code, errs)
	}
	for _, args := range [][]string{
		{"--platform", "nope"}, {"--format", "xml"}, {"--token-placement", "x"}, {"--max-body", "0"}, {"extra"},
	} {
		if code, _, errs := execCLI(t, "", append([]string{"listen", "--addr", "127.0.0.1:0"}, args...)...); code != exitUsage {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
	}
}
