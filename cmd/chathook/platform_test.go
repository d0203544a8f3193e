package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform/receivertest"
)

func freeLoopback(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestPlatformEndToEnd runs `chathook platform` with a reference agent bot
// and drives it as the README says: a contact's incoming message created
// through the API reaches the bot, whose reply shows up in the conversation
// and in the transcript.
func TestPlatformEndToEnd(t *testing.T) {
	addr := freeLoopback(t)
	bot, err := receivertest.NewBot(receivertest.BotConfig{BaseURL: "http://" + addr, Token: "bot-tok", Secret: "bot-secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()

	ctx, cancel := context.WithCancel(context.Background())
	out, errb := newSyncBuffer(), newSyncBuffer()
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"platform", "--api-addr", addr, "--agent-bot", bot.URL, "--agent-bot-secret", "bot-secret",
			"--bot-token", "bot-tok", "--user-token", "admin-tok", "--seed", "7", "--json"},
			&env{stdin: strings.NewReader(""), stdout: out, stderr: errb, getenv: func(string) string { return "" }})
	}()
	var ready readyInfo
	deadline := time.Now().Add(10 * time.Second)
	for ready.Kind == "" && time.Now().Before(deadline) {
		if line, _, ok := strings.Cut(out.String(), "\n"); ok {
			if err := json.Unmarshal([]byte(line), &ready); err != nil {
				t.Fatalf("first line %q: %v", line, err)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if ready.Kind != "ready" || len(ready.Conversations) == 0 {
		cancel()
		t.Fatalf("no ready line; stdout %q stderr %q", out.String(), errb.String())
	}
	if ready.BotToken == "bot-tok" || ready.UserToken == "admin-tok" {
		t.Errorf("tokens the user gave are echoed whole: %+v", ready)
	}

	conv := ready.Conversations[0]
	msgURL := fmt.Sprintf("http://%s/api/v1/accounts/%d/conversations/%d/messages", addr, ready.AccountID, conv)
	req, _ := http.NewRequest("POST", msgURL, strings.NewReader(`{"content":"Hi, where is my order?","message_type":"incoming"}`))
	req.Header.Set("api_access_token", "admin-tok")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("creating the incoming message: %d", resp.StatusCode)
	}

	// The bot's reply shows up in the conversation.
	var replied bool
	for i := 0; i < 200 && !replied; i++ {
		time.Sleep(20 * time.Millisecond)
		req, _ := http.NewRequest("GET", msgURL, nil)
		req.Header.Set("api_access_token", "admin-tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var list struct {
			Payload []struct {
				Content     string `json:"content"`
				MessageType int    `json:"message_type"`
				Sender      struct {
					Type string `json:"type"`
				} `json:"sender"`
			} `json:"payload"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		for _, m := range list.Payload {
			if m.MessageType == 1 && m.Sender.Type == "agent_bot" {
				replied = true
			}
		}
	}
	time.Sleep(150 * time.Millisecond) // let the transcript flush
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit code %d; stderr %s", code, errb.String())
	}
	if !replied {
		t.Fatalf("the bot's reply never showed up; transcript:\n%s", out.String())
	}
	kinds := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		var en struct {
			Kind     string `json:"kind"`
			Delivery *struct {
				Event, Receiver string
				Status          int
			} `json:"delivery"`
		}
		if err := json.Unmarshal(sc.Bytes(), &en); err != nil {
			t.Fatalf("transcript line %q is not JSON: %v", sc.Text(), err)
		}
		kinds[en.Kind]++
		if en.Delivery != nil && en.Delivery.Status != 200 {
			t.Errorf("delivery %+v not acknowledged", *en.Delivery)
		}
	}
	// The contact's call, the bot's call; message_created twice (the
	// contact's and the bot's own reply, which agent bots are sent too).
	if kinds["call"] < 2 || kinds["delivery"] < 2 || kinds["event"] < 2 {
		t.Errorf("transcript kinds = %v; want at least 2 calls, events and deliveries:\n%s", kinds, out.String())
	}
}

func TestPlatformUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"platform", "--api-addr", "nope"}, "--api-addr"},
		{[]string{"platform", "--agent-bot", "ftp://x"}, "--agent-bot"},
		{[]string{"platform", "--user-token", "a", "--bot-token", "a"}, "must differ"},
		{[]string{"platform", "extra"}, "takes no arguments"},
	}
	for _, tt := range tests {
		code, _, stderr := execCLI(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
}

func TestPlatformAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := execCLI(t, "", "platform", "--api-addr", ln.Addr().String())
	if code != exitUnreachable || !strings.Contains(stderr, "cannot serve the API") {
		t.Errorf("exit %d, stderr %q; want %d", code, stderr, exitUnreachable)
	}
}
