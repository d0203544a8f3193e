package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
	"github.com/chathook/chathook/suites"
)

func init() {
	c := &command{
		name:    "platform",
		summary: "run a mock Chatwoot offline: its Application API, and webhooks to your receivers",
		usage: "chathook platform [--api-addr HOST:PORT] [--agent-bot URL] [--account-webhook URL] [--api-inbox-webhook URL] [flags]\n\n" +
			"Serves Chatwoot 4.16's Application API (conversations, messages, toggle_status, labels, contacts, profile, ...)\n" +
			"on --api-addr, over a generated account, and delivers webhooks as Chatwoot does to the receivers given:\n" +
			"a message created through the API (a contact's incoming message in the API inbox, your bot's reply, an\n" +
			"agent's note) comes back as message_created, status changes as conversation_status_changed, and so on.\n" +
			"Drive it through the API itself, as a real API channel, or type lines on stdin: each one is the contact's\n" +
			"message in the first conversation. Every delivery and API call is printed (--json:\n" +
			"JSON lines). Stop it with Ctrl-C. Swiftsell documents no API, so there is no Swiftsell mode.",
		example: `echo "Hi, where is my order?" | chathook platform --agent-bot builtin --exit-after 3s   # chathook's reference bot
# an agent bot listening on :8080 whose Chatwoot URL is http://127.0.0.1:3000 and whose token is bot-tok:
chathook platform --agent-bot http://127.0.0.1:8080/ --bot-token bot-tok --user-token admin-tok
# then play the contact (account, conversation and tokens are printed at start):
curl -s -X POST http://127.0.0.1:3000/api/v1/accounts/ACCOUNT/conversations/CONVERSATION/messages \
  -H 'api_access_token: admin-tok' -H 'Content-Type: application/json' \
  -d '{"content":"Hi, where is my order?","message_type":"incoming"}'`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error { return runPlatform(ctx, c, e, args) }
	register(c)
	takesNoArgs["platform"] = true
}

func runPlatform(ctx context.Context, c *command, e *env, args []string) error {
	fs := newFlagSet(c, e)
	addr := fs.String("api-addr", "127.0.0.1:3000", "`address` the API listens on (port 0: any free port)")
	account := fs.String("account-webhook", "", "account webhook `URL` (every event of the account)")
	accountSecret := fs.String("account-secret", "", "the account webhook's signing `secret`")
	inbox := fs.String("api-inbox-webhook", "", "the API inbox's webhook_url (`URL`)")
	inboxSecret := fs.String("api-inbox-secret", "", "the API inbox's signing `secret`")
	bot := fs.String("agent-bot", "", "the agent bot's outgoing_url (`URL`), connected to the API inbox; builtin[:VARIANT] runs a reference bot")
	botSecret := fs.String("agent-bot-secret", "", "the agent bot's signing `secret`")
	userToken := fs.String("user-token", "", "the administrator's api_access_token (default: a random one, printed)")
	botToken := fs.String("bot-token", "", "the agent bot's access token (default: a random one, printed)")
	seed := fs.Int64("seed", 0, "`seed` of the generated account; 0 draws one (printed)")
	version := fs.String("version", "latest", "Chatwoot `version` whose delivery is imitated (headers, signing, retries)")
	asJSON := fs.Bool("json", false, "print the transcript as JSON lines")
	maxEvents := fs.Int("max-events", mockplatform.DefaultMaxEvents, "events delivered before a loop is reported and delivery stops")
	exitAfter := fs.Duration("exit-after", 0, "stop after this `duration` (0: run until interrupted)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("unexpected argument %q (flags only)", pos[0])
	}
	if err := checkHostPort("--api-addr", *addr); err != nil {
		return err
	}
	var receivers []suites.LoopReceiver
	botVariant, builtinBot := isBuiltinBot(strings.Replace(*bot, "builtin", "builtin-bot", 1))
	if !strings.HasPrefix(*bot, "builtin") {
		builtinBot = false
	}
	if builtinBot {
		*bot = "" // started below, once the API's URL is known
	}
	for _, r := range []struct{ flag, kind, url, secret string }{
		{"--account-webhook", mockplatform.ReceiverAccount, *account, *accountSecret},
		{"--api-inbox-webhook", mockplatform.ReceiverAPIInbox, *inbox, *inboxSecret},
		{"--agent-bot", mockplatform.ReceiverAgentBot, *bot, *botSecret},
	} {
		if r.url == "" {
			continue
		}
		u, err := url.Parse(r.url)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageErrorf("%s %q is not an http(s) URL", r.flag, r.url)
		}
		receivers = append(receivers, suites.LoopReceiver{Kind: r.kind, URL: r.url, Secret: r.secret})
	}
	if *maxEvents < 1 {
		return usageErrorf("--max-events %d: want at least 1", *maxEvents)
	}
	if *userToken != "" && *userToken == *botToken {
		return usageErrorf("--user-token and --bot-token must differ")
	}
	l, err := suites.NewLoop(suites.LoopConfig{Seed: *seed, Version: *version, APIAddr: *addr, Receivers: receivers,
		UserToken: *userToken, BotToken: *botToken, MaxEvents: *maxEvents})
	if err != nil {
		if strings.Contains(err.Error(), "listen") || strings.Contains(err.Error(), "bind") {
			return unreachableErrorf("cannot serve the API on %s: %v", *addr, err)
		}
		return usageErrorf("%v", err)
	}
	defer l.Close()
	if builtinBot {
		b, err := receivertest.NewBot(receivertest.BotConfig{Variant: botVariant, BaseURL: l.API.URL, Token: l.BotToken(), Secret: *botSecret})
		if err != nil {
			return usageErrorf("--agent-bot builtin:%s: %v", botVariant, err)
		}
		defer b.Close()
		r := suites.LoopReceiver{Kind: mockplatform.ReceiverAgentBot, URL: b.URL + "/", Secret: *botSecret}
		if err := l.AddReceiver(r); err != nil {
			return usageErrorf("%v", err)
		}
		receivers = append(receivers, r)
		fmt.Fprintf(e.stderr, "builtin agent bot: %s at %s\n", botVariant, r.URL)
	}
	printReady(e, l, receivers, *asJSON, *userToken != "", *botToken != "")
	if *exitAfter > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *exitAfter)
		defer cancel()
	}
	go playContact(e.stdin, l)
	return streamTranscript(ctx, e.stdout, l.API, *asJSON)
}

