package mockplatform

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/chathook/chathook/releases"
)

// APIEvent is something the platform does in reaction to a call: Chatwoot's
// dispatcher event, with a snapshot of what it is about. Name is the
// webhook event name (message_created, message_updated,
// conversation_status_changed, conversation_opened, conversation_resolved,
// conversation_updated, contact_updated).
type APIEvent struct {
	Seq          int // 1, 2, ... in emission order
	Name         string
	Time         time.Time
	Account      APIAccount
	Inbox        APIInbox
	Conversation APIConversation // the conversation after the change
	Contact      APIContact      // the conversation's contact, or the updated contact
	Message      *APIMessage     // message events only
	Changes      []APIChange     // changed_attributes, in Chatwoot's column order; nil: none
	Cause        int             // Seq of the APICall that caused it; 0: an Inject call
}

// APIChange is one changed attribute. Times are time.Time (zero: null);
// absent values are nil.
type APIChange struct {
	Attr     string
	Previous any
	Current  any
}

// EventSink renders and delivers APIEvents to the receivers. Implementations
// render with the payload encoder of their choice (chathook's suites and
// CLI use the generator's, so Chatwoot's JSON is written once) and say, for
// each receiver, what happened.
type EventSink interface {
	// Deliver delivers ev to every receiver that gets it (see
	// ReceiverGets) and reports one EventDelivery per receiver. ctx ends
	// when the server closes.
	Deliver(ctx context.Context, ev APIEvent) []EventDelivery
}

// EventSinkFunc adapts a function to an EventSink, as http.HandlerFunc does.
type EventSinkFunc func(ctx context.Context, ev APIEvent) []EventDelivery

// Deliver calls f.
func (f EventSinkFunc) Deliver(ctx context.Context, ev APIEvent) []EventDelivery { return f(ctx, ev) }

// EventDelivery is the outcome of delivering one event to one receiver.
type EventDelivery struct {
	Receiver   string // ReceiverAccount, ReceiverAPIInbox or ReceiverAgentBot
	URL        string // redacted for display
	Event      string
	DeliveryID string
	Status     int    // final HTTP status; 0 when there was none
	Error      string // transport error, "" when the receiver answered
	Attempts   int
	Duration   time.Duration
	Body       []byte // what was sent (the caller decides whether to keep it)
}

// Failed reports a delivery Chatwoot counts as failed: no answer, or an
// answer outside 2xx (SafeFetch raises on non-success statuses).
func (d EventDelivery) Failed() bool { return d.Error != "" || d.Status < 200 || d.Status > 299 }

// APIRelease is the Chatwoot release whose Application API the APIServer
// imitates (its controllers, views and listeners).
const APIRelease = "4.16.2"

// ReceiverGets reports whether a receiver of kind (ReceiverAccount,
// ReceiverAPIInbox, ReceiverAgentBot) is sent the event named name by the
// imitated release, as the releases data says (webhook_listener.rb,
// agent_bot_listener.rb): agent bots get their conversations' message and
// status events, opened and resolved included; account and API-inbox
// webhooks get message_created/updated, conversation_status_changed and
// conversation_updated; contact events reach account webhooks only. An
// account webhook is taken to subscribe to every event.
func ReceiverGets(kind, name string) bool {
	r, err := releases.Lookup(APIRelease)
	if err != nil {
		r = releases.Latest()
	}
	return r.Sends(releases.Kind(kind), name)
}

// TranscriptEntry is one line of the transcript: an API call, an event, a
// delivery or a note (a dropped event, a bot hand-off).
type TranscriptEntry struct {
	Kind     string         `json:"kind"` // "call", "event", "delivery", "note"
	Time     time.Time      `json:"time"`
	Call     *APICall       `json:"call,omitempty"`
	Event    *EventSummary  `json:"event,omitempty"`
	Delivery *EventDelivery `json:"delivery,omitempty"`
	Note     string         `json:"note,omitempty"`
}

// EventSummary is the transcript's view of an APIEvent.
type EventSummary struct {
	Seq          int    `json:"seq"`
	Name         string `json:"name"`
	Conversation int    `json:"conversation"`
	Message      int    `json:"message,omitempty"`
	MessageType  string `json:"message_type,omitempty"`
	Private      bool   `json:"private,omitempty"`
	Sender       string `json:"sender,omitempty"` // "Contact 3", "AgentBot 1"
	Content      string `json:"content,omitempty"`
	Cause        int    `json:"cause,omitempty"`
}

