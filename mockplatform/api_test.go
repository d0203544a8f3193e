package mockplatform_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/schemas"
)

const (
	userToken = "user-token-1"
	botToken  = "bot-token-7"
)

// apiWorld is a small account: an API inbox with a bot, a widget inbox
// without one, two conversations.
func apiWorld() mockplatform.APIWorld {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	return mockplatform.APIWorld{
		Account: mockplatform.APIAccount{ID: 3, Name: "Acme"},
		Inboxes: []mockplatform.APIInbox{
			{ID: 11, Name: "API", ChannelType: mockplatform.ChannelAPI, ChannelID: 1, BotID: 7, Members: []int{1, 2}},
			{ID: 12, Name: "Site", ChannelType: mockplatform.ChannelWebWidget, ChannelID: 2},
		},
		Contacts: []mockplatform.APIContact{
			{ID: 21, Name: "Ana Lima", Email: "ana@example.com", Phone: "+5511999990000", CreatedAt: t0, SourceIDs: map[int]string{11: "src-ana"}},
			{ID: 22, Name: "Bo Chen", SourceIDs: map[int]string{12: "src-bo"}},
		},
		Agents: []mockplatform.APIAgent{
			{ID: 1, Name: "Admin", Email: "admin@example.com", Role: "administrator", Token: userToken},
			{ID: 2, Name: "Agent", Email: "agent@example.com", Role: "agent", Token: "agent-token-2"},
		},
		Bots:  []mockplatform.APIBot{{ID: 7, Name: "Helper", OutgoingURL: "http://127.0.0.1:1/bot", Token: botToken}},
		Teams: []mockplatform.APITeam{{ID: 5, Name: "Sales"}},
		Conversations: []mockplatform.APIConversation{
			{ID: 100, DisplayID: 1, UUID: "u-1", InboxID: 11, ContactID: 21, Status: mockplatform.StatusPending, AssigneeBotID: 7, CreatedAt: t0, UpdatedAt: t0, LastActivityAt: t0},
			{ID: 101, DisplayID: 2, UUID: "u-2", InboxID: 12, ContactID: 22, Status: mockplatform.StatusOpen, CreatedAt: t0, UpdatedAt: t0, LastActivityAt: t0},
		},
	}
}

// recorder is an EventSink that records events and answers as told.
type recorder struct {
	mu     sync.Mutex
	events []mockplatform.APIEvent
	fail   bool // the agent bot fails every delivery
}

func (r *recorder) Deliver(_ context.Context, ev mockplatform.APIEvent) []mockplatform.EventDelivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	status := 200
	if r.fail {
		status = 500
	}
	return []mockplatform.EventDelivery{{Receiver: mockplatform.ReceiverAgentBot, Event: ev.Name, Status: status}}
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.Name)
	}
	return out
}

