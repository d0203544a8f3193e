package generator

import (
	"github.com/chathook/chathook/releases"
	"time"
)

// Step is one delivery of a scenario.
type Step struct {
	Platform string
	Event    string
	Kind     string // Swiftsell message kind, "" otherwise
	// Receiver is the Chatwoot receiver kind the delivery goes to:
	// "account" (account webhook) or "agent_bot"; "" for Swiftsell.
	Receiver string
	Body     []byte
	// Duplicate marks a delivery of the previous step's body again with the
	// SAME delivery id, as a retry would.
	Duplicate bool
}

var scenarios = []string{"agent-bot", "swiftsell-chat", "widget-conversation"}

// Scenarios lists the scenario names.
func Scenarios() []string { return append([]string(nil), scenarios...) }

// Scenario returns the deliveries of a named scenario, built from the
// generator's world and clock (so it advances both).
//
//   - widget-conversation: a web-widget visitor starts a conversation, an
//     agent replies, assigns, resolves; account-webhook deliveries in the
//     racing order Chatwoot really produces (message_created sometimes
//     arrives before conversation_created), with one duplicate.
//   - agent-bot: deliveries to an agent bot for the widget inbox: the
//     widget opens, the visitor writes, the bot hands off (conversation
//     opened), a message is updated, the conversation is resolved; one
//     delivery is retried (after a 429 or 500).
//   - swiftsell-chat: a Swiftsell conversation: creation, messages of
//     several kinds with the visitor's responses, an assignee change,
//     variables, labels, a note and the status change.
func (g *Generator) Scenario(name string) ([]Step, error) {
	switch name {
	case "widget-conversation":
		return g.widgetScenario(), nil
	case "agent-bot":
		return g.agentBotScenario(), nil
	case "swiftsell-chat":
		return g.swiftsellScenario(), nil
	}
	return nil, unknown("scenario", name, scenarios)
}

func (g *Generator) widgetInbox(withBot bool) *Inbox {
	if g.scope != nil {
		return g.scope
	}
	for _, ib := range g.cw().Inboxes {
		if ib.ChannelType == "Channel::WebWidget" && (!withBot || ib.AgentBot != nil) {
			return ib
		}
	}
	return g.cw().Inboxes[0]
}

// addDuplicate keeps the steps the release sends (releaseSteps) and
// inserts a copy of one of them (not the first) right after it.
func (g *Generator) addDuplicate(steps []Step) []Step {
	steps = g.releaseSteps(steps)
	if len(steps) < 2 {
		return steps
	}
	i := 1 + g.r.Intn(len(steps)-1)
	d := steps[i]
	d.Duplicate = true
	out := make([]Step, 0, len(steps)+1)
	out = append(out, steps[:i+1]...)
	out = append(out, d)
	return append(out, steps[i+1:]...)
}

// releaseSteps keeps the steps the release delivers to their receiver
// kind: a scenario follows the release (no contact events before 2.14.0,
// no conversation_status_changed to a bot before 4.13.0, ...).
func (g *Generator) releaseSteps(steps []Step) []Step {
	out := steps[:0]
	for _, s := range steps {
		if s.Platform != "chatwoot" || g.rel.Sends(releases.Kind(s.Receiver), s.Event) {
			out = append(out, s)
		}
	}
	return out
}

func cwStep(event, receiver string, body []byte) Step {
	return Step{Platform: "chatwoot", Event: event, Receiver: receiver, Body: body}
}

func (g *Generator) widgetScenario() []Step {
	cw := g.cw()
	ib := g.widgetInbox(false)
	const rcv = "account"
	var steps []Step
	t := g.tick()
	contact := g.newContact(cw, ib, t)
	ci := g.newContactInbox(cw, contact, ib, t)
	steps = append(steps, cwStep("webwidget_triggered", rcv, g.webwidgetPayload(ci, nil)))
	steps = append(steps, cwStep("contact_created", rcv, g.contactPayload(contact, "contact_created", nil, false)))

	conv := g.newConversation(cw, ci, g.tick())
	conv.Status = "open"
	conv.Assignee, conv.AssigneeBot = nil, nil
	if g.chance(0.35) {
		// The jobs race: message_created is delivered first, and the
		// conversation_created built after it already holds the message.
		m := g.addMessage(conv, "incoming", false)
		steps = append(steps, cwStep("message_created", rcv, g.messagePayload(m, "message_created")))
		steps = append(steps, cwStep("conversation_created", rcv, g.conversationPayload(conv, "conversation_created", nil, false)))
	} else {
		steps = append(steps, cwStep("conversation_created", rcv, g.conversationPayload(conv, "conversation_created", nil, false)))
		m := g.addMessage(conv, "incoming", false)
		steps = append(steps, cwStep("message_created", rcv, g.messagePayload(m, "message_created")))
	}
	// An agent replies: message_created and the conversation_updated that
	// first_reply_created_at / waiting_since cause.
	before := *conv
	m := g.addMessage(conv, "outgoing", false)
	ch := &changes{order: conversationColumns}
	ch.set("updated_at", before.UpdatedAt, conv.UpdatedAt)
	if before.FirstReplyCreatedAt.IsZero() && !conv.FirstReplyCreatedAt.IsZero() {
		ch.set("first_reply_created_at", nil, conv.FirstReplyCreatedAt)
	}
	ch.set("waiting_since", nilTime(before.WaitingSince), nilTime(conv.WaitingSince))
	reply := cwStep("message_created", rcv, g.messagePayload(m, "message_created"))
	upd := cwStep("conversation_updated", rcv, g.conversationPayload(conv, "conversation_updated", ch.result(), true))
	if g.chance(0.5) {
		steps = append(steps, reply, upd)
	} else {
		steps = append(steps, upd, reply)
	}
	// Assignment.
	ach := &changes{order: conversationColumns}
	a := cw.Agents[g.r.Intn(len(cw.Agents))]
	ach.set("assignee_id", agentID(conv.Assignee), a.ID)
	conv.Assignee = a
	g.touch(conv, ach)
	steps = append(steps, cwStep("conversation_updated", rcv, g.conversationPayload(conv, "conversation_updated", ach.result(), true)))
	// Resolution: conversation_status_changed and conversation_updated race.
	sch := g.changeStatus(conv, "resolved")
	status := cwStep("conversation_status_changed", rcv, g.conversationPayload(conv, "conversation_status_changed", nil, true))
	supd := cwStep("conversation_updated", rcv, g.conversationPayload(conv, "conversation_updated", sch, true))
	if g.chance(0.5) {
		steps = append(steps, status, supd)
	} else {
		steps = append(steps, supd, status)
	}
	// The visitor leaves an e-mail.
	steps = append(steps, cwStep("contact_updated", rcv, g.contactPayload(contact, "contact_updated", g.contactEmailChange(contact), true)))
	return g.addDuplicate(steps)
}

