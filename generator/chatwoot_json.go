package generator

import "github.com/chathook/chathook/releases"

// Writers for Chatwoot objects, in Chatwoot's key order (reference
// chatwoot.md §2).

func (g *Generator) wAccount(w *writer) {
	a := g.world.Chatwoot.Account
	w.obj()
	w.kint("id", a.ID)
	w.kstr("name", a.Name)
	w.end()
}

// wConversationMembers writes Conversations::EventDataPresenter#webhook_data
// into an open object.
func (g *Generator) wConversationMembers(w *writer, c *Conversation) {
	w.kobj("additional_attributes", c.AdditionalAttributes)
	w.kbool("can_reply", c.CanReply)
	w.kstr("channel", c.Inbox.ChannelType)
	w.key("contact_inbox")
	g.wContactInbox(w, c.ContactInbox)
	w.kint("id", c.DisplayID)
	w.kint("inbox_id", c.Inbox.ID)
	w.key("messages")
	w.arr()
	if c.LastPublic != nil {
		w.elem()
		g.wPushMessage(w, c.LastPublic)
	}
	w.aend()
	w.key("labels")
	w.value(c.Labels)
	w.key("meta")
	g.wMeta(w, c)
	w.kstr("status", c.Status)
	w.kobj("custom_attributes", c.CustomAttributes)
	w.kiso("snoozed_until", c.SnoozedUntil)
	w.kint("unread_count", c.UnreadCount)
	w.kiso("first_reply_created_at", c.FirstReplyCreatedAt)
	w.key("priority")
	if c.Priority == "" {
		w.null()
	} else {
		w.str(c.Priority)
	}
	w.kunix("waiting_since", c.WaitingSince)
	w.kunix("agent_last_seen_at", c.AgentLastSeenAt)
	w.kunix("contact_last_seen_at", c.ContactLastSeenAt)
	w.kunix("last_activity_at", c.LastActivityAt)
	w.kunix("timestamp", c.LastActivityAt)
	w.kunix("created_at", c.CreatedAt)
	w.kfloatTime("updated_at", c.UpdatedAt)
	if c.SLA != nil {
		g.wSLA(w, c)
	}
	w.key("account")
	g.wAccount(w)
}

func (g *Generator) wConversation(w *writer, c *Conversation) {
	start := len(w.b)
	w.obj()
	g.wConversationMembers(w, c)
	w.end()
	g.reshape(w, start, g.keys(releases.Conversation))
}

func (g *Generator) wSLA(w *writer, c *Conversation) {
	s := c.SLA
	w.key("applied_sla")
	w.obj()
	w.kint("id", s.ID)
	w.kint("sla_id", s.SLAID)
	w.kstr("sla_status", s.Status)
	w.kunix("created_at", s.CreatedAt)
	w.kunix("updated_at", s.UpdatedAt)
	w.kunixn("sla_completed_at", s.CompletedAt)
	w.kstr("sla_description", s.Description)
	w.kstr("sla_name", s.Name)
	fl := func(k string, v *float64) {
		w.key(k)
		if v == nil {
			w.null()
		} else {
			w.float(*v)
		}
	}
	fl("sla_first_response_time_threshold", s.FRT)
	fl("sla_next_response_time_threshold", s.NRT)
	fl("sla_resolution_time_threshold", s.RT)
	w.kbool("sla_only_during_business_hours", s.BusinessHours)
	due := func(k string, v *float64) {
		w.key(k)
		if v == nil {
			w.null()
		} else {
			w.int64(c.CreatedAt.Unix() + int64(*v))
		}
	}
	due("sla_frt_due_at", s.FRT)
	due("sla_nrt_due_at", s.NRT)
	due("sla_rt_due_at", s.RT)
	w.end()
	w.key("sla_events")
	w.arr()
	for _, e := range s.Events {
		w.elem()
		w.obj()
		w.kint("id", e.ID)
		w.kstr("event_type", e.Type)
		w.kobj("meta", Object{})
		w.kunix("created_at", e.CreatedAt)
		w.kunix("updated_at", e.CreatedAt)
		w.end()
	}
	w.aend()
	w.kint("sla_policy_id", s.SLAID)
}

