package receivertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// Bot variants: reference agent bots that answer through Chatwoot's
// Application API. BotCorrect is the bot without defects; every other one
// has exactly one defect real bots have.
const (
	BotCorrect         = "correct"
	BotSelfLoop        = "self-loop"         // answers every non-private message_created, its own replies included
	BotUpdatedAsNew    = "updated-as-new"    // answers message_updated as a new customer message
	BotNoDedupe        = "no-dedupe"         // processes a repeated delivery again
	BotAnswersTemplate = "answers-templates" // answers template messages as if the customer wrote them
	BotRetryStorm      = "retry-storm"       // retries a failed API call without limit or pause
)

// BotVariant describes one reference bot.
type BotVariant struct {
	Name        string
	Description string
	Breaks      string // the bot.* requirements it fails, comma-separated; "" for correct
}

var botVariants = []BotVariant{
	{BotAnswersTemplate, "treats template messages (message_type \"template\") as customer messages and answers them", "bot.template-messages"},
	{BotCorrect, "acks at once, then answers each incoming, public message_created once (deduplicating deliveries and message ids); on an API error it gives up, retrying 429 and 5xx once", ""},
	{BotNoDedupe, "answers every delivery of an incoming message, a repeated delivery too", "bot.duplicate-delivery"},
	{BotRetryStorm, "retries a refused reply without pause until it succeeds (up to 50 times)", "bot.api-errors.401, bot.api-errors.404, bot.api-errors.422, bot.api-errors.429, bot.api-errors.500"},
	{BotSelfLoop, "answers every public message_created, whatever its message_type: its own replies and agents' messages too, so one customer message starts a loop (stopped by Chatwoot's 200 messages a minute)",
		"bot.reply, bot.own-messages, bot.agent-messages, bot.template-messages, bot.duplicate-delivery"},
	{BotUpdatedAsNew, "answers message_updated of an incoming message as if it were new", "bot.message-updated"},
}

// BotVariants returns every bot variant, sorted by name, correct included.
func BotVariants() []BotVariant { return slices.Clone(botVariants) }

// BotConfig describes a reference bot.
type BotConfig struct {
	// Variant is "" or BotCorrect, or one of BotVariants.
	Variant string
	// BaseURL is the Chatwoot base URL (the mock API's URL). Required.
	BaseURL string
	// Token is the bot's api_access_token. Required.
	Token string
	// Secret, when set, is the bot's webhook secret: deliveries without a
	// valid signature are refused 401.
	Secret string
	// Reply is the text the bot answers with. Default "Thanks! A human will
	// be with you shortly."
	Reply string
	// RetryWait is the pause before the one retry of a 429 or 5xx. Default
	// 200ms.
	RetryWait time.Duration
}

// Bot is a running reference bot.
type Bot struct {
	*httptest.Server
	b *bot
}

// Wait blocks until the bot has finished the turns it started.
func (b *Bot) Wait() { b.b.wg.Wait() }

// Close stops the server and waits for turns under way.
func (b *Bot) Close() {
	b.Server.Close()
	b.b.cancel()
	b.b.wg.Wait()
}

// NewBot starts a reference bot on a loopback port. Its URL is the agent
// bot's outgoing_url.
func NewBot(cfg BotConfig) (*Bot, error) {
	if cfg.Variant == "" {
		cfg.Variant = BotCorrect
	}
	if !slices.ContainsFunc(botVariants, func(v BotVariant) bool { return v.Name == cfg.Variant }) {
		var names []string
		for _, v := range botVariants {
			names = append(names, v.Name)
		}
		return nil, fmt.Errorf("%w: unknown bot variant %q (valid: %s)", ErrInvalidConfig, cfg.Variant, strings.Join(names, ", "))
	}
	if cfg.BaseURL == "" || cfg.Token == "" {
		return nil, fmt.Errorf("%w: a bot needs BaseURL and Token", ErrInvalidConfig)
	}
	if cfg.Reply == "" {
		cfg.Reply = "Thanks! A human will be with you shortly."
	}
	if cfg.RetryWait <= 0 {
		cfg.RetryWait = 200 * time.Millisecond
	}
	b := &bot{cfg: cfg, deliveries: newSeenSet(4096), messages: newSeenSet(4096),
		client: &http.Client{Timeout: 5 * time.Second}}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	srv := httptest.NewUnstartedServer(b)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	return &Bot{Server: srv, b: b}, nil
}

type bot struct {
	cfg        BotConfig
	deliveries *seenSet
	messages   *seenSet
	client     *http.Client
	ctx        context.Context
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	mu         sync.Mutex // serializes dedupe check-and-add
}

func (b *bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if b.cfg.Secret != "" {
		if err := mockplatform.Verify(b.cfg.Secret, r.Header.Get("X-Chatwoot-Signature"), r.Header.Get("X-Chatwoot-Timestamp"), body, time.Now(), DefaultTolerance); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
	}
	var p struct {
		Event       string `json:"event"`
		ID          int    `json:"id"`
		MessageType string `json:"message_type"`
		Private     bool   `json:"private"`
		Account     struct {
			ID int `json:"id"`
		} `json:"account"`
		Conversation struct {
			ID int `json:"id"`
		} `json:"conversation"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, "not JSON", http.StatusBadRequest)
		return
	}
	// Acknowledge first: the turn runs after the answer, so a slow API
	// call never makes Chatwoot time out and retry.
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))

	v := b.cfg.Variant
	answer := false
	switch p.Event {
	case "message_created":
		switch {
		case p.Private:
		case v == BotSelfLoop:
			answer = true
		case p.MessageType == "incoming":
			answer = true
		case p.MessageType == "template" && v == BotAnswersTemplate:
			answer = true
		}
	case "message_updated":
		answer = v == BotUpdatedAsNew && p.MessageType == "incoming" && !p.Private
	}
	if !answer || p.Account.ID == 0 || p.Conversation.ID == 0 {
		return
	}
	if v != BotNoDedupe {
		b.mu.Lock()
		id := r.Header.Get("X-Chatwoot-Delivery")
		dup := (id != "" && b.deliveries.has(id)) || (p.Event == "message_created" && b.messages.has(fmt.Sprint(p.ID)))
		if id != "" {
			b.deliveries.add(id)
		}
		if p.Event == "message_created" {
			b.messages.add(fmt.Sprint(p.ID))
		}
		b.mu.Unlock()
		if dup {
			return
		}
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.reply(p.Account.ID, p.Conversation.ID)
	}()
}

// reply posts the answer; the correct bot retries 429 and 5xx once after
// RetryWait and gives up on other refusals.
func (b *bot) reply(account, conversation int) {
	url := fmt.Sprintf("%s/api/v1/accounts/%d/conversations/%d/messages", strings.TrimSuffix(b.cfg.BaseURL, "/"), account, conversation)
	body, _ := json.Marshal(map[string]any{"content": b.cfg.Reply, "message_type": "outgoing", "private": false})
	attempts := 2
	if b.cfg.Variant == BotRetryStorm {
		attempts = 50
	}
	for i := 0; i < attempts; i++ {
		req, err := http.NewRequestWithContext(b.ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("api_access_token", b.cfg.Token)
		resp, err := b.client.Do(req)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		switch {
		case resp.StatusCode < 300:
			return
		case b.cfg.Variant == BotRetryStorm:
			continue
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			if !sleep(b.ctx, b.cfg.RetryWait) {
				return
			}
		default:
			return
		}
	}
}
