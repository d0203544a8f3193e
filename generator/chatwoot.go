package generator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

var chatwootEvents = []string{
	"account_created",
	"automation_event.conversation_created",
	"automation_event.conversation_opened",
	"automation_event.conversation_resolved",
	"automation_event.conversation_updated",
	"automation_event.message_created",
	"contact_created",
	"contact_updated",
	"conversation_created",
	"conversation_opened",
	"conversation_resolved",
	"conversation_status_changed",
	"conversation_typing_off",
	"conversation_typing_on",
	"conversation_updated",
	"inbox_created",
	"inbox_updated",
	"macro.executed",
	"message_created",
	"message_updated",
	"webwidget_triggered",
}

func (g *Generator) cw() *ChatwootWorld { return &g.world.Chatwoot }

func (g *Generator) newWriter(size int) *writer {
	return &writer{b: make([]byte, 0, size)}
}

func (g *Generator) chatwoot(event string) ([]byte, error) {
	if !slices.Contains(chatwootEvents, event) {
		return nil, unknown("event", event, chatwootEvents)
	}
	ev, ok := g.eventName(event)
	if !ok {
		return nil, fmt.Errorf("generator: %w: Chatwoot %s never sends %s", ErrNotInVersion, g.rel, event)
	}
	switch event {
	case "conversation_created":
		c := g.startConversation(g.weightedInbox(g.cw()), true)
		return g.conversationPayload(c, ev, nil, false), nil
	case "conversation_updated":
		c := g.pickConversation(false)
		ch := g.updateConversation(c)
		if g.edge && g.chance(0.15) {
			ch = nil // SLA engine: no changes
		}
		return g.conversationPayload(c, ev, ch, true), nil
	case "conversation_status_changed":
		c := g.pickConversation(false)
		g.changeStatus(c, g.nextStatus(c))
		return g.conversationPayload(c, ev, nil, true), nil
	case "conversation_opened", "conversation_resolved", "automation_event.conversation_opened", "automation_event.conversation_resolved":
		c := g.pickConversation(false)
		to := "open"
		if strings.HasSuffix(event, "resolved") {
			to = "resolved"
		}
		if c.Status == to {
			g.changeStatus(c, g.otherStatus(to))
		}
		g.changeStatus(c, to)
		return g.conversationPayload(c, ev, nil, false), nil
	case "automation_event.conversation_created":
		c := g.startConversation(g.weightedInbox(g.cw()), true)
		return g.conversationPayload(c, ev, nil, false), nil
	case "automation_event.conversation_updated", "macro.executed":
		c := g.pickConversation(false)
		g.updateConversation(c)
		return g.conversationPayload(c, ev, nil, false), nil
	case "automation_event.message_created":
		c := g.pickConversation(true)
		g.addMessage(c, "incoming", false)
		return g.conversationPayload(c, ev, nil, false), nil
	case "message_created":
		c := g.pickConversation(true)
		m := g.addMessage(c, g.randomMessageType(), g.chance(0.06))
		return g.messagePayload(m, ev), nil
	case "message_updated":
		m := g.updateMessage(g.pickConversation(true))
		return g.messagePayload(m, ev), nil
	case "webwidget_triggered":
		ci, conv := g.widgetVisit()
		return g.webwidgetPayload(ci, conv), nil
	case "contact_created":
		ib := g.weightedInbox(g.cw())
		g.tick()
		c := g.newContact(g.cw(), ib, g.now)
		g.newContactInbox(g.cw(), c, ib, g.now)
		return g.contactPayload(c, ev, nil, false), nil
	case "contact_updated":
		c := g.cw().Contacts[g.r.Intn(len(g.cw().Contacts))]
		return g.contactPayload(c, ev, g.updateContact(c), true), nil
	case "conversation_typing_on", "conversation_typing_off":
		c := g.pickConversation(true)
		g.tick()
		return g.typingPayload(event, c), nil
	case "inbox_created":
		g.tick()
		ib := g.newInbox(g.cw(), g.weightedChannel())
		ib.CreatedAt, ib.UpdatedAt = g.now, g.now
		g.cw().Inboxes = append(g.cw().Inboxes, ib)
		return g.inboxPayload(ib, ev, nil, false), nil
	case "inbox_updated":
		ib := g.cw().Inboxes[g.r.Intn(len(g.cw().Inboxes))]
		if g.scope != nil {
			ib = g.scope
		}
		return g.inboxPayload(ib, ev, g.updateInbox(ib), true), nil
	case "account_created":
		return g.accountCreatedPayload(), nil
	}
	return nil, unknown("event", event, chatwootEvents)
}

