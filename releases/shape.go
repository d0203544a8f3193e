package releases

import (
	"encoding/json"
	"strings"
)

// Object names a JSON object a release serializes, whose keys Keys lists.
type Object string

// The objects. Each names the Ruby method that builds it.
const (
	// Message is a message event body (Message#webhook_data plus event).
	Message Object = "message"
	// Conversation is Conversations::EventDataPresenter's webhook data: a
	// conversation event body without its event keys, and message.conversation.
	Conversation Object = "conversation"
	// ConversationMeta is a conversation's meta (push_meta).
	ConversationMeta Object = "conversation_meta"
	// NestedMessage is an item of conversation.messages
	// (Message#push_event_data: the row, created_at unix, integer type).
	NestedMessage Object = "nested_message"
	// NestedConversation is a nested message's conversation; releases
	// before 1.22.0 have none (Keys returns nil).
	NestedConversation Object = "nested_conversation"
	// Contact is Contact#webhook_data: a contact event body without its
	// event keys, and a message sender that is a contact.
	Contact Object = "contact"
	// ContactPush is Contact#push_event_data: meta.sender.
	ContactPush Object = "contact_push"
	// User is User#webhook_data: a message sender that is an agent.
	User Object = "user"
	// UserPush is User#push_event_data: meta.assignee, a nested sender.
	UserPush Object = "user_push"
	// Bot is AgentBot#webhook_data: a message sender that is a bot.
	Bot Object = "agent_bot"
	// BotPush is AgentBot#push_event_data.
	BotPush Object = "agent_bot_push"
	// Attachment is Attachment#push_event_data of an image, audio, video or
	// file attachment.
	Attachment Object = "attachment"
	// Team is Team#push_event_data: meta.team; nil before 2.8.0.
	Team Object = "team"
	// ContactInboxEvent is a webwidget_triggered body.
	ContactInboxEvent Object = "contact_inbox_event"
	// Inbox is Inbox::EventDataPresenter's data: an inbox event body
	// without its event keys; nil before 3.2.0.
	Inbox Object = "inbox"
)

// Objects returns every Object.
func Objects() []Object {
	return []Object{Message, Conversation, ConversationMeta, NestedMessage, NestedConversation, Contact, ContactPush,
		User, UserPush, Bot, BotPush, Attachment, Team, ContactInboxEvent, Inbox}
}

func (o Object) valid() bool {
	for _, x := range Objects() {
		if x == o {
			return true
		}
	}
	return false
}

// Key is one key of an object as a release writes it.
type Key struct {
	Name string
	// Optional keys are sent only sometimes (attachments when there are
	// any, a nested sender when the message has one, ...); the others are
	// always sent.
	Optional bool
}

// Keys returns the keys of object o in the order r writes them, or nil
// when r has no such object.
func (r Release) Keys(o Object) []Key {
	list, ok := r.e.facts.Keys[o]
	if !ok || list == nil {
		return nil
	}
	out := make([]Key, len(list))
	for i, k := range list {
		name, opt := strings.CutSuffix(k, "?")
		out[i] = Key{Name: name, Optional: opt}
	}
	return out
}

// Content says how r writes a message event's top-level content.
type Content string

// The content renderings.
const (
	// ContentRaw is the content as stored (markdown as the agent typed it).
	ContentRaw Content = "raw"
	// ContentRendered is rendered for the channel, markdown to HTML for web
	// widget and email ("<p>hi</p>\n"), from 4.9.0 to 4.12.0; the nested
	// messages[].content stays raw.
	ContentRendered Content = "rendered"
)

// MessageContent returns how r writes the top-level message content.
func (r Release) MessageContent() Content { return Content(r.e.facts.MessageContent) }

// ChangedAttributes reports whether r's body of event carries
// changed_attributes: always (present), for some receiver kinds only
// (optional: conversation_opened and conversation_resolved in 2.4.x carry it
// to account webhooks and API inboxes but not to agent bots), or never.
func (r Release) ChangedAttributes(event string) (present, optional bool) {
	for _, e := range r.e.facts.ChangedAttributes {
		name, opt := strings.CutSuffix(e, "?")
		if name == event {
			return true, opt
		}
	}
	return false, false
}

