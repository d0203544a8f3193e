package suites

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
)

// bot: requirements on what a receiver does through Chatwoot's Application
// API, not only on what it answers. The mock API (suites/loop.go) is the
// run's world; each requirement resets it, makes something happen in a
// conversation the receiver is sent (a contact writes, an agent answers,
// the bot's own reply comes back, ...), waits until the receiver has been
// silent for Config.APISettle and reads what it called.
//
// Facts they rest on (Chatwoot 4.16.2): agent bots are sent message_created
// for every webhook_sendable? message of their conversations (incoming,
// outgoing and template; their own replies included) and message_updated
// likewise (agent_bot_listener.rb, message_filter_helpers.rb); private notes
// are outgoing messages with private true; agent-bot deliveries that fail
// with 429/500 are retried with the same X-Chatwoot-Delivery
// (AgentBots::WebhookJob); a conversation gets at most 200 messages a minute
// (prevent_message_flooding), so a bot answering itself is stopped only
// there, after flooding the customer.

// Bot turn limits.
const (
	botMaxEvents = 300 // events per requirement before the loop is cut
	botStorm     = 5   // API calls for one refused reply beyond which it is a storm
	botMaxWait   = 20 * time.Second
	// botErrorQuiet is the silence that ends a turn whose calls are refused:
	// long enough for a retry after a pause of a second or so.
	botErrorQuiet = 1500 * time.Millisecond
)

func hasCalls(calls []mockplatform.APICall) bool { return len(calls) > 0 }

