package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform/receivertest"
)

// TestREADMEExamples runs every command of every ```sh block in README.md,
// as written, in a scratch directory with the binary built into bin/, against
// reference receivers started for the test. The examples come from README.md
// itself, so a new example is covered as soon as it is written.
//
// What the test changes, all listed here:
//   - the receiver addresses: http://127.0.0.1:8080/hooks/swiftsell is a
//     correct Swiftsell receiver checking the token t0k, any other
//     http://127.0.0.1:8080/ a correct Chatwoot receiver verifying the secret
//     s3cret (the secrets the examples set); listen and receiver addresses
//     and platform --api-addr become 127.0.0.1:0 (tests bind free ports);
//   - durations: load's --duration 30s runs 1s and --requests 100000 runs 300;
//     --max-p99 250ms becomes 1m (latency under -race on a shared CI machine
//     says nothing about the example);
//   - servers (listen, receiver --addr) run for 2 s and are stopped with
//     SIGINT: they must then exit 0;
//   - the files the examples name as the reader's own (capture.json,
//     fixtures/*.json, payloads.jsonl, captures/*.json) are generated first.
//
// Every command must exit 0 unless expectExit says otherwise; skipREADME
// lists the commands that are not run, each with the reason.
func TestREADMEExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds chathook and runs every README example")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := shellBlocks(string(readme))
	if len(blocks) < 10 {
		t.Fatalf("found only %d sh blocks in README.md", len(blocks))
	}

	work := t.TempDir()
	bin := filepath.Join(work, "bin", "chathook")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cw, err := receivertest.NewServer(receivertest.Config{Platform: "chatwoot", Secret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	defer cw.Close()
	ss, err := receivertest.NewServer(receivertest.Config{Platform: "swiftsell", Token: "t0k"})
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	rewrite := strings.NewReplacer(
		"http://127.0.0.1:8080/hooks/swiftsell", ss.URL+"/hooks/swiftsell",
		"http://127.0.0.1:8080/", cw.URL+"/",
		"127.0.0.1:8787", "127.0.0.1:0", "127.0.0.1:8788", "127.0.0.1:0", "--api-addr 127.0.0.1:3000", "--api-addr 127.0.0.1:0",
		"--duration 30s", "--duration 1s", "--requests 100000", "--requests 300",
		"--max-p99 250ms", "--max-p99 1m",
		"127.0.0.1:3000", "127.0.0.1:0", // the mock Chatwoot API of conform --api and platform
	)

	env := []string{"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + work, "TMPDIR=" + work, "NO_COLOR=1"}
	sh := func(script string) (string, error) {
		cmd := exec.Command("bash", "-c", script)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// The reader's own files, which the examples name.
	if out, err := sh(`set -e; mkdir -p fixtures captures
bin/chathook generate --platform chatwoot --event message_created --seed 1 > capture.json
bin/chathook generate --platform chatwoot --count 2 --seed 2 --out fixtures
bin/chathook generate --platform swiftsell --count 3 --seed 3 > payloads.jsonl
bin/chathook generate --platform chatwoot --count 2 --seed 4 --out captures`); err != nil {
		t.Fatalf("preparing the reader's files: %v\n%s", err, out)
	}

	ran := 0
	for _, b := range blocks {
		var script strings.Builder
		var cmds []string
		for _, c := range b.commands {
			if reason := skipped(c); reason != "" {
				t.Logf("README.md:%d: not run (%s): %s", b.line, reason, c)
				continue
			}
			run := rewrite.Replace(c)
			if isServer(c) {
				run = "timeout --preserve-status -s INT 2 env " + run
			}
			fmt.Fprintf(&script, "{ %s\n} < /dev/null\necho \"__readme_rc__ %d $?\"\n", run, len(cmds))
			cmds = append(cmds, c)
		}
		if len(cmds) == 0 {
			continue
		}
		out, _ := sh(script.String())
		results := splitByMarker(out)
		for i, c := range cmds {
			ran++
			res, ok := results[i]
			want := expectedExit(c)
			if !ok {
				t.Errorf("README.md:%d: did not finish: %s\n%s", b.line, c, out)
				continue
			}
			if res.code != want {
				t.Errorf("README.md:%d: exit %d, want %d: %s\n%s", b.line, res.code, want, c, res.output)
			}
		}
	}
	t.Logf("ran %d README commands", ran)
}

// expectExit lists README commands that are meant to exit non-zero, by a
// substring of the command.
var expectExit = map[string]int{
	"conform --target builtin:body-only-hmac": exitFailed, // shows a broken receiver failing
}

// skipREADME lists README commands the test does not run, by a substring,
// with the reason.
var skipREADME = map[string]string{
	"go build -o bin/chathook ./cmd/chathook": "builds chathook from the repository: the test makes that same build into its bin/ first",
	"make test": "runs every test of the repository, this one included",
	"python3 suites/testdata/strangers/py_bot.py": "starts the Python bot from the repository's testdata on port 8080; suites/bot_selftest_test.go runs the same bot on a free port",
	"kill $BOT": "stops that bot",
	"--api 127.0.0.1:3000 --api-token bot-tok --label-filter bot": "runs against that bot (every bot requirement skips against a receiver that makes no API call)",
}

func expectedExit(c string) int {
	for sub, code := range expectExit {
		if strings.Contains(c, sub) {
			return code
		}
	}
	return 0
}

func skipped(c string) string {
	for sub, reason := range skipREADME {
		if strings.Contains(c, sub) {
			return reason
		}
	}
	return ""
}

// isServer reports a command that serves until stopped.
func isServer(c string) bool {
	return strings.Contains(c, "chathook listen") || (strings.Contains(c, "chathook receiver") && strings.Contains(c, "--addr"))
}

type shellBlock struct {
	line     int // of the opening fence
	commands []string
}

// shellBlocks returns the commands of each ```sh block: comment lines and
// blank lines dropped, backslash continuations joined, a trailing
// "# comment" kept (bash ignores it).
func shellBlocks(readme string) []shellBlock {
	var blocks []shellBlock
	var cur *shellBlock
	var pending string
	sc := bufio.NewScanner(strings.NewReader(readme))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```sh":
			cur = &shellBlock{line: n}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			if pending == "" && (strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#")) {
				continue
			}
			if strings.HasSuffix(line, `\`) {
				pending += strings.TrimSuffix(line, `\`) + " "
				continue
			}
			cur.commands = append(cur.commands, strings.TrimSpace(pending+line))
			pending = ""
		}
	}
	return blocks
}

type cmdResult struct {
	code   int
	output string
}

var markerRE = regexp.MustCompile(`(?m)^__readme_rc__ (\d+) (\d+)$`)

// splitByMarker cuts a block's combined output at the exit-code markers.
func splitByMarker(out string) map[int]cmdResult {
	res := map[int]cmdResult{}
	start := 0
	for _, m := range markerRE.FindAllStringSubmatchIndex(out, -1) {
		i, _ := strconv.Atoi(out[m[2]:m[3]])
		code, _ := strconv.Atoi(out[m[4]:m[5]])
		res[i] = cmdResult{code: code, output: out[start:m[0]]}
		start = m[1]
	}
	return res
}

// TestREADMEWorkflowsLint lints action.yml and every yaml workflow of the
// README with actionlint (and the Action's scripts with shellcheck), when
// actionlint is installed: go install github.com/rhysd/actionlint/cmd/actionlint@latest.
func TestREADMEWorkflowsLint(t *testing.T) {
	if _, err := exec.LookPath("actionlint"); err != nil {
		t.Skip("actionlint is not installed")
	}
	out, err := exec.Command("../../scripts/lint-action.sh").CombinedOutput()
	if err != nil {
		t.Errorf("scripts/lint-action.sh: %v\n%s", err, out)
	}
}