func (e APIEvent) summary() *EventSummary {
	s := &EventSummary{Seq: e.Seq, Name: e.Name, Conversation: e.Conversation.DisplayID, Cause: e.Cause}
	if m := e.Message; m != nil {
		s.Message, s.MessageType, s.Private = m.ID, m.MessageType, m.Private
		if m.SenderType != "" {
			s.Sender = fmt.Sprintf("%s %d", m.SenderType, m.SenderID)
		}
		if m.Content != nil {
			s.Content = clipRunes(*m.Content, 200)
		}
	}
	return s
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// emitLocked queues an event; s.mu must be held. Beyond MaxEvents the event
// is dropped and the loop reported.
func (s *APIServer) emitLocked(ev APIEvent) {
	if s.emitted >= s.cfg.MaxEvents {
		if !s.looped {
			s.looped = true
			s.noteLocked(fmt.Sprintf("loop: %d events emitted, the limit; %s and every later event dropped (a bot answering its own messages?)", s.emitted, ev.Name))
		}
		return
	}
	s.emitted++
	ev.Seq = s.emitted
	ev.Time = s.cfg.Now()
	ev.Account = s.w.Account
	if ib := s.inbox(ev.Conversation.InboxID); ib != nil {
		ev.Inbox = *ib
	}
	if ev.Contact.ID == 0 {
		if ct := s.contact(ev.Conversation.ContactID); ct != nil {
			ev.Contact = ct.clone()
		}
	}
	s.log = append(s.log, TranscriptEntry{Kind: "event", Time: ev.Time, Event: ev.summary()})
	s.queue = append(s.queue, ev)
	s.lastBusy = ev.Time
	s.poke()
}

func (s *APIServer) noteLocked(note string) {
	s.log = append(s.log, TranscriptEntry{Kind: "note", Time: s.cfg.Now(), Note: note})
}

func (s *APIServer) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// eventLoop delivers queued events one at a time until Close.
func (s *APIServer) eventLoop() {
	defer close(s.done)
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return
		}
		if len(s.queue) == 0 {
			s.mu.Unlock()
			select {
			case <-s.wake:
			case <-s.ctx.Done():
			}
			continue
		}
		ev := s.queue[0]
		s.queue = s.queue[1:]
		s.inflight++
		s.mu.Unlock()

		var out []EventDelivery
		if s.cfg.Events != nil {
			out = s.cfg.Events.Deliver(s.ctx, ev)
		}

		s.mu.Lock()
		for i := range out {
			d := out[i]
			s.log = append(s.log, TranscriptEntry{Kind: "delivery", Time: s.cfg.Now(), Delivery: &d})
		}
		if s.ctx.Err() == nil {
			s.afterDeliveryLocked(ev, out)
		}
		s.inflight--
		s.lastBusy = s.cfg.Now()
		s.mu.Unlock()
	}
}

// afterDeliveryLocked applies Chatwoot's reaction to a failed agent-bot
// delivery (Webhooks::Trigger#handle_error): for message_created and
// message_updated, a pending conversation is opened and an activity message
// says so, unless the account keeps pending conversations on bot failure.
func (s *APIServer) afterDeliveryLocked(ev APIEvent, out []EventDelivery) {
	if ev.Name != "message_created" && ev.Name != "message_updated" {
		return
	}
	failed := slices.ContainsFunc(out, func(d EventDelivery) bool { return d.Receiver == ReceiverAgentBot && d.Failed() })
	if !failed || s.cfg.KeepPendingOnBotFailure {
		return
	}
	c := s.conv(ev.Conversation.DisplayID)
	if c == nil || c.Status != StatusPending {
		return
	}
	s.noteLocked(fmt.Sprintf("hand-off: the agent bot failed %s of message %d; conversation %d moves from pending to open", ev.Name, ev.Message.ID, c.DisplayID))
	s.setStatusLocked(c, StatusOpen, time.Time{}, 0)
	content := "Conversation was marked open by system due to an error with the agent bot."
	s.addMessageLocked(c, APIMessage{MessageType: MessageActivity, Content: &content, ContentType: "text"}, 0)
}