var _ = describe(LabelBot, 90, func(sc *specContext) {
	if sc.cfg.API == "" || sc.cfg.Platform == "swiftsell" || sc.cfg.Platform == "replycx" {
		return
	}
	ginkgo.Describe("closed loop", ginkgo.Ordered, ginkgo.ContinueOnFailure, func() {
		ginkgo.BeforeAll(func() { sc.startLoop() })
		ginkgo.AfterAll(func() {
			if sc.loop != nil {
				sc.loop.Close()
				sc.loop = nil
			}
		})

		sc.it("bot.reply", "an incoming contact message gets exactly one reply, in its own account and conversation", func(ctx ginkgo.SpecContext) {
			t := sc.botTurn(ctx, "a contact writes in a conversation the receiver is sent", func(l *Loop, conv int) error {
				_, err := l.API.CreateMessage(conv, mockplatform.MessageInput{Content: ptrTo("Hi, where is my order?"), MessageType: mockplatform.MessageIncoming})
				return err
			})
			replies := t.replies()
			switch {
			case len(replies) == 0 && sc.probeReplies == 0 && hasCalls(t.calls):
				ginkgo.Skip("the receiver calls the API but never creates a message (a hand-off or labelling bot?): the reply requirement applies to bots that reply")
			case len(replies) == 0:
				sc.botFail(t, "no successful reply in this conversation",
					"answer an incoming message by POST /api/v1/accounts/{account.id}/conversations/{conversation.id}/messages with the ids of the payload and the api_access_token header")
			case len(replies) > 1:
				sc.botFail(t, fmt.Sprintf("an incoming message must get exactly one reply; got %d (if [bot.own-messages] fails too, the bot answers its own replies)", len(replies)),
					"answer each incoming message once; never answer outgoing messages")
			}
		})
		sc.noReply("bot.own-messages", "no reply to the bot's own messages (Chatwoot sends them back to it)",
			"the receiver's own reply is delivered back as message_created (outgoing)",
			func(l *Loop, conv int) mockplatform.MessageInput {
				in := mockplatform.MessageInput{Content: ptrTo("Thanks! A human will be with you shortly."), MessageType: mockplatform.MessageOutgoing}
				in.SenderType, in.SenderID = sc.ownSender(l)
				return in
			}, "answer only message_type \"incoming\" (and not private): Chatwoot sends an agent bot every message of its conversations, its own replies included, so answering them loops")
		sc.noReply("bot.agent-messages", "no reply to an agent's outgoing message",
			"an agent answers the customer",
			func(l *Loop, conv int) mockplatform.MessageInput {
				return mockplatform.MessageInput{Content: ptrTo("Hello, this is Sam from support."), MessageType: mockplatform.MessageOutgoing,
					SenderType: mockplatform.SenderUser, SenderID: sc.otherAgent(l)}
			}, "answer only message_type \"incoming\": agents' messages are outgoing")
		sc.noReply("bot.private-notes", "no reply to a private note",
			"an agent adds a private note",
			func(l *Loop, conv int) mockplatform.MessageInput {
				return mockplatform.MessageInput{Content: ptrTo("internal: customer is VIP"), MessageType: mockplatform.MessageOutgoing, Private: true,
					SenderType: mockplatform.SenderUser, SenderID: sc.otherAgent(l)}
			}, "ignore messages with \"private\": true: the customer never sees them")
		sc.noReply("bot.template-messages", "no reply to a template message",
			"the platform sends a template message (greeting, CSAT)",
			func(l *Loop, conv int) mockplatform.MessageInput {
				return mockplatform.MessageInput{Content: ptrTo("We usually reply in a few minutes."), MessageType: mockplatform.MessageTemplate}
			}, "answer only message_type \"incoming\": template messages (greetings, out-of-office, CSAT) come from the platform")

		sc.it("bot.message-updated", "no reply to message_updated of a message already answered", func(ctx ginkgo.SpecContext) {
			var first *mockplatform.APIMessage
			t := sc.botTurn(ctx, "a contact writes, then the message is updated (message_updated)", func(l *Loop, conv int) error {
				m, err := l.API.CreateMessage(conv, mockplatform.MessageInput{Content: ptrTo("Can I change my address?"), MessageType: mockplatform.MessageIncoming})
				first = &m
				return err
			})
			before := len(t.replies())
			t2 := sc.botContinue(ctx, t, func(l *Loop) error { return l.API.UpdateMessageStatus(first.ID, "read") })
			if after := len(t2.replies()); after > before {
				sc.botFail(t2, fmt.Sprintf("message_updated of message %d got %d more replies", first.ID, after-before),
					"treat message_updated as a change to a message you have seen, never as a new customer message (answer message_created only)")
			}
		})

		sc.it("bot.duplicate-delivery", "one reply when the same delivery arrives twice", func(ctx ginkgo.SpecContext) {
			t := sc.botTurn(ctx, "a contact writes; its message_created is delivered twice with the same X-Chatwoot-Delivery, as a retry sends it", func(l *Loop, conv int) error {
				l.RepeatNext("message_created")
				_, err := l.API.CreateMessage(conv, mockplatform.MessageInput{Content: ptrTo("Is anyone there?"), MessageType: mockplatform.MessageIncoming})
				return err
			})
			if n := len(t.replies()); n > max(1, sc.probeReplies) {
				sc.botFail(t, fmt.Sprintf("one message delivered twice got %d replies", n),
					"deduplicate by X-Chatwoot-Delivery (retries reuse it) or by the message id before acting")
			}
		})

		for _, status := range []int{401, 404, 422, 429, 500} {
			status := status
			sc.it(fmt.Sprintf("bot.api-errors.%d", status), fmt.Sprintf("an API answer %d is handled without a storm of calls", status), func(ctx ginkgo.SpecContext) {
				t := sc.botTurnQuiet(ctx, max(sc.run.APISettle, botErrorQuiet), fmt.Sprintf("a contact writes; every API call is answered %d (%s)", status, faultText(status)), func(l *Loop, conv int) error {
					l.API.FailNext(status, 1<<30)
					_, err := l.API.CreateMessage(conv, mockplatform.MessageInput{Content: ptrTo("Hello?"), MessageType: mockplatform.MessageIncoming})
					return err
				})
				if n := len(t.calls); n > botStorm {
					sc.botFail(t, fmt.Sprintf("one incoming message led to %d API calls while the API answered %d; at most %d are reasonable", n, status, botStorm),
						"give up on 401, 404 and 422 (retrying cannot help); retry 429 and 5xx a few times with a growing pause, then give up")
				}
			})
		}
	})
})

func faultText(status int) string {
	switch status {
	case 401:
		return `{"error":"Invalid Access Token"}`
	case 404:
		return `{"error":"Resource could not be found"}`
	case 422:
		return `{"error":"Validation failed: Too many messages"}`
	case 429:
		return "Rack::Attack's text/plain \"Retry later\""
	}
	return `{"status":500,"error":"Internal Server Error"}`
}

func ptrTo(s string) *string { return &s }

