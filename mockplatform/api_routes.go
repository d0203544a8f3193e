package mockplatform

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func itoa(i int) string { return strconv.Itoa(i) }

// route is one endpoint: its Rails controller (under api/v1/accounts) and
// action, and its handler, which runs with s.mu held.
type route struct {
	controller, action string
	run                func(q *apiRequest)
}

// match finds the route of method and the segments after /api/v1.
func match(method string, segs []string) (route, map[string]string, bool) {
	p := map[string]string{}
	n := len(segs)
	if n == 1 && segs[0] == "profile" && method == "GET" {
		return route{"profiles", "show", (*apiRequest).profile}, p, true
	}
	if n < 3 || segs[0] != "accounts" {
		return route{}, nil, false
	}
	p["account_id"] = segs[1]
	rest := segs[2:]
	is := func(m string, parts ...string) bool {
		if method != m && !(m == "PATCH" && method == "PUT") || len(rest) != len(parts) {
			return false
		}
		for i, x := range parts {
			if x[0] == ':' {
				p[x[1:]] = rest[i]
			} else if rest[i] != x {
				return false
			}
		}
		return true
	}
	switch {
	case is("GET", "conversations", ":id"):
		return route{"conversations", "show", (*apiRequest).showConversation}, p, true
	case is("PATCH", "conversations", ":id"):
		return route{"conversations", "update", (*apiRequest).updateConversation}, p, true
	case is("POST", "conversations", ":id", "toggle_status"):
		return route{"conversations", "toggle_status", (*apiRequest).toggleStatus}, p, true
	case is("POST", "conversations", ":id", "toggle_priority"):
		return route{"conversations", "toggle_priority", (*apiRequest).togglePriority}, p, true
	case is("POST", "conversations", ":id", "toggle_typing_status"):
		return route{"conversations", "toggle_typing_status", (*apiRequest).toggleTyping}, p, true
	case is("POST", "conversations", ":id", "custom_attributes"):
		return route{"conversations", "custom_attributes", (*apiRequest).customAttributes}, p, true
	case is("GET", "conversations", ":id", "messages"):
		return route{"conversations/messages", "index", (*apiRequest).listMessages}, p, true
	case is("POST", "conversations", ":id", "messages"):
		return route{"conversations/messages", "create", (*apiRequest).createMessage}, p, true
	case is("PATCH", "conversations", ":id", "messages", ":message_id"):
		return route{"conversations/messages", "update", (*apiRequest).updateMessage}, p, true
	case is("POST", "conversations", ":id", "assignments"):
		return route{"conversations/assignments", "create", (*apiRequest).assign}, p, true
	case is("GET", "conversations", ":id", "labels"):
		return route{"conversations/labels", "index", (*apiRequest).listLabels}, p, true
	case is("POST", "conversations", ":id", "labels"):
		return route{"conversations/labels", "create", (*apiRequest).setLabels}, p, true
	case is("GET", "contacts", "search"):
		return route{"contacts", "search", (*apiRequest).searchContacts}, p, true
	case is("GET", "contacts", ":id"):
		return route{"contacts", "show", (*apiRequest).showContact}, p, true
	case is("PATCH", "contacts", ":id"):
		return route{"contacts", "update", (*apiRequest).updateContact}, p, true
	case is("GET", "inbox_members", ":id"):
		return route{"inbox_members", "show", (*apiRequest).inboxMembers}, p, true
	}
	return route{}, nil, false
}

// handle routes, authenticates and runs the call; it answers every path.
func (q *apiRequest) handle() {
	path := strings.TrimSuffix(q.r.URL.Path, "/")
	path = strings.TrimSuffix(path, ".json") // Rails accepts the format suffix
	if !strings.HasPrefix(path, "/api/v1/") {
		q.json(404, jo{{"status", 404}, {"error", "Not Found"}})
		return
	}
	q.segs = strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	rt, p, ok := match(q.r.Method, q.segs)
	if !ok {
		q.json(404, jo{{"status", 404}, {"error", "Not Found"}})
		return
	}
	q.endpoint = rt.controller + "#" + rt.action
	if err := q.parseParams(); err != nil {
		q.json(400, jo{{"status", 400}, {"error", "Bad Request"}})
		return
	}
	for k, v := range p {
		q.params[k] = v
	}
	s := q.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if !q.authenticate(rt.controller, rt.action) {
		return
	}
	if rt.controller != "profiles" && !q.account(p["account_id"]) {
		return
	}
	rt.run(q)
}

