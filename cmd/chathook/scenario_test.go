package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
)

func scenarioSteps(t *testing.T, name string, seed int64) []generator.Step {
	t.Helper()
	g, err := generator.New(seed, generator.WithProfile("realistic"), generator.WithVersion("latest"))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := g.Scenario(name)
	if err != nil {
		t.Fatal(err)
	}
	return steps
}

func TestScenarioDeliversEveryStepWithDuplicateIDs(t *testing.T) {
	for _, name := range []string{"widget-conversation", "agent-bot"} {
		t.Run(name, func(t *testing.T) {
			srv, rec := newRecorder(t, 200, "")
			code, out, errs := execCLI(t, "", "scenario", "--target", srv.URL, "--name", name, "--seed", "7", "--secret", "s3cret-scn")
			if code != exitOK {
				t.Fatalf("exit %d\n%s%s", code, out, errs)
			}
			steps := scenarioSteps(t, name, 7)
			reqs := rec.requests()
			if len(reqs) != len(steps) {
				t.Fatalf("%d requests for %d steps", len(reqs), len(steps))
			}
			dups := 0
			for i, st := range steps {
				if !bytes.Equal(reqs[i].Body, st.Body) {
					t.Errorf("step %d: body differs", i+1)
				}
				id := reqs[i].Header.Get(mockplatform.HeaderDelivery)
				if id == "" {
					t.Errorf("step %d: no delivery id", i+1)
				}
				if st.Duplicate {
					dups++
					if prev := reqs[i-1].Header.Get(mockplatform.HeaderDelivery); id != prev {
						t.Errorf("duplicate step %d: delivery id %s, want the previous step's %s", i+1, id, prev)
					}
				} else if i > 0 && id == reqs[i-1].Header.Get(mockplatform.HeaderDelivery) {
					t.Errorf("step %d reuses the previous delivery id", i+1)
				}
				wantUA := "Ruby"
				if got := reqs[i].Header.Get("User-Agent"); got != wantUA {
					t.Errorf("step %d: User-Agent %q", i+1, got)
				}
			}
			if dups == 0 {
				t.Errorf("the scenario has no duplicate step")
			}
			if lines := strings.Count(out, "\n"); lines != len(steps)+1 || !strings.Contains(out, "(duplicate)") ||
				!strings.Contains(out, "delivered: ") {
				t.Errorf("output (%d lines):\n%s", lines, out)
			}
		})
	}
}

func TestScenarioSwiftsellAgainstReferenceReceiver(t *testing.T) {
	srv, err := receivertest.NewServer(receivertest.Config{Platform: "swiftsell", Token: "tok-scenario"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out, errs := execCLI(t, "", "scenario", "--target", srv.URL, "--name", "swiftsell-chat", "--seed", "3", "--token", "tok-scenario", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(scenarioSteps(t, "swiftsell-chat", 3)) {
		t.Fatalf("%d JSON lines", len(lines))
	}
	for _, l := range lines {
		var r deliveryRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil || !r.OK || r.Platform != "swiftsell" || r.Seed != 3 {
			t.Errorf("%s: %+v %v", l, r, err)
		}
	}
	if !strings.Contains(errs, "delivered: ") {
		t.Errorf("json mode: summary expected on stderr: %s", errs)
	}
}

func TestScenarioListAndErrors(t *testing.T) {
	code, out, _ := execCLI(t, "", "scenario", "--list")
	for _, n := range generator.Scenarios() {
		if code != exitOK || !strings.Contains(out, n) {
			t.Errorf("--list: exit %d, %q missing:\n%s", code, n, out)
		}
	}
	code, out, _ = execCLI(t, "", "scenario", "--list", "--name", "widget-conversation", "--seed", "7")
	if code != exitOK || strings.Count(out, "\n") != len(scenarioSteps(t, "widget-conversation", 7))+1 || !strings.Contains(out, "duplicate of step") {
		t.Errorf("--list --name: exit %d\n%s", code, out)
	}
	srv, rec := newRecorder(t, 404, "not here")
	for _, tt := range []struct {
		args   []string
		code   int
		inErrs string
	}{
		{[]string{"--target", srv.URL}, exitUsage, "--name is required"},
		{[]string{"--target", srv.URL, "--name", "nope"}, exitUsage, "scenarios: agent-bot"},
		{[]string{"--name", "agent-bot"}, exitUsage, "--target is required"},
		{[]string{"--target", srv.URL, "--name", "agent-bot", "--platform", "swiftsell"}, exitUsage, "delivers chatwoot webhooks"},
		{[]string{"--target", closedPort(t), "--name", "agent-bot", "--seed", "1"}, exitUnreachable, "(refused)"},
		{[]string{"--target", srv.URL, "--name", "agent-bot", "--seed", "1", "--receiver", "account"}, exitFailed, ""},
	} {
		code, out, errs := execCLI(t, "", append([]string{"scenario"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.inErrs) {
			t.Errorf("%v: exit %d, want %d\n%s%s", tt.args, code, tt.code, out, errs)
		}
		if tt.code == exitUnreachable && strings.Count(out, "\n") != 2 {
			t.Errorf("refused: sending should stop after the first delivery:\n%s", out)
		}
	}
	if n := len(rec.requests()); n != len(scenarioSteps(t, "agent-bot", 1)) {
		t.Errorf("404s: every step is still sent (got %d)", n)
	}
}