// startLoop starts the mock API on Config.API, the receiver being the one
// delivery target.
func (sc *specContext) startLoop() {
	ginkgo.GinkgoHelper()
	sc.setup()
	lc := LoopConfig{Seed: sc.seed, Version: sc.run.Version, APIAddr: sc.run.API,
		Receivers: []LoopReceiver{{Kind: sc.run.Receiver, URL: sc.run.Target, Secret: sc.run.Secret}},
		Timeout:   sc.run.Timeout, RetryWait: 50 * time.Millisecond, MaxEvents: botMaxEvents}
	// The loop's conversations are in the API inbox, the bot connected to
	// it: --account-id and --inbox-id name that account and inbox.
	lc.Generator = []generator.Option{generator.WithReceiver(generator.ReceiverAPIInbox)}
	if sc.run.AccountID > 0 {
		lc.Generator = append(lc.Generator, generator.WithAccountID(sc.run.AccountID))
	}
	if sc.run.InboxID > 0 {
		lc.Generator = append(lc.Generator, generator.WithInboxID(sc.run.InboxID))
	}
	if sc.run.Receiver == mockplatform.ReceiverAgentBot {
		lc.BotToken = sc.run.APIToken
	} else {
		lc.UserToken = sc.run.APIToken
	}
	l, err := NewLoop(lc)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("harness: cannot start the mock Chatwoot API on %s: %v", sc.run.API, err))
	}
	sc.loop = l
}

// ownSender is the principal of the receiver's token.
func (sc *specContext) ownSender(l *Loop) (string, int) {
	w := l.API.World()
	if sc.run.Receiver == mockplatform.ReceiverAgentBot {
		for _, b := range w.Bots {
			if b.Token != "" {
				return mockplatform.SenderAgentBot, b.ID
			}
		}
	}
	for _, a := range w.Agents {
		if a.Token != "" {
			return mockplatform.SenderUser, a.ID
		}
	}
	return mockplatform.SenderUser, 0
}

// otherAgent is an agent whose token the receiver does not hold.
func (sc *specContext) otherAgent(l *Loop) int {
	w := l.API.World()
	for _, a := range w.Agents {
		if a.Token == "" {
			return a.ID
		}
	}
	return w.Agents[0].ID
}

// turn is what happened in one requirement.
type turn struct {
	what       string
	conv       int
	account    int
	calls      []mockplatform.APICall // the receiver's calls
	transcript []mockplatform.TranscriptEntry
	looped     bool
}

// replies are the successful message creations in the right conversation,
// outgoing and public.
func (t *turn) replies() []mockplatform.APICall {
	var out []mockplatform.APICall
	want := fmt.Sprintf("/api/v1/accounts/%d/conversations/%d/messages", t.account, t.conv)
	for _, c := range t.calls {
		if c.Endpoint == "conversations/messages#create" && c.Status == 200 && strings.TrimSuffix(strings.TrimSuffix(c.Path, "/"), ".json") == want &&
			!strings.Contains(c.Response, `"private":true`) && strings.Contains(c.Response, `"message_type":1`) {
			out = append(out, c)
		}
	}
	return out
}

// botTurn resets the world, runs act on the receiver's conversation, waits
// for the receiver to settle and returns what it did. It skips the
// requirement when the receiver never calls the API.
func (sc *specContext) botTurn(ctx context.Context, what string, act func(l *Loop, conv int) error) *turn {
	ginkgo.GinkgoHelper()
	return sc.botTurnQuiet(ctx, sc.run.APISettle, what, act)
}

// botTurnQuiet is botTurn waiting for quiet of silence (retries with a
// pause need more than the usual settle time).
func (sc *specContext) botTurnQuiet(ctx context.Context, quiet time.Duration, what string, act func(l *Loop, conv int) error) *turn {
	ginkgo.GinkgoHelper()
	sc.probeBot(ctx)
	l := sc.loop
	if err := l.Reset(); err != nil {
		ginkgo.Fail("harness: resetting the mock API: " + err.Error())
	}
	conv := l.Conversations()[0]
	if err := act(l, conv); err != nil {
		ginkgo.Fail("harness: " + err.Error())
	}
	return sc.settle(ctx, quiet, &turn{what: what, conv: conv, account: l.AccountID()})
}