// cause is the call's Seq, which the events it causes refer to.
func (q *apiRequest) cause() int { return q.seq }

// conversation finds :id, or answers 404.
func (q *apiRequest) conversation() *APIConversation {
	id, ok := q.intParam("id")
	var c *APIConversation
	if ok {
		c = q.s.conv(id)
	}
	if c == nil {
		q.errorJSON(404, "Resource could not be found")
	}
	return c
}

func (q *apiRequest) showConversation() {
	if c := q.conversation(); c != nil {
		q.json(200, q.s.conversationJSON(c))
	}
}

// updateConversation is PATCH conversations/:id: only priority is permitted.
func (q *apiRequest) updateConversation() {
	c := q.conversation()
	if c == nil {
		return
	}
	if q.has("priority") {
		p, _ := q.str("priority")
		if p != "" && !slices.Contains(priorities, p) {
			q.json(500, jo{{"status", 500}, {"error", "Internal Server Error"}}) // ArgumentError from the enum
			return
		}
		q.s.setPriorityLocked(c, p, q.cause())
	}
	q.json(200, q.s.conversationJSON(c))
}

// toggleStatus is ConversationsController#toggle_status.
func (q *apiRequest) toggleStatus() {
	c := q.conversation()
	if c == nil {
		return
	}
	s := q.s
	status, hasStatus := q.str("status")
	var success any = true
	switch {
	case q.bot != nil && c.Status == StatusPending && status == StatusOpen:
		// bot_handoff!: waiting_since is set, the bot unassigned, the
		// conversation opened; @status stays nil.
		success = nil
		if c.WaitingSince.IsZero() {
			c.WaitingSince = s.cfg.Now()
		}
		if c.AssigneeBotID != 0 {
			c.AssigneeBotID = 0
		}
		s.setStatusLocked(c, StatusOpen, time.Time{}, q.cause())
	case hasStatus && q.present("status"):
		if !slices.Contains(conversationStatuses, status) {
			q.json(500, jo{{"status", 500}, {"error", "Internal Server Error"}}) // ArgumentError: not a valid status
			return
		}
		var until time.Time
		if status == StatusSnoozed {
			if n, ok := q.intParam("snoozed_until"); ok {
				until = time.Unix(int64(n), 0).UTC()
			} else {
				until = c.SnoozedUntil
			}
		}
		s.setStatusLocked(c, status, until, q.cause())
	default:
		next := StatusResolved
		if c.Status != StatusOpen {
			next = StatusOpen
		}
		s.setStatusLocked(c, next, time.Time{}, q.cause())
	}
	if c.Status == StatusOpen && q.user != nil {
		// handle_human_open: a human opening it takes it from the bot.
		agentID := c.AssigneeID
		if q.user.Role == "agent" {
			agentID = q.user.ID
		}
		s.assignLocked(c, agentID, 0, q.cause())
	}
	q.json(200, jo{{"meta", jo{}}, {"payload", jo{
		{"success", success}, {"conversation_id", c.DisplayID}, {"current_status", c.Status}, {"snoozed_until", isoOrNil(c.SnoozedUntil)},
	}}})
}

func (q *apiRequest) togglePriority() {
	c := q.conversation()
	if c == nil {
		return
	}
	p, _ := q.str("priority")
	p = strings.TrimSpace(p)
	if p != "" && !slices.Contains(priorities, p) {
		q.json(500, jo{{"status", 500}, {"error", "Internal Server Error"}})
		return
	}
	q.s.setPriorityLocked(c, p, q.cause())
	q.head(200)
}

func (q *apiRequest) toggleTyping() {
	if c := q.conversation(); c != nil {
		q.head(200)
	}
}

