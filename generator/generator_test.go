package generator_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/releases"
	"github.com/chathook/chathook/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func mustNew(t testing.TB, seed int64, opts ...generator.Option) *generator.Generator {
	t.Helper()
	g, err := generator.New(seed, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// sequence generates every event (and kind) of every platform in order.
func sequence(t testing.TB, g *generator.Generator) [][]byte {
	var out [][]byte
	for _, c := range combos() {
		b, err := g.Payload(c.platform, c.event, c.kind)
		if errors.Is(err, generator.ErrNotInVersion) {
			continue
		}
		if err != nil {
			t.Fatalf("%s %s %s: %v", c.platform, c.event, c.kind, err)
		}
		out = append(out, b)
	}
	return out
}

func TestDeterminism(t *testing.T) {
	for _, opts := range [][]generator.Option{nil, {generator.WithProfile("edge")}, {generator.WithVersion("2")}} {
		a := sequence(t, mustNew(t, 1234, opts...))
		b := sequence(t, mustNew(t, 1234, opts...))
		if len(a) != len(b) {
			t.Fatalf("lengths differ: %d, %d", len(a), len(b))
		}
		for i := range a {
			if !bytes.Equal(a[i], b[i]) {
				t.Fatalf("payload %d differs for the same seed:\n%s\n%s", i, a[i], b[i])
			}
		}
		c := sequence(t, mustNew(t, 1235, opts...))
		same := 0
		for i := range a {
			if bytes.Equal(a[i], c[i]) {
				same++
			}
		}
		if same > 0 {
			t.Errorf("%d payloads identical for different seeds", same)
		}
	}
	sa, _ := mustNew(t, 99).Scenario("widget-conversation")
	sb, _ := mustNew(t, 99).Scenario("widget-conversation")
	for i := range sa {
		if !bytes.Equal(sa[i].Body, sb[i].Body) {
			t.Fatalf("scenario step %d differs", i)
		}
	}
}

func TestSeedZeroDrawsSeed(t *testing.T) {
	g := mustNew(t, 0)
	if g.Seed() == 0 {
		t.Fatal("seed 0 was not replaced")
	}
	h := mustNew(t, g.Seed())
	a, _ := g.Payload("swiftsell", "note", "")
	b, _ := h.Payload("swiftsell", "note", "")
	if !bytes.Equal(a, b) {
		t.Fatal("the reported seed does not reproduce the output")
	}
}

func TestUnknownNames(t *testing.T) {
	if _, err := generator.New(1, generator.WithProfile("nope")); !errors.Is(err, generator.ErrUnknown) || !strings.Contains(err.Error(), "realistic, edge") {
		t.Errorf("profile: %v", err)
	}
	if _, err := generator.New(1, generator.WithVersion("4.17")); !errors.Is(err, generator.ErrUnknown) || !strings.Contains(err.Error(), "1.18.0 to 4.16.2") {
		t.Errorf("version: %v", err)
	}
	g := mustNew(t, 1)
	for _, c := range []struct{ p, e, k, want string }{
		{"slack", "x", "", "chatwoot, swiftsell"},
		{"chatwoot", "message.created", "", "message_created"},
		{"swiftsell", "message", "pdf", "form.response"},
		{"chatwoot", "message_created", "text", "kind"},
	} {
		if _, err := g.Payload(c.p, c.e, c.k); !errors.Is(err, generator.ErrUnknown) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s %s: %v", c.p, c.e, c.k, err)
		}
	}
	if _, err := g.Scenario("nope"); !errors.Is(err, generator.ErrUnknown) {
		t.Errorf("scenario: %v", err)
	}
	if _, err := mustNew(t, 1, generator.WithVersion("2")).Payload("chatwoot", "conversation_typing_on", ""); !errors.Is(err, generator.ErrNotInVersion) {
		t.Errorf("typing in 2.x: %v", err)
	}
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, b)
	}
	return v
}

func num(v any) int64 {
	n, _ := v.(json.Number).Int64()
	return n
}

