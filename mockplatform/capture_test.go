package mockplatform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// captureServer runs a Capturer behind an httptest server and collects the
// captures it reports.
type captureServer struct {
	*httptest.Server
	capt *mockplatform.Capturer
	mu   sync.Mutex // guards caps
	caps []mockplatform.Capture
}

func newCaptureServer(t *testing.T, cfg mockplatform.CaptureConfig) *captureServer {
	t.Helper()
	cs := &captureServer{}
	cfg.OnCapture = func(c mockplatform.Capture) {
		cs.mu.Lock()
		cs.caps = append(cs.caps, c)
		cs.mu.Unlock()
	}
	c, err := mockplatform.NewCapturer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cs.capt = c
	cs.Server = httptest.NewServer(c)
	t.Cleanup(func() { cs.Close(); c.Close() })
	return cs
}

// captures closes the server (waiting for in-flight handlers) and returns
// every capture.
func (cs *captureServer) captures() []mockplatform.Capture {
	cs.Close()
	cs.capt.Close() // the validations still running
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return append([]mockplatform.Capture(nil), cs.caps...)
}

func TestCaptureChatwoot(t *testing.T) {
	dir := t.TempDir()
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.Secret, ccfg.SaveDir, ccfg.Now = testSecret, dir, fixedClock(epoch)
	ccfg.Validate = func(body []byte) mockplatform.Report {
		return mockplatform.Report{Platform: "chatwoot", Events: []string{"message_created"}, Drift: []string{"/x: unknown key"}}
	}
	cs := newCaptureServer(t, ccfg)
	cfg := testConfig()
	cfg.Secret = testSecret
	p := newPlatform(t, cfg)
	tests := []struct {
		name       string
		opts       []mockplatform.DeliverOption
		wantStatus int
		wantVerd   string
	}{
		{"signed", nil, 200, mockplatform.VerdictValid},
		{"wrong signature", []mockplatform.DeliverOption{mockplatform.WithFault(mockplatform.WrongSignature)}, 401, mockplatform.VerdictInvalid},
		{"missing signature", []mockplatform.DeliverOption{mockplatform.WithFault(mockplatform.MissingSignature)}, 401, mockplatform.VerdictInvalid},
		{"stale", []mockplatform.DeliverOption{mockplatform.WithFault(mockplatform.StaleTimestamp)}, 401, mockplatform.VerdictInvalid},
		{"tampered", []mockplatform.DeliverOption{mockplatform.WithFault(mockplatform.TamperedBody)}, 401, mockplatform.VerdictInvalid},
	}
	for _, tt := range tests {
		d := deliver(t, p, cs.URL+"/hook?via=test", chatBody, tt.opts...)
		if d.Status != tt.wantStatus {
			t.Errorf("%s: status = %d; want %d", tt.name, d.Status, tt.wantStatus)
		}
	}
	caps := cs.captures()
	if len(caps) != len(tests) {
		t.Fatalf("%d captures; want %d", len(caps), len(tests))
	}
	for i, c := range caps {
		tt := tests[c.Seq-1]
		// Accepted deliveries are validated; rejected ones are not worth it.
		validated := c.Report != nil && len(c.Report.Drift) == 1
		if c.Status != tt.wantStatus || c.Verdict.Signature != tt.wantVerd || c.Platform != "chatwoot" || c.Event != "message_created" || validated != (tt.wantStatus == 200) {
			t.Errorf("capture %d (%s) = {Status:%d Verdict:%+v Platform:%s Event:%s}", i, tt.name, c.Status, c.Verdict, c.Platform, c.Event)
		}
		if c.Method != "POST" || c.URL != "/hook?via=test" || c.Header.Get("X-Chatwoot-Delivery") == "" || !c.Time.Equal(epoch) {
			t.Errorf("capture %d request = %s %s", i, c.Method, c.URL)
		}
		body, err := os.ReadFile(c.BodyFile)
		if err != nil || c.SaveErr != nil {
			t.Fatalf("capture %d body file: %v / %v", i, err, c.SaveErr)
		}
		if tt.name != "tampered" && !bytes.Equal(body, chatBody) {
			t.Errorf("saved body %s; want byte-identical %s", body, chatBody)
		}
		wantDir := dir // rejected deliveries are never saved with the accepted ones
		if tt.wantStatus != 200 {
			wantDir = filepath.Join(dir, mockplatform.QuarantineDir)
		}
		if want := filepath.Join(wantDir, fmt.Sprintf("%06d-message_created.json", c.Seq)); c.BodyFile != want || c.Quarantined != (tt.wantStatus != 200) {
			t.Errorf("BodyFile = %s; want %s", c.BodyFile, want)
		}
		var meta struct {
			Seq     int64
			Method  string
			URL     string
			Header  http.Header
			Verdict mockplatform.Verdict
			Status  int
		}
		raw, err := os.ReadFile(c.HeaderFile)
		if err != nil || json.Unmarshal(raw, &meta) != nil {
			t.Fatalf("headers file %s: %v", c.HeaderFile, err)
		}
		if meta.Seq != c.Seq || meta.URL != c.URL || meta.Header.Get("X-Chatwoot-Signature") != c.Header.Get("X-Chatwoot-Signature") || meta.Verdict != c.Verdict || meta.Status != c.Status {
			t.Errorf("headers file = %+v; want the capture's request and verdicts", meta)
		}
	}
	// Replay a saved capture byte for byte: it verifies as received.
	c := caps[0]
	body, _ := os.ReadFile(c.BodyFile)
	if err := mockplatform.Verify(testSecret, c.Header.Get("X-Chatwoot-Signature"), c.Header.Get("X-Chatwoot-Timestamp"), body, epoch, 0); err != nil {
		t.Errorf("saved capture does not verify: %v", err)
	}
	if c.Verdict.Signature == mockplatform.VerdictValid && c.Verdict.SignatureError != "" {
		t.Errorf("valid verdict carries error %q", c.Verdict.SignatureError)
	}
	if v := caps[1].Verdict; !strings.Contains(v.SignatureError, "signature mismatch") {
		t.Errorf("wrong signature verdict error = %q", v.SignatureError)
	}
}

