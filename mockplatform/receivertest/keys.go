package receivertest

// The event names and keys the 5xx-unknown-events and 5xx-unknown-keys
// variants know, copied from chathook's schemas (schemas/chatwoot/events,
// schemas/chatwoot/objects, schemas/swiftsell) as a receiver author copies
// them from documentation. Every key a closed object of the schemas allows is
// listed, optional and version-specific ones included (SLA keys, account,
// company_id, ...), so every valid payload of every version and profile
// passes and only a key the schemas do not know triggers the defect.

// set builds a lookup set.
func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// union merges sets.
func union(sets ...map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, s := range sets {
		for k := range s {
			m[k] = true
		}
	}
	return m
}

// Chatwoot body shapes.
const (
	shapeMessage      = "message"
	shapeConversation = "conversation"
	shapeContact      = "contact"
	shapeTyping       = "typing"
	shapeInbox        = "inbox"
	shapeWebwidget    = "webwidget"
	shapeAccount      = "account"
)

// chatwootEvents maps each of the 21 event names of schemas/chatwoot/events
// to the shape of its body.
var chatwootEvents = map[string]string{
	"account_created":                        shapeAccount,
	"automation_event.conversation_created":  shapeConversation,
	"automation_event.conversation_opened":   shapeConversation,
	"automation_event.conversation_resolved": shapeConversation,
	"automation_event.conversation_updated":  shapeConversation,
	"automation_event.message_created":       shapeConversation, // the body is a conversation, even for message_created
	"contact_created":                        shapeContact,
	"contact_updated":                        shapeContact,
	"conversation_created":                   shapeConversation,
	"conversation_opened":                    shapeConversation,
	"conversation_resolved":                  shapeConversation,
	"conversation_status_changed":            shapeConversation,
	"conversation_typing_off":                shapeTyping,
	"conversation_typing_on":                 shapeTyping,
	"conversation_updated":                   shapeConversation,
	"inbox_created":                          shapeInbox,
	"inbox_updated":                          shapeInbox,
	"macro.executed":                         shapeConversation,
	"message_created":                        shapeMessage,
	"message_updated":                        shapeMessage,
	"webwidget_triggered":                    shapeWebwidget,
}

var (
	// objects/message.json
	cwMessageKeys = set("account", "additional_attributes", "content_attributes", "content_type", "content",
		"conversation", "created_at", "id", "inbox", "message_type", "private", "sender", "source_id", "attachments", "event")
	// objects/conversation.json
	cwConversationKeys = set("additional_attributes", "can_reply", "channel", "contact_inbox", "id", "inbox_id",
		"messages", "labels", "meta", "status", "custom_attributes", "snoozed_until", "unread_count",
		"first_reply_created_at", "priority", "waiting_since", "agent_last_seen_at", "contact_last_seen_at",
		"last_activity_at", "timestamp", "created_at", "updated_at", "applied_sla", "sla_events", "sla_policy_id",
		"account", "event", "changed_attributes")
	// objects/contact.json (+ company_id, which contact_push.json allows)
	cwContactKeys = set("account", "additional_attributes", "avatar", "custom_attributes", "email", "id", "identifier",
		"name", "phone_number", "thumbnail", "blocked", "type", "company_id", "event", "changed_attributes")
	// objects/typing_payload.json
	cwTypingKeys = set("event", "user", "conversation", "is_private")
	// objects/inbox_payload.json
	cwInboxKeys = set("allow_messages_after_resolved", "lock_to_single_conversation", "auto_assignment_config",
		"enable_auto_assignment", "enable_email_collect", "greeting_enabled", "greeting_message", "csat_survey_enabled",
		"business_name", "sender_name_type", "timezone", "out_of_office_message", "working_hours_enabled",
		"working_hours", "created_at", "updated_at", "channel", "account", "event", "changed_attributes")
	// events/webwidget_triggered.json
	cwWebwidgetKeys = set("id", "contact", "inbox", "account", "current_conversation", "source_id", "event", "event_info")
	// events/account_created.json
	cwAccountCreatedKeys = set("id", "name", "event", "users")

	// objects/sender.json: contact.json, user.json, agent_bot.json or
	// captain_assistant.json
	cwSenderKeys = union(cwContactKeys, set("id", "name", "email", "type", "avatar_url", "description", "created_at"))
	// objects/conversation_meta.json
	cwMetaKeys = set("sender", "assignee", "assignee_type", "team", "hmac_verified")

	cwTopKeys = map[string]map[string]bool{
		shapeMessage:      cwMessageKeys,
		shapeConversation: cwConversationKeys,
		shapeContact:      cwContactKeys,
		shapeTyping:       cwTypingKeys,
		shapeInbox:        cwInboxKeys,
		shapeWebwidget:    cwWebwidgetKeys,
		shapeAccount:      cwAccountCreatedKeys,
	}
	// the first nested objects checked, by top-level key
	cwNestedKeys = map[string]map[string]bool{
		"conversation": cwConversationKeys,
		"sender":       cwSenderKeys,
		"meta":         cwMetaKeys,
	}
)

// Swiftsell keys: envelope.json, event.json, and each events/<type>.json's
// payload.
var (
	ssEnvelopeKeys = set("events", "token")
	ssElementKeys  = set("event", "conversation", "account", "visitor", "timestamp")
	ssEventKeys    = set("type", "payload")
	ssPayloadKeys  = map[string]map[string]bool{
		"conversation_create": set("assigned_to_user", "created_at", "title", "bot_id", "channel", "is_new_visitor",
			"is_closed", "external_key", "browser", "variables"),
		"message":             set("message_by", "message"),
		"status":              set("closed_by", "status"),
		"assignee_change":     set("changed_by", "from", "to"),
		"variables":           set("action_performed_by", "variables"),
		"conversation_labels": set("action_performed_by", "action", "labels"),
		"note":                set("note_by", "note"),
	}
)

// unknownKey returns the first key of obj not in known, and whether there is
// one.
func unknownKey(obj map[string]any, known map[string]bool) (string, bool) {
	for k := range obj {
		if !known[k] {
			return k, true
		}
	}
	return "", false
}