func startAPI(t *testing.T, sink mockplatform.EventSink) *mockplatform.APIServer {
	t.Helper()
	cfg := mockplatform.APIConfig{World: apiWorld()}
	if sink != nil {
		cfg.Events = sink
	}
	s, err := mockplatform.NewAPIServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func call(t *testing.T, s *mockplatform.APIServer, method, path, token, body string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("api_access_token", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

const acc = "/api/v1/accounts/3"

func TestAPIResponses(t *testing.T) {
	set, err := schemas.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, token, body string
		status                          int
		schema                          string // validates the body; "" : no body check
		contains                        string
	}{
		{"no token", "GET", acc + "/conversations/1", "", "", 401, "chatwoot/api/error.json", `{"errors":["You need to sign in or sign up before continuing."]}`},
		{"bad token", "GET", acc + "/conversations/1", "nope", "", 401, "chatwoot/api/error.json", `{"error":"Invalid Access Token"}`},
		{"bot on contacts", "GET", acc + "/contacts/21", botToken, "", 401, "chatwoot/api/error.json", `{"error":"Access to this endpoint is not authorized for bots"}`},
		{"bot lists messages", "GET", acc + "/conversations/1/messages", botToken, "", 401, "chatwoot/api/error.json", "not authorized for bots"},
		{"bot profile", "GET", "/api/v1/profile", botToken, "", 401, "chatwoot/api/error.json", "not authorized for bots"},
		{"unknown account", "GET", "/api/v1/accounts/99/conversations/1", userToken, "", 404, "chatwoot/api/error.json", `{"error":"Resource could not be found"}`},
		{"unknown conversation", "GET", acc + "/conversations/999", userToken, "", 404, "chatwoot/api/error.json", "Resource could not be found"},
		{"unknown route", "GET", acc + "/nothing", userToken, "", 404, "chatwoot/api/error.json", `{"status":404,"error":"Not Found"}`},
		{"show conversation", "GET", acc + "/conversations/1", botToken, "", 200, "chatwoot/api/conversation_response.json", `"assignee_type":"AgentBot"`},
		{"show conversation .json", "GET", acc + "/conversations/2.json", userToken, "", 200, "chatwoot/api/conversation_response.json", `"id":2`},
		{"bot replies", "POST", acc + "/conversations/1/messages", botToken, `{"content":"hi <b>"}`, 200, "chatwoot/api/message_response.json", `"content":"hi \u003cb\u003e"`},
		{"user note", "POST", acc + "/conversations/1/messages", userToken, `{"content":"note","private":true}`, 200, "chatwoot/api/message_response.json", `"private":true`},
		{"incoming in API inbox", "POST", acc + "/conversations/1/messages", userToken, `{"content":"as contact","message_type":"incoming"}`, 200, "chatwoot/api/message_response.json", `"message_type":0`},
		{"incoming in widget", "POST", acc + "/conversations/2/messages", userToken, `{"content":"x","message_type":"incoming"}`, 422, "chatwoot/api/error.json", `{"error":"Incoming messages are only allowed in Api inboxes"}`},
		{"bad message type", "POST", acc + "/conversations/2/messages", userToken, `{"content":"x","message_type":"shout"}`, 422, "chatwoot/api/error.json", `'shout' is not a valid message_type`},
		{"bad json", "POST", acc + "/conversations/2/messages", userToken, `{"content":`, 400, "chatwoot/api/error.json", `"Bad Request"`},
		{"list messages", "GET", acc + "/conversations/1/messages", userToken, "", 200, "chatwoot/api/messages_index.json", `"payload":[`},
		{"toggle priority", "POST", acc + "/conversations/1/toggle_priority", botToken, `{"priority":"high"}`, 200, "", ""},
		{"toggle priority user", "POST", acc + "/conversations/2/toggle_priority", userToken, `{"priority":"high"}`, 200, "", ""},
		{"bad priority", "POST", acc + "/conversations/2/toggle_priority", userToken, `{"priority":"asap"}`, 500, "chatwoot/api/error.json", `"Internal Server Error"`},
		{"toggle status", "POST", acc + "/conversations/2/toggle_status", userToken, `{"status":"snoozed","snoozed_until":1900000000}`, 200, "chatwoot/api/toggle_status.json", `"snoozed_until":"2030-03-17T17:46:40.000Z"`},
		{"bad status", "POST", acc + "/conversations/2/toggle_status", userToken, `{"status":"closed"}`, 500, "chatwoot/api/error.json", ""},
		{"bot hand-off", "POST", acc + "/conversations/1/toggle_status", botToken, `{"status":"open"}`, 200, "chatwoot/api/toggle_status.json", `"success":null,"conversation_id":1,"current_status":"open"`},
		{"labels", "POST", acc + "/conversations/1/labels", botToken, `{"labels":["vip","billing","vip"]}`, 200, "chatwoot/api/labels.json", `{"payload":["vip","billing"]}`},
		{"labels index", "GET", acc + "/conversations/1/labels", botToken, "", 200, "chatwoot/api/labels.json", `["vip","billing"]`},
		{"custom attributes", "POST", acc + "/conversations/1/custom_attributes", botToken, `{"custom_attributes":{"order":42}}`, 200, "chatwoot/api/custom_attributes.json", `{"custom_attributes":{"order":42}}`},
		{"assign agent", "POST", acc + "/conversations/1/assignments", botToken, `{"assignee_id":2}`, 200, "chatwoot/api/assignment.json", `"role":"agent"`},
		{"assign unknown", "POST", acc + "/conversations/2/assignments", userToken, `{"assignee_id":77}`, 200, "chatwoot/api/assignment.json", `null`},
		{"assign bot", "POST", acc + "/conversations/2/assignments", userToken, `{"assignee_id":7,"assignee_type":"AgentBot"}`, 200, "chatwoot/api/assignment.json", `"bot_type":"webhook"`},
		{"contact", "GET", acc + "/contacts/21", userToken, "", 200, "chatwoot/api/contact_payload.json", `"contact_inboxes":[{"source_id":"src-ana"`},
		{"contact without inboxes", "GET", acc + "/contacts/21?include_contact_inboxes=false", userToken, "", 200, "chatwoot/api/contact_payload.json", ``},
		{"update contact", "PUT", acc + "/contacts/22", userToken, `{"email":"bo@example.com","custom_attributes":{"tier":"gold"}}`, 200, "chatwoot/api/contact_payload.json", `"email":"bo@example.com"`},
		{"update contact bad phone", "PATCH", acc + "/contacts/22", userToken, `{"phone_number":"12345"}`, 422, "chatwoot/api/error.json", `"Phone number should be in e164 format"`},
		{"search", "GET", acc + "/contacts/search?q=ana&page=1", userToken, "", 200, "chatwoot/api/contact_search.json", `"meta":{"count":1,"current_page":"1"`},
		{"search without q", "GET", acc + "/contacts/search", userToken, "", 422, "chatwoot/api/error.json", "Specify search string with parameter q"},
		{"inbox members", "GET", acc + "/inbox_members/11", userToken, "", 200, "chatwoot/api/inbox_members.json", `"email":"agent@example.com"`},
		{"profile", "GET", "/api/v1/profile", userToken, "", 200, "chatwoot/api/profile.json", `"access_token":"user-token-1"`},
	}
	s := startAPI(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := call(t, s, tt.method, tt.path, tt.token, tt.body)
			if status != tt.status {
				t.Fatalf("status = %d; want %d (body %s)", status, tt.status, body)
			}
			if tt.contains != "" && !strings.Contains(body, tt.contains) {
				t.Errorf("body = %s; want it to contain %s", body, tt.contains)
			}
			if tt.schema != "" {
				probs, err := set.ValidateDocument(tt.schema, []byte(body))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range probs {
					t.Errorf("%s: %s (body %s)", tt.schema, p, body)
				}
			}
		})
	}
	if got, want := len(s.Calls()), len(tests); got != want {
		t.Errorf("recorded %d calls; want %d", got, want)
	}
}

