package mockplatform

import (
	"bytes"
	"encoding/json"
	"time"
)

// The response bodies, as Chatwoot 4.16's jbuilder views render them
// (app/views/api/v1/...), key order included. Rails' JSON escapes <, > and &
// as \u003c, \u003e, \u0026, as encoding/json does.

// jo is a JSON object that keeps its key order.
type jo []kv

type kv struct {
	k string
	v any
}

// MarshalJSON writes the members in order.
func (o jo) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// iso is ActiveSupport's time JSON: UTC, 3 fractional digits, Z.
func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func isoOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return iso(t)
}

// unix is Ruby's to_i: nil.to_i is 0.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func unixFloat(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func strpOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// jsonText renders a parameter that is not a string the way Rails' to_s
// would, close enough for content: JSON text.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// parseJSONObject is MessageBuilder's safe_parse_json: {} unless an object.
func parseJSONObject(s string) map[string]any {
	var m map[string]any
	if json.Unmarshal([]byte(s), &m) != nil || m == nil {
		return map[string]any{}
	}
	return m
}

var messageTypeNumber = map[string]int{MessageIncoming: 0, MessageOutgoing: 1, MessageActivity: 2, MessageTemplate: 3}

// messageJSON is api/v1/models/_message.
func (s *APIServer) messageJSON(m *APIMessage) jo {
	o := jo{{"id", m.ID}, {"content", strpOrNil(m.Content)}, {"inbox_id", m.InboxID}}
	if m.EchoID != "" {
		o = append(o, kv{"echo_id", m.EchoID})
	}
	o = append(o,
		kv{"conversation_id", m.ConversationID},
		kv{"message_type", messageTypeNumber[m.MessageType]},
		kv{"content_type", m.ContentType},
		kv{"status", m.Status},
		kv{"content_attributes", orEmptyMap(m.ContentAttributes)},
		kv{"created_at", unix(m.CreatedAt)},
		kv{"private", m.Private},
		kv{"source_id", strpOrNil(m.SourceID)},
	)
	if snd := s.senderPush(m); snd != nil {
		o = append(o, kv{"sender", snd})
	}
	return o
}

// senderPush is the sender's push_event_data, nil without a sender.
func (s *APIServer) senderPush(m *APIMessage) any {
	switch m.SenderType {
	case SenderContact:
		if ct := s.contact(m.SenderID); ct != nil {
			return contactPush(ct)
		}
	case SenderUser:
		if a := s.agent(m.SenderID); a != nil {
			return agentPush(a)
		}
	case SenderAgentBot:
		if b := s.bot(m.SenderID); b != nil {
			return botPush(b)
		}
	}
	return nil
}

// pushMessage is Message#push_event_data (conversation messages[]).
func (s *APIServer) pushMessage(m *APIMessage) jo {
	c := s.conv(m.ConversationID)
	var senderType, senderID any
	if m.SenderType != "" {
		senderType, senderID = m.SenderType, m.SenderID
	}
	o := jo{{"id", m.ID}, {"content", strpOrNil(m.Content)}, {"account_id", s.w.Account.ID}, {"inbox_id", m.InboxID},
		{"conversation_id", m.ConversationID}, {"message_type", messageTypeNumber[m.MessageType]},
		{"created_at", unix(m.CreatedAt)}, {"updated_at", iso(m.UpdatedAt)}, {"private", m.Private},
		{"status", m.Status}, {"source_id", strpOrNil(m.SourceID)}, {"content_type", m.ContentType},
		{"content_attributes", orEmptyMap(m.ContentAttributes)}, {"sender_type", senderType}, {"sender_id", senderID},
		{"external_source_ids", jo{}}, {"additional_attributes", jo{}},
		{"processed_message_content", strpOrNil(m.Content)}, {"sentiment", jo{}}}
	if c != nil {
		o = append(o, kv{"conversation", jo{{"assignee_id", nilInt(c.AssigneeID)}, {"unread_count", s.unreadLocked(c)},
			{"last_activity_at", unix(c.LastActivityAt)}, {"contact_inbox", jo{{"source_id", s.sourceID(c)}}}}})
	}
	if snd := s.senderPush(m); snd != nil {
		o = append(o, kv{"sender", snd})
	}
	return o
}