func (g *Generator) contactEmailChange(c *Contact) Object {
	ch := &changes{order: contactColumns}
	prev := c.UpdatedAt
	c.UpdatedAt = g.tick()
	e := g.email()
	ch.set("email", c.Email, e)
	c.Email = &e
	if c.ContactType == "visitor" {
		ch.set("contact_type", "visitor", "lead")
		c.ContactType = "lead"
	}
	ch.set("updated_at", prev, c.UpdatedAt)
	return ch.result()
}

func (g *Generator) agentBotScenario() []Step {
	cw := g.cw()
	ib := g.widgetInbox(true)
	const rcv = "agent_bot"
	var steps []Step
	t := g.tick()
	contact := g.newContact(cw, ib, t)
	ci := g.newContactInbox(cw, contact, ib, t)
	steps = append(steps, cwStep("webwidget_triggered", rcv, g.webwidgetPayload(ci, nil)))
	conv := g.newConversation(cw, ci, g.tick())
	conv.Status = "pending"
	conv.Assignee, conv.AssigneeBot = nil, nil
	m := g.addMessage(conv, "incoming", false)
	steps = append(steps, cwStep("message_created", rcv, g.messagePayload(m, "message_created")))
	// The bot answers (its own message comes back to it too).
	if ib.AgentBot != nil {
		b := g.addMessage(conv, "outgoing", false)
		steps = append(steps, cwStep("message_created", rcv, g.messagePayload(b, "message_created")))
	}
	// Hand-off: the bot opens the conversation for a human.
	g.changeStatus(conv, "open")
	steps = append(steps, cwStep("conversation_opened", rcv, g.conversationPayload(conv, "conversation_opened", nil, false)))
	if g.rel.Sends(releases.AgentBot, "conversation_status_changed") {
		steps = append(steps, cwStep("conversation_status_changed", rcv, g.conversationPayload(conv, "conversation_status_changed", nil, true)))
	}
	// A delivery receipt or a submitted option updates the last message.
	if last := conv.LastPublic; last != nil {
		last.UpdatedAt = g.tick()
		if last.Status == "sent" {
			last.Status = "delivered"
		}
		if v, ok := last.ContentAttributes.Get("items"); ok {
			if its, ok := v.([]Object); ok && len(its) > 0 {
				last.ContentAttributes = last.ContentAttributes.With("submitted_values", []Object{its[0]})
			}
		}
		conv.UpdatedAt = g.soon()
		steps = append(steps, cwStep("message_updated", rcv, g.messagePayload(last, "message_updated")))
	}
	g.advance(time.Duration(1+g.r.Intn(30)) * time.Minute)
	g.changeStatus(conv, "resolved")
	if g.rel.Sends(releases.AgentBot, "conversation_status_changed") {
		steps = append(steps, cwStep("conversation_status_changed", rcv, g.conversationPayload(conv, "conversation_status_changed", nil, true)))
	}
	steps = append(steps, cwStep("conversation_resolved", rcv, g.conversationPayload(conv, "conversation_resolved", nil, false)))
	return g.addDuplicate(steps)
}

func (g *Generator) swiftsellScenario() []Step {
	t := g.tick()
	c := g.newSwiftConversation(t)
	var steps []Step
	add := func(event, kind string) {
		body := g.swiftEnvelope(c, event, kind, t)
		steps = append(steps, Step{Platform: "swiftsell", Event: event, Kind: kind, Body: body})
		t = g.tick()
	}
	add("conversation_create", "")
	add("message", "text")
	add("message", "button")
	add("message", "button.response")
	add("message", "form")
	add("message", "form.response")
	add("message", g.pick([]string{"image", "document", "list", "carousel"}))
	add("message", g.pick([]string{"slider.response", "file_upload.response", "calendly.response"}))
	add("assignee_change", "")
	add("message", "text")
	add("variables", "")
	add("conversation_labels", "")
	add("note", "")
	c.Closed = false
	add("status", "")
	return steps
}