func (g *Generator) wContactInbox(w *writer, ci *ContactInbox) {
	w.obj()
	w.kint("id", ci.ID)
	w.kint("contact_id", ci.Contact.ID)
	w.kint("inbox_id", ci.Inbox.ID)
	w.kstr("source_id", ci.SourceID)
	w.kiso("created_at", ci.CreatedAt)
	w.kiso("updated_at", ci.UpdatedAt)
	w.kbool("hmac_verified", ci.HmacVerified)
	w.kstr("pubsub_token", ci.PubsubToken)
	w.end()
}

func (g *Generator) wMeta(w *writer, c *Conversation) {
	start := len(w.b)
	w.obj()
	w.key("sender")
	g.wContactPush(w, c.Contact)
	w.key("assignee")
	switch {
	case c.Assignee != nil:
		g.wUserPush(w, c.Assignee)
		w.kstr("assignee_type", "User")
	case c.AssigneeBot != nil:
		g.wBotPush(w, c.AssigneeBot)
		w.kstr("assignee_type", "AgentBot")
	default:
		w.null()
		w.knull("assignee_type")
	}
	w.key("team")
	if c.Team == nil {
		w.null()
	} else {
		ts := len(w.b)
		w.obj()
		w.kint("id", c.Team.ID)
		w.kstr("name", c.Team.Name)
		w.kstrp("icon", c.Team.Icon)
		w.kstrp("icon_color", c.Team.IconColor)
		w.end()
		g.reshape(w, ts, g.keys(releases.Team))
	}
	w.kbool("hmac_verified", c.ContactInbox.HmacVerified)
	w.end()
	g.reshape(w, start, g.keys(releases.ConversationMeta))
}

// wContactPush writes Contact#push_event_data.
func (g *Generator) wContactPush(w *writer, c *Contact) {
	start := len(w.b)
	w.obj()
	w.kobj("additional_attributes", c.AdditionalAttributes)
	w.kobj("custom_attributes", c.CustomAttributes)
	w.kstrp("email", c.Email)
	w.kint("id", c.ID)
	w.kstrp("identifier", c.Identifier)
	w.kstr("name", c.Name)
	w.kstrp("phone_number", c.Phone)
	w.kstr("pubsub_token", g.contactPubsubToken(c))
	w.kstr("thumbnail", c.Thumbnail)
	w.kbool("blocked", c.Blocked)
	w.kstr("type", "contact")
	w.end()
	g.reshape(w, start, g.keys(releases.ContactPush))
}

// wContactMembers writes Contact#webhook_data into an open object.
func (g *Generator) wContactMembers(w *writer, c *Contact) {
	w.key("account")
	g.wAccount(w)
	w.kobj("additional_attributes", c.AdditionalAttributes)
	w.kstr("avatar", c.Thumbnail)
	w.kobj("custom_attributes", c.CustomAttributes)
	w.kstrp("email", c.Email)
	w.kint("id", c.ID)
	w.kstrp("identifier", c.Identifier)
	w.kstr("name", c.Name)
	w.kstrp("phone_number", c.Phone)
	w.kstr("thumbnail", c.Thumbnail)
	w.kbool("blocked", c.Blocked)
	w.kstr("type", "contact")
}

func (g *Generator) wContact(w *writer, c *Contact) {
	start := len(w.b)
	w.obj()
	g.wContactMembers(w, c)
	w.end()
	g.reshape(w, start, g.keys(releases.Contact))
}

func (g *Generator) availability() any {
	if g.edge {
		return []any{nil, "online", "busy", "offline"}[g.r.Intn(4)]
	}
	return nil
}

func (g *Generator) wUserPush(w *writer, a *Agent) {
	start := len(w.b)
	w.obj()
	w.kint("id", a.ID)
	w.kstr("name", a.Name)
	w.kstr("available_name", a.AvailableName)
	w.kstr("avatar_url", a.AvatarURL)
	w.kstr("type", "user")
	w.key("availability_status")
	w.value(g.availability())
	w.kstr("thumbnail", a.AvatarURL)
	w.end()
	g.reshape(w, start, g.keys(releases.UserPush))
}

func (g *Generator) wUser(w *writer, a *Agent) {
	start := len(w.b)
	w.obj()
	w.kint("id", a.ID)
	w.kstr("name", a.Name)
	w.kstr("email", a.Email)
	w.kstr("type", "user")
	w.end()
	g.reshape(w, start, g.keys(releases.User))
}