// TestWorldCoherence checks that payloads refer to the world consistently.
func TestWorldCoherence(t *testing.T) {
	for seed := int64(1); seed <= 60; seed++ {
		profile := "realistic"
		if seed%2 == 0 {
			profile = "edge"
		}
		g := mustNew(t, seed, generator.WithProfile(profile))
		w := g.World()
		var lastTime time.Time
		for i := 0; i < 25; i++ {
			ev := []string{"message_created", "message_updated", "conversation_updated", "conversation_status_changed", "conversation_created"}[i%5]
			b, err := g.Payload("chatwoot", ev, "")
			if err != nil {
				t.Fatal(err)
			}
			if g.Now().Before(lastTime) {
				t.Fatalf("seed %d: clock went back", seed)
			}
			lastTime = g.Now()
			p := decode(t, b)
			conv := p
			if strings.HasPrefix(ev, "message_") {
				conv = p["conversation"].(map[string]any)
				// account, inbox and sender exist in the world.
				if num(p["account"].(map[string]any)["id"]) != int64(w.Chatwoot.Account.ID) {
					t.Fatalf("seed %d: account mismatch", seed)
				}
				inboxID := num(p["inbox"].(map[string]any)["id"])
				if inboxID != num(conv["inbox_id"]) || findInbox(w, int(inboxID)) == nil {
					t.Fatalf("seed %d: inbox %d not coherent", seed, inboxID)
				}
				if s, ok := p["sender"].(map[string]any); ok {
					id := int(num(s["id"]))
					if findContact(w, id) == nil && findAgent(w, id) == nil && findBot(w, id) == nil {
						t.Fatalf("seed %d: sender %d not in world", seed, id)
					}
				}
				created, err := time.Parse(time.RFC3339Nano, p["created_at"].(string))
				if err != nil || created.After(g.Now()) {
					t.Fatalf("seed %d: created_at %v after clock %v", seed, p["created_at"], g.Now())
				}
			}
			c := findConversation(w, int(num(conv["id"])))
			if c == nil {
				t.Fatalf("seed %d %s: conversation %v not in world", seed, ev, conv["id"])
			}
			if c.Inbox.ID != int(num(conv["inbox_id"])) || c.Contact.ID != int(num(conv["meta"].(map[string]any)["sender"].(map[string]any)["id"])) {
				t.Fatalf("seed %d: conversation %d inbox/contact mismatch", seed, c.DisplayID)
			}
			// messages[]: 0..1, the last public non-activity message.
			msgs := conv["messages"].([]any)
			if len(msgs) > 1 {
				t.Fatalf("seed %d: %d nested messages", seed, len(msgs))
			}
			if (c.LastPublic == nil) != (len(msgs) == 0) {
				t.Fatalf("seed %d: messages[] does not match the last public message", seed)
			}
			if len(msgs) == 1 {
				m := msgs[0].(map[string]any)
				if m["private"] != false || num(m["id"]) != int64(c.LastPublic.ID) || num(m["conversation_id"]) != int64(c.DisplayID) {
					t.Fatalf("seed %d: nested message wrong: %v", seed, m)
				}
				if _, has := m["sender"]; has != (m["sender_type"] != nil) {
					t.Fatalf("seed %d: nested sender key presence wrong", seed)
				}
				if a, has := m["attachments"]; has && len(a.([]any)) == 0 {
					t.Fatalf("seed %d: empty attachments array", seed)
				}
			}
			if ev == "message_created" && p["private"] == false {
				if len(msgs) != 1 || num(msgs[0].(map[string]any)["id"]) != num(p["id"]) {
					t.Fatalf("seed %d: a public message_created must be the nested message", seed)
				}
			}
			if a, has := p["attachments"]; has && len(a.([]any)) == 0 {
				t.Fatalf("seed %d: empty attachments array", seed)
			}
			// changed_attributes: current values match the state.
			if chs, ok := p["changed_attributes"].([]any); ok {
				for _, e := range chs {
					for k, v := range e.(map[string]any) {
						cur := v.(map[string]any)["current_value"]
						switch k {
						case "status":
							if cur != conv["status"] {
								t.Fatalf("seed %d: status change %v but status %v", seed, cur, conv["status"])
							}
						case "updated_at":
							at, _ := time.Parse(time.RFC3339Nano, cur.(string))
							f, _ := conv["updated_at"].(json.Number).Float64()
							if d := f - float64(at.UnixMilli())/1000; d < 0 || d >= 0.001 {
								t.Fatalf("seed %d: updated_at change %v vs %v", seed, cur, conv["updated_at"])
							}
						case "assignee_id":
							var want any
							if a, ok := conv["meta"].(map[string]any)["assignee"].(map[string]any); ok {
								want = a["id"]
							}
							if fmt.Sprint(cur) != fmt.Sprint(want) && !(cur == nil && want == nil) {
								t.Fatalf("seed %d: assignee change %v vs %v", seed, cur, want)
							}
						case "label_list":
							if fmt.Sprint(cur) != fmt.Sprint(conv["labels"]) {
								t.Fatalf("seed %d: label change %v vs %v", seed, cur, conv["labels"])
							}
						}
					}
				}
			}
			if ev == "conversation_status_changed" && p["changed_attributes"] != nil {
				t.Fatalf("seed %d: status change carries changed_attributes", seed)
			}
		}
	}
}

