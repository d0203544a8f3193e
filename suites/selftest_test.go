package suites_test

import (
	"encoding/json"
	"fmt"
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
// per reference receiver in a child process: this test binary re-executed
// with CHATHOOK_SELFTEST=<platform>:<variant>:<report file>.
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
)

type failT struct{ failed bool }

func (f *failT) Fail() { f.failed = true }

func runChild(spec string) int {
	parts := strings.SplitN(spec, ":", 3)
	platform, variant, out := parts[0], parts[1], parts[2]
	secret := selfSecret
	if os.Getenv("CHATHOOK_SELFTEST_VERSION") != "" {
		secret = "" // a release before signing: a receiver that verifies nothing
	}
	srv, err := receivertest.NewServer(receivertest.Config{
		Platform: platform, Variant: variant, Secret: secret, Token: selfToken,
		SlowDelay: 3 * selfTimeout,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer srv.Close()
	cfg := suites.NewConfig()
	cfg.Target = srv.URL + "/hook"
	cfg.Platform = platform
	cfg.Seed = selfSeed
	cfg.Timeout = selfTimeout
	if v := os.Getenv("CHATHOOK_SELFTEST_VERSION"); v != "" {
		cfg.Version = v // a run pinned to one Chatwoot release
	}
	if platform == "chatwoot" {
		cfg.Secret = secret
	} else {
		cfg.Token = selfToken
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

// runVariant runs the whole suite against one reference receiver and
// returns its summary.
func runVariant(t *testing.T, platform, variant string) *suites.Summary {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	// TMPDIR: the reproduction bodies failing specs save go away with the test.
	cmd.Env = append(os.Environ(), "CHATHOOK_SELFTEST="+platform+":"+variant+":"+out, "TMPDIR="+t.TempDir())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("suite run against %s/%s: %v\n%s", platform, variant, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var sum suites.Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatalf("report: %v", err)
	}
	return &sum
}

// TestReferenceReceivers runs the full suite against the correct reference
// receiver of each platform and against every broken variant, and checks
// that exactly the requirements each variant breaks fail.
func TestReferenceReceivers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite once per receiver")
	}
	for _, platform := range []string{"chatwoot", "swiftsell"} {
		for _, variant := range receivertest.VariantsFor(platform) {
			platform, variant := platform, variant
			t.Run(platform+"/"+variant, func(t *testing.T) {
				t.Parallel()
				sum := runVariant(t, platform, variant)
				got := sum.FailedIDs()
				want := expectedFailures(platform, variant)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("failing requirements of %s/%s:\n got  %q\n want %q", platform, variant, got, want)
					for _, f := range sum.Failed() {
						t.Logf("[%s]\n%s", f.ID, f.Failure)
					}
				}
				if len(sum.Specs) == 0 {
					t.Error("no spec ran")
				}
			})
		}
	}
}
