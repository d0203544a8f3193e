package main

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// lateServer returns a URL whose server starts accepting after delay.
func lateServer(t *testing.T, delay time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens until the timer fires
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }), ReadHeaderTimeout: time.Second}
	started := make(chan struct{})
	timer := time.AfterFunc(delay, func() {
		defer close(started)
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("late listen: %v", err)
			return
		}
		go srv.Serve(l)
	})
	t.Cleanup(func() {
		if timer.Stop() {
			close(started)
		}
		<-started
		srv.Close()
	})
	return "http://" + addr + "/hook"
}

func TestWait(t *testing.T) {
	send := func(url string, extra ...string) []string {
		return append([]string{"send", "--target", url, "--platform", "chatwoot", "--event", "message_created", "--seed", "1"}, extra...)
	}
	load := func(url string, extra ...string) []string {
		return append([]string{"load", "--target", url, "--platform", "chatwoot", "--requests", "3", "--pool", "3", "--progress=false"}, extra...)
	}
	tests := []struct {
		name string
		args func(url string) []string
		late time.Duration
		code int
		want string
	}{
		{"send waits", func(u string) []string { return send(u, "--wait", "10s") }, 300 * time.Millisecond, exitOK, "accepts connections"},
		{"send gives up", func(u string) []string { return send(u, "--wait", "300ms") }, time.Hour, exitUnreachable, "did not accept connections"},
		{"send without wait", func(u string) []string { return send(u) }, time.Hour, exitUnreachable, "refused"},
		{"load waits", func(u string) []string { return load(u, "--wait", "10s") }, 300 * time.Millisecond, exitOK, "accepts connections"},
		{"load gives up", func(u string) []string { return load(u, "--wait", "300ms") }, time.Hour, exitUnreachable, "did not accept connections"},
		{"scenario gives up", func(u string) []string {
			return []string{"scenario", "--target", u, "--name", "widget-conversation", "--wait", "200ms"}
		}, time.Hour, exitUnreachable, "did not accept connections"},
		{"handshake gives up", func(u string) []string {
			return []string{"handshake", "--target", u, "--token", "t", "--wait", "200ms"}
		}, time.Hour, exitUnreachable, "did not accept connections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := lateServer(t, tt.late)
			code, out, errs := execCLI(t, "", tt.args(url)...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, tt.code, tt.want, out, errs)
			}
		})
	}
}

// TestConformWait runs conform in a child process (one Ginkgo suite per
// process) against a receiver that is not there: --wait gives up with exit 3.
func TestConformWait(t *testing.T) {
	url := lateServer(t, time.Hour)
	code, _, errs := execChild(t, nil, "conform", "--target", url, "--platform", "chatwoot", "--wait", "300ms")
	if code != exitUnreachable || !strings.Contains(errs, "did not accept connections") {
		t.Errorf("exit %d\n%s", code, errs)
	}
}