// ---- payloads ----

func (g *Generator) conversationPayload(c *Conversation, event string, changes Object, withChanges bool) []byte {
	w := g.newWriter(4096)
	w.obj()
	g.wConversationMembers(w, c)
	w.kstr("event", event)
	if withChanges {
		w.changes("changed_attributes", changes)
	}
	w.end()
	g.reshape(w, 0, g.rel.BodyKeys(event))
	return w.b
}

func (g *Generator) messagePayload(m *Message, event string) []byte {
	w := g.newWriter(6144)
	w.obj()
	g.wMessageMembers(w, m)
	w.kstr("event", event)
	w.end()
	g.reshape(w, 0, g.rel.BodyKeys(event))
	return w.b
}

func (g *Generator) contactPayload(c *Contact, event string, changes Object, withChanges bool) []byte {
	w := g.newWriter(1024)
	w.obj()
	g.wContactMembers(w, c)
	w.kstr("event", event)
	if withChanges {
		w.changes("changed_attributes", changes)
	}
	w.end()
	g.reshape(w, 0, g.rel.BodyKeys(event))
	return w.b
}

func (g *Generator) inboxPayload(ib *Inbox, event string, changes Object, withChanges bool) []byte {
	w := g.newWriter(4096)
	w.obj()
	g.wInboxMembers(w, ib)
	w.kstr("event", event)
	if withChanges {
		w.changes("changed_attributes", changes)
	}
	w.end()
	g.reshape(w, 0, g.rel.BodyKeys(event))
	return w.b
}

func (g *Generator) webwidgetPayload(ci *ContactInbox, conv *Conversation) []byte {
	w := g.newWriter(4096)
	w.obj()
	w.kint("id", ci.ID)
	w.key("contact")
	g.wContact(w, ci.Contact)
	w.key("inbox")
	w.obj()
	w.kint("id", ci.Inbox.ID)
	w.kstr("name", ci.Inbox.Name)
	w.end()
	w.key("account")
	g.wAccount(w)
	w.key("current_conversation")
	if conv == nil {
		w.null()
	} else {
		g.wConversation(w, conv)
	}
	w.kstr("source_id", ci.SourceID)
	w.kstr("event", "webwidget_triggered")
	b := browsers[g.r.Intn(len(browsers))]
	info := Object{
		{"initiated_at", Object{{"timestamp", jsDate(g.now)}}},
		{"referer", "https://www." + g.f.DomainName() + "/" + g.pick([]string{"", "pricing", "contact", "checkout?step=2&plan=pro"})},
		{"widget_language", g.pick([]string{"en", "pt_BR", "ar", "zh_CN"})},
		{"browser_language", g.pick([]string{"en", "pt-BR", "ar", "zh-CN", "es"})},
		{"browser", Object{{"browser_name", b.name}, {"browser_version", b.version}, {"device_name", b.device}, {"platform_name", b.platform}, {"platform_version", b.platformVersion}}},
	}
	if g.edge && g.chance(0.5) {
		info[2].Value = nil
		info = append(info, Member{"custom_key", "<client-controlled> & extra"})
	}
	w.kobj("event_info", info)
	w.end()
	g.reshape(w, 0, g.rel.BodyKeys("webwidget_triggered"))
	return w.b
}

func (g *Generator) typingPayload(event string, c *Conversation) []byte {
	w := g.newWriter(4096)
	w.obj()
	w.kstr("event", event)
	w.key("user")
	private := false
	switch r := g.r.Intn(10); {
	case r < 6:
		a := c.Assignee
		if a == nil {
			a = g.cw().Agents[g.r.Intn(len(g.cw().Agents))]
		}
		g.wUser(w, a)
		private = g.chance(0.1)
	case r < 9 || c.Inbox.AgentBot == nil:
		g.wContact(w, c.Contact)
	default:
		g.wBot(w, c.Inbox.AgentBot)
	}
	w.key("conversation")
	g.wConversation(w, c)
	w.kbool("is_private", private)
	w.end()
	return w.b
}

