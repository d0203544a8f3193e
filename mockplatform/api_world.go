package mockplatform

import (
	"maps"
	"slices"
	"time"
)

// APIWorld is the state an [APIServer] starts from: one Chatwoot account
// and what is in it. It is plain data so that any world model (chathook's
// generator builds one per seed) can be handed over at the boundary; the
// server copies it and owns its copy.
//
// IDs are Chatwoot's: Conversation.DisplayID is the per-account number the
// API's paths and payloads call the conversation's id.
type APIWorld struct {
	Account       APIAccount
	Inboxes       []APIInbox
	Contacts      []APIContact
	Agents        []APIAgent
	Bots          []APIBot
	Teams         []APITeam
	Conversations []APIConversation
	Messages      []APIMessage // existing messages, oldest first
}

// APIAccount is the account. Suspended accounts refuse every call (401
// "Account is suspended"); APIDisabled ones refuse access-token calls (403,
// the api_and_webhooks feature off).
type APIAccount struct {
	ID          int
	Name        string
	Suspended   bool
	APIDisabled bool
}

// Chatwoot channel types the API server treats specially.
const (
	ChannelAPI       = "Channel::Api"
	ChannelWebWidget = "Channel::WebWidget"
)

// APIInbox is an inbox. BotID is the agent bot connected to it (0: none);
// only API inboxes (ChannelAPI) accept incoming messages through the API.
type APIInbox struct {
	ID          int
	Name        string
	ChannelType string
	ChannelID   int
	BotID       int
	Members     []int // agent ids (inbox_members)
}

// APIContact is a contact. Empty Email, Phone and Identifier are null.
type APIContact struct {
	ID                   int
	Name                 string
	Email                string
	Phone                string
	Identifier           string
	Thumbnail            string
	Blocked              bool
	AdditionalAttributes map[string]any
	CustomAttributes     map[string]any
	CreatedAt            time.Time
	LastActivityAt       time.Time
	// SourceIDs maps inbox id to the contact's source_id in that inbox.
	SourceIDs map[int]string
}

// APIAgent is a user of the account. Token is the user's api_access_token
// ("" : none). Role is "administrator" or "agent".
type APIAgent struct {
	ID            int
	Name          string
	AvailableName string
	Email         string
	Role          string
	Token         string
}

// APIBot is an agent bot. Token is its access token ("" : none).
type APIBot struct {
	ID          int
	Name        string
	Description string
	OutgoingURL string
	Token       string
}

// APITeam is a team.
type APITeam struct {
	ID   int
	Name string
}

// Conversation statuses and message types, as Chatwoot names them.
const (
	StatusOpen     = "open"
	StatusResolved = "resolved"
	StatusPending  = "pending"
	StatusSnoozed  = "snoozed"

	MessageIncoming = "incoming"
	MessageOutgoing = "outgoing"
	MessageActivity = "activity"
	MessageTemplate = "template"
)

// Sender types of a message.
const (
	SenderContact  = "Contact"
	SenderUser     = "User"
	SenderAgentBot = "AgentBot"
)

// APIConversation is a conversation's current state. Zero times are null.
type APIConversation struct {
	ID                   int // database id
	DisplayID            int
	UUID                 string
	InboxID              int
	ContactID            int
	Status               string
	Priority             string // "" : null
	AssigneeID           int    // user; 0: none
	AssigneeBotID        int    // assignee_agent_bot; 0: none
	TeamID               int
	Labels               []string
	CustomAttributes     map[string]any
	AdditionalAttributes map[string]any
	Muted                bool
	SnoozedUntil         time.Time
	WaitingSince         time.Time
	FirstReplyCreatedAt  time.Time
	AgentLastSeenAt      time.Time
	ContactLastSeenAt    time.Time
	CreatedAt            time.Time
	UpdatedAt            time.Time
	LastActivityAt       time.Time
}

// APIMessage is a message. Content and SourceID nil are null.
type APIMessage struct {
	ID                int
	ConversationID    int // the conversation's DisplayID
	InboxID           int
	Content           *string
	MessageType       string // incoming, outgoing, activity, template
	ContentType       string // text, input_select, ...
	Private           bool
	Status            string // sent, delivered, read, failed
	SourceID          *string
	SenderType        string // Contact, User, AgentBot; "" : none
	SenderID          int
	ContentAttributes map[string]any
	EchoID            string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// clone returns a deep copy of w, so the server never shares maps or slices
// with its caller.
func (w APIWorld) clone() APIWorld {
	c := w
	c.Inboxes = slices.Clone(w.Inboxes)
	for i := range c.Inboxes {
		c.Inboxes[i].Members = slices.Clone(c.Inboxes[i].Members)
	}
	c.Contacts = slices.Clone(w.Contacts)
	for i := range c.Contacts {
		c.Contacts[i] = c.Contacts[i].clone()
	}
	c.Agents = slices.Clone(w.Agents)
	c.Bots = slices.Clone(w.Bots)
	c.Teams = slices.Clone(w.Teams)
	c.Conversations = slices.Clone(w.Conversations)
	for i := range c.Conversations {
		c.Conversations[i] = c.Conversations[i].clone()
	}
	c.Messages = slices.Clone(w.Messages)
	for i := range c.Messages {
		c.Messages[i] = c.Messages[i].clone()
	}
	return c
}

func (c APIContact) clone() APIContact {
	c.AdditionalAttributes = cloneMap(c.AdditionalAttributes)
	c.CustomAttributes = cloneMap(c.CustomAttributes)
	c.SourceIDs = maps.Clone(c.SourceIDs)
	return c
}

func (c APIConversation) clone() APIConversation {
	c.Labels = slices.Clone(c.Labels)
	c.CustomAttributes = cloneMap(c.CustomAttributes)
	c.AdditionalAttributes = cloneMap(c.AdditionalAttributes)
	return c
}

func (m APIMessage) clone() APIMessage {
	m.ContentAttributes = cloneMap(m.ContentAttributes)
	if m.Content != nil {
		s := *m.Content
		m.Content = &s
	}
	if m.SourceID != nil {
		s := *m.SourceID
		m.SourceID = &s
	}
	return m
}

// cloneMap copies a JSON-like map deeply; nil stays nil.
func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneMap(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = cloneValue(x)
		}
		return out
	case []string:
		return slices.Clone(v)
	}
	return v
}
