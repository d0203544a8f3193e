package suites_test

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/mockplatform/receivertest"
	"github.com/chathook/chathook/suites"
)

// Ginkgo runs one suite per process, so the self-test runs the suite once
// per receiver in a child process: this test binary re-executed with
// CHATHOOK_SELFTEST=<case name>|<report file>.
func TestMain(m *testing.M) {
	if spec := os.Getenv("CHATHOOK_SELFTEST"); spec != "" {
		os.Exit(runChild(spec))
	}
	os.Exit(m.Run())
}

// The self-test's fixed settings: a fixed seed keeps the failing sets
// exact; a short timeout keeps the slow variant fast.
const (
	selfSeed    = 20261121
	selfTimeout = 1 * time.Second
	selfSecret  = "whsec-selftest-3c4f9a"
	selfToken   = "tok-selftest-81b2e0"
	selfAccount = 81669
)

type failT struct{ failed bool }

func (f *failT) Fail() { f.failed = true }

// target starts the case's receiver and returns its URL and a stop func.
func (c selfCase) target() (string, func(), error) {
	if c.script == "" {
		secret := selfSecret
		switch c.receiver {
		case "automation", "macro", "installation":
			secret = "" // Chatwoot never signs them: the receiver has no secret
		}
		if c.unsignedReceiver {
			secret = ""
		}
		srv, err := receivertest.NewServer(receivertest.Config{
			Platform: c.platform, Variant: c.variant, Secret: secret, Token: selfToken,
			SlowDelay: 3 * selfTimeout, AccountID: selfAccount, Receiver: c.receiver,
		})
		if err != nil {
			return "", nil, err
		}
		return srv.URL + "/hook", srv.Close, nil
	}
	// A receiver from testdata in another language, on a free port.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	interp := "python3"
	if strings.HasSuffix(c.script, ".js") {
		interp = "node"
	}
	cmd := exec.Command(interp, filepath.Join("testdata", "receivers", c.script))
	cmd.Env = append(os.Environ(), fmt.Sprint("PORT=", port), "SECRET="+selfSecret, fmt.Sprint("ACCOUNT_ID=", selfAccount))
	cmd.Env = append(cmd.Env, c.env...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("%s did not listen on %s", c.script, addr)
		}
	}
	return "http://" + addr + "/", stop, nil
}

func runChild(spec string) int {
	name, out, _ := strings.Cut(spec, "|")
	c, ok := selfCaseByName(name)
	if !ok {
		fmt.Fprintln(os.Stderr, "no self-test case", name)
		return 3
	}
	url, stop, err := c.target()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer stop()
	cfg := suites.NewConfig()
	cfg.Target = url
	cfg.Platform = c.platform
	cfg.Seed = selfSeed
	cfg.Timeout = selfTimeout
	cfg.Receiver = c.receiver
	cfg.Hardening = c.hardening
	if c.version != "" {
		cfg.Version = c.version
	}
	if c.boundAccount {
		cfg.AccountID = selfAccount
	}
	if !c.noCredentials {
		if c.platform == "chatwoot" {
			cfg.Secret = selfSecret
		} else {
			cfg.Token = selfToken
		}
	}
	suiteCfg, repCfg := ginkgo.GinkgoConfiguration()
	repCfg.Succinct = true
	repCfg.SilenceSkips = true
	repCfg.NoColor = true
	sum := suites.Run(&failT{}, cfg, suites.RunOptions{Suite: suiteCfg, Reporter: repCfg})
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer f.Close()
	if err := sum.WriteJSON(f); err != nil {
		return 3
	}
	return 0
}

// runCase runs the whole suite against one receiver in a child process and
// returns its summary.
func runCase(c selfCase, tmp string) (*suites.Summary, error) {
	out := filepath.Join(tmp, "report.json")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	// TMPDIR: the reproduction bodies failing specs save go away with the test.
	cmd.Env = append(os.Environ(), "CHATHOOK_SELFTEST="+c.name+"|"+out, "TMPDIR="+tmp)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("suite run against %s: %v\n%s", c.name, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	var sum suites.Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		return nil, fmt.Errorf("report: %v", err)
	}
	return &sum, nil
}

// selfParallel is how many suite runs the self-test has in flight: they
// mostly wait (on timeouts, on receivers in other processes), so more than
// the cores, but few enough that a loaded machine answers within the
// self-test's 1 s timeout.
const selfParallel = 4

// TestReferenceReceivers runs the full suite against the correct reference
// receiver of each platform, against receivers correct in other ways
// (sound variants, receivers in Python and JavaScript), and against every
// broken one, and checks that exactly the requirements each breaks fail
// and that the diagnosis names the mistake.
func TestReferenceReceivers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite once per receiver")
	}
	type result struct {
		sum  *suites.Summary
		err  error
		skip string
	}
	cases := selfCases()
	results := make([]chan result, len(cases))
	sem := make(chan struct{}, selfParallel)
	tmp := t.TempDir()
	for i, c := range cases {
		results[i] = make(chan result, 1)
		go func(i int, c selfCase) {
			if c.script != "" {
				interp := "python3"
				if strings.HasSuffix(c.script, ".js") {
					interp = "node"
				}
				if _, err := exec.LookPath(interp); err != nil {
					results[i] <- result{skip: fmt.Sprintf("%s is not installed: the receiver %s cannot run", interp, c.script)}
					return
				}
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			dir, err := os.MkdirTemp(tmp, "case-")
			if err != nil {
				results[i] <- result{err: err}
				return
			}
			sum, err := runCase(c, dir)
			results[i] <- result{sum: sum, err: err}
		}(i, c)
	}
	for i, c := range cases {
		c, res := c, results[i]
		t.Run(c.name, func(t *testing.T) {
			r := <-res
			switch {
			case r.skip != "":
				t.Skip(r.skip)
			case r.err != nil:
				t.Fatal(r.err)
			}
			sum := r.sum
			got := sum.FailedIDs()
			want := c.wantSorted()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("failing requirements of %s:\n got  %q\n want %q", c.name, got, want)
				for _, f := range sum.Failed() {
					t.Logf("[%s]\n%s", f.ID, f.Failure)
				}
			}
			if len(sum.Specs) == 0 {
				t.Error("no spec ran")
			}
			diag := strings.Join(sum.Diagnosis, "\n")
			switch {
			case c.diagnosis == "" && diag != "" && len(want) == 0:
				t.Errorf("a passing receiver got a diagnosis: %s", diag)
			case c.diagnosis != "" && !strings.Contains(diag, c.diagnosis):
				t.Errorf("diagnosis %q\nwant it to contain %q", diag, c.diagnosis)
			}
			for _, sp := range sum.Specs {
				if sp.Label == suites.LabelHardening && !c.hardening {
					t.Errorf("[%s] is in the report without Hardening", sp.ID)
				}
			}
		})
	}
}
