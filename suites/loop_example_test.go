package suites_test

import (
	"context"
	"fmt"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
	"github.com/chathook/chathook/suites"
)

// The closed loop from Go: a mock Chatwoot (API and webhooks) over a
// generated account, and an agent bot (here chathook's reference bot) that
// answers through the API. A contact writes; the bot is sent the webhook
// and replies; its reply comes back to it as Chatwoot sends it.
func ExampleNewLoop() {
	l, err := suites.NewLoop(suites.LoopConfig{Seed: 7, BotToken: "bot-token"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	bot, err := receivertest.NewBot(receivertest.BotConfig{BaseURL: l.API.URL, Token: "bot-token"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer bot.Close()
	if err := l.AddReceiver(suites.LoopReceiver{Kind: mockplatform.ReceiverAgentBot, URL: bot.URL}); err != nil {
		fmt.Println(err)
		return
	}

	conv := l.Conversations()[0]
	hello := "Hi, where is my order?"
	if _, err := l.API.CreateMessage(conv, mockplatform.MessageInput{Content: &hello, MessageType: mockplatform.MessageIncoming}); err != nil {
		fmt.Println(err)
		return
	}
	_ = l.API.WaitIdle(context.Background(), 200*time.Millisecond)
	for _, m := range l.API.Messages(conv) {
		fmt.Printf("%s (%s): %s\n", m.MessageType, m.SenderType, *m.Content)
	}
	// Output:
	// incoming (Contact): Hi, where is my order?
	// outgoing (AgentBot): Thanks! A human will be with you shortly.
}