func (g *Generator) wBotPush(w *writer, b *AgentBot) {
	start := len(w.b)
	w.obj()
	w.kint("id", b.ID)
	w.kstr("name", b.Name)
	w.kstr("avatar_url", b.AvatarURL)
	w.kstr("type", "agent_bot")
	w.end()
	g.reshape(w, start, g.keys(releases.BotPush))
}

func (g *Generator) wBot(w *writer, b *AgentBot) {
	start := len(w.b)
	w.obj()
	w.kint("id", b.ID)
	w.kstr("name", b.Name)
	w.kstr("type", "agent_bot")
	w.end()
	g.reshape(w, start, g.keys(releases.Bot))
}

var messageTypeInt = map[string]int{"incoming": 0, "outgoing": 1, "template": 3}

// wPushMessage writes Message#push_event_data (conversation.messages[]).
func (g *Generator) wPushMessage(w *writer, m *Message) {
	c := m.Conversation
	start := len(w.b)
	w.obj()
	w.kint("id", m.ID)
	w.kstrp("content", m.Content)
	w.kint("account_id", g.world.Chatwoot.Account.ID)
	w.kint("inbox_id", c.Inbox.ID)
	w.kint("conversation_id", c.DisplayID)
	w.kint("message_type", messageTypeInt[m.MessageType])
	w.kunix("created_at", m.CreatedAt)
	w.kiso("updated_at", m.UpdatedAt)
	w.kbool("private", m.Private)
	w.kstr("status", m.Status)
	w.kstrp("source_id", m.SourceID)
	w.kstr("content_type", m.ContentType)
	w.kobj("content_attributes", m.ContentAttributes)
	switch {
	case m.Contact != nil:
		w.kstr("sender_type", "Contact")
		w.kint("sender_id", m.Contact.ID)
	case m.Agent != nil:
		w.kstr("sender_type", "User")
		w.kint("sender_id", m.Agent.ID)
	case m.Bot != nil:
		w.kstr("sender_type", "AgentBot")
		w.kint("sender_id", m.Bot.ID)
	default:
		w.knull("sender_type")
		w.knull("sender_id")
	}
	w.kobj("external_source_ids", Object{})
	w.kobj("additional_attributes", m.AdditionalAttributes)
	w.kstrp("processed_message_content", m.Content)
	w.kobj("sentiment", Object{})
	w.key("conversation")
	cs := len(w.b)
	w.obj()
	if c.Assignee != nil {
		w.kint("assignee_id", c.Assignee.ID)
	} else {
		w.knull("assignee_id")
	}
	w.kint("unread_count", c.UnreadCount)
	w.kunix("last_activity_at", c.LastActivityAt)
	w.key("contact_inbox")
	w.obj()
	w.kstr("source_id", c.ContactInbox.SourceID)
	w.end()
	w.end()
	g.reshape(w, cs, g.keys(releases.NestedConversation))
	g.wAttachments(w, m)
	switch {
	case m.Contact != nil:
		w.key("sender")
		g.wContactPush(w, m.Contact)
	case m.Agent != nil:
		w.key("sender")
		g.wUserPush(w, m.Agent)
	case m.Bot != nil:
		w.key("sender")
		g.wBotPush(w, m.Bot)
	}
	w.end()
	g.reshape(w, start, g.keys(releases.NestedMessage))
}