// playContact turns each line of r into the contact's incoming message in
// the first pending conversation, as if written in the API channel.
func playContact(r io.Reader, l *suites.Loop) {
	if r == nil {
		return
	}
	convs := l.Conversations()
	if len(convs) == 0 {
		return
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		_, _ = l.API.CreateMessage(convs[0], mockplatform.MessageInput{Content: &line, MessageType: mockplatform.MessageIncoming})
	}
}

func checkHostPort(flagName, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("%s %q: want HOST:PORT, e.g. 127.0.0.1:3000", flagName, addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return usageErrorf("%s %q: port %q is not a number from 0 to 65535", flagName, addr, port)
	}
	return nil
}

// readyInfo is what a user needs to drive the mock.
type readyInfo struct {
	Kind          string   `json:"kind"` // "ready"
	API           string   `json:"api"`
	AccountID     int      `json:"account_id"`
	APIInboxID    int      `json:"api_inbox_id"`
	Conversations []int    `json:"conversations"`
	UserToken     string   `json:"user_token"`
	BotToken      string   `json:"bot_token"`
	Seed          int64    `json:"seed"`
	Receivers     []string `json:"receivers"`
}

func printReady(e *env, l *suites.Loop, receivers []suites.LoopReceiver, asJSON, userGiven, botGiven bool) {
	info := readyInfo{Kind: "ready", API: l.API.URL, AccountID: l.AccountID(), APIInboxID: l.APIInboxID(),
		Conversations: l.Conversations(), UserToken: l.UserToken(), BotToken: l.BotToken(), Seed: l.Seed(), Receivers: []string{}}
	// Tokens the user chose are theirs: not echoed whole.
	if userGiven {
		info.UserToken = redact(info.UserToken)
	}
	if botGiven {
		info.BotToken = redact(info.BotToken)
	}
	for _, r := range receivers {
		info.Receivers = append(info.Receivers, r.Kind+" "+mockplatform.RedactURL(r.URL))
	}
	if asJSON {
		b, _ := json.Marshal(info)
		fmt.Fprintf(e.stdout, "%s\n", b)
		return
	}
	w := e.stderr
	fmt.Fprintf(w, "mock Chatwoot 4.16 API at %s (seed %d)\n", info.API, info.Seed)
	fmt.Fprintf(w, "account %d, API inbox %d (agent bot connected), pending conversations %v\n", info.AccountID, info.APIInboxID, info.Conversations)
	fmt.Fprintf(w, "tokens: administrator %s, agent bot %s\n", info.UserToken, info.BotToken)
	if len(receivers) == 0 {
		fmt.Fprintln(w, "no receiver given (--agent-bot, --account-webhook, --api-inbox-webhook): events are listed, not delivered")
	}
	for _, r := range info.Receivers {
		fmt.Fprintf(w, "delivers to %s\n", r)
	}
	if len(info.Conversations) > 0 {
		fmt.Fprintf(w, "type a line to write it as the contact in conversation %d, or call the API:\n", info.Conversations[0])
		tok := info.UserToken
		if userGiven {
			tok = "YOUR_USER_TOKEN"
		}
		fmt.Fprintf(w, "  curl -s -X POST %s/api/v1/accounts/%d/conversations/%d/messages -H 'api_access_token: %s' "+
			"-H 'Content-Type: application/json' -d '{\"content\":\"Hi, where is my order?\",\"message_type\":\"incoming\"}'\n",
			info.API, info.AccountID, info.Conversations[0], tok)
	}
}

// streamTranscript prints new transcript entries until ctx ends.
func streamTranscript(ctx context.Context, w io.Writer, api *mockplatform.APIServer, asJSON bool) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	printed := 0
	flush := func() {
		entries := api.Transcript()
		if len(entries) < printed { // reset meanwhile
			printed = 0
		}
		for _, en := range entries[printed:] {
			if asJSON {
				b, err := json.Marshal(en)
				if err == nil {
					fmt.Fprintf(w, "%s\n", b)
				}
				continue
			}
			fmt.Fprintf(w, "%s %s\n", en.Time.UTC().Format("15:04:05.000"), suites.TranscriptLine(en))
		}
		printed = len(entries)
	}
	for {
		select {
		case <-ctx.Done():
			flush()
			return nil
		case <-tick.C:
			flush()
		}
	}
}