// The "search" row above needs page given as a string; without page Rails
// renders @current_page = 1.
func TestAPISearchPageDefault(t *testing.T) {
	s := startAPI(t, nil)
	_, _, body := call(t, s, "GET", acc+"/contacts/search?q=o", userToken, "")
	if !strings.Contains(body, `"current_page":1,`) {
		t.Errorf("body = %s; want current_page 1", body)
	}
}

func TestAPIFaults(t *testing.T) {
	s := startAPI(t, nil)
	s.FailNext(429, 2)
	s.FailNext(500, 1)
	for i, want := range []struct {
		status int
		ctype  string
		body   string
	}{
		{429, "text/plain", "Retry later\n"},
		{429, "text/plain", "Retry later\n"},
		{500, "application/json", `{"status":500,"error":"Internal Server Error"}`},
		{200, "application/json; charset=utf-8", ""},
	} {
		status, ctype, body := call(t, s, "GET", acc+"/conversations/1", botToken, "")
		if status != want.status || ctype != want.ctype || (want.body != "" && body != want.body) {
			t.Errorf("call %d = %d %q %q; want %d %q %q", i, status, ctype, body, want.status, want.ctype, want.body)
		}
	}
	calls := s.Calls()
	if !calls[0].Fault || calls[3].Fault {
		t.Errorf("fault flags = %v, %v; want true, false", calls[0].Fault, calls[3].Fault)
	}
}