// Format returns how r writes key of object o when it is not the type the
// schemas describe for every release ("float": a JSON number with a
// fraction or exponent), or "" when nothing release-specific is known.
func (r Release) Format(o Object, key string) string { return r.e.facts.Format[o][key] }

// SendsEvent reports whether a receiver of any kind can get event from r.
func (r Release) SendsEvent(event string) bool {
	for _, k := range Kinds() {
		if r.Sends(k, event) {
			return true
		}
	}
	return false
}

// shapeFingerprint identifies r's payload shapes: releases with the same
// fingerprint send the same key sets and formats.
func (r Release) shapeFingerprint() string {
	f := r.e.facts
	b, _ := json.Marshal([]any{f.Keys, f.MessageContent, f.ChangedAttributes, f.Format, eventUnion(r)})
	return string(b)
}

func eventUnion(r Release) []string {
	var all []string
	for _, k := range Kinds() {
		for _, e := range r.Events(k) {
			if !contains(all, e) {
				all = append(all, e)
			}
		}
	}
	return all
}

// Line is a run of consecutive releases that send the same payload shapes
// (key sets, formats, event names); a body one of them sends, any of them
// could have sent.
type Line struct{ First, Last Release }

// String is "4.0.2" or "4.0.2 to 4.0.4".
func (l Line) String() string {
	if l.First.Compare(l.Last) == 0 {
		return l.First.Version()
	}
	return l.First.Version() + " to " + l.Last.Version()
}

// Contains reports whether r is in l.
func (l Line) Contains(r Release) bool { return r.AtLeast(l.First) && l.Last.AtLeast(r) }

// Lines returns the payload-shape lines of the table, oldest first.
func Lines() []Line {
	var out []Line
	prev := ""
	for _, r := range All() {
		fp := r.shapeFingerprint()
		if len(out) > 0 && fp == prev {
			out[len(out)-1].Last = r
			continue
		}
		out = append(out, Line{First: r, Last: r})
		prev = fp
	}
	return out
}

// Line returns the payload-shape line r belongs to.
func (r Release) Line() Line {
	for _, l := range Lines() {
		if l.Contains(r) {
			return l
		}
	}
	return Line{First: r, Last: r}
}

// BodyObject returns the object an event's body is built from: Message for
// message events, Conversation for conversation, automation and macro
// events, Contact for contact events, ContactInboxEvent for
// webwidget_triggered, Inbox for inbox events; "" for the rest (typing and
// installation events), whose keys are not modelled per release.
func BodyObject(event string) Object {
	switch event {
	case "message_created", "message_updated":
		return Message
	case "contact_created", "contact_updated":
		return Contact
	case "webwidget_triggered":
		return ContactInboxEvent
	case "inbox_created", "inbox_updated":
		return Inbox
	case "conversation_created", "conversation_updated", "conversation_status_changed", "conversation_opened", "conversation_resolved", "macro.executed":
		return Conversation
	}
	if strings.HasPrefix(event, "automation_event") || strings.HasPrefix(event, "macro_event.") {
		return Conversation
	}
	return ""
}

// BodyKeys returns the top-level keys of r's body of event, in r's order:
// the webhook data of BodyObject(event) merged with event (and
// changed_attributes where ChangedAttributes says so). Nil when the body's
// keys are not modelled.
func (r Release) BodyKeys(event string) []Key {
	o := BodyObject(event)
	switch o {
	case "":
		return nil
	case Message, ContactInboxEvent: // their key lists hold event already
		return r.Keys(o)
	}
	keys := r.Keys(o)
	if keys == nil {
		return nil
	}
	keys = append(keys, Key{Name: "event"})
	if present, optional := r.ChangedAttributes(event); present {
		keys = append(keys, Key{Name: "changed_attributes", Optional: optional})
	}
	return keys
}