func TestCaptureSwiftsell(t *testing.T) {
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.Token = "tok-123"
	cs := newCaptureServer(t, ccfg)
	envelope := []byte(`{"events":[` + rawEvents[0] + `]}`)
	tests := []struct {
		name       string
		placement  string
		fault      mockplatform.Fault
		handshake  bool
		wantStatus int
		wantToken  string
		wantIn     string
	}{
		{"header", mockplatform.TokenInHeader, "", false, 200, mockplatform.VerdictValid, "header"},
		{"query", mockplatform.TokenInQuery, "", false, 200, mockplatform.VerdictValid, "query"},
		{"body", mockplatform.TokenInBody, "", false, 200, mockplatform.VerdictValid, "body"},
		{"wrong token", mockplatform.TokenInHeader, mockplatform.WrongToken, false, 401, mockplatform.VerdictInvalid, ""},
		{"missing token", mockplatform.TokenInHeader, mockplatform.MissingToken, false, 401, mockplatform.VerdictMissing, ""},
		{"handshake", mockplatform.TokenInHeader, "", true, 200, mockplatform.VerdictValid, "header"},
		{"handshake wrong token", mockplatform.TokenInBody, mockplatform.WrongToken, true, 401, mockplatform.VerdictInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPlatform(t, swiftConfig(tt.placement))
			var opts []mockplatform.DeliverOption
			if tt.fault != "" {
				opts = append(opts, mockplatform.WithFault(tt.fault))
			}
			var status int
			if tt.handshake {
				r, err := p.Handshake(t.Context(), cs.URL, opts...)
				if err != nil {
					t.Fatal(err)
				}
				status = r.Status
				if r.Passed != (tt.wantStatus == 200) || (r.Passed && r.Form != mockplatform.FormRaw) {
					t.Errorf("handshake against the capturer = %+v; want passed %v (raw)", r, tt.wantStatus == 200)
				}
			} else {
				status = deliver(t, p, cs.URL, envelope, opts...).Status
			}
			if status != tt.wantStatus {
				t.Errorf("status = %d; want %d", status, tt.wantStatus)
			}
		})
	}
	caps := cs.captures()
	if len(caps) != len(tests) {
		t.Fatalf("%d captures; want %d", len(caps), len(tests))
	}
	for _, c := range caps {
		tt := tests[c.Seq-1]
		if c.Platform != "swiftsell" || c.Verdict.Token != tt.wantToken || c.Verdict.TokenIn != tt.wantIn || c.Verdict.Handshake != tt.handshake || c.Status != tt.wantStatus {
			t.Errorf("%s: capture = {Platform:%s Verdict:%+v Status:%d}", tt.name, c.Platform, c.Verdict, c.Status)
		}
		wantEvent := "message.text" // the message kind, as validation names it
		if tt.handshake {
			wantEvent = "handshake"
		}
		if c.Event != wantEvent {
			t.Errorf("%s: Event = %q; want %q", tt.name, c.Event, wantEvent)
		}
	}
}