func (q *apiRequest) customAttributes() {
	c := q.conversation()
	if c == nil {
		return
	}
	attrs, _ := q.hashParam("custom_attributes")
	q.s.setCustomAttributesLocked(c, attrs, q.cause())
	q.json(200, jo{{"custom_attributes", orEmptyMap(c.CustomAttributes)}})
}

func orEmptyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func (q *apiRequest) listMessages() {
	c := q.conversation()
	if c == nil {
		return
	}
	s := q.s
	var ms []*APIMessage
	for i := range s.w.Messages {
		m := &s.w.Messages[i]
		if m.ConversationID != c.DisplayID {
			continue
		}
		if q.present("filter_internal_messages") && (m.Private || m.MessageType == MessageActivity) {
			continue
		}
		ms = append(ms, m)
	}
	before, hasBefore := q.intParam("before")
	after, hasAfter := q.intParam("after")
	var sel []*APIMessage
	for _, m := range ms {
		if (!hasBefore || m.ID < before) && (!hasAfter || m.ID > after || (hasBefore && m.ID >= after)) {
			sel = append(sel, m)
		}
	}
	switch {
	case hasAfter && hasBefore:
		sel = sel[:min(len(sel), 1000)]
	case hasAfter:
		sel = sel[:min(len(sel), 100)]
	default:
		sel = sel[max(0, len(sel)-20):]
	}
	payload := make([]any, 0, len(sel))
	for _, m := range sel {
		payload = append(payload, s.messageJSON(m))
	}
	ct := s.contact(c.ContactID)
	meta := jo{{"labels", orEmpty(c.Labels)}, {"additional_attributes", orEmptyMap(c.AdditionalAttributes)}}
	if ct != nil {
		meta = append(meta, kv{"contact", contactPush(ct)})
	}
	if a := s.agent(c.AssigneeID); a != nil {
		meta = append(meta, kv{"assignee", agentPush(a)})
	}
	meta = append(meta, kv{"agent_last_seen_at", isoOrNil(c.AgentLastSeenAt)}, kv{"assignee_last_seen_at", nil})
	q.json(200, jo{{"meta", meta}, {"payload", payload}})
}

// createMessage is MessagesController#create: refusals are 422
// {"error":"<message>"} (it rescues StandardError).
func (q *apiRequest) createMessage() {
	c := q.conversation()
	if c == nil {
		return
	}
	s := q.s
	in := MessageInput{}
	if q.has("content") && q.params["content"] != nil {
		v, ok := q.str("content")
		if !ok {
			v = jsonText(q.params["content"])
		}
		in.Content = &v
	}
	in.MessageType, _ = q.str("message_type")
	if mt, ok := q.params["message_type"].(string); !ok && q.has("message_type") && q.params["message_type"] != nil {
		in.MessageType = jsonText(q.params["message_type"])
	} else if ok {
		in.MessageType = mt
	}
	in.ContentType, _ = q.str("content_type")
	in.Private = q.boolParam("private")
	if sid, ok := q.str("source_id"); ok {
		in.SourceID = &sid
	}
	in.EchoID, _ = q.str("echo_id")
	in.ContentAttributes, _ = q.hashParam("content_attributes")
	if raw, ok := q.params["content_attributes"].(string); ok {
		in.ContentAttributes = parseJSONObject(raw)
	}
	if q.bot != nil {
		in.SenderType, in.SenderID = SenderAgentBot, q.bot.ID
	} else {
		in.SenderType, in.SenderID = SenderUser, q.user.ID
	}
	if st, _ := q.str("sender_type"); st == SenderAgentBot {
		id, _ := q.intParam("sender_id")
		if b := s.bot(id); b != nil {
			in.SenderType, in.SenderID = SenderAgentBot, b.ID
		}
	}
	m, err := s.buildMessageLocked(c, in, true)
	if err != nil {
		q.errorJSON(422, err.Error())
		return
	}
	stored := s.addMessageLocked(c, m, q.cause())
	q.json(200, s.messageJSON(stored))
}