func (s *APIServer) sourceID(c *APIConversation) string {
	if ct := s.contact(c.ContactID); ct != nil {
		return ct.SourceIDs[c.InboxID]
	}
	return ""
}

// unreadLocked counts incoming messages since the agents last looked.
func (s *APIServer) unreadLocked(c *APIConversation) int {
	n := 0
	for _, m := range s.w.Messages {
		if m.ConversationID == c.DisplayID && m.MessageType == MessageIncoming && m.CreatedAt.After(c.AgentLastSeenAt) {
			n++
		}
	}
	return n
}

// contactPush is Contact#push_event_data.
func contactPush(c *APIContact) jo {
	return jo{{"additional_attributes", orEmptyMap(c.AdditionalAttributes)}, {"custom_attributes", orEmptyMap(c.CustomAttributes)},
		{"email", strOrNil(c.Email)}, {"id", c.ID}, {"identifier", strOrNil(c.Identifier)}, {"name", c.Name},
		{"phone_number", strOrNil(c.Phone)}, {"thumbnail", c.Thumbnail}, {"blocked", c.Blocked}, {"type", "contact"}}
}

// contactJSON is api/v1/models/_contact.
func (s *APIServer) contactJSON(c *APIContact, withInboxes bool) jo {
	o := jo{{"additional_attributes", orEmptyMap(c.AdditionalAttributes)}, {"availability_status", "offline"},
		{"email", strOrNil(c.Email)}, {"id", c.ID}, {"name", c.Name}, {"phone_number", strOrNil(c.Phone)},
		{"blocked", c.Blocked}, {"identifier", strOrNil(c.Identifier)}, {"thumbnail", c.Thumbnail},
		{"custom_attributes", orEmptyMap(c.CustomAttributes)}}
	if !c.LastActivityAt.IsZero() {
		o = append(o, kv{"last_activity_at", unix(c.LastActivityAt)})
	}
	if !c.CreatedAt.IsZero() {
		o = append(o, kv{"created_at", unix(c.CreatedAt)})
	}
	if withInboxes {
		cis := []any{}
		for _, ib := range s.w.Inboxes {
			sid, ok := c.SourceIDs[ib.ID]
			if !ok {
				continue
			}
			cis = append(cis, jo{{"source_id", sid}, {"inbox", jo{{"id", ib.ID}, {"avatar_url", ""},
				{"channel_id", ib.ChannelID}, {"name", ib.Name}, {"channel_type", ib.ChannelType}, {"provider", nil}}}})
		}
		o = append(o, kv{"contact_inboxes", cis})
	}
	return o
}

// agentPush is User#push_event_data.
func agentPush(a *APIAgent) jo {
	return jo{{"id", a.ID}, {"name", a.Name}, {"available_name", availableName(a)}, {"avatar_url", ""},
		{"type", "user"}, {"availability_status", "offline"}, {"thumbnail", ""}}
}

func availableName(a *APIAgent) string {
	if a.AvailableName != "" {
		return a.AvailableName
	}
	return a.Name
}

// agentJSON is api/v1/models/_agent (community edition).
func (s *APIServer) agentJSON(a *APIAgent) jo {
	role := a.Role
	if role == "" {
		role = "agent"
	}
	return jo{{"id", a.ID}, {"account_id", s.w.Account.ID}, {"availability_status", "offline"}, {"auto_offline", true},
		{"confirmed", true}, {"email", a.Email}, {"provider", "email"}, {"available_name", availableName(a)},
		{"name", a.Name}, {"role", role}, {"thumbnail", ""}}
}

// botSlim is api/v1/models/_agent_bot_slim.
func botSlim(b *APIBot) jo {
	return jo{{"id", b.ID}, {"name", b.Name}, {"description", strOrNil(b.Description)}, {"thumbnail", ""},
		{"outgoing_url", strOrNil(b.OutgoingURL)}, {"bot_type", "webhook"}}
}

// botPush is AgentBot#push_event_data without an inbox.
func botPush(b *APIBot) jo {
	return jo{{"id", b.ID}, {"name", b.Name}, {"avatar_url", ""}, {"type", "agent_bot"}}
}

