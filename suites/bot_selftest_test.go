package suites_test

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/mockplatform/receivertest"
	"github.com/chathook/chathook/suites"
)

// The bot self-test runs the bot requirements once per reference bot, in a
// child process (one Ginkgo suite per process): this test binary
// re-executed with CHATHOOK_BOTSELFTEST=<variant>:<report file>. init runs
// before TestMain, so this file needs no hook in it.
func init() {
	if spec := os.Getenv("CHATHOOK_BOTSELFTEST"); spec != "" {
		os.Exit(runBotChild(spec))
	}
}

const (
	botSelfToken  = "bot-token-selftest-5d1e"
	botSelfSecret = "bot-secret-selftest-9a7c"
)

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func runBotChild(spec string) int {
	variant, out, _ := strings.Cut(spec, ":")
	addr, err := freeAddr()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	cfg := suites.NewConfig()
	cfg.Platform = "chatwoot"
	cfg.Receiver = "agent_bot"
	cfg.Seed = selfSeed
	cfg.Timeout = selfTimeout
	cfg.API = addr
	cfg.APIToken = botSelfToken
	cfg.APISettle = 300 * time.Millisecond
	switch variant {
	case "python-stranger":
		// An agent bot written independently from Chatwoot's docs and
		// source (testdata/strangers/py_bot.py), not from chathook's code.
		botAddr, err := freeAddr()
		if err != nil {
			return 3
		}
		_, port, _ := net.SplitHostPort(botAddr)
		py := exec.Command("python3", filepath.Join("testdata", "strangers", "py_bot.py"))
		py.Env = append(os.Environ(), "PORT="+port, "CHATWOOT_URL=http://"+addr, "API_TOKEN="+botSelfToken, "SECRET="+botSelfSecret)
		if err := py.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		defer func() { _ = py.Process.Kill(); _ = py.Wait() }()
		for i := 0; i < 100; i++ {
			if c, err := net.Dial("tcp", botAddr); err == nil {
				c.Close()
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		cfg.Target = "http://" + botAddr + "/"
	case "not-a-bot":
		srv, err := receivertest.NewServer(receivertest.Config{Secret: botSelfSecret})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		defer srv.Close()
		cfg.Target = srv.URL
	default:
		b, err := receivertest.NewBot(receivertest.BotConfig{Variant: variant, BaseURL: "http://" + addr, Token: botSelfToken, Secret: botSelfSecret, RetryWait: 50 * time.Millisecond})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		defer b.Close()
		cfg.Target = b.URL
	}
	cfg.Secret = botSelfSecret
	suiteCfg, repCfg := ginkgo.GinkgoConfiguration()
	suiteCfg.LabelFilter = suites.LabelBot
	repCfg.Succinct, repCfg.SilenceSkips, repCfg.NoColor = true, true, true
	sum := suites.Run(&failT{}, cfg, suites.RunOptions{Suite: suiteCfg, Reporter: repCfg})
	f, err := os.Create(out)
	if err != nil {
		return 3
	}
	defer f.Close()
	if err := sum.WriteJSON(f); err != nil {
		return 3
	}
	return 0
}

func runBotVariant(t *testing.T, variant string) *suites.Summary {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CHATHOOK_BOTSELFTEST="+variant+":"+out, "TMPDIR="+t.TempDir())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bot suite against %s: %v\n%s", variant, err, b)
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

// TestReferenceBots runs the bot requirements against the correct reference
// bot and every broken one, and checks that each fails exactly the
// requirements its Breaks names, with a transcript.
func TestReferenceBots(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the bot suite once per reference bot")
	}
	for _, v := range receivertest.BotVariants() {
		v := v
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			sum := runBotVariant(t, v.Name)
			got := sum.FailedIDs()
			var want []string
			if v.Breaks != "" {
				want = strings.Split(v.Breaks, ", ")
			}
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("failing bot requirements of %s:\n got  %q\n want %q", v.Name, got, want)
				for _, f := range sum.Failed() {
					t.Logf("[%s]\n%s", f.ID, f.Failure)
				}
			}
			for _, f := range sum.Failed() {
				if !strings.Contains(f.Failure, "transcript (deliveries and API calls, in order):") || !strings.Contains(f.Failure, "api call #") {
					t.Errorf("[%s] failure has no transcript of calls:\n%s", f.ID, f.Failure)
				}
			}
			n := 0
			for _, s := range sum.Specs {
				if s.Label == suites.LabelBot && s.State != "skipped" {
					n++
				}
			}
			if n < 10 {
				t.Errorf("%d bot specs ran; want every one of them", n)
			}
		})
	}
}

// TestBotRequirementsSkipForReceiversThatNeverCall: a receiver that only
// acknowledges is not a bot; every bot requirement skips, none fails.
func TestBotRequirementsSkipForReceiversThatNeverCall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the bot suite")
	}
	sum := runBotVariant(t, "not-a-bot")
	if failed := sum.FailedIDs(); len(failed) != 0 {
		t.Errorf("failed %q; want none", failed)
	}
	skipped := 0
	for _, s := range sum.Specs {
		if s.Label == suites.LabelBot && s.State == "skipped" {
			skipped++
			if !strings.Contains(s.Failure, "made no call") {
				t.Errorf("[%s] skip reason = %q", s.ID, s.Failure)
			}
		}
	}
	if skipped < 10 {
		t.Errorf("%d specs skipped; want every bot spec", skipped)
	}
}

// TestStrangerBot runs the bot requirements against an agent bot written by
// someone else from Chatwoot's docs (Python, stdlib only): the mock API must
// work with a client chathook did not write, and a correct bot must pass.
func TestStrangerBot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the bot suite")
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	sum := runBotVariant(t, "python-stranger")
	if failed := sum.FailedIDs(); len(failed) != 0 {
		t.Errorf("the independent bot failed %q; want none", failed)
		for _, f := range sum.Failed() {
			t.Logf("[%s]\n%s", f.ID, f.Failure)
		}
	}
	ran := 0
	for _, s := range sum.Specs {
		if s.Label == suites.LabelBot && s.State == "passed" {
			ran++
		}
	}
	if ran < 10 {
		t.Errorf("%d bot requirements passed; want every one to run", ran)
	}
}
