package mockplatform

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"
)

// seedIDs sets the next database ids above those of the world.
func (s *APIServer) seedIDs() {
	maxOf := func(kind string, id int) {
		if id >= s.nextID[kind] {
			s.nextID[kind] = id
		}
	}
	for _, c := range s.w.Conversations {
		maxOf("conversation", c.ID)
		maxOf("display", c.DisplayID)
	}
	for _, m := range s.w.Messages {
		maxOf("message", m.ID)
	}
}

func (s *APIServer) newID(kind string) int {
	s.nextID[kind]++
	return s.nextID[kind]
}

func (s *APIServer) conv(displayID int) *APIConversation {
	for i := range s.w.Conversations {
		if s.w.Conversations[i].DisplayID == displayID {
			return &s.w.Conversations[i]
		}
	}
	return nil
}

func (s *APIServer) inbox(id int) *APIInbox {
	for i := range s.w.Inboxes {
		if s.w.Inboxes[i].ID == id {
			return &s.w.Inboxes[i]
		}
	}
	return nil
}

func (s *APIServer) contact(id int) *APIContact {
	for i := range s.w.Contacts {
		if s.w.Contacts[i].ID == id {
			return &s.w.Contacts[i]
		}
	}
	return nil
}

func (s *APIServer) agent(id int) *APIAgent {
	for i := range s.w.Agents {
		if s.w.Agents[i].ID == id {
			return &s.w.Agents[i]
		}
	}
	return nil
}

func (s *APIServer) bot(id int) *APIBot {
	for i := range s.w.Bots {
		if s.w.Bots[i].ID == id {
			return &s.w.Bots[i]
		}
	}
	return nil
}

func (s *APIServer) team(id int) *APITeam {
	for i := range s.w.Teams {
		if s.w.Teams[i].ID == id {
			return &s.w.Teams[i]
		}
	}
	return nil
}

func (s *APIServer) message(id int) *APIMessage {
	for i := range s.w.Messages {
		if s.w.Messages[i].ID == id {
			return &s.w.Messages[i]
		}
	}
	return nil
}

// activeBot is the agent bot connected to the conversation's inbox.
func (s *APIServer) activeBot(c *APIConversation) *APIBot {
	if ib := s.inbox(c.InboxID); ib != nil && ib.BotID != 0 {
		return s.bot(ib.BotID)
	}
	return nil
}

// MessageInput is a message to create through Inject methods, as the
// messages endpoint's parameters.
type MessageInput struct {
	Content           *string
	MessageType       string // default outgoing
	ContentType       string // default text
	Private           bool
	SenderType        string // for outgoing: SenderUser (default: the first administrator) or SenderAgentBot
	SenderID          int
	ContentAttributes map[string]any
	SourceID          *string
	EchoID            string
}

// CreateMessage creates a message in conversation displayID as the channel
// or an API call would, without a call: an incoming message is the
// contact's (in any inbox: the contact writes through its channel), an
// outgoing one the given sender's. The platform reacts as it does to the API call
// (message_created is delivered, a resolved conversation reopens, ...).
// Drivers (tests, `chathook platform`) use it to play the contact.
func (s *APIServer) CreateMessage(displayID int, in MessageInput) (APIMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conv(displayID)
	if c == nil {
		return APIMessage{}, fmt.Errorf("%w: no conversation %d", ErrInvalidArgument, displayID)
	}
	m, err := s.buildMessageLocked(c, in, false)
	if err != nil {
		return APIMessage{}, fmt.Errorf("%w: %v", ErrInvalidArgument, err)
	}
	return s.addMessageLocked(c, m, 0).clone(), nil
}

// UpdateMessageStatus changes a message's status (sent, delivered, read,
// failed) as the API inbox's PATCH does, and emits message_updated.
func (s *APIServer) UpdateMessageStatus(id int, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.message(id)
	if m == nil {
		return fmt.Errorf("%w: no message %d", ErrInvalidArgument, id)
	}
	if !slices.Contains(messageStatuses, status) {
		return fmt.Errorf("%w: %q is not a valid status", ErrInvalidArgument, status)
	}
	s.updateMessageLocked(m, status, 0)
	return nil
}

// SetStatus changes a conversation's status as toggle_status does and emits
// the listeners' events.
func (s *APIServer) SetStatus(displayID int, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conv(displayID)
	if c == nil {
		return fmt.Errorf("%w: no conversation %d", ErrInvalidArgument, displayID)
	}
	if !slices.Contains(conversationStatuses, status) {
		return fmt.Errorf("%w: %q is not a valid status", ErrInvalidArgument, status)
	}
	s.setStatusLocked(c, status, time.Time{}, 0)
	return nil
}