// updateMessage is MessagesController#update, allowed in API inboxes only.
func (q *apiRequest) updateMessage() {
	c := q.conversation()
	if c == nil {
		return
	}
	s := q.s
	if ib := s.inbox(c.InboxID); ib == nil || ib.ChannelType != ChannelAPI {
		q.errorJSON(403, "Message status update is only allowed for API inboxes")
		return
	}
	id, _ := q.intParam("message_id")
	m := s.message(id)
	if m == nil || m.ConversationID != c.DisplayID {
		q.errorJSON(404, "Resource could not be found")
		return
	}
	if st, ok := q.str("status"); ok {
		if !slices.Contains(messageStatuses, st) {
			q.json(500, jo{{"status", 500}, {"error", "Internal Server Error"}})
			return
		}
		s.updateMessageLocked(m, st, q.cause())
	}
	q.json(200, s.messageJSON(m))
}

// assign is AssignmentsController#create.
func (q *apiRequest) assign() {
	c := q.conversation()
	if c == nil {
		return
	}
	s := q.s
	atype, _ := q.str("assignee_type")
	switch {
	case q.has("assignee_id") || atype == SenderAgentBot:
		id, _ := q.intParam("assignee_id")
		if atype == SenderAgentBot {
			b := s.bot(id)
			if b == nil {
				q.json(200, nil)
				return
			}
			s.assignLocked(c, 0, b.ID, q.cause())
			q.json(200, botSlim(b))
			return
		}
		a := s.agent(id)
		if a == nil {
			s.assignLocked(c, 0, 0, q.cause())
			q.json(200, nil)
			return
		}
		s.assignLocked(c, a.ID, 0, q.cause())
		q.json(200, s.agentJSON(a))
	case q.has("team_id"):
		id, _ := q.intParam("team_id")
		t := s.team(id)
		if t == nil {
			s.setTeamLocked(c, 0, q.cause())
			q.json(200, nil)
			return
		}
		s.setTeamLocked(c, t.ID, q.cause())
		q.json(200, jo{{"id", t.ID}, {"name", t.Name}, {"description", nil}, {"allow_auto_assign", true}, {"account_id", s.w.Account.ID}})
	default:
		q.json(200, nil)
	}
}

func (q *apiRequest) listLabels() {
	if c := q.conversation(); c != nil {
		q.json(200, jo{{"payload", orEmpty(c.Labels)}})
	}
}

func (q *apiRequest) setLabels() {
	c := q.conversation()
	if c == nil {
		return
	}
	var labels []string
	switch v := q.params["labels"].(type) {
	case []any:
		for _, x := range v {
			labels = append(labels, strings.TrimSpace(jsonText(x)))
		}
	case string:
		labels = append(labels, v)
	}
	q.s.setLabelsLocked(c, labels, q.cause())
	q.json(200, jo{{"payload", orEmpty(c.Labels)}})
}

func (q *apiRequest) contactParam() *APIContact {
	id, ok := q.intParam("id")
	var ct *APIContact
	if ok {
		ct = q.s.contact(id)
	}
	if ct == nil {
		q.errorJSON(404, "Resource could not be found")
	}
	return ct
}

func (q *apiRequest) withInboxes() bool {
	if v, ok := q.str("include_contact_inboxes"); ok && v != "" {
		return v == "true"
	}
	return true
}

func (q *apiRequest) showContact() {
	if ct := q.contactParam(); ct != nil {
		q.json(200, jo{{"payload", q.s.contactJSON(ct, q.withInboxes())}})
	}
}