func TestCaptureLimitsAndMethods(t *testing.T) {
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.MaxBody = 64
	ccfg.SaveDir = t.TempDir()
	cs := newCaptureServer(t, ccfg)
	resp, err := http.Post(cs.URL, "application/json", strings.NewReader(`{"event":"`+strings.Repeat("x", 100)+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d; want 413", resp.StatusCode)
	}
	resp, err = http.Get(cs.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: status %d Allow %q; want 405 POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
	http.DefaultClient.CloseIdleConnections()
	caps := cs.captures()
	if len(caps) != 1 || caps[0].Status != 413 || caps[0].Body != nil || caps[0].BodyFile != "" {
		t.Errorf("captures = %+v; want one 413 without body or file", caps)
	}
	if entries, _ := os.ReadDir(ccfg.SaveDir); len(entries) != 0 {
		t.Errorf("save dir has %d entries; want none", len(entries))
	}
}

func TestCaptureConcurrentDeliveries(t *testing.T) {
	const n = 2000
	dir := t.TempDir()
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.Secret, ccfg.SaveDir, ccfg.Now = testSecret, dir, fixedClock(epoch)
	cs := newCaptureServer(t, ccfg)
	cfg := testConfig()
	cfg.Secret = testSecret
	p := newPlatform(t, cfg)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 32) // in flight at once (Chatwoot's Sidekiq runs about 10): each is saved before it is answered
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			body := fmt.Appendf(nil, `{"id":%d,"event":"message_created"}`, i)
			d, err := p.Deliver(context.Background(), cs.URL, body)
			if err == nil && !d.OK() {
				err = fmt.Errorf("delivery %d: status %d, %v", i, d.Status, d.Err)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	caps := cs.captures()
	if len(caps) != n {
		t.Fatalf("%d captures; want %d", len(caps), n)
	}
	seqs := map[int64]bool{}
	ids := map[int]bool{}
	for _, c := range caps {
		if seqs[c.Seq] || c.Seq < 1 || c.Seq > n {
			t.Fatalf("sequence number %d repeated or out of range", c.Seq)
		}
		seqs[c.Seq] = true
		body, err := os.ReadFile(c.BodyFile)
		if err != nil || !bytes.Equal(body, c.Body) {
			t.Fatalf("capture %d: saved %q (%v); want %q", c.Seq, body, err, c.Body)
		}
		var v struct{ ID int }
		json.Unmarshal(body, &v)
		if ids[v.ID] {
			t.Fatalf("body %d saved twice", v.ID)
		}
		ids[v.ID] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2*n {
		t.Errorf("save dir holds %d files; want %d (no temp files left)", len(entries), 2*n)
	}
}

func TestCapturerServe(t *testing.T) {
	ccfg := mockplatform.NewCaptureConfig()
	c, err := mockplatform.NewCapturer(ccfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.Serve(ctx, ln) }()
	p := newPlatform(t, testConfig())
	d := deliver(t, p, "http://"+ln.Addr().String()+"/", chatBody)
	if !d.OK() || c.Count() != 1 {
		t.Errorf("delivery to Serve: status %d, %v, count %d", d.Status, d.Err, c.Count())
	}
	p.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v; want nil after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
}

func TestNewCapturerValidates(t *testing.T) {
	cfg := mockplatform.NewCaptureConfig()
	cfg.Platform = "voxsig"
	if _, err := mockplatform.NewCapturer(cfg); !errors.Is(err, mockplatform.ErrInvalidConfig) {
		t.Errorf("NewCapturer(platform voxsig) = %v; want ErrInvalidConfig", err)
	}
	cfg = mockplatform.CaptureConfig{Secret: "ZxV8mN4qRt7Ws2Lp9Kd3Hj6B", Token: "tok-0123456789"}
	if s := fmt.Sprintf("%v %#v", cfg, cfg); strings.Contains(s, cfg.Secret) || strings.Contains(s, cfg.Token) {
		t.Errorf("CaptureConfig prints a secret: %s", s)
	}
}