// wAttachments writes the attachments key, only when there are some.
func (g *Generator) wAttachments(w *writer, m *Message) {
	if len(m.Attachments) == 0 {
		return
	}
	acc := g.world.Chatwoot.Account.ID
	w.key("attachments")
	w.arr()
	for i := range m.Attachments {
		a := &m.Attachments[i]
		w.elem()
		start := len(w.b)
		w.obj()
		w.kint("id", a.ID)
		w.kint("message_id", m.ID)
		w.kstr("file_type", a.FileType)
		w.kint("account_id", acc)
		switch a.FileType {
		case "location":
			w.key("coordinates_lat")
			w.float(a.Lat)
			w.key("coordinates_long")
			w.float(a.Long)
			w.kstrp("fallback_title", a.FallbackTitle)
			w.kstr("data_url", a.DataURL)
		case "fallback":
			w.kstrp("fallback_title", a.FallbackTitle)
			w.kstr("data_url", a.DataURL)
		case "contact":
			w.kstrp("fallback_title", a.FallbackTitle)
			w.kobj("meta", a.Meta)
		default:
			if a.ExternalOnly {
				w.kstr("data_url", a.DataURL)
				w.kstr("thumb_url", a.ThumbURL)
				break
			}
			w.kstrp("extension", a.Extension)
			w.kstr("content_type", a.ContentType)
			w.kstr("data_url", a.DataURL)
			w.kstr("thumb_url", a.ThumbURL)
			w.kint("file_size", a.FileSize)
			w.key("width")
			if a.Width == nil {
				w.null()
			} else {
				w.int(*a.Width)
			}
			w.key("height")
			if a.Height == nil {
				w.null()
			} else {
				w.int(*a.Height)
			}
			if a.FileType == "audio" {
				w.kstr("transcribed_text", a.TranscribedText)
			}
		}
		w.end()
		if !a.ExternalOnly && a.FileType != "location" && a.FileType != "fallback" && a.FileType != "contact" {
			g.reshape(w, start, g.keys(releases.Attachment))
		}
	}
	w.aend()
}

// wMessageMembers writes Message#webhook_data into an open object.
func (g *Generator) wMessageMembers(w *writer, m *Message) {
	c := m.Conversation
	w.key("account")
	g.wAccount(w)
	w.kobj("additional_attributes", m.AdditionalAttributes)
	w.kobj("content_attributes", m.ContentAttributes)
	w.kstr("content_type", m.ContentType)
	w.kstrp("content", g.webhookContent(m))
	w.key("conversation")
	g.wConversation(w, c)
	w.kiso("created_at", m.CreatedAt)
	w.kint("id", m.ID)
	w.key("inbox")
	w.obj()
	w.kint("id", c.Inbox.ID)
	w.kstr("name", c.Inbox.Name)
	w.end()
	w.kstr("message_type", m.MessageType)
	w.kbool("private", m.Private)
	w.key("sender")
	switch {
	case m.Contact != nil:
		g.wContact(w, m.Contact)
	case m.Agent != nil:
		g.wUser(w, m.Agent)
	case m.Bot != nil:
		g.wBot(w, m.Bot)
	default:
		w.null()
	}
	w.kstrp("source_id", m.SourceID)
	g.wAttachments(w, m)
}

// wChanges writes changed_attributes: an array of one-key objects, or null.
func (w *writer) changes(k string, ch Object) {
	w.key(k)
	if ch == nil {
		w.null()
		return
	}
	w.arr()
	for _, m := range ch {
		w.elem()
		w.obj()
		w.key(m.Key)
		w.value(m.Value)
		w.end()
	}
	w.aend()
}

// wInboxMembers writes Inbox::EventDataPresenter#webhook_data.
func (g *Generator) wInboxMembers(w *writer, ib *Inbox) {
	w.kbool("allow_messages_after_resolved", ib.AllowMessagesAfterResolved)
	w.kbool("lock_to_single_conversation", ib.LockToSingleConversation)
	w.kobj("auto_assignment_config", Object{})
	w.kbool("enable_auto_assignment", ib.EnableAutoAssignment)
	w.kbool("enable_email_collect", ib.EnableEmailCollect)
	w.kbool("greeting_enabled", ib.GreetingEnabled)
	w.kstrp("greeting_message", ib.GreetingMessage)
	w.kbool("csat_survey_enabled", ib.CSATSurveyEnabled)
	w.kstrp("business_name", ib.BusinessName)
	w.kstr("sender_name_type", ib.SenderNameType)
	w.kstr("timezone", ib.Timezone)
	w.kstrp("out_of_office_message", ib.OutOfOfficeMessage)
	w.kbool("working_hours_enabled", ib.WorkingHoursEnabled)
	w.key("working_hours")
	w.value(ib.WorkingHours)
	w.kiso("created_at", ib.CreatedAt)
	w.kiso("updated_at", ib.UpdatedAt)
	w.kobj("channel", ib.Channel)
	w.key("account")
	g.wAccount(w)
}
