package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chathook/chathook/generator"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
	})
	return code, out.String(), errb.String()
}

// TestWorldFlags: --account-id and --inbox-id put every payload in the
// receiver's account and inbox, and say so; bad values are usage errors.
func TestWorldFlags(t *testing.T) {
	code, out, errs := runCLI(t, "generate", "--platform", "chatwoot", "--event", "message_created,conversation_status_changed",
		"--count", "6", "--seed", "9", "--receiver", "api_inbox", "--account-id", "77", "--inbox-id", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "world: account 77, inbox 5 (Api)") {
		t.Errorf("stderr %q does not say the world", errs)
	}
	for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var p struct {
			Account      struct{ ID int } `json:"account"`
			InboxID      int              `json:"inbox_id"`
			Conversation *struct {
				InboxID int    `json:"inbox_id"`
				Channel string `json:"channel"`
			} `json:"conversation"`
		}
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatal(err)
		}
		inbox := p.InboxID
		if p.Conversation != nil {
			inbox = p.Conversation.InboxID
		}
		if p.Account.ID != 77 || inbox != 5 {
			t.Errorf("payload %d: account %d inbox %d; want 77 and 5", i, p.Account.ID, inbox)
		}
	}
	for _, args := range [][]string{
		{"generate", "--platform", "chatwoot", "--account-id", "-1"},
		{"generate", "--platform", "chatwoot", "--receiver", "macro_bot"},
		{"send", "--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--event", "message_created", "--sample", "-4"},
		{"send", "--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--file", "x.json", "--sample", "3"},
		{"conform", "--target", "builtin", "--events", "conversation_opened"},
		{"conform", "--target", "builtin", "--receiver", "agent_bot", "--events", "message_created"},
		{"conform", "--target", "builtin", "--label-filter", "hardening"},
		{"conform", "--target", "builtin", "--label-filter", "nothing-matches"},
	} {
		if code, _, errs := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
}

// TestSendSample: send --seed S --sample N sends exactly the bytes of
// generator sample N, as conform's reproduction commands promise.
func TestSendSample(t *testing.T) {
	var mu sync.Mutex
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = b
		mu.Unlock()
	}))
	defer srv.Close()
	code, _, errs := runCLI(t, "send", "--target", srv.URL, "--platform", "chatwoot", "--event", "conversation_updated",
		"--seed", "31", "--sample", "12", "--receiver", "agent_bot", "--account-id", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	g, err := generator.New(31, generator.WithSample(12), generator.WithReceiver("agent_bot"), generator.WithAccountID(4))
	if err != nil {
		t.Fatal(err)
	}
	want, err := g.Payload("chatwoot", "conversation_updated", "")
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !bytes.Equal(got, want) {
		t.Errorf("send --sample 12 sent\n%.200s\nwant sample 12\n%.200s", got, want)
	}
}