var (
	messageTypes         = []string{MessageIncoming, MessageOutgoing, MessageActivity, MessageTemplate}
	messageStatuses      = []string{"sent", "delivered", "read", "failed"}
	conversationStatuses = []string{StatusOpen, StatusResolved, StatusPending, StatusSnoozed}
	priorities           = []string{"low", "medium", "high", "urgent"}
	contentTypes         = []string{"text", "input_text", "input_textarea", "input_email", "input_select", "cards", "form",
		"article", "incoming_email", "input_csat", "integrations", "sticker", "voice_call"}
)

// buildMessageLocked checks a message as Messages::MessageBuilder and the
// Message model do and fills in its sender. Errors are Chatwoot's texts.
func (s *APIServer) buildMessageLocked(c *APIConversation, in MessageInput, viaAPI bool) (APIMessage, error) {
	mt := in.MessageType
	if mt == "" {
		mt = MessageOutgoing
	}
	if !slices.Contains(messageTypes, mt) {
		return APIMessage{}, fmt.Errorf("'%s' is not a valid message_type", mt)
	}
	ib := s.inbox(c.InboxID)
	if viaAPI && mt == MessageIncoming && (ib == nil || ib.ChannelType != ChannelAPI) {
		return APIMessage{}, fmt.Errorf("Incoming messages are only allowed in Api inboxes")
	}
	ct := in.ContentType
	if ct == "" {
		ct = "text"
	}
	if !slices.Contains(contentTypes, ct) {
		return APIMessage{}, fmt.Errorf("'%s' is not a valid content_type", ct)
	}
	if in.Content != nil && len([]rune(*in.Content)) > 150000 {
		return APIMessage{}, fmt.Errorf("Validation failed: Content is too long (maximum is 150000 characters)")
	}
	if s.recentMessagesLocked(c.DisplayID) >= s.cfg.MessagesPerMinute {
		return APIMessage{}, fmt.Errorf("Validation failed: Too many messages")
	}
	m := APIMessage{Content: in.Content, MessageType: mt, ContentType: ct, Private: in.Private,
		SourceID: in.SourceID, ContentAttributes: cloneMap(in.ContentAttributes), EchoID: in.EchoID}
	// MessageBuilder#sender: an outgoing message is the sender_type
	// AgentBot's when given, else the caller's; every other type is the
	// contact's.
	// Messages the platform makes itself (Inject calls) follow the
	// platform: template messages (greeting, out-of-office, CSAT) have no
	// sender.
	switch {
	case mt == MessageOutgoing:
		m.SenderType, m.SenderID = in.SenderType, in.SenderID
		if m.SenderType == "" {
			m.SenderType, m.SenderID = SenderUser, s.firstAdminLocked()
		}
	case mt == MessageTemplate && !viaAPI:
	default:
		m.SenderType, m.SenderID = SenderContact, c.ContactID
	}
	return m, nil
}

func (s *APIServer) firstAdminLocked() int {
	for _, a := range s.w.Agents {
		if a.Role == "administrator" {
			return a.ID
		}
	}
	if len(s.w.Agents) > 0 {
		return s.w.Agents[0].ID
	}
	return 0
}

func (s *APIServer) recentMessagesLocked(displayID int) int {
	since := s.cfg.Now().Add(-time.Minute)
	n := 0
	for _, m := range s.w.Messages {
		if m.ConversationID == displayID && !m.CreatedAt.Before(since) {
			n++
		}
	}
	return n
}