func (g *Generator) accountCreatedPayload() []byte {
	g.tick()
	w := g.newWriter(256)
	w.obj()
	w.kint("id", g.cw().Account.ID+g.id("new_account"))
	w.kstr("name", g.f.Company())
	w.kstr("event", "account_created")
	w.key("users")
	w.arr()
	first, last := g.f.FirstName(), g.f.LastName()
	w.elem()
	w.obj()
	w.kint("id", g.id("user"))
	w.kstr("name", first+" "+last)
	w.kstr("email", strings.ToLower(first+"@"+g.f.DomainName()))
	w.kstr("type", "user")
	w.end()
	w.aend()
	w.end()
	return w.b
}

// ---- world actions ----

// startConversation creates a conversation in ib at the next tick, for a
// new contact (or a returning one).
func (g *Generator) startConversation(ib *Inbox, allowReturning bool) *Conversation {
	cw := g.cw()
	t := g.tick()
	var ci *ContactInbox
	if allowReturning && g.chance(0.25) {
		for _, x := range cw.ContactInboxes {
			if x.Inbox == ib && !ib.LockToSingleConversation {
				ci = x
				break
			}
		}
	}
	if ci == nil {
		c := g.newContact(cw, ib, t)
		ci = g.newContactInbox(cw, c, ib, t)
	}
	conv := g.newConversation(cw, ci, g.soon())
	// Payloads are built at job time: the first message may already exist.
	if g.chance(0.3) {
		m := g.newMessage(conv, "incoming", g.soon())
		conv.UpdatedAt = g.soon()
		_ = m
	}
	return conv
}

func (g *Generator) pickConversation(active bool) *Conversation {
	cs := g.cw().Conversations
	if g.scope != nil {
		var in []*Conversation
		for _, c := range cs {
			if c.Inbox == g.scope {
				in = append(in, c)
			}
		}
		if len(in) == 0 {
			in = append(in, g.startConversation(g.scope, false))
		}
		cs = in
	}
	for i := 0; i < 5; i++ {
		c := cs[g.r.Intn(len(cs))]
		if !active || c.Status != "resolved" {
			return c
		}
	}
	return cs[g.r.Intn(len(cs))]
}

func (g *Generator) randomMessageType() string {
	switch r := g.r.Intn(100); {
	case r < 55:
		return "incoming"
	case r < 95:
		return "outgoing"
	default:
		return "template"
	}
}

// addMessage creates a message at the next tick and moves the conversation's
// updated_at with it.
func (g *Generator) addMessage(c *Conversation, mtype string, private bool) *Message {
	if private {
		mtype = "outgoing"
	}
	t := g.tick()
	prevLast := c.LastPublic
	m := g.newMessage(c, mtype, t)
	if private {
		// A private note never shows in conversation.messages[].
		m.Private = true
		m.MessageType = "outgoing"
		c.LastPublic = prevLast
	}
	if !private && mtype == "outgoing" && m.Agent != nil {
		c.WaitingSince = time.Time{}
		c.UnreadCount = 0
		c.AgentLastSeenAt = t
	}
	c.UpdatedAt = g.soon()
	return m
}

// updateMessage changes the conversation's last message (or a new private
// note) as message_updated reports it: a delivery receipt, a failure, a
// deletion or a submitted form.
func (g *Generator) updateMessage(c *Conversation) *Message {
	m := c.LastPublic
	if m == nil || g.chance(0.1) {
		m = g.addMessage(c, "outgoing", g.chance(0.3))
	}
	t := g.tick()
	m.UpdatedAt = t
	switch r := g.r.Intn(10); {
	case m.ContentType == "input_select" && r < 8:
		var items any = []Object{}
		if v, ok := m.ContentAttributes.Get("items"); ok {
			items = v
		}
		if its, ok := items.([]Object); ok && len(its) > 0 {
			m.ContentAttributes = m.ContentAttributes.With("submitted_values", []Object{its[0]})
		}
	case r < 6 && m.MessageType != "incoming":
		switch m.Status {
		case "sent":
			m.Status = "delivered"
		case "delivered":
			m.Status = "read"
		default:
			m.Status = "read"
		}
	case r < 8 && m.MessageType != "incoming":
		m.Status = "failed"
		m.ContentAttributes = m.ContentAttributes.With("external_error", g.pick(externalErrors))
	default:
		deleted := "This message was deleted"
		m.Content = &deleted
		m.ContentType = "text"
		m.ContentAttributes = Object{{"deleted", true}}
		m.Attachments = nil
	}
	c.UpdatedAt = g.soon()
	return m
}

