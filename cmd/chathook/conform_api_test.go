package main

import (
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform/receivertest"
)

func TestConformAPIUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"conform", "--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--api", "127.0.0.1:0"}, "--api is set without --api-token"},
		{[]string{"conform", "--target", "http://127.0.0.1:1/", "--platform", "swiftsell", "--api", "127.0.0.1:0", "--api-token", "t"}, "documents no Application API"},
		{[]string{"conform", "--target", "http://127.0.0.1:1/", "--platform", "chatwoot", "--api", "nope", "--api-token", "t"}, `--api "nope" is not a host:port`},
	}
	for _, tt := range tests {
		code, _, stderr := execCLI(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tt.args[1:], code, stderr, tt.want)
		}
	}
}

// conform --api passes the correct reference bot and fails the self-looping
// one on its requirements, with the transcript.
func TestConformAPIBots(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the bot suite twice")
	}
	for _, tt := range []struct {
		variant string
		code    int
		want    []string
	}{
		{receivertest.BotCorrect, exitOK, []string{"CONFORMANT"}},
		{receivertest.BotSelfLoop, exitFailed, []string{"[bot.own-messages]", "transcript (deliveries and API calls, in order):", "api call #1"}},
	} {
		t.Run(tt.variant, func(t *testing.T) {
			addr := freeLoopback(t)
			bot, err := receivertest.NewBot(receivertest.BotConfig{Variant: tt.variant, BaseURL: "http://" + addr, Token: "bot-tok"})
			if err != nil {
				t.Fatal(err)
			}
			defer bot.Close()
			code, stdout, stderr := execChild(t, nil, "conform", "--target", bot.URL, "--platform", "chatwoot", "--receiver", "agent_bot",
				"--api", addr, "--api-token", "bot-tok", "--api-settle", "200ms", "--label-filter", "bot")
			if code != tt.code {
				t.Fatalf("exit %d; want %d\nstdout %s\nstderr %s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout+stderr, w) {
					t.Errorf("output lacks %q\n%s", w, stdout)
				}
			}
		})
	}
}
