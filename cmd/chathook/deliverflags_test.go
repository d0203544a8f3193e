package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chathook/chathook/generator"
)

// recorded is one request a recorder received.
type recorded struct {
	URL    string
	Header http.Header
	Body   []byte
}

// recorder is an httptest receiver that records every request and answers
// status with reply.
type recorder struct {
	mu     sync.Mutex
	reqs   []recorded
	status int
	reply  string
}

func newRecorder(t *testing.T, status int, reply string) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{status: status, reply: reply}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{URL: r.URL.String(), Header: r.Header.Clone(), Body: b})
		rec.mu.Unlock()
		w.WriteHeader(rec.status)
		io.WriteString(w, rec.reply)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// closedPort returns a loopback URL nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/hook"
}

// execCLIEnv is execCLI with an environment and a context.
func execCLIEnv(t *testing.T, ctx context.Context, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, &env{
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		getenv: func(k string) string { return vars[k] },
	})
	return code, out.String(), errb.String()
}

// firstPayload is what the conformance suites send for a seed.
func firstPayload(t *testing.T, platform, event, kind string, seed int64, profile, version string) []byte {
	t.Helper()
	opts := []generator.Option{generator.WithProfile(profile)}
	if platform == "chatwoot" {
		opts = append(opts, generator.WithVersion(version))
	}
	g, err := generator.New(seed, opts...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.Payload(platform, event, kind)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPayloadShape(t *testing.T) {
	for in, want := range map[string]string{
		"": "latest", "latest": "latest", "4.16": "4.16", "4.14.2": "4.14.2", "4.10": "4.10", "2": "2", "2.8.1": "2.8.1", "1.18": "1.18",
	} {
		got, err := payloadShape(in)
		if err != nil || got != want {
			t.Errorf("payloadShape(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"x", "4.x", "1.2.3.4", "-1", "v5.0", "4.17", "1.17"} {
		if _, err := payloadShape(bad); err == nil {
			t.Errorf("payloadShape(%q): want an error", bad)
		}
	}
}

func TestSnippetAndRedactor(t *testing.T) {
	if got := snippetOf([]byte("a\nb\n"), 200); got != `a\nb` {
		t.Errorf("snippet = %q", got)
	}
	long := strings.Repeat("é", 150) // 300 bytes
	if got := snippetOf([]byte(long), 200); !strings.HasSuffix(got, "…") || len(got) > 203 || !strings.HasPrefix(got, "éé") {
		t.Errorf("snippet of a long body = %q", got)
	}
	if got := snippetOf(nil, 10); got != "(empty)" {
		t.Errorf("empty snippet = %q", got)
	}
	r := newRedactor("supersecret", "", "ab")
	if got := r.apply(`{"token":"supersecret"}`); strings.Contains(got, "supersecret") || !strings.Contains(got, "sup***") {
		t.Errorf("redacted = %q", got)
	}
}

func TestHeaderListKeepsCommas(t *testing.T) {
	var l headerList
	_ = l.Set("Accept: a, b")
	_ = l.Set("X-B: 1")
	h, err := parseHeaders(l)
	if err != nil || h.Get("Accept") != "a, b" || h.Get("X-B") != "1" {
		t.Fatalf("headers %v, %v", h, err)
	}
}