func TestAPIEvents(t *testing.T) {
	rec := &recorder{}
	s := startAPI(t, rec)
	ctx := context.Background()
	// The bot replies: message_created goes back to it.
	call(t, s, "POST", acc+"/conversations/1/messages", botToken, `{"content":"hello"}`)
	// It hands off: opened, status_changed, updated.
	call(t, s, "POST", acc+"/conversations/1/toggle_status", botToken, `{"status":"open"}`)
	// An activity message is no event.
	if err := s.WaitIdle(ctx, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rec.names(), " ")
	want := "message_created conversation_opened conversation_status_changed conversation_updated"
	if got != want {
		t.Fatalf("events = %s; want %s", got, want)
	}
	ev := rec.events[0]
	if ev.Message.SenderType != mockplatform.SenderAgentBot || ev.Message.SenderID != 7 || ev.Message.MessageType != mockplatform.MessageOutgoing {
		t.Errorf("message_created sender = %s %d %s; want AgentBot 7 outgoing", ev.Message.SenderType, ev.Message.SenderID, ev.Message.MessageType)
	}
	if c, _ := s.Conversation(1); c.AssigneeBotID != 0 || c.Status != "open" || c.WaitingSince.IsZero() {
		t.Errorf("after hand-off: bot %d status %s waiting %v; want 0 open set", c.AssigneeBotID, c.Status, c.WaitingSince)
	}
	if calls := s.Calls(); calls[0].Principal != "AgentBot 7" || calls[0].Endpoint != "conversations/messages#create" {
		t.Errorf("call 0 = %+v", calls[0])
	}
}