// updateContact is ContactsController#update: name, identifier, email,
// phone_number, blocked, additional_attributes and custom_attributes
// (merged into the existing ones).
func (q *apiRequest) updateContact() {
	ct := q.contactParam()
	if ct == nil {
		return
	}
	s := q.s
	prev := ct.clone()
	var changes []APIChange
	set := func(attr string, dst *string) {
		if v, ok := q.str(attr); ok && v != *dst {
			changes = append(changes, APIChange{attr, nilString(*dst), nilString(v)})
			*dst = v
		}
	}
	set("name", &ct.Name)
	set("email", &ct.Email)
	set("phone_number", &ct.Phone)
	set("identifier", &ct.Identifier)
	if ct.Email != "" && !strings.Contains(ct.Email, "@") {
		*ct = prev
		q.json(422, jo{{"message", "Email Invalid email"}, {"attributes", []string{"email"}}})
		return
	}
	if ct.Phone != "" && !validE164(ct.Phone) {
		*ct = prev
		q.json(422, jo{{"message", "Phone number should be in e164 format"}, {"attributes", []string{"phone_number"}}})
		return
	}
	if q.has("blocked") {
		b := q.boolParam("blocked")
		if b != ct.Blocked {
			changes = append(changes, APIChange{"blocked", ct.Blocked, b})
			ct.Blocked = b
		}
	}
	if h, ok := q.hashParam("additional_attributes"); ok {
		next := cloneMap(orEmptyMap(ct.AdditionalAttributes))
		for k, v := range h {
			next[k] = v
		}
		changes = append(changes, APIChange{"additional_attributes", cloneMap(ct.AdditionalAttributes), cloneMap(next)})
		ct.AdditionalAttributes = next
	}
	if h, ok := q.hashParam("custom_attributes"); ok {
		next := cloneMap(orEmptyMap(ct.CustomAttributes))
		for k, v := range h {
			next[k] = v
		}
		changes = append(changes, APIChange{"custom_attributes", cloneMap(ct.CustomAttributes), cloneMap(next)})
		ct.CustomAttributes = next
	}
	if len(changes) > 0 {
		s.emitLocked(APIEvent{Name: "contact_updated", Contact: ct.clone(), Changes: changes, Cause: q.cause()})
	}
	q.json(200, jo{{"payload", s.contactJSON(ct, q.withInboxes())}})
}

// e164 is Contact's phone_number format (anchored at the end only, as
// Chatwoot's regex is).
var e164 = regexp.MustCompile(`\+[1-9]\d{1,14}\z`)

func validE164(p string) bool { return e164.MatchString(p) }

// searchContacts is ContactsController#search: q matches name, email or
// phone_number (case-insensitive) or identifier (case-sensitive), 15 a page.
func (q *apiRequest) searchContacts() {
	if !q.present("q") {
		q.errorJSON(422, "Specify search string with parameter q")
		return
	}
	s := q.s
	term, _ := q.str("q")
	term = strings.TrimSpace(term)
	lt := strings.ToLower(term)
	var found []*APIContact
	for i := range s.w.Contacts {
		ct := &s.w.Contacts[i]
		if strings.Contains(strings.ToLower(ct.Name), lt) || strings.Contains(strings.ToLower(ct.Email), lt) ||
			strings.Contains(strings.ToLower(ct.Phone), lt) || strings.Contains(ct.Identifier, term) {
			found = append(found, ct)
		}
	}
	page, ok := q.intParam("page")
	if !ok || page < 1 {
		page = 1
	}
	const per = 15
	from := min((page-1)*per, len(found))
	to := min(from+per, len(found))
	payload := make([]any, 0, to-from)
	for _, ct := range found[from:to] {
		payload = append(payload, s.contactJSON(ct, q.withInboxes()))
	}
	var cur any = page
	if v, ok := q.str("page"); ok {
		cur = v // @current_page is params[:page] as given
	}
	q.json(200, jo{{"meta", jo{{"count", to - from}, {"current_page", cur}, {"has_more", to < len(found)}}}, {"payload", payload}})
}

func (q *apiRequest) inboxMembers() {
	s := q.s
	id, _ := q.intParam("id")
	ib := s.inbox(id)
	if ib == nil {
		q.errorJSON(404, "Resource could not be found")
		return
	}
	payload := []any{}
	for _, aid := range ib.Members {
		if a := s.agent(aid); a != nil {
			payload = append(payload, s.agentJSON(a))
		}
	}
	q.json(200, jo{{"payload", payload}})
}

func (q *apiRequest) profile() { q.json(200, q.s.profileJSON(q.user)) }
