package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
)

func TestReceiverList(t *testing.T) {
	code, stdout, stderr := execCLI(t, "", "receiver", "--list")
	if code != exitOK {
		t.Fatalf("exit %d; want 0\nstderr: %s", code, stderr)
	}
	for _, v := range receivertest.Variants() {
		if !strings.Contains(stdout, v.Name+" ") || !strings.Contains(stdout, v.Breaks) {
			t.Errorf("--list lacks %s (%s):\n%s", v.Name, v.Breaks, stdout)
		}
	}
	_, stdout, _ = execCLI(t, "", "receiver", "--list", "--platform", "replycx")
	if !strings.Contains(stdout, "wrong-handshake-reply") || strings.Contains(stdout, "reserializes") {
		t.Errorf("--list --platform replycx: want swiftsell variants only:\n%s", stdout)
	}
}

func TestReceiverUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"receiver", "--variant", "sloppy"}, exitUsage, "body-only-hmac"},
		{[]string{"receiver", "--platform", "swiftsell", "--variant", "reserializes"}, exitUsage, "chatwoot only"},
		{[]string{"receiver", "--platform", "slack"}, exitUsage, "not a platform"},
		{[]string{"receiver", "--token-placement", "cookie"}, exitUsage, "token placement"},
		{[]string{"receiver", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"receiver", "--addr", "not an address"}, exitUsage, "want HOST:PORT"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := execCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.inStderr) {
				t.Errorf("exit %d; want %d with %q\nstderr: %s", code, tt.code, tt.inStderr, stderr)
			}
		})
	}
}

func TestReceiverPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := execCLI(t, "", "receiver", "--addr", ln.Addr().String())
	if code != exitUnreachable || !strings.Contains(stderr, ln.Addr().String()) || !strings.Contains(stderr, "in use") {
		t.Errorf("exit %d; want 3 naming the address and the cause\nstderr: %s", code, stderr)
	}
}

// syncBuffer is a goroutine-safe buffer that signals each write.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	wrote chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{wrote: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		select {
		case s.wrote <- struct{}{}:
		default:
		}
	}()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the buffer matches re and returns the first submatch.
func (s *syncBuffer) waitFor(t *testing.T, re *regexp.Regexp, done <-chan int) string {
	t.Helper()
	for {
		if m := re.FindStringSubmatch(s.String()); m != nil {
			return m[len(m)-1]
		}
		select {
		case <-s.wrote:
		case code := <-done:
			t.Fatalf("the command ended (exit %d) before printing %s; output: %s", code, re, s.String())
		}
	}
}

// startReceiver runs "chathook receiver args..." in-process on 127.0.0.1:0
// and returns its URL, its stdout and a stop function returning the exit
// code.
func startReceiver(t *testing.T, getenv func(string) string, args ...string) (url string, stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = newSyncBuffer(), newSyncBuffer()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"receiver", "--addr", "127.0.0.1:0"}, args...), &env{
			stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, getenv: getenv,
		})
	}()
	url = stderr.waitFor(t, regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+) `), done)
	return url, stdout, stderr, func() int {
		cancel()
		return <-done
	}
}

func postJSON(t *testing.T, url string, body []byte, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestReceiverServesChatwoot(t *testing.T) {
	const secret = "s3cret-from-env"
	url, stdout, stderr, stop := startReceiver(t, func(k string) string {
		if k == "CHATHOOK_SECRET" {
			return secret
		}
		return ""
	})
	if s := stderr.String(); !strings.Contains(s, "(chatwoot, correct, secret s3c***)") || strings.Contains(s, secret) {
		t.Errorf("listening line: %s", s)
	}
	body := []byte(`{"id":1,"contact_inbox":null,"event":"conversation_created"}`)
	ts := time.Now().Unix()
	signed := map[string]string{
		mockplatform.HeaderTimestamp: fmt.Sprint(ts),
		mockplatform.HeaderSignature: mockplatform.Sign(secret, ts, body),
		mockplatform.HeaderDelivery:  "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
	}
	if code, reply := postJSON(t, url, body, signed); code != http.StatusOK || reply != `{"ok":true}` {
		t.Errorf("signed delivery: %d %s; want 200 {\"ok\":true}", code, reply)
	}
	if code, _ := postJSON(t, url, body, nil); code != http.StatusUnauthorized {
		t.Errorf("unsigned delivery: %d; want 401", code)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d after cancel; want 0\nstderr: %s", code, stderr)
	}
	if out := stdout.String(); out != "POST 200 conversation_created\nPOST 401 conversation_created\n" {
		t.Errorf("request log:\n%s", out)
	}
}

func TestReceiverServesSwiftsellHandshake(t *testing.T) {
	url, stdout, stderr, stop := startReceiver(t, func(string) string { return "" },
		"--platform", "replycx", "--variant", "no-token-check", "--token", "t0ken-123", "--token-placement", "query")
	if s := stderr.String(); !strings.Contains(s, "(swiftsell, no-token-check, token t0k***, in query)") {
		t.Errorf("listening line: %s", s)
	}
	if code, reply := postJSON(t, url+"?token=t0ken-123", []byte(`{"token":"t0ken-123"}`), nil); code != http.StatusOK || reply != `{"token":"t0ken-123"}` {
		t.Errorf("handshake: %d %s; want 200 echoing the token", code, reply)
	}
	envelope := []byte(`{"events":[{"event":{"type":"note","payload":{"note":"hi"}}},{"event":{"type":"status","payload":{"status":"Close"}}}]}`)
	if code, _ := postJSON(t, url, envelope, nil); code != http.StatusOK {
		t.Errorf("tokenless envelope to no-token-check: %d; want 200", code)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d after cancel; want 0", code)
	}
	if out := stdout.String(); out != "POST 200 handshake\nPOST 200 note,status\n" {
		t.Errorf("request log:\n%s", out)
	}
}

// Canceling the command ends a stalled slow-ack request too, so the
// shutdown does not wait for it.
func TestReceiverShutdownEndsStalledRequests(t *testing.T) {
	url, _, _, stop := startReceiver(t, func(string) string { return "" }, "--variant", "slow-ack", "--slow-delay", "1h")
	got := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"event":"message_created","message_type":"incoming"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		got <- err
	}()
	if code := stop(); code != exitOK {
		t.Errorf("exit %d; want 0", code)
	}
	<-got // answered 503 or refused: either way it returned
}
