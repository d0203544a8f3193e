package mockplatform_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// deliveryBody is a Chatwoot-sized body (about 3.5 KB) numbered i.
func deliveryBody(i int) []byte {
	return fmt.Appendf(nil, `{"event":"message_created","id":%d,"content":%q}`, i, strings.Repeat("x", 3400))
}

// checkAcknowledgedSaved sends n signed deliveries and checks that every one
// answered 2xx is saved byte for byte, and every other one is not
// acknowledged; it returns how many were acknowledged and refused.
func checkAcknowledgedSaved(t *testing.T, cs *captureServer, dir string, n int) (acked, refused int) {
	t.Helper()
	cfg := testConfig()
	cfg.Secret = testSecret
	p := newPlatform(t, cfg)
	ackedBodies := map[int][]byte{}
	for i := range n {
		body := deliveryBody(i)
		d := deliver(t, p, cs.URL, body)
		switch {
		case d.OK():
			ackedBodies[i] = body
		case d.Status == http.StatusServiceUnavailable:
			refused++
		default:
			t.Fatalf("delivery %d: status %d, %v", i, d.Status, d.Err)
		}
	}
	caps := cs.captures()
	saved := map[string]bool{}
	for _, c := range caps {
		if c.Accepted() {
			b, err := os.ReadFile(c.BodyFile)
			if err != nil || !bytes.Equal(b, c.Body) {
				t.Fatalf("acknowledged delivery #%d is not saved whole: %v", c.Seq, err)
			}
			saved[string(b)] = true
		} else if c.BodyFile != "" || c.SaveErr == nil {
			t.Fatalf("refused delivery #%d: file %q, error %v", c.Seq, c.BodyFile, c.SaveErr)
		}
	}
	for i, b := range ackedBodies {
		if !saved[string(b)] {
			t.Fatalf("delivery %d was acknowledged but is not saved", i)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".capture-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	return len(ackedBodies), refused
}

// TestCaptureFullDiskSimulated: a disk that fills up (ENOSPC after 1 MiB
// written) loses no acknowledged delivery: once a save fails the delivery
// is answered 503, so the platform retries, and nothing half-written stays.
func TestCaptureFullDiskSimulated(t *testing.T) {
	dir := t.TempDir()
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.Secret, ccfg.SaveDir, ccfg.Now = testSecret, dir, fixedClock(epoch)
	cs := newCaptureServer(t, ccfg)
	var written atomic.Int64
	mockplatform.SetCaptureWriter(cs.capt, func(name string, data []byte, real func(string, []byte) error) error {
		if written.Add(int64(len(data))) > 1<<20 {
			return &os.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
		}
		return real(name, data)
	})
	acked, refused := checkAcknowledgedSaved(t, cs, dir, 600)
	if acked == 0 || refused == 0 || acked+refused != 600 {
		t.Fatalf("%d acknowledged, %d refused; want both, 600 in all", acked, refused)
	}
}

// TestCaptureFullDiskTmpfs is the same on a real 1 MiB filesystem (a tmpfs;
// it needs root and mount, and is skipped without them).
func TestCaptureFullDiskTmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a 1 MiB tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.Secret, ccfg.SaveDir, ccfg.Now = testSecret, dir, fixedClock(epoch)
	cs := newCaptureServer(t, ccfg)
	acked, refused := checkAcknowledgedSaved(t, cs, dir, 600)
	if acked == 0 || refused == 0 {
		t.Fatalf("%d acknowledged, %d refused on a 1 MiB filesystem; want both", acked, refused)
	}
	t.Logf("1 MiB tmpfs: %d acknowledged and saved, %d answered 503", acked, refused)
}

// rawPost writes a raw HTTP request to addr and returns the status line of
// the answer ("" when the connection closed without one).
func rawPost(t *testing.T, addr, head string, body string, closeWrite bool) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, head+"\r\n"+body)
	if closeWrite {
		conn.(*net.TCPConn).CloseWrite()
	}
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