// addMessageLocked stores m in c and applies Message's after-create
// callbacks in Chatwoot's order: reopen a resolved or snoozed conversation
// on an incoming message, record activity, emit message_created (incoming,
// outgoing and template messages only: webhook_sendable?), then update
// first_reply_created_at / waiting_since.
func (s *APIServer) addMessageLocked(c *APIConversation, m APIMessage, cause int) *APIMessage {
	now := s.cfg.Now()
	m.ID = s.newID("message")
	m.ConversationID = c.DisplayID
	m.InboxID = c.InboxID
	if m.Status == "" {
		m.Status = "sent"
	}
	if m.ContentAttributes == nil {
		m.ContentAttributes = map[string]any{}
	}
	m.CreatedAt, m.UpdatedAt = now, now
	s.w.Messages = append(s.w.Messages, m)
	stored := &s.w.Messages[len(s.w.Messages)-1]

	if m.MessageType == MessageIncoming && !c.Muted {
		switch c.Status {
		case StatusSnoozed:
			s.setStatusLocked(c, StatusOpen, time.Time{}, cause)
		case StatusResolved:
			// reopen_resolved_conversation: bot inboxes go back to pending
			// for the bot, other inboxes reopen.
			if s.activeBot(c) != nil {
				s.setStatusLocked(c, StatusPending, time.Time{}, cause)
			} else {
				s.setStatusLocked(c, StatusOpen, time.Time{}, cause)
			}
		}
	}
	if m.MessageType != MessageActivity {
		c.LastActivityAt = now
	}
	c.UpdatedAt = now
	if m.SenderType == SenderContact {
		if ct := s.contact(m.SenderID); ct != nil {
			ct.LastActivityAt = now
		}
	}
	if m.MessageType == MessageIncoming || m.MessageType == MessageOutgoing || m.MessageType == MessageTemplate {
		msg := stored.clone()
		s.emitLocked(APIEvent{Name: "message_created", Conversation: c.clone(), Message: &msg, Cause: cause})
	}
	var changes []APIChange
	human := m.MessageType == MessageOutgoing && m.SenderType == SenderUser
	switch {
	case human && !m.Private && c.FirstReplyCreatedAt.IsZero():
		changes = append(changes, APIChange{"first_reply_created_at", nil, now})
		c.FirstReplyCreatedAt = now
		if !c.WaitingSince.IsZero() {
			changes = append(changes, APIChange{"waiting_since", c.WaitingSince, nil})
			c.WaitingSince = time.Time{}
		}
	case m.MessageType == MessageOutgoing && !m.Private && !c.WaitingSince.IsZero():
		changes = append(changes, APIChange{"waiting_since", c.WaitingSince, nil})
		c.WaitingSince = time.Time{}
	case m.MessageType == MessageIncoming && c.WaitingSince.IsZero():
		changes = append(changes, APIChange{"waiting_since", nil, now})
		c.WaitingSince = now
	}
	if changes != nil {
		s.emitUpdatedLocked(c, changes, cause)
	}
	return stored
}

func (s *APIServer) updateMessageLocked(m *APIMessage, status string, cause int) {
	if m.Status == status {
		return
	}
	m.Status = status
	m.UpdatedAt = s.cfg.Now()
	c := s.conv(m.ConversationID)
	if c == nil {
		return
	}
	if m.MessageType == MessageIncoming || m.MessageType == MessageOutgoing || m.MessageType == MessageTemplate {
		msg := m.clone()
		s.emitLocked(APIEvent{Name: "message_updated", Conversation: c.clone(), Message: &msg, Cause: cause})
	}
}

// setStatusLocked changes the status and emits, as
// Conversation#notify_status_change and notify_conversation_updation do,
// conversation_opened or conversation_resolved, then
// conversation_status_changed, then conversation_updated.
func (s *APIServer) setStatusLocked(c *APIConversation, status string, snoozedUntil time.Time, cause int) {
	if c.Status == status && (status != StatusSnoozed || c.SnoozedUntil.Equal(snoozedUntil)) {
		return
	}
	prev := c.Status
	changes := []APIChange{{"status", prev, status}}
	c.Status = status
	if status == StatusSnoozed {
		if !snoozedUntil.Equal(c.SnoozedUntil) {
			changes = append(changes, APIChange{"snoozed_until", nilTime(c.SnoozedUntil), nilTime(snoozedUntil)})
		}
		c.SnoozedUntil = snoozedUntil
	} else if !c.SnoozedUntil.IsZero() {
		changes = append(changes, APIChange{"snoozed_until", c.SnoozedUntil, nil})
		c.SnoozedUntil = time.Time{}
	}
	if status == StatusResolved && !c.WaitingSince.IsZero() {
		changes = append(changes, APIChange{"waiting_since", c.WaitingSince, nil})
		c.WaitingSince = time.Time{}
	}
	c.UpdatedAt = s.cfg.Now()
	changes = append(changes, APIChange{"updated_at", nil, c.UpdatedAt})
	sortChanges(changes)
	if prev != status {
		switch status {
		case StatusOpen:
			s.emitLocked(APIEvent{Name: "conversation_opened", Conversation: c.clone(), Cause: cause})
		case StatusResolved:
			s.emitLocked(APIEvent{Name: "conversation_resolved", Conversation: c.clone(), Cause: cause})
		}
		s.emitLocked(APIEvent{Name: "conversation_status_changed", Conversation: c.clone(), Changes: changes, Cause: cause})
	}
	s.emitLocked(APIEvent{Name: "conversation_updated", Conversation: c.clone(), Changes: changes, Cause: cause})
}