func findConversation(w *generator.World, id int) *generator.Conversation {
	for _, c := range w.Chatwoot.Conversations {
		if c.DisplayID == id {
			return c
		}
	}
	return nil
}

func findInbox(w *generator.World, id int) *generator.Inbox {
	for _, x := range w.Chatwoot.Inboxes {
		if x.ID == id {
			return x
		}
	}
	return nil
}

func findContact(w *generator.World, id int) *generator.Contact {
	for _, x := range w.Chatwoot.Contacts {
		if x.ID == id {
			return x
		}
	}
	return nil
}

func findAgent(w *generator.World, id int) *generator.Agent {
	for _, x := range w.Chatwoot.Agents {
		if x.ID == id {
			return x
		}
	}
	return nil
}

func findBot(w *generator.World, id int) *generator.AgentBot {
	for _, x := range w.Chatwoot.Bots {
		if x.ID == id {
			return x
		}
	}
	return nil
}

func TestSwiftsellCoherence(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		g := mustNew(t, seed)
		w := g.World().Swiftsell
		prev := ""
		for _, ev := range generator.Events("swiftsell") {
			b, err := g.Payload("swiftsell", ev, "")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte(`{"events": [{"event": {"type": "`+ev+`", "payload": {`)) {
				t.Fatalf("not the platform's byte style: %s", b)
			}
			if bytes.ContainsAny(b, "¿·") || bytes.ContainsFunc(b, func(r rune) bool { return r > 127 }) {
				t.Fatalf("non-ASCII not escaped: %s", b)
			}
			p := decode(t, b)
			e := p["events"].([]any)[0].(map[string]any)
			ts := e["timestamp"].(string)
			if _, err := time.Parse("2006-01-02 15:04:05.000000", ts); err != nil {
				t.Fatalf("timestamp %q: %v", ts, err)
			}
			if ts < prev {
				t.Fatalf("timestamps go back: %s < %s", ts, prev)
			}
			prev = ts
			conv := e["conversation"].(map[string]any)
			var c *generator.SwiftsellConversation
			for _, x := range w.Conversations {
				if x.Key == conv["key"] && int64(x.ID) == num(conv["id"]) {
					c = x
				}
			}
			if c == nil {
				w = g.World().Swiftsell
				for _, x := range w.Conversations {
					if x.Key == conv["key"] && int64(x.ID) == num(conv["id"]) {
						c = x
					}
				}
			}
			if c == nil {
				t.Fatalf("seed %d: conversation %v not in world", seed, conv)
			}
			acc := e["account"].(map[string]any)
			vis := e["visitor"].(map[string]any)
			if acc["key"] != w.Account.Key || num(acc["id"]) != int64(w.Account.ID) || num(acc["bot"].(map[string]any)["id"]) != int64(c.BotID) {
				t.Fatalf("seed %d: account keys disagree", seed)
			}
			if vis["key"] != c.VisitorKey || num(vis["id"]) != int64(c.VisitorID) {
				t.Fatalf("seed %d: visitor keys disagree", seed)
			}
			if ev == "conversation_create" {
				pl := e["event"].(map[string]any)["payload"].(map[string]any)
				if num(pl["bot_id"]) != int64(c.BotID) {
					t.Fatalf("seed %d: bot_id disagrees", seed)
				}
				if !strings.Contains(string(b), c.VisitorKey) {
					t.Fatalf("seed %d: contact_id variable is not the visitor key", seed)
				}
			}
		}
	}
}