// conversation columns in DB order, then virtual attributes
// (changed_attributes follows this order).
var conversationColumns = []string{"status", "assignee_id", "updated_at", "contact_last_seen_at", "agent_last_seen_at",
	"additional_attributes", "last_activity_at", "team_id", "snoozed_until", "custom_attributes", "first_reply_created_at",
	"priority", "waiting_since", "cached_label_list", "assignee_agent_bot_id", "label_list"}

var contactColumns = []string{"name", "email", "phone_number", "updated_at", "additional_attributes", "identifier",
	"custom_attributes", "last_activity_at", "contact_type", "blocked"}

var inboxColumns = []string{"name", "updated_at", "enable_auto_assignment", "greeting_enabled", "greeting_message",
	"working_hours_enabled", "out_of_office_message", "timezone", "enable_email_collect", "csat_survey_enabled",
	"allow_messages_after_resolved", "lock_to_single_conversation", "sender_name_type", "business_name", "reauthorization_required"}

// changes collects changed attributes and orders them by column.
type changes struct {
	order []string
	o     Object
}

func (c *changes) set(attr string, prev, cur any) {
	for i := range c.o {
		if c.o[i].Key == attr {
			v := c.o[i].Value.(Object)
			c.o[i].Value = Object{v[0], {"current_value", cur}}
			return
		}
	}
	c.o = append(c.o, Member{attr, Object{{"previous_value", prev}, {"current_value", cur}}})
}

func (c *changes) result() Object {
	slices.SortStableFunc(c.o, func(a, b Member) int {
		return slices.Index(c.order, a.Key) - slices.Index(c.order, b.Key)
	})
	return c.o
}

func nilTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nilStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func agentID(a *Agent) any {
	if a == nil {
		return nil
	}
	return a.ID
}

func (g *Generator) touch(c *Conversation, ch *changes) {
	prev := c.UpdatedAt
	c.UpdatedAt = g.tick()
	ch.set("updated_at", prev, c.UpdatedAt)
}

func (g *Generator) nextStatus(c *Conversation) string {
	switch c.Status {
	case "open":
		return g.pick([]string{"resolved", "resolved", "pending", "snoozed"})
	case "pending":
		return g.pick([]string{"open", "open", "resolved"})
	default:
		return "open"
	}
}

func (g *Generator) otherStatus(s string) string {
	if s == "open" {
		return "resolved"
	}
	return "open"
}

// changeStatus moves c to status and returns the changed attributes.
func (g *Generator) changeStatus(c *Conversation, status string) Object {
	ch := &changes{order: conversationColumns}
	ch.set("status", c.Status, status)
	prev := c.Status
	c.Status = status
	g.touch(c, ch)
	if status == "snoozed" {
		until := g.now.Add(time.Duration(1+g.r.Intn(72)) * time.Hour).Truncate(time.Hour)
		ch.set("snoozed_until", nilTime(c.SnoozedUntil), until)
		c.SnoozedUntil = until
	} else if prev == "snoozed" && !c.SnoozedUntil.IsZero() {
		ch.set("snoozed_until", c.SnoozedUntil, nil)
		c.SnoozedUntil = time.Time{}
	}
	if status == "resolved" && !c.WaitingSince.IsZero() {
		ch.set("waiting_since", c.WaitingSince, nil)
		c.WaitingSince = time.Time{}
	}
	return ch.result()
}