// emitUpdatedLocked emits conversation_updated for changes (which touch a
// key of Conversation#list_of_keys).
func (s *APIServer) emitUpdatedLocked(c *APIConversation, changes []APIChange, cause int) {
	c.UpdatedAt = s.cfg.Now()
	changes = append(changes, APIChange{"updated_at", nil, c.UpdatedAt})
	sortChanges(changes)
	s.emitLocked(APIEvent{Name: "conversation_updated", Conversation: c.clone(), Changes: changes, Cause: cause})
}

// conversationColumnOrder is the conversations table's column order, which
// previous_changes follows; label_list (virtual) comes last.
var conversationColumnOrder = []string{"account_id", "inbox_id", "status", "assignee_id", "created_at", "updated_at",
	"contact_id", "display_id", "contact_last_seen_at", "agent_last_seen_at", "additional_attributes",
	"contact_inbox_id", "uuid", "identifier", "last_activity_at", "team_id", "campaign_id", "snoozed_until",
	"custom_attributes", "assignee_last_seen_at", "first_reply_created_at", "priority", "sla_policy_id",
	"waiting_since", "cached_label_list", "assignee_agent_bot_id", "label_list"}

func sortChanges(ch []APIChange) {
	sort.SliceStable(ch, func(i, j int) bool {
		return slices.Index(conversationColumnOrder, ch[i].Attr) < slices.Index(conversationColumnOrder, ch[j].Attr)
	})
}

func nilTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nilString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nilInt(i int) any {
	if i == 0 {
		return nil
	}
	return i
}

func (s *APIServer) setPriorityLocked(c *APIConversation, p string, cause int) {
	if c.Priority == p {
		return
	}
	ch := []APIChange{{"priority", nilString(c.Priority), nilString(p)}}
	c.Priority = p
	s.emitUpdatedLocked(c, ch, cause)
}

func (s *APIServer) setLabelsLocked(c *APIConversation, labels []string, cause int) {
	// acts_as_taggable keeps unique names in the order given.
	var uniq []string
	for _, l := range labels {
		if l != "" && !slices.Contains(uniq, l) {
			uniq = append(uniq, l)
		}
	}
	if slices.Equal(uniq, c.Labels) {
		return
	}
	prev := slices.Clone(c.Labels)
	c.Labels = uniq
	ch := []APIChange{
		{"cached_label_list", nilString(joinLabels(prev)), joinLabels(uniq)},
		{"label_list", orEmpty(prev), orEmpty(slices.Clone(uniq))},
	}
	s.emitUpdatedLocked(c, ch, cause)
}

func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func joinLabels(l []string) string {
	out := ""
	for i, x := range l {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func (s *APIServer) setCustomAttributesLocked(c *APIConversation, attrs map[string]any, cause int) {
	if attrs == nil {
		attrs = map[string]any{}
	}
	if maps.EqualFunc(attrs, c.CustomAttributes, func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) && c.CustomAttributes != nil {
		return
	}
	ch := []APIChange{{"custom_attributes", cloneMap(c.CustomAttributes), cloneMap(attrs)}}
	c.CustomAttributes = cloneMap(attrs)
	s.emitUpdatedLocked(c, ch, cause)
}

func (s *APIServer) assignLocked(c *APIConversation, agentID, botID int, cause int) {
	var ch []APIChange
	if c.AssigneeID != agentID {
		ch = append(ch, APIChange{"assignee_id", nilInt(c.AssigneeID), nilInt(agentID)})
		c.AssigneeID = agentID
	}
	if c.AssigneeBotID != botID {
		ch = append(ch, APIChange{"assignee_agent_bot_id", nilInt(c.AssigneeBotID), nilInt(botID)})
		c.AssigneeBotID = botID
	}
	if ch != nil {
		s.emitUpdatedLocked(c, ch, cause)
	}
}

func (s *APIServer) setTeamLocked(c *APIConversation, teamID int, cause int) {
	if c.TeamID == teamID {
		return
	}
	ch := []APIChange{{"team_id", nilInt(c.TeamID), nilInt(teamID)}}
	c.TeamID = teamID
	s.emitUpdatedLocked(c, ch, cause)
}
