package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
)

func TestSendEventIsTheSeedsFirstPayload(t *testing.T) {
	tests := []struct {
		name                                    string
		args                                    []string
		platform, event, kind, profile, version string
	}{
		{"chatwoot", nil, "chatwoot", "message_created", "", "realistic", "latest"},
		{"alias and edge", []string{"--profile", "edge"}, "chatwoot", "conversation_updated", "", "edge", "latest"},
		{"version 2 shape", []string{"--version", "2"}, "chatwoot", "contact_created", "", "realistic", "2"},
		{"version 4.10 shape", []string{"--version", "4.10"}, "chatwoot", "conversation_created", "", "realistic", "4.10"},
		{"swiftsell kind", []string{"--kind", "form.response"}, "swiftsell", "message", "form.response", "realistic", ""},
		{"swiftsell kind as event.kind", nil, "swiftsell", "message.button", "", "realistic", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := newRecorder(t, 200, "ok")
			platformArg := tt.platform
			if tt.name == "alias and edge" {
				platformArg = "bevatel"
			}
			args := append([]string{"send", "--target", srv.URL, "--platform", platformArg, "--event", tt.event, "--seed", "42"}, tt.args...)
			code, out, errs := execCLI(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d\n%s%s", code, out, errs)
			}
			if strings.Contains(errs, "seed:") {
				t.Errorf("a given seed is not printed: %s", errs)
			}
			event, kind := tt.event, tt.kind
			if ev, k, ok := strings.Cut(event, "."); ok && tt.platform == "swiftsell" {
				event, kind = ev, k
			}
			want := firstPayload(t, tt.platform, event, kind, 42, tt.profile, tt.version)
			reqs := rec.requests()
			if len(reqs) != 1 || !bytes.Equal(reqs[0].Body, want) {
				t.Fatalf("sent %d requests; body differs from generator.New(42).Payload:\n%.300s\nwant\n%.300s", len(reqs), reqs[0].Body, want)
			}
			if !regexp.MustCompile(`^#1 \w+/\S+ -> 200 in \S+, .*1 attempt, response: ok\n$`).MatchString(out) {
				t.Errorf("output line: %q", out)
			}
		})
	}
}