// TestCaptureNeverAcknowledgesUnreadBody: a body cut short of its
// Content-Length, broken chunking and a body over the limit are never
// answered 2xx, never saved and never validated.
func TestCaptureNeverAcknowledgesUnreadBody(t *testing.T) {
	dir := t.TempDir()
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.SaveDir, ccfg.MaxBody = dir, 1<<10
	var validated atomic.Int64
	ccfg.Validate = func([]byte) mockplatform.Report { validated.Add(1); return mockplatform.Report{} }
	cs := newCaptureServer(t, ccfg)
	addr := strings.TrimPrefix(cs.URL, "http://")
	for _, tc := range []struct{ name, head, body string }{
		{"short content-length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n", `{"event":"message_created"}`},
		{"broken chunking", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n", "1b\r\n{\"event\":\"message_created\"}\r\nzz\r\n"},
		{"truncated chunking", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n", "ff\r\n{\"event\":\"message_created\"}"},
		{"declared too large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n", `{"event":`},
		{"chunked too large", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n", "800\r\n" + strings.Repeat("x", 0x800) + "\r\n0\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := rawPost(t, addr, tc.head, tc.body, true)
			if strings.HasPrefix(line, "HTTP/1.1 2") {
				t.Fatalf("answered %q", line)
			}
		})
	}
	caps := cs.captures()
	for _, c := range caps {
		if c.Accepted() || c.BodyFile != "" {
			t.Errorf("capture #%d %s: status %d, file %q", c.Seq, c.Event, c.Status, c.BodyFile)
		}
	}
	if n := validated.Load(); n != 0 {
		t.Errorf("%d unread bodies validated", n)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files saved", len(entries))
	}
}

// TestCaptureRejectedJunk: unsigned deliveries are answered 401 before any
// validation, are never saved with the accepted ones, and the quarantine
// holds at most its count and bytes.
func TestCaptureRejectedJunk(t *testing.T) {
	dir := t.TempDir()
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.Secret, ccfg.SaveDir, ccfg.Now = testSecret, dir, fixedClock(epoch)
	ccfg.QuarantineCount, ccfg.QuarantineBytes = 10, 20_000
	var validated atomic.Int64
	ccfg.Validate = func([]byte) mockplatform.Report { validated.Add(1); return mockplatform.Report{} }
	cs := newCaptureServer(t, ccfg)
	p := newPlatform(t, testConfig()) // no secret: unsigned
	for i := range 50 {
		if d := deliver(t, p, cs.URL, deliveryBody(i)); d.Status != http.StatusUnauthorized {
			t.Fatalf("unsigned delivery: status %d", d.Status)
		}
	}
	caps := cs.captures()
	if len(caps) != 50 || validated.Load() != 0 {
		t.Fatalf("%d captures, %d validated; want 50, 0", len(caps), validated.Load())
	}
	main, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	q, _ := filepath.Glob(filepath.Join(dir, mockplatform.QuarantineDir, "*.json"))
	var qBytes int64
	bodies := 0
	for _, f := range q {
		if !strings.HasSuffix(f, ".headers.json") {
			st, _ := os.Stat(f)
			qBytes += st.Size()
			bodies++
		}
	}
	if len(main) != 0 || bodies == 0 || bodies > 10 || qBytes > 20_000 {
		t.Fatalf("main dir %d files; quarantine %d bodies, %d bytes; want 0 and at most 10 bodies, 20000 bytes", len(main), bodies, qBytes)
	}
}

// TestCaptureSecondRunKeepsFirst: a second capturer on the same directory
// numbers on; the first run's files stay as they were.
func TestCaptureSecondRunKeepsFirst(t *testing.T) {
	dir := t.TempDir()
	var firstFiles map[string][]byte
	for run := range 2 {
		ccfg := mockplatform.NewCaptureConfig()
		ccfg.SaveDir = dir
		cs := newCaptureServer(t, ccfg)
		p := newPlatform(t, testConfig())
		for i := range 3 {
			deliver(t, p, cs.URL, deliveryBody(run*10+i))
		}
		caps := cs.captures()
		for _, c := range caps {
			if c.Seq <= int64(run*3) || c.Seq > int64(run*3+3) {
				t.Errorf("run %d: seq %d", run, c.Seq)
			}
		}
		if run == 0 {
			firstFiles = readDir(t, dir)
		}
	}
	all := readDir(t, dir)
	if len(all) != 12 {
		t.Fatalf("%d files after two runs; want 12", len(all))
	}
	for name, b := range firstFiles {
		if !bytes.Equal(all[name], b) {
			t.Errorf("%s changed in the second run", name)
		}
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = b
	}
	return m
}

// TestCaptureValidationOffThePath: a slow validator delays no answer; the
// backlog beyond its byte limit is reported unchecked; problems are capped.
func TestCaptureValidationOffThePath(t *testing.T) {
	ccfg := mockplatform.NewCaptureConfig()
	ccfg.ValidateWorkers, ccfg.ValidateBacklog, ccfg.MaxProblems = 1, 10_000, 3
	release := make(chan struct{})
	var once sync.Once
	ccfg.Validate = func([]byte) mockplatform.Report {
		<-release
		return mockplatform.Report{Errors: []string{"a", "b", "c", "d", "e"}}
	}
	cs := newCaptureServer(t, ccfg)
	defer once.Do(func() { close(release) })
	p := newPlatform(t, testConfig())
	for i := range 10 { // 35 KB of bodies: most do not fit the 10 KB backlog
		if d := deliver(t, p, cs.URL, deliveryBody(i)); !d.OK() {
			t.Fatalf("delivery %d: %d %v", i, d.Status, d.Err)
		}
	}
	once.Do(func() { close(release) }) // every answer came while validation was blocked
	caps := cs.captures()
	checked, unchecked := 0, 0
	for _, c := range caps {
		switch {
		case c.Report != nil:
			checked++
			if got := strings.Join(c.Report.Errors, ","); got != "a,b,... and 3 more" {
				t.Errorf("capped errors = %q", got)
			}
		case strings.Contains(c.Unchecked, "waiting for validation"):
			unchecked++
		}
	}
	if len(caps) != 10 || checked == 0 || unchecked == 0 || checked > 3 {
		t.Fatalf("%d captures: %d validated, %d unchecked", len(caps), checked, unchecked)
	}
}