// updateConversation applies one conversation_updated-worthy change.
func (g *Generator) updateConversation(c *Conversation) Object {
	cw := g.cw()
	ch := &changes{order: conversationColumns}
	switch g.r.Intn(8) {
	case 0, 1:
		a := cw.Agents[g.r.Intn(len(cw.Agents))]
		if c.Assignee == a || g.chance(0.1) {
			a = nil
		}
		ch.set("assignee_id", agentID(c.Assignee), agentID(a))
		c.Assignee, c.AssigneeBot = a, nil
		g.touch(c, ch)
	case 2:
		var prev, cur any
		if c.Team != nil {
			prev = c.Team.ID
		}
		t := cw.Teams[g.r.Intn(len(cw.Teams))]
		if c.Team == t {
			t = nil
		}
		c.Team = t
		if t != nil {
			cur = t.ID
		}
		g.touch(c, ch)
		ch.set("team_id", prev, cur)
	case 3, 4:
		prev := append([]string{}, c.Labels...)
		l := cw.Labels[g.r.Intn(len(cw.Labels))]
		if i := slices.Index(c.Labels, l); i >= 0 {
			c.Labels = slices.Delete(append([]string{}, c.Labels...), i, i+1)
		} else {
			c.Labels = append(append([]string{}, c.Labels...), l)
		}
		g.touch(c, ch)
		ch.set("cached_label_list", nilStr(strings.Join(prev, ", ")), strings.Join(c.Labels, ", "))
		ch.set("label_list", prev, append([]string{}, c.Labels...))
	case 5:
		p := g.pick([]string{"", "low", "medium", "high", "urgent"})
		if p == c.Priority {
			p = "urgent"
			if c.Priority == "urgent" {
				p = "high"
			}
		}
		ch.set("priority", nilStr(c.Priority), nilStr(p))
		c.Priority = p
		g.touch(c, ch)
	case 6:
		prev := c.CustomAttributes
		c.CustomAttributes = prev.With("order_id", g.digits(6)).With("vip", g.chance(0.5))
		g.touch(c, ch)
		ch.set("custom_attributes", prev, c.CustomAttributes)
	default:
		return g.changeStatus(c, g.nextStatus(c))
	}
	return ch.result()
}

// updateContact applies a contact change and returns the diff.
func (g *Generator) updateContact(c *Contact) Object {
	ch := &changes{order: contactColumns}
	prevUpdated := c.UpdatedAt
	c.UpdatedAt = g.tick()
	switch g.r.Intn(4) {
	case 0: // an incoming message touches last_activity_at
		prev := c.LastActivityAt
		c.LastActivityAt = c.UpdatedAt
		ch.set("last_activity_at", prev, c.LastActivityAt)
	case 1:
		prev := c.Email
		e := g.email()
		c.Email = &e
		ch.set("email", prev, e)
		if c.ContactType == "visitor" {
			ch.set("contact_type", "visitor", "lead")
			c.ContactType = "lead"
		}
	case 2:
		prev := c.Name
		c.Name = g.personName()
		ch.set("name", prev, c.Name)
	default:
		prev := c.AdditionalAttributes
		city := cities[g.r.Intn(len(cities))]
		c.AdditionalAttributes = prev.With("city", city.city).With("country", city.country).With("country_code", city.code)
		ch.set("additional_attributes", prev, c.AdditionalAttributes)
	}
	ch.set("updated_at", prevUpdated, c.UpdatedAt)
	return ch.result()
}

func (g *Generator) updateInbox(ib *Inbox) Object {
	ch := &changes{order: inboxColumns}
	prevUpdated := ib.UpdatedAt
	ib.UpdatedAt = g.tick()
	switch g.r.Intn(4) {
	case 0:
		prev := ib.GreetingMessage
		s := g.pick([]string{"Olá! Como podemos ajudar?", "Welcome 👋 <b>we reply fast</b> & friendly", "مرحبا بك"})
		ib.GreetingMessage = &s
		ch.set("greeting_enabled", ib.GreetingEnabled, true)
		ib.GreetingEnabled = true
		ch.set("greeting_message", prev, s)
	case 1:
		ch.set("enable_auto_assignment", ib.EnableAutoAssignment, !ib.EnableAutoAssignment)
		ib.EnableAutoAssignment = !ib.EnableAutoAssignment
	case 2:
		prev := ib.Name
		ib.Name = ib.Name + " " + g.pick([]string{"2", "BR", "(new)"})
		ch.set("name", prev, ib.Name)
	default:
		ch.set("reauthorization_required", false, true)
	}
	ch.set("updated_at", prevUpdated, ib.UpdatedAt)
	return ch.result()
}

// widgetVisit returns the contact inbox of a widget visit and its last
// conversation (nil for a first visit).
func (g *Generator) widgetVisit() (*ContactInbox, *Conversation) {
	cw := g.cw()
	var ib *Inbox
	for _, x := range cw.Inboxes {
		if x.ChannelType == "Channel::WebWidget" {
			ib = x
			break
		}
	}
	g.tick()
	if g.chance(0.5) {
		for i := len(cw.Conversations) - 1; i >= 0; i-- {
			if c := cw.Conversations[i]; c.Inbox == ib {
				return c.ContactInbox, c
			}
		}
	}
	c := g.newContact(cw, ib, g.now)
	return g.newContactInbox(cw, c, ib, g.now), nil
}
