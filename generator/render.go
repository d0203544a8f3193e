package generator

import "fmt"

// Rendering of world objects changed from outside the generator: the mock
// Chatwoot API (suites' closed loop, `chathook platform`) changes the world
// in reaction to a bot's calls and needs the webhook payloads of those
// changes encoded exactly as Chatwoot encodes them, by the same code that
// encodes generated events.

// RenderMessage returns the message_created or message_updated payload of m,
// a message whose Conversation belongs to g's world. It does not change the
// world: the caller records the message (Conversation.LastPublic, ...) first.
func (g *Generator) RenderMessage(event string, m *Message) ([]byte, error) {
	if event != "message_created" && event != "message_updated" {
		return nil, fmt.Errorf("generator: %s is not a message event", event)
	}
	if m == nil || m.Conversation == nil || m.Conversation.Inbox == nil || m.Conversation.ContactInbox == nil {
		return nil, fmt.Errorf("generator: message has no conversation, inbox or contact inbox")
	}
	return g.messagePayload(m, event), nil
}

// RenderConversation returns the payload of a conversation event
// (conversation_created, conversation_updated, conversation_status_changed,
// conversation_opened, conversation_resolved) for c with the given changed
// attributes, which only conversation_updated and (from 2.4)
// conversation_status_changed carry.
func (g *Generator) RenderConversation(event string, c *Conversation, changes Object) ([]byte, error) {
	if c == nil || c.Inbox == nil || c.ContactInbox == nil {
		return nil, fmt.Errorf("generator: conversation has no inbox or contact inbox")
	}
	switch event {
	case "conversation_updated":
		return g.conversationPayload(c, event, changes, true), nil
	case "conversation_status_changed":
		return g.conversationPayload(c, event, changes, true), nil
	case "conversation_created", "conversation_opened", "conversation_resolved":
		return g.conversationPayload(c, event, nil, false), nil
	}
	return nil, fmt.Errorf("generator: %s is not a conversation event", event)
}

// RenderContact returns the contact_created or contact_updated payload of c.
func (g *Generator) RenderContact(event string, c *Contact, changes Object) ([]byte, error) {
	switch event {
	case "contact_updated":
		return g.contactPayload(c, event, changes, true), nil
	case "contact_created":
		return g.contactPayload(c, event, nil, false), nil
	}
	return nil, fmt.Errorf("generator: %s is not a contact event", event)
}