func TestAPIBotFailureHandsOff(t *testing.T) {
	rec := &recorder{fail: true}
	s := startAPI(t, rec)
	if _, err := s.CreateMessage(1, mockplatform.MessageInput{Content: ptr("help"), MessageType: "incoming"}); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitIdle(context.Background(), 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Conversation(1)
	if c.Status != mockplatform.StatusOpen {
		t.Fatalf("status = %s; want open (Chatwoot hands a pending conversation to humans when the bot fails)", c.Status)
	}
	ms := s.Messages(1)
	last := ms[len(ms)-1]
	if last.MessageType != mockplatform.MessageActivity || !strings.Contains(*last.Content, "error with the agent bot") {
		t.Errorf("last message = %s %q; want the activity message", last.MessageType, *last.Content)
	}
	var notes int
	for _, e := range s.Transcript() {
		if e.Kind == "note" {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("notes = %d; want 1 hand-off note", notes)
	}
}

// selfLoop answers every message_created with another bot message, as a
// bot that does not filter its own messages does.
type selfLoop struct {
	s    func() *mockplatform.APIServer
	seen int
}

func (l *selfLoop) Deliver(_ context.Context, ev mockplatform.APIEvent) []mockplatform.EventDelivery {
	if ev.Name == "message_created" {
		l.seen++
		_, _ = l.s().CreateMessage(ev.Conversation.DisplayID, mockplatform.MessageInput{Content: ptr("again"), SenderType: mockplatform.SenderAgentBot, SenderID: 7})
	}
	return nil
}

func TestAPILoopIsBounded(t *testing.T) {
	var s *mockplatform.APIServer
	l := &selfLoop{s: func() *mockplatform.APIServer { return s }}
	s, err := mockplatform.NewAPIServer(mockplatform.APIConfig{World: apiWorld(), Events: l, MaxEvents: 50, MessagesPerMinute: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, _ = s.CreateMessage(2, mockplatform.MessageInput{Content: ptr("start")})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitIdle(ctx, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if !s.Looped() {
		t.Fatal("Looped() = false; want true after MaxEvents")
	}
	if l.seen > 50 {
		t.Errorf("delivered %d message_created; want at most 50", l.seen)
	}
}

func TestAPIFloodLimit(t *testing.T) {
	s, err := mockplatform.NewAPIServer(mockplatform.APIConfig{World: apiWorld(), MessagesPerMinute: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, want := range []int{200, 200, 422} {
		status, _, body := call(t, s, "POST", acc+"/conversations/2/messages", userToken, `{"content":"x"}`)
		if status != want {
			t.Fatalf("message %d: status %d; want %d", i, status, want)
		}
		if want == 422 && body != `{"error":"Validation failed: Too many messages"}` {
			t.Errorf("body = %s", body)
		}
	}
}

func TestAPIConfigErrors(t *testing.T) {
	w := apiWorld()
	w.Bots[0].Token = userToken
	for _, cfg := range []mockplatform.APIConfig{{}, {World: w}} {
		if _, err := mockplatform.NewAPIServer(cfg); err == nil {
			t.Errorf("NewAPIServer(%v) = nil error; want one", cfg.World.Account)
		}
	}
}

func TestAPIFormParams(t *testing.T) {
	s := startAPI(t, nil)
	req, _ := http.NewRequest("POST", s.URL+acc+"/conversations/1/labels", strings.NewReader("labels[]=a&labels[]=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Api-Access-Token", botToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Payload []string }
	_ = json.NewDecoder(resp.Body).Decode(&got)
	if strings.Join(got.Payload, ",") != "a,b" {
		t.Errorf("labels = %v; want a,b", got.Payload)
	}
}

func ptr(s string) *string { return &s }

func TestReceiverGets(t *testing.T) {
	tests := []struct {
		kind, event string
		want        bool
	}{
		{mockplatform.ReceiverAgentBot, "message_created", true},
		{mockplatform.ReceiverAgentBot, "conversation_opened", true},
		{mockplatform.ReceiverAgentBot, "contact_updated", false},
		{mockplatform.ReceiverAccount, "conversation_opened", false},
		{mockplatform.ReceiverAccount, "contact_updated", true},
		{mockplatform.ReceiverAPIInbox, "conversation_status_changed", true},
		{mockplatform.ReceiverAPIInbox, "contact_updated", false},
	}
	for _, tt := range tests {
		if got := mockplatform.ReceiverGets(tt.kind, tt.event); got != tt.want {
			t.Errorf("ReceiverGets(%s, %s) = %v; want %v", tt.kind, tt.event, got, tt.want)
		}
	}
}

func TestAPIResetKeepsIDsGrowing(t *testing.T) {
	s := startAPI(t, nil)
	m1, err := s.CreateMessage(2, mockplatform.MessageInput{Content: ptr("a")})
	if err != nil {
		t.Fatal(err)
	}
	call(t, s, "POST", acc+"/conversations/2/toggle_status", userToken, "")
	if err := s.Reset(nil); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Calls()) + len(s.Transcript()) + len(s.Messages(2)); n != 0 {
		t.Errorf("after Reset: %d calls, entries and messages; want none", n)
	}
	if c, _ := s.Conversation(2); c.Status != mockplatform.StatusOpen {
		t.Errorf("after Reset: status %s; want the world's open", c.Status)
	}
	m2, _ := s.CreateMessage(2, mockplatform.MessageInput{Content: ptr("b")})
	if m2.ID <= m1.ID {
		t.Errorf("message id after Reset = %d; want above %d (Chatwoot never reuses ids)", m2.ID, m1.ID)
	}
}
