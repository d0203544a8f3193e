package main

import (
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform/load"
	"github.com/chathook/chathook/mockplatform/receivertest"
)

// loadRun runs "chathook load" with a small pool and returns its result.
func loadRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return execCLI(t, "", append([]string{"load", "--pool", "50", "--seed", "3", "--concurrency", "4", "--timeout", "2s"}, args...)...)
}

func referenceReceiver(t *testing.T, cfg receivertest.Config) *httptest.Server {
	t.Helper()
	srv, err := receivertest.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestLoadAgainstReferenceReceivers(t *testing.T) {
	cw := referenceReceiver(t, receivertest.Config{Platform: "chatwoot", Variant: "correct", Secret: "load-secret-1"})
	ss := referenceReceiver(t, receivertest.Config{Platform: "swiftsell", Variant: "correct", Token: "load-token-1"})
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"chatwoot signed", []string{"--target", cw.URL, "--platform", "chatwoot", "--secret", "load-secret-1", "--requests", "300"}},
		{"alias, events, open loop", []string{"--target", cw.URL, "--platform", "voxsig", "--secret", "load-secret-1", "--event", "message_created,conversation_updated", "--rate", "2000", "--requests", "200"}},
		{"swiftsell token and kinds", []string{"--target", ss.URL, "--platform", "replycx", "--token", "load-token-1", "--event", "message.form", "--event", "status", "--requests", "200"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := loadRun(t, tc.args...)
			if code != exitOK {
				t.Fatalf("exit %d\n%s%s", code, out, errs)
			}
			for _, want := range []string{" 2xx, 0 non-2xx, 0 errors", "latency     p50 ", "p99.9", "histogram\n", "status      200: ", "result      ok"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestLoadJSONAndFailures(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if n.Add(1)%4 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	var rep loadReport
	decode := func(out string) {
		t.Helper()
		rep = loadReport{}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		r := rep.Requests
		if r.Sent != r.OK+r.Non2xx+r.Errors || r.Sent != 200 {
			t.Fatalf("accounting: %+v", r)
		}
	}
	base := []string{"--target", srv.URL, "--platform", "chatwoot", "--requests", "200", "--format", "json"}

	code, out, errs := loadRun(t, base...)
	decode(out)
	if code != exitFailed || rep.Passed || rep.Requests.Non2xx != 50 || rep.Status["500"] != 50 || len(rep.Failures) != 1 {
		t.Fatalf("any failure fails the run: exit %d %+v\n%s", code, rep, errs)
	}

	code, out, _ = loadRun(t, append(base, "--max-error-rate", "30%")...)
	decode(out)
	if code != exitOK || !rep.Passed || *rep.Thresholds.MaxErrorRate != 0.3 || rep.Thresholds.ErrorRate != 0.25 {
		t.Fatalf("25%% failures within 30%%: exit %d %+v", code, rep.Thresholds)
	}

	code, out, _ = loadRun(t, append(base, "--max-error-rate", "0.2")...)
	decode(out)
	if code != exitFailed || !strings.Contains(rep.Failures[0], "error rate 25% above --max-error-rate 20%") {
		t.Fatalf("exit %d, failures %q", code, rep.Failures)
	}

	code, out, _ = loadRun(t, append(base, "--max-error-rate", "1", "--max-p99", "1ns")...)
	decode(out)
	if code != exitFailed || len(rep.Failures) != 1 || !strings.Contains(rep.Failures[0], "p99") || rep.Latency.P99 <= 0 {
		t.Fatalf("p99 threshold: exit %d, failures %q, latency %+v", code, rep.Failures, rep.Latency)
	}
}

func TestLoadUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, out, errs := loadRun(t, "--target", "http://"+addr+"/", "--platform", "chatwoot", "--requests", "10")
	if code != exitUnreachable || !strings.Contains(errs, "target unreachable") || !strings.Contains(errs, "refused") ||
		!strings.Contains(out, "errors      refused: 10") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}

	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = discardLog()
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	code, _, errs = loadRun(t, "--target", tlsSrv.URL, "--platform", "chatwoot", "--requests", "4")
	if code != exitUnreachable || !strings.Contains(errs, "tls") {
		t.Fatalf("self-signed: exit %d\n%s", code, errs)
	}
	code, out, errs = loadRun(t, "--target", tlsSrv.URL, "--platform", "chatwoot", "--requests", "4", "--insecure")
	if code != exitOK {
		t.Fatalf("--insecure: exit %d\n%s%s", code, out, errs)
	}
}

func TestLoadUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--platform", "chatwoot"}, "--target is required"},
		{[]string{"--target", "ftp://x"}, "not an absolute http"},
		{[]string{"--target", "http://127.0.0.1:1/"}, "--platform is required"},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "nope"}, "is not a platform"},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--event", "nope"}, `unknown chatwoot event "nope"`},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--rate", "fast"}, "--rate"},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--max-error-rate", "2"}, "--max-error-rate"},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--concurrency", "0"}, "--concurrency"},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--duration", "0s"}, "--duration"},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--format", "xml"}, "--format"},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--ca-cert", "/nonexistent.pem"}, "--ca-cert"},
		{[]string{"--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "extra"}, "unexpected argument"},
	} {
		code, out, errs := loadRun(t, tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, want %d with %q\n%s%s", tc.args, code, exitUsage, tc.want, out, errs)
		}
	}
	if code, errs, _ := execCLI(t, "", "load", "-h"); code != exitOK || !strings.Contains(errs, "Examples:") {
		t.Errorf("-h: exit %d\n%s", code, errs)
	}
}

func TestLoadProgressLines(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	// stderr is not a terminal here: plain lines, every 5s; a 100ms run
	// prints none, and the seed line only.
	code, out, errs := loadRun(t, "--target", srv.URL, "--platform", "swiftsell", "--duration", "100ms")
	if code != exitOK || errs != "seed: 3\n" || !strings.Contains(out, "result      ok") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %q", code, out, errs)
	}
	var b strings.Builder
	p := newProgressPrinter(&b)
	p.print(loadSnapshotForTest())
	if p.terminal || !strings.HasPrefix(b.String(), "load:    1.5s  120 sent  80 req/s  p99 2.00ms  1 errors  2 non-2xx  3 in flight\n") {
		t.Fatalf("progress line %q", b.String())
	}
}

func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }

func loadSnapshotForTest() load.Snapshot {
	return load.Snapshot{Elapsed: 1500 * time.Millisecond, Sent: 120, OK: 114, Non2xx: 2, Errors: 1, InFlight: 3, Rate: 80, P99: 2 * time.Millisecond}
}
