package main

import (
	"encoding/json"
	"encoding/xml"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform/receivertest"
)

func TestConformUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"conform"}, "--target is required"},
		{[]string{"conform", "--target", "http://127.0.0.1:1/hook"}, "--platform is required"},
		{[]string{"conform", "--target", "ftp://x/y", "--platform", "chatwoot"}, "not an http(s) URL"},
		{[]string{"conform", "--target", "http://127.0.0.1:1/", "--platform", "slack"}, `"slack" is not a platform`},
		{[]string{"conform", "--target", "builtin:no-such-variant"}, "no-such-variant"},
		{[]string{"conform", "--target", "builtin", "--samples", "0"}, "--samples is 0"},
		{[]string{"conform", "--target", "builtin", "--header", "nocolon"}, "--header"},
		{[]string{"conform", "--target", "builtin", "--header", "Accept: a, b", "--samples", "-1"}, "--samples is -1"}, // commas stay inside one header
		{[]string{"conform", "--target", "builtin", "extra"}, "unexpected argument"},
		{[]string{"conform", "--target", "builtin", "--label-filter", "((("}, "--label-filter"},
		{[]string{"conform", "--target", "builtin", "--json", "/nonexistent-dir/x.json"}, "does not exist"},
		{[]string{"conform", "--bogus"}, "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			code, _, stderr := execCLI(t, "", tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, stderr, tt.want)
			}
		})
	}
}

// A mistyped label filter runs no requirement; that must not pass CI.
func TestConformLabelFilterMatchingNothing(t *testing.T) {
	code, _, stderr := execChild(t, nil, "conform", "--target", "builtin", "--label-filter", "signatur")
	if code != exitUsage || !strings.Contains(stderr, "no requirement matches") {
		t.Errorf("exit %d, stderr %q; want 2 and no requirement matches", code, stderr)
	}
}

func TestConformUnreachableTargetExits3(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	code, stdout, stderr := execCLI(t, "", "conform", "--target", "http://"+addr+"/hook", "--platform", "chatwoot", "--timeout", "2s")
	if code != exitUnreachable || !strings.Contains(stderr, "cannot reach") || !strings.Contains(stderr, "refused") {
		t.Errorf("exit %d, stderr %q; want exit 3 naming the refused connection", code, stderr)
	}
	if strings.Contains(stdout, "FAIL") {
		t.Errorf("a wall of failures was printed:\n%s", stdout)
	}
}

// The suite runs once per process, so each run below is a child process.
func TestConformBuiltinPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	t.Parallel()
	code, stdout, stderr := execChild(t, nil, "conform", "--target", "builtin", "--seed", "7")
	if code != 0 || !strings.Contains(stdout, "CONFORMANT: chatwoot") {
		t.Fatalf("exit %d; want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, label := range []string{"delivery", "robustness", "signature", "idempotency", "ordering", "concurrency"} {
		if !strings.Contains(stdout, "\n"+label+" ") {
			t.Errorf("summary lacks the %s row", label)
		}
	}
}

func TestConformBuiltinVariantFailsItsRequirement(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	t.Parallel()
	code, stdout, _ := execChild(t, nil, "conform", "--target", "builtin:wrong-handshake-reply", "--platform", "replycx", "--seed", "7")
	if code != exitFailed || !strings.Contains(stdout, "NOT CONFORMANT") || !strings.Contains(stdout, "[handshake]") {
		t.Fatalf("exit %d; want 1 naming [handshake]\n%s", code, stdout)
	}
}

// A receiver started separately, on a real port, with JUnit and JSON reports.
func TestConformRealPortWithReports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	t.Parallel()
	const secret = "s3cret-for-conform"
	srv, err := receivertest.NewServer(receivertest.Config{Platform: "chatwoot", Variant: "no-timestamp-tolerance", Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	junit, js, md := filepath.Join(dir, "conform.xml"), filepath.Join(dir, "conform.json"), filepath.Join(dir, "summary.md")
	code, stdout, stderr := execChild(t, []string{"CHATHOOK_SECRET=" + secret}, "conform", "--target", srv.URL+"/hook",
		"--platform", "bevatel", "--seed", "11", "--junit", junit, "--json", js, "--markdown", md)
	if code != exitFailed {
		t.Fatalf("exit %d; want 1 (signature.stale)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	var sum struct {
		Platform string `json:"platform"`
		Seed     int64  `json:"seed"`
		Specs    []struct{ ID, State string }
	}
	b, err := os.ReadFile(js)
	if err != nil || json.Unmarshal(b, &sum) != nil {
		t.Fatalf("JSON report: %v\n%s", err, b)
	}
	var failed []string
	for _, s := range sum.Specs {
		if s.State == "failed" {
			failed = append(failed, s.ID)
		}
	}
	if sum.Platform != "chatwoot" || sum.Seed != 11 || strings.Join(failed, ",") != "signature.stale" {
		t.Errorf("report: platform %q seed %d failed %v; want chatwoot, 11, [signature.stale]", sum.Platform, sum.Seed, failed)
	}
	x, err := os.ReadFile(junit)
	var suites struct { // the counts are on the testsuite (the Ant schema allows no attributes on testsuites)
		Suite struct {
			Failures int `xml:"failures,attr"`
			Tests    int `xml:"tests,attr"`
		} `xml:"testsuite"`
	}
	if err != nil || xml.Unmarshal(x, &suites) != nil || suites.Suite.Failures != 1 || suites.Suite.Tests == 0 {
		t.Errorf("JUnit report: %v, %+v", err, suites)
	}
	if m, err := os.ReadFile(md); err != nil || !strings.Contains(string(m), "signature.stale") {
		t.Errorf("Markdown summary lacks the failing requirement: %v\n%s", err, m)
	}
}