func TestSendDrawsAndPrintsSeed(t *testing.T) {
	srv, rec := newRecorder(t, 200, "")
	code, _, errs := execCLI(t, "", "send", "--target", srv.URL, "--platform", "chatwoot", "--event", "message_created")
	m := regexp.MustCompile(`seed: (\d+)`).FindStringSubmatch(errs)
	if code != exitOK || m == nil {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	code, _, _ = execCLI(t, "", "send", "--target", srv.URL, "--platform", "chatwoot", "--event", "message_created", "--seed", m[1])
	reqs := rec.requests()
	if code != exitOK || len(reqs) != 2 || !bytes.Equal(reqs[0].Body, reqs[1].Body) {
		t.Fatalf("the printed seed does not reproduce the payload (exit %d)", code)
	}
}

func TestSendSignsWithSecret(t *testing.T) {
	srv, rec := newRecorder(t, 200, "")
	code, out, errs := execCLIEnv(t, context.Background(), map[string]string{"CHATHOOK_SECRET": "env-secret-123"}, "",
		"send", "--target", srv.URL, "--platform", "chatwoot", "--event", "message_created", "--seed", "9", "--header", "X-Env: a, b")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	r := rec.requests()[0]
	if err := mockplatform.Verify("env-secret-123", r.Header.Get(mockplatform.HeaderSignature), r.Header.Get(mockplatform.HeaderTimestamp), r.Body, time.Now(), 0); err != nil {
		t.Errorf("signature does not verify: %v (headers %v)", err, r.Header)
	}
	if id := r.Header.Get(mockplatform.HeaderDelivery); id == "" || !strings.Contains(out, "delivery "+id) {
		t.Errorf("delivery id %q not printed: %s", id, out)
	}
	if got := r.Header.Get("X-Env"); got != "a, b" {
		t.Errorf("X-Env = %q", got)
	}
	if strings.Contains(out+errs, "env-secret-123") {
		t.Errorf("the secret was printed")
	}
}

func TestSendFileExactBytes(t *testing.T) {
	srv, rec := newRecorder(t, 200, "")
	dir := t.TempDir()
	// Pretty-printed, escaped, with a trailing newline: sent untouched, and
	// the platform (chatwoot) detected from the body.
	body := firstPayload(t, "chatwoot", "message_created", "", 5, "realistic", "latest")
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, body, "", "   ")
	pretty.WriteString("\n")
	file := filepath.Join(dir, "capture.json")
	if err := os.WriteFile(file, pretty.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := execCLI(t, "", "send", "--target", srv.URL, "--file", file, "--secret", "s3cret-x")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	r := rec.requests()[0]
	if !bytes.Equal(r.Body, pretty.Bytes()) {
		t.Errorf("body not sent byte for byte")
	}
	if err := mockplatform.Verify("s3cret-x", r.Header.Get(mockplatform.HeaderSignature), r.Header.Get(mockplatform.HeaderTimestamp), r.Body, time.Now(), 0); err != nil {
		t.Errorf("signature: %v", err)
	}
	if !strings.Contains(out, "chatwoot/message_created") {
		t.Errorf("platform and event not detected: %s", out)
	}
	// Stdin, and a body no schema recognises with an explicit platform.
	code, _, errs = execCLI(t, "not json at all", "send", "--target", srv.URL, "--file", "-", "--platform", "chatwoot")
	if code != exitOK || string(rec.requests()[1].Body) != "not json at all" {
		t.Fatalf("stdin: exit %d %s", code, errs)
	}
	// Without --platform it cannot be told.
	code, _, errs = execCLI(t, "not json at all", "send", "--target", srv.URL, "--file", "-")
	if code != exitUsage || !strings.Contains(errs, "pass --platform") {
		t.Errorf("exit %d %s", code, errs)
	}
}

func TestSendSwiftsellToken(t *testing.T) {
	srv, err := receivertest.NewServer(receivertest.Config{Platform: "swiftsell", Token: "tok-123456"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	vars := map[string]string{"CHATHOOK_TOKEN": "tok-123456"}
	for _, placement := range []string{"header", "query", "body"} {
		rsrv, _ := receivertest.NewServer(receivertest.Config{Platform: "swiftsell", Token: "tok-123456", TokenPlacement: placement})
		code, out, errs := execCLIEnv(t, context.Background(), vars, "", "send", "--target", rsrv.URL, "--platform", "replycx",
			"--event", "message", "--kind", "text", "--seed", "3", "--token-placement", placement)
		rsrv.Close()
		if code != exitOK || strings.Contains(out+errs, "tok-123456") {
			t.Errorf("%s: exit %d\n%s%s", placement, code, out, errs)
		}
	}
	code, out, _ := execCLIEnv(t, context.Background(), vars, "", "send", "--target", srv.URL, "--platform", "swiftsell",
		"--event", "status", "--seed", "3", "--fault", "wrong_token")
	if code != exitOK || !strings.Contains(out, "-> 401") { // a fault rejected with 4xx is what should happen
		t.Errorf("wrong_token: exit %d %s", code, out)
	}
}

func TestSendFaultsAgainstReferenceReceiver(t *testing.T) {
	srv, err := receivertest.NewServer(receivertest.Config{Platform: "chatwoot", Secret: "s3cret-value"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	base := []string{"send", "--target", srv.URL, "--platform", "chatwoot", "--event", "message_created", "--seed", "11", "--secret", "s3cret-value"}
	if code, out, errs := execCLI(t, "", base...); code != exitOK {
		t.Fatalf("correctly signed: exit %d\n%s%s", code, out, errs)
	}
	for _, f := range []string{"wrong_signature", "missing_signature", "body_only_signature", "stale_timestamp", "tampered_body"} {
		code, out, errs := execCLI(t, "", append(base, "--fault", f)...)
		if code != exitOK || !strings.Contains(out, "-> 401") { // rejected, as it should be
			t.Errorf("--fault %s: exit %d\n%s%s", f, code, out, errs)
		}
	}
	// A receiver that accepts a faulty delivery is what --fault catches: exit 1.
	broken, err := receivertest.NewServer(receivertest.Config{Platform: "chatwoot", Variant: "no-signature-check", Secret: "s3cret-value"})
	if err != nil {
		t.Fatal(err)
	}
	defer broken.Close()
	base[2] = broken.URL
	if code, out, errs := execCLI(t, "", append(base, "--fault", "body_only_signature")...); code != exitFailed ||
		!strings.Contains(out, "should be rejected with 4xx") {
		t.Errorf("accepted fault: exit %d; want 1\n%s%s", code, out, errs)
	}
}

func TestSendExitCodes(t *testing.T) {
	srv500, _ := newRecorder(t, 500, "boom")
	srv200, _ := newRecorder(t, 200, "")
	dead := closedPort(t)
	missing := filepath.Join(t.TempDir(), "missing.json")
	ev := []string{"--platform", "chatwoot", "--event", "message_created", "--seed", "1"}
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"non-2xx", append([]string{"--target", srv500.URL}, ev...), exitFailed, ""},
		{"refused", append([]string{"--target", dead}, ev...), exitUnreachable, "chathook send: cannot reach " + dead + ": connection refused (refused)"},
		{"unknown event", []string{"--target", srv200.URL, "--platform", "chatwoot", "--event", "nope"}, exitUsage, "events: account_created"},
		{"unknown kind", []string{"--target", srv200.URL, "--platform", "swiftsell", "--event", "message", "--kind", "nope"}, exitUsage, "kinds: text"},
		{"kind on chatwoot", append([]string{"--target", srv200.URL, "--kind", "text"}, ev...), exitUsage, "--kind applies to swiftsell"},
		{"unknown fault", append([]string{"--target", srv200.URL, "--fault", "nope"}, ev...), exitUsage, "faults: wrong_signature"},
		{"fault without secret", append([]string{"--target", srv200.URL, "--fault", "wrong_signature"}, ev...), exitUsage, "needs a secret"},
		{"unknown platform", []string{"--target", srv200.URL, "--platform", "nope", "--event", "x"}, exitUsage, "valid: "},
		{"no target", ev, exitUsage, "--target is required"},
		{"bad target", append([]string{"--target", "ftp://x"}, ev...), exitUsage, "not an absolute http or https URL"},
		{"no event or file", []string{"--target", srv200.URL, "--platform", "chatwoot"}, exitUsage, "want --event"},
		{"event and file", append([]string{"--target", srv200.URL, "--file", "x.json"}, ev...), exitUsage, "exclude each other"},
		{"seed with file", []string{"--target", srv200.URL, "--file", "x.json", "--seed", "3"}, exitUsage, "--seed applies to --event"},
		{"unreadable file", []string{"--target", srv200.URL, "--file", missing, "--platform", "chatwoot"}, exitUsage, "cannot read"},
		{"event without platform", []string{"--target", srv200.URL, "--event", "message_created"}, exitUsage, "--platform is required"},
		{"bad version", append([]string{"--target", srv200.URL, "--version", "x.y"}, ev...), exitUsage, "--version"},
		{"bad receiver", append([]string{"--target", srv200.URL, "--receiver", "nope"}, ev...), exitUsage, "--receiver"},
		{"bad placement", append([]string{"--target", srv200.URL, "--token-placement", "nope"}, ev...), exitUsage, "--token-placement"},
		{"bad header", append([]string{"--target", srv200.URL, "--header", "nocolon"}, ev...), exitUsage, "--header"},
		{"bad format", append([]string{"--target", srv200.URL, "--format", "xml"}, ev...), exitUsage, "--format"},
		{"bad flag", []string{"--nope"}, exitUsage, "unknown flag: --nope"},
		{"event not in version", []string{"--target", srv200.URL, "--platform", "chatwoot", "--event", "conversation_typing_on", "--version", "2"}, exitUsage, "not sent by this version"},
		{"positional", append([]string{"--target", srv200.URL, "x.json"}, ev...), exitUsage, "unexpected argument"},
		{"delivery id on swiftsell", []string{"--target", srv200.URL, "--platform", "swiftsell", "--event", "status", "--delivery-id", "x"}, exitUsage, "no delivery id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := execCLI(t, "", append([]string{"send"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.inStderr) {
				t.Errorf("exit %d, want %d; stderr should contain %q\nstdout: %s\nstderr: %s", code, tt.code, tt.inStderr, out, errs)
			}
		})
	}
}

func TestSendTimeoutIsUnreachable(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	code, out, errs := execCLI(t, "", "send", "--target", srv.URL, "--platform", "chatwoot", "--event", "message_created",
		"--seed", "1", "--timeout", "50ms", "--format", "json")
	if code != exitUnreachable || !strings.Contains(errs, "(timeout)") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	var rec deliveryRecord
	if err := json.Unmarshal([]byte(out), &rec); err != nil || rec.Cause != "timeout" || rec.OK || rec.Status != 0 {
		t.Errorf("json record %+v, %v", rec, err)
	}
}

func TestSendJSONAndRetries(t *testing.T) {
	srv, rec := newRecorder(t, 500, "busy")
	code, out, errs := execCLI(t, "", "send", "--target", srv.URL, "--platform", "chatwoot", "--event", "message_created", "--seed", "2",
		"--receiver", "agent_bot", "--retry-wait", "0s", "--format", "json", "--delivery-id", "11111111-2222-4333-8444-555555555555")
	if code != exitFailed {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	var r deliveryRecord
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Attempts != 3 || len(r.Statuses) != 3 || r.Status != 500 || r.Response != "busy" || r.Receiver != "agent_bot" ||
		r.DeliveryID != "11111111-2222-4333-8444-555555555555" || r.Seed != 2 {
		t.Errorf("record %+v", r)
	}
	reqs := rec.requests()
	if len(reqs) != 3 || reqs[2].Header.Get(mockplatform.HeaderDelivery) != r.DeliveryID {
		t.Errorf("%d attempts, all with the same delivery id expected", len(reqs))
	}
}

func TestSendRedactsEchoedSecrets(t *testing.T) {
	srv, _ := newRecorder(t, 200, `{"got":"tok-abcdefgh"}`)
	code, out, errs := execCLI(t, "", "send", "--target", srv.URL, "--platform", "swiftsell", "--event", "note", "--seed", "1", "--token", "tok-abcdefgh")
	if code != exitOK || strings.Contains(out+errs, "tok-abcdefgh") || !strings.Contains(out, "tok***") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

func TestDeliveryCommandsHelp(t *testing.T) {
	for _, name := range []string{"send", "handshake", "scenario", "replay", "listen"} {
		code, errs, _ := execCLI(t, "", name, "-h") // help is on stdout
		if code != exitOK || !strings.Contains(errs, "Examples:") || !strings.Contains(errs, "chathook "+name) {
			t.Errorf("%s -h: exit %d\n%s", name, code, errs)
		}
		if name != "scenario" && name != "replay" && !strings.Contains(errs, "X-Swiftsell-Token") {
			t.Errorf("%s -h does not document the Swiftsell assumptions", name)
		}
	}
}

func TestSendHTTPS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	ev := []string{"send", "--target", srv.URL, "--platform", "chatwoot", "--event", "message_created", "--seed", "1"}
	if code, _, errs := execCLI(t, "", ev...); code != exitUnreachable || !strings.Contains(errs, "(tls)") {
		t.Errorf("untrusted certificate: exit %d %s", code, errs)
	}
	if code, _, errs := execCLI(t, "", append(ev, "--insecure")...); code != exitOK {
		t.Errorf("--insecure: exit %d %s", code, errs)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	_ = os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)
	if code, _, errs := execCLI(t, "", append(ev, "--ca-cert", ca)...); code != exitOK {
		t.Errorf("--ca-cert: exit %d %s", code, errs)
	}
	if code, _, errs := execCLI(t, "", append(ev, "--ca-cert", filepath.Join(t.TempDir(), "none.pem"))...); code != exitUsage {
		t.Errorf("missing --ca-cert file: exit %d %s", code, errs)
	}
}