func TestChatwootBytes(t *testing.T) {
	g := mustNew(t, 5, generator.WithProfile("edge"))
	sawEscape := false
	for i := 0; i < 300; i++ {
		b, err := g.Payload("chatwoot", "message_created", "")
		if err != nil {
			t.Fatal(err)
		}
		if bytes.ContainsAny(b, "<>&\u2028\u2029") {
			t.Fatalf("unescaped HTML-significant character: %s", b)
		}
		if bytes.Contains(b, []byte(`\u003c`)) {
			sawEscape = true
		}
		if bytes.Contains(b, []byte(`"attachments":[]`)) {
			t.Fatal("attachments: [] emitted")
		}
		if !bytes.HasSuffix(b, []byte(`"event":"message_created"}`)) && !bytes.Contains(b, []byte(`,"event":"message_created"`)) {
			t.Fatal("event key missing")
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("invalid JSON: %v", err)
		}
	}
	if !sawEscape {
		t.Error("edge profile never produced an escaped '<'")
	}
}

func TestScenarios(t *testing.T) {
	s := schemaSet(t)
	for _, version := range generator.Versions() {
		for _, name := range generator.Scenarios() {
			for seed := int64(1); seed <= 20; seed++ {
				g := mustNew(t, seed, generator.WithVersion(version))
				steps, err := g.Scenario(name)
				if err != nil {
					t.Fatal(err)
				}
				dups := 0
				seen := map[string]bool{}
				for i, st := range steps {
					seen[st.Event] = true
					if st.Duplicate {
						dups++
						if !bytes.Equal(st.Body, steps[i-1].Body) {
							t.Fatalf("%s seed %d: duplicate differs from its original", name, seed)
						}
					}
					opt := schemas.Options{Platform: st.Platform}
					if st.Platform == "chatwoot" {
						opt.Version = g.Release().Version()
					}
					res, err := s.Validate(st.Body, opt)
					if err != nil {
						t.Fatal(err)
					}
					if !res.OK(true) {
						t.Fatalf("%s seed %d version %s step %d (%s): %v%v", name, seed, version, i, st.Event, res.Errors, res.Drift)
					}
					if st.Platform == "chatwoot" && !g.Release().Sends(releases.Kind(st.Receiver), st.Event) {
						t.Fatalf("%s: step %s to %s, which Chatwoot %s never sends", name, st.Event, st.Receiver, g.Release())
					}
					if st.Platform == "chatwoot" && st.Receiver != "account" && st.Receiver != "agent_bot" {
						t.Fatalf("receiver %q", st.Receiver)
					}
				}
				switch name {
				case "widget-conversation":
					for _, e := range []string{"webwidget_triggered", "contact_created", "conversation_created", "message_created", "conversation_updated", "conversation_status_changed", "contact_updated"} {
						if !seen[e] && g.Release().Sends(releases.Account, e) {
							t.Fatalf("%s %s: no %s", name, g.Release(), e)
						}
					}
				case "agent-bot":
					for _, e := range []string{"webwidget_triggered", "message_created", "conversation_opened", "message_updated", "conversation_resolved", "conversation_status_changed"} {
						if !seen[e] && g.Release().Sends(releases.AgentBot, e) {
							t.Fatalf("%s %s: no %s", name, g.Release(), e)
						}
					}
				}
				if name != "swiftsell-chat" && dups != 1 {
					t.Fatalf("%s: %d duplicates", name, dups)
				}
			}
		}
	}
}

// TestGolden pins the exact bytes of a few payloads. Run with -update to
// rewrite them after an intended change.
func TestGolden(t *testing.T) {
	cases := []struct {
		name                  string
		seed                  int64
		opts                  []generator.Option
		platform, event, kind string
	}{
		{"chatwoot-message_created-1", 1, nil, "chatwoot", "message_created", ""},
		{"chatwoot-conversation_updated-2", 2, nil, "chatwoot", "conversation_updated", ""},
		{"chatwoot-v2-conversation_status_changed-3", 3, []generator.Option{generator.WithVersion("2")}, "chatwoot", "conversation_status_changed", ""},
		{"chatwoot-edge-message_created-4", 4, []generator.Option{generator.WithProfile("edge")}, "chatwoot", "message_created", ""},
		{"chatwoot-webwidget_triggered-5", 5, nil, "chatwoot", "webwidget_triggered", ""},
		{"swiftsell-message.form.response-6", 6, nil, "swiftsell", "message", "form.response"},
		{"swiftsell-conversation_create-7", 7, nil, "swiftsell", "conversation_create", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := mustNew(t, c.seed, c.opts...).Payload(c.platform, c.event, c.kind)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("testdata", "golden", c.name+".json")
			if *update {
				if err := os.WriteFile(file, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if !bytes.Equal(b, want) {
				t.Errorf("%s differs from the golden file (run with -update if intended)\ngot:  %s\nwant: %s", file, b, want)
			}
		})
	}
}