// conversationJSON is api/v1/conversations/partials/_conversation
// (community edition: no enterprise keys).
func (s *APIServer) conversationJSON(c *APIConversation) jo {
	meta := jo{}
	if ct := s.contact(c.ContactID); ct != nil {
		meta = append(meta, kv{"sender", s.contactJSON(ct, false)})
	}
	channel := ""
	if ib := s.inbox(c.InboxID); ib != nil {
		channel = ib.ChannelType
	}
	meta = append(meta, kv{"channel", channel})
	if b := s.bot(c.AssigneeBotID); b != nil && c.AssigneeBotID != 0 {
		meta = append(meta, kv{"assignee", botSlim(b)}, kv{"assignee_type", "AgentBot"})
	} else if a := s.agent(c.AssigneeID); a != nil && c.AssigneeID != 0 {
		meta = append(meta, kv{"assignee", s.agentJSON(a)}, kv{"assignee_type", "User"})
	}
	if t := s.team(c.TeamID); t != nil && c.TeamID != 0 {
		meta = append(meta, kv{"team", jo{{"id", t.ID}, {"name", t.Name}, {"description", nil},
			{"allow_auto_assign", true}, {"account_id", s.w.Account.ID}, {"is_member", false}}})
	}
	meta = append(meta, kv{"hmac_verified", false})

	var last, lastNonActivity *APIMessage
	for i := range s.w.Messages {
		m := &s.w.Messages[i]
		if m.ConversationID != c.DisplayID {
			continue
		}
		last = m
		// non_activity_messages is ordered newest first: .first is the
		// latest one.
		if m.MessageType != MessageActivity {
			lastNonActivity = m
		}
	}
	messages := []any{}
	if last != nil {
		messages = append(messages, s.pushMessage(last))
	}
	var lna any
	if lastNonActivity != nil {
		lna = s.pushMessage(lastNonActivity)
	}
	return jo{{"meta", meta}, {"id", c.DisplayID}, {"messages", messages}, {"account_id", s.w.Account.ID},
		{"uuid", c.UUID}, {"additional_attributes", orEmptyMap(c.AdditionalAttributes)},
		{"agent_last_seen_at", unix(c.AgentLastSeenAt)}, {"assignee_last_seen_at", int64(0)},
		{"can_reply", true}, {"contact_last_seen_at", unix(c.ContactLastSeenAt)},
		{"custom_attributes", orEmptyMap(c.CustomAttributes)}, {"inbox_id", c.InboxID}, {"labels", orEmpty(c.Labels)},
		{"muted", c.Muted}, {"snoozed_until", isoOrNil(c.SnoozedUntil)}, {"status", c.Status},
		{"created_at", unix(c.CreatedAt)}, {"updated_at", unixFloat(c.UpdatedAt)}, {"timestamp", unix(c.LastActivityAt)},
		{"first_reply_created_at", unix(c.FirstReplyCreatedAt)}, {"unread_count", s.unreadLocked(c)},
		{"last_non_activity_message", lna}, {"last_activity_at", unix(c.LastActivityAt)},
		{"priority", strOrNil(c.Priority)}, {"waiting_since", unix(c.WaitingSince)}, {"sla_policy_id", nil}}
}

// profileJSON is api/v1/models/_user for the caller.
func (s *APIServer) profileJSON(a *APIAgent) jo {
	role := a.Role
	if role == "" {
		role = "agent"
	}
	tok := ""
	if !s.w.Account.APIDisabled {
		tok = a.Token
	}
	return jo{{"access_token", tok}, {"account_id", s.w.Account.ID}, {"available_name", availableName(a)},
		{"avatar_url", ""}, {"confirmed", true}, {"display_name", nil}, {"message_signature", nil},
		{"email", a.Email}, {"id", a.ID}, {"inviter_id", nil}, {"name", a.Name}, {"provider", "email"},
		{"pubsub_token", "pubsub-" + itoa(a.ID)}, {"role", role}, {"ui_settings", jo{}}, {"uid", a.Email}, {"type", nil},
		{"accounts", []any{jo{{"id", s.w.Account.ID}, {"name", s.w.Account.Name}, {"status", "active"},
			{"onboarding_step", "completed"}, {"active_at", nil}, {"role", role}, {"permissions", []string{role}},
			{"availability", "online"}, {"availability_status", "online"}, {"auto_offline", true}, {"api_and_webhooks", !s.w.Account.APIDisabled}}}}}
}