// botContinue runs a second act in the same world.
func (sc *specContext) botContinue(ctx context.Context, t *turn, act func(l *Loop) error) *turn {
	ginkgo.GinkgoHelper()
	if err := act(sc.loop); err != nil {
		ginkgo.Fail("harness: " + err.Error())
	}
	return sc.settle(ctx, sc.run.APISettle, &turn{what: t.what, conv: t.conv, account: t.account})
}

func (sc *specContext) settle(ctx context.Context, quiet time.Duration, t *turn) *turn {
	ginkgo.GinkgoHelper()
	wctx, cancel := context.WithTimeout(ctx, botMaxWait)
	defer cancel()
	l := sc.loop
	if err := l.API.WaitIdle(wctx, quiet); err != nil && ctx.Err() == nil {
		// Still busy after botMaxWait: a loop or a storm; report it.
		t.looped = true
	}
	t.calls = l.API.Calls()
	t.transcript = l.API.Transcript()
	t.looped = t.looped || l.API.Looped()
	return t
}

// probeBot finds out, once, whether the receiver calls the API at all:
// a contact writes and the receiver is given time to answer. A receiver
// that never calls is not a bot, and the bot requirements skip.
func (sc *specContext) probeBot(ctx context.Context) {
	ginkgo.GinkgoHelper()
	if sc.loop == nil {
		ginkgo.Fail("harness: the mock API did not start")
	}
	if !sc.probed {
		sc.probed = true
		l := sc.loop
		if err := l.Reset(); err != nil {
			ginkgo.Fail("harness: " + err.Error())
		}
		conv := l.Conversations()[0]
		if _, err := l.API.CreateMessage(conv, mockplatform.MessageInput{Content: ptrTo("Hello"), MessageType: mockplatform.MessageIncoming}); err != nil {
			ginkgo.Fail("harness: " + err.Error())
		}
		t := sc.settle(ctx, sc.run.APISettle, &turn{conv: conv, account: l.AccountID()})
		sc.apiSilent = len(t.calls) == 0
		// A bot may answer a turn with a few messages (text, then
		// buttons); more than 3 is no baseline but a loop.
		if sc.probeReplies = len(t.replies()); sc.probeReplies > 3 || t.looped {
			sc.probeReplies = 1
		}
		sc.probeLog = t.transcript
	}
	if sc.apiSilent {
		ginkgo.Skip(fmt.Sprintf("the receiver made no call to the mock Chatwoot API at http://%s after an incoming message "+
			"(bot requirements apply to receivers that act through the API; configure it with http://%s as its Chatwoot URL and the API token given)",
			sc.run.API, sc.run.API))
	}
}

// noReply registers a requirement: after act's message, the receiver
// creates no message.
func (sc *specContext) noReply(id, text, what string, msg func(l *Loop, conv int) mockplatform.MessageInput, fix string) {
	sc.it(id, text, func(ctx ginkgo.SpecContext) {
		t := sc.botTurn(ctx, what, func(l *Loop, conv int) error {
			_, err := l.API.CreateMessage(conv, msg(l, conv))
			return err
		})
		// Public messages only: a bot may answer an agent's note with a
		// note of its own; the customer sees neither.
		var created []mockplatform.APICall
		for _, c := range t.calls {
			if c.Endpoint == "conversations/messages#create" && c.Status == 200 && !strings.Contains(c.Response, `"private":true`) {
				created = append(created, c)
			}
		}
		if len(created) > 0 || t.looped {
			sc.botFail(t, fmt.Sprintf("the receiver created %d public message(s) in reply", len(created)), fix)
		}
	})
}

// botFail fails the requirement with the transcript.
func (sc *specContext) botFail(t *turn, got, fix string) {
	ginkgo.GinkgoHelper()
	var b strings.Builder
	fmt.Fprintf(&b, "requirement [%s]\n", sc.current)
	fmt.Fprintf(&b, "did:       %s (account %d, conversation %d, seed %d)\n", t.what, t.account, t.conv, sc.seed)
	fmt.Fprintf(&b, "got:       %s\n", got)
	if t.looped {
		fmt.Fprintf(&b, "loop:      the receiver was still busy after %s or the mock stopped after %d events: it answers what it should not\n", botMaxWait, botMaxEvents)
	}
	fmt.Fprintf(&b, "fix:       %s\n", fix)
	b.WriteString("transcript (deliveries and API calls, in order):\n")
	b.WriteString(FormatTranscript(t.transcript, 40))
	ginkgo.Fail(b.String())
}
