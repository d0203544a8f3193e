package suites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
)

// The closed loop: a mock Chatwoot whose Application API state is a
// generator world and whose reactions (message_created for a message the
// bot creates, the status events of toggle_status, ...) are encoded by the
// generator and delivered by mockplatform, so Chatwoot's JSON is written
// once. mockplatform owns the state and the HTTP API; this file is the
// boundary: it turns a generator world into an APIWorld and implements
// mockplatform.EventSink with the generator's serializer.

// LoopReceiver is one receiver the loop delivers to.
type LoopReceiver struct {
	Kind   string // mockplatform.ReceiverAccount, ReceiverAPIInbox or ReceiverAgentBot
	URL    string
	Secret string // signing secret; "" : unsigned
}

// LoopConfig configures NewLoop. Zero values are defaults.
type LoopConfig struct {
	Seed      int64  // world seed; 0 draws one
	Version   string // Chatwoot version whose delivery (headers, signing, retries) is imitated; payloads and the API are 4.16's; default latest
	APIAddr   string // where the API listens; default 127.0.0.1:0
	Receivers []LoopReceiver

	// UserToken is the api_access_token of the account's administrator,
	// BotToken the agent bot's. Empty: a random one (see Loop.UserToken).
	UserToken, BotToken string

	Timeout           time.Duration // per delivery; default 5s
	RetryWait         time.Duration // agent-bot retry pause; default 3s as Chatwoot
	MaxEvents         int           // see mockplatform.APIConfig; default 1000
	MessagesPerMinute int           // default 200
	KeepBodies        bool          // keep delivered bodies in the transcript

	// Generator are extra options for the world's generator (e.g. fixed
	// account or inbox ids); the profile and version stay 4.16's realistic.
	Generator []generator.Option
}

// Loop is a running mock Chatwoot: API plus webhook deliveries.
type Loop struct {
	API *mockplatform.APIServer

	cfg       LoopConfig
	seed      int64
	userToken string
	botToken  string

	mu        sync.Mutex // guards g, msgs, platforms use in Deliver
	g         *generator.Generator
	msgs      map[int]*generator.Message
	apiInbox  int // the API inbox the bot is connected to
	convs     []int
	platforms map[string]*mockplatform.Platform
	repeat    string // deliver the next event of this name twice, same delivery id
}

// RepeatNext makes the next delivery of event go out twice with the same
// X-Chatwoot-Delivery, as an agent-bot retry or a redelivery sends it.
func (l *Loop) RepeatNext(event string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.repeat = event
}

// NewLoop builds the world of cfg.Seed and starts the API.
func NewLoop(cfg LoopConfig) (*Loop, error) {
	if cfg.Version == "" {
		cfg.Version = "latest"
	}
	l := &Loop{cfg: cfg, userToken: cfg.UserToken, botToken: cfg.BotToken, platforms: map[string]*mockplatform.Platform{}}
	if l.userToken == "" {
		l.userToken = randomToken()
	}
	if l.botToken == "" {
		l.botToken = randomToken()
	}
	if l.userToken == l.botToken {
		return nil, errors.New("suites: the user token and the bot token must differ")
	}
	receivers := cfg.Receivers
	l.cfg.Receivers = nil
	for _, r := range receivers {
		if err := l.AddReceiver(r); err != nil {
			return nil, err
		}
	}
	// Not every world has an API inbox with a conversation; take the
	// first seed from cfg.Seed on that has one (Loop.Seed reports it).
	var w mockplatform.APIWorld
	var err error
	seed := cfg.Seed
	for i := 0; i < 100; i++ {
		if w, err = l.build(seed); err == nil {
			break
		}
		seed = l.seed + 1
	}
	if err != nil {
		return nil, err
	}
	api, err := mockplatform.NewAPIServer(mockplatform.APIConfig{World: w, Addr: cfg.APIAddr, Events: l,
		MaxEvents: cfg.MaxEvents, MessagesPerMinute: cfg.MessagesPerMinute})
	if err != nil {
		return nil, err
	}
	l.API = api
	return l, nil
}

func randomToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// AddReceiver adds a receiver the loop delivers to from now on (for a
// receiver that needs the API's URL before it can start).
func (l *Loop) AddReceiver(r LoopReceiver) error {
	switch r.Kind {
	case mockplatform.ReceiverAccount, mockplatform.ReceiverAPIInbox, mockplatform.ReceiverAgentBot:
	default:
		return fmt.Errorf("suites: unknown receiver kind %q", r.Kind)
	}
	if u, err := url.Parse(r.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("suites: receiver %s: %q is not an http(s) URL", r.Kind, r.URL)
	}
	mc := mockplatform.NewConfig()
	mc.Receiver = r.Kind
	mc.Version = l.cfg.Version
	mc.Secret = r.Secret
	if l.cfg.Timeout > 0 {
		mc.Timeout = l.cfg.Timeout
	}
	if l.cfg.RetryWait != 0 {
		mc.RetryWait = l.cfg.RetryWait
	}
	p, err := mockplatform.New(mc)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.platforms[r.Kind+" "+r.URL] = p
	l.cfg.Receivers = append(l.cfg.Receivers, r)
	return nil
}

// Seed is the world's seed. UserToken and BotToken are the access tokens.
func (l *Loop) Seed() int64       { return l.seed }
func (l *Loop) UserToken() string { return l.userToken }
func (l *Loop) BotToken() string  { return l.botToken }

// AccountID is the account's id; APIInboxID the API inbox the agent bot is
// connected to; Conversations the display ids of that inbox's
// conversations, pending for the bot.
func (l *Loop) AccountID() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.g.World().Chatwoot.Account.ID
}

func (l *Loop) APIInboxID() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.apiInbox
}

func (l *Loop) Conversations() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int(nil), l.convs...)
}

// Close stops the API and the deliveries.
func (l *Loop) Close() {
	l.API.Close()
	for _, p := range l.platforms {
		p.Close()
	}
}

// Reset rebuilds the world from the seed and resets the API to it.
func (l *Loop) Reset() error {
	w, err := l.build(l.seed)
	if err != nil {
		return err
	}
	return l.API.Reset(&w)
}

// build makes the generator world of seed and its API view. The world is
// adjusted in one way a real account can be: the agent bot is connected to
// an API inbox, whose conversations are pending (waiting for the bot), so
// that a bot can be driven through the API as with a real API channel.
func (l *Loop) build(seed int64) (mockplatform.APIWorld, error) {
	g, err := generator.New(seed, l.cfg.Generator...) // the API imitates 4.16, so payloads are 4.16's
	if err != nil {
		return mockplatform.APIWorld{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.g, l.seed, l.msgs = g, g.Seed(), map[int]*generator.Message{}
	cw := &g.World().Chatwoot
	if len(cw.Bots) == 0 || len(cw.Agents) == 0 {
		return mockplatform.APIWorld{}, fmt.Errorf("suites: world of seed %d has no agent bot or agent", l.seed)
	}
	bot := cw.Bots[0]
	var api *generator.Inbox
	for _, ib := range cw.Inboxes {
		if ib.ChannelType == mockplatform.ChannelAPI && api == nil {
			for _, c := range cw.Conversations {
				if c.Inbox == ib {
					api = ib
					break
				}
			}
		}
	}
	if api == nil {
		return mockplatform.APIWorld{}, fmt.Errorf("suites: world of seed %d has no API inbox with a conversation", l.seed)
	}
	api.AgentBot = bot
	l.apiInbox = api.ID
	l.convs = nil
	for _, c := range cw.Conversations {
		if c.Inbox == api {
			c.Status, c.Assignee, c.AssigneeBot = "pending", nil, nil
			l.convs = append(l.convs, c.DisplayID)
		}
	}
	return l.apiWorld(cw, bot), nil
}

// apiWorld converts the generator world to the API's state.
func (l *Loop) apiWorld(cw *generator.ChatwootWorld, bot *generator.AgentBot) mockplatform.APIWorld {
	w := mockplatform.APIWorld{Account: mockplatform.APIAccount{ID: cw.Account.ID, Name: cw.Account.Name}}
	for _, ib := range cw.Inboxes {
		in := mockplatform.APIInbox{ID: ib.ID, Name: ib.Name, ChannelType: ib.ChannelType, ChannelID: ib.ChannelID}
		if ib.AgentBot != nil {
			in.BotID = ib.AgentBot.ID
		}
		for _, a := range cw.Agents {
			in.Members = append(in.Members, a.ID)
		}
		w.Inboxes = append(w.Inboxes, in)
	}
	for _, c := range cw.Contacts {
		ct := mockplatform.APIContact{ID: c.ID, Name: c.Name, Email: deref(c.Email), Phone: deref(c.Phone),
			Identifier: deref(c.Identifier), Thumbnail: c.Thumbnail, Blocked: c.Blocked,
			AdditionalAttributes: objectMap(c.AdditionalAttributes), CustomAttributes: objectMap(c.CustomAttributes),
			CreatedAt: c.CreatedAt, LastActivityAt: c.LastActivityAt, SourceIDs: map[int]string{}}
		for _, ci := range cw.ContactInboxes {
			if ci.Contact == c {
				ct.SourceIDs[ci.Inbox.ID] = ci.SourceID
			}
		}
		w.Contacts = append(w.Contacts, ct)
	}
	for i, a := range cw.Agents {
		ag := mockplatform.APIAgent{ID: a.ID, Name: a.Name, AvailableName: a.AvailableName, Email: a.Email, Role: "agent"}
		if i == 0 {
			ag.Role, ag.Token = "administrator", l.userToken
		}
		w.Agents = append(w.Agents, ag)
	}
	for _, b := range cw.Bots {
		ab := mockplatform.APIBot{ID: b.ID, Name: b.Name, OutgoingURL: b.OutgoingURL}
		if b == bot {
			ab.Token = l.botToken
		}
		w.Bots = append(w.Bots, ab)
	}
	for _, t := range cw.Teams {
		w.Teams = append(w.Teams, mockplatform.APITeam{ID: t.ID, Name: t.Name})
	}
	for i, c := range cw.Conversations {
		ac := mockplatform.APIConversation{ID: 1000 + i, DisplayID: c.DisplayID, UUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", c.DisplayID),
			InboxID: c.Inbox.ID, ContactID: c.Contact.ID, Status: c.Status, Priority: c.Priority,
			Labels: append([]string(nil), c.Labels...), CustomAttributes: objectMap(c.CustomAttributes),
			AdditionalAttributes: objectMap(c.AdditionalAttributes), SnoozedUntil: c.SnoozedUntil,
			WaitingSince: c.WaitingSince, FirstReplyCreatedAt: c.FirstReplyCreatedAt, AgentLastSeenAt: c.AgentLastSeenAt,
			ContactLastSeenAt: c.ContactLastSeenAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, LastActivityAt: c.LastActivityAt}
		if c.Assignee != nil {
			ac.AssigneeID = c.Assignee.ID
		}
		if c.AssigneeBot != nil {
			ac.AssigneeBotID = c.AssigneeBot.ID
		}
		if c.Team != nil {
			ac.TeamID = c.Team.ID
		}
		w.Conversations = append(w.Conversations, ac)
	}
	return w
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func objectMap(o generator.Object) map[string]any {
	m := map[string]any{}
	for _, x := range o {
		m[x.Key] = x.Value
	}
	return m
}

// mapObject turns a JSON-like map into an Object, keys sorted.
func mapObject(m map[string]any) generator.Object {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o := generator.Object{}
	for _, k := range keys {
		o = append(o, generator.Member{Key: k, Value: jsonValue(m[k])})
	}
	return o
}

func jsonValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return mapObject(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = jsonValue(x)
		}
		return out
	case int32:
		return int(v)
	case float32:
		return float64(v)
	}
	return v
}

// Deliver implements mockplatform.EventSink: it applies ev to the
// generator world, renders the payload with the generator and delivers it
// to every receiver that Chatwoot would send it to.
func (l *Loop) Deliver(ctx context.Context, ev mockplatform.APIEvent) []mockplatform.EventDelivery {
	l.mu.Lock()
	receivers := append([]LoopReceiver(nil), l.cfg.Receivers...)
	body, err := l.render(ev)
	times := 1
	if l.repeat != "" && l.repeat == ev.Name {
		times, l.repeat = 2, ""
	}
	l.mu.Unlock()
	if err != nil {
		return []mockplatform.EventDelivery{{Event: ev.Name, Error: "harness: cannot render: " + err.Error()}}
	}
	var out []mockplatform.EventDelivery
	for _, r := range receivers {
		if !mockplatform.ReceiverGets(r.Kind, ev.Name) || !l.reaches(r.Kind, ev) {
			continue
		}
		l.mu.Lock()
		p := l.platforms[r.Kind+" "+r.URL]
		l.mu.Unlock()
		var opts []mockplatform.DeliverOption
		for i := 0; i < times; i++ {
			d, err := p.Deliver(ctx, r.URL, body, opts...)
			ed := mockplatform.EventDelivery{Receiver: r.Kind, URL: mockplatform.RedactURL(r.URL), Event: ev.Name}
			if l.cfg.KeepBodies {
				ed.Body = body
			}
			if err != nil {
				ed.Error = err.Error()
			} else {
				ed.DeliveryID, ed.Status, ed.Attempts, ed.Duration = d.DeliveryID, d.Status, len(d.Attempts), d.Duration
				if d.Err != nil {
					ed.Error = d.Err.Error()
				}
				opts = []mockplatform.DeliverOption{mockplatform.WithDeliveryID(d.DeliveryID)}
			}
			out = append(out, ed)
		}
	}
	return out
}

// reaches reports whether a receiver of kind gets events of ev's inbox: an
// account webhook gets every inbox's, an API-inbox webhook its inbox's, an
// agent bot those of the inbox it is connected to or the conversations
// assigned to it.
func (l *Loop) reaches(kind string, ev mockplatform.APIEvent) bool {
	switch kind {
	case mockplatform.ReceiverAPIInbox:
		return ev.Inbox.ChannelType == mockplatform.ChannelAPI
	case mockplatform.ReceiverAgentBot:
		return ev.Inbox.BotID != 0 || ev.Conversation.AssigneeBotID != 0
	}
	return true
}

// render syncs the generator world with ev and encodes the payload.
func (l *Loop) render(ev mockplatform.APIEvent) ([]byte, error) {
	cw := &l.g.World().Chatwoot
	if ev.Name == "contact_updated" || ev.Name == "contact_created" {
		c := findContact(cw, ev.Contact.ID)
		if c == nil {
			return nil, fmt.Errorf("no contact %d", ev.Contact.ID)
		}
		syncContact(c, ev.Contact)
		return l.g.RenderContact(ev.Name, c, changesObject(ev.Changes))
	}
	var conv *generator.Conversation
	for _, c := range cw.Conversations {
		if c.DisplayID == ev.Conversation.DisplayID {
			conv = c
		}
	}
	if conv == nil {
		return nil, fmt.Errorf("no conversation %d", ev.Conversation.DisplayID)
	}
	l.syncConversation(cw, conv, ev.Conversation)
	if ev.Message == nil {
		return l.g.RenderConversation(ev.Name, conv, changesObject(ev.Changes))
	}
	m := l.msgs[ev.Message.ID]
	if m == nil {
		m = &generator.Message{ID: ev.Message.ID, Conversation: conv, AdditionalAttributes: generator.Object{}}
		l.msgs[m.ID] = m
		conv.Messages++
	}
	am := ev.Message
	m.Content, m.ContentType, m.MessageType, m.Private, m.Status = am.Content, am.ContentType, am.MessageType, am.Private, am.Status
	m.SourceID, m.CreatedAt, m.UpdatedAt = am.SourceID, am.CreatedAt, am.UpdatedAt
	m.ContentAttributes = mapObject(am.ContentAttributes)
	m.Contact, m.Agent, m.Bot = nil, nil, nil
	switch am.SenderType {
	case mockplatform.SenderContact:
		m.Contact = findContact(cw, am.SenderID)
	case mockplatform.SenderUser:
		for _, a := range cw.Agents {
			if a.ID == am.SenderID {
				m.Agent = a
			}
		}
	case mockplatform.SenderAgentBot:
		for _, b := range cw.Bots {
			if b.ID == am.SenderID {
				m.Bot = b
			}
		}
	}
	if !m.Private && m.MessageType != mockplatform.MessageActivity {
		conv.LastPublic = m
	}
	return l.g.RenderMessage(ev.Name, m)
}

func findContact(cw *generator.ChatwootWorld, id int) *generator.Contact {
	for _, c := range cw.Contacts {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func syncContact(c *generator.Contact, ac mockplatform.APIContact) {
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	c.Name, c.Email, c.Phone, c.Identifier, c.Blocked = ac.Name, str(ac.Email), str(ac.Phone), str(ac.Identifier), ac.Blocked
	c.AdditionalAttributes, c.CustomAttributes = mapObject(ac.AdditionalAttributes), mapObject(ac.CustomAttributes)
}

func (l *Loop) syncConversation(cw *generator.ChatwootWorld, c *generator.Conversation, ac mockplatform.APIConversation) {
	c.Status, c.Priority, c.Labels = ac.Status, ac.Priority, append([]string(nil), ac.Labels...)
	c.Assignee, c.AssigneeBot, c.Team = nil, nil, nil
	for _, a := range cw.Agents {
		if a.ID == ac.AssigneeID {
			c.Assignee = a
		}
	}
	for _, b := range cw.Bots {
		if b.ID == ac.AssigneeBotID {
			c.AssigneeBot = b
		}
	}
	for _, t := range cw.Teams {
		if t.ID == ac.TeamID {
			c.Team = t
		}
	}
	c.CustomAttributes = mapObject(ac.CustomAttributes)
	c.SnoozedUntil, c.WaitingSince, c.FirstReplyCreatedAt = ac.SnoozedUntil, ac.WaitingSince, ac.FirstReplyCreatedAt
	c.UpdatedAt, c.LastActivityAt = ac.UpdatedAt, ac.LastActivityAt
	if ct := findContact(cw, ac.ContactID); ct != nil {
		c.Contact = ct
	}
}

func changesObject(ch []mockplatform.APIChange) generator.Object {
	if ch == nil {
		return nil
	}
	o := generator.Object{}
	for _, c := range ch {
		o = append(o, generator.Member{Key: c.Attr, Value: generator.Object{
			{Key: "previous_value", Value: changeValue(c.Previous)}, {Key: "current_value", Value: changeValue(c.Current)}}})
	}
	return o
}

func changeValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return mapObject(v)
	case []string:
		return append([]string{}, v...)
	}
	return jsonValue(v)
}
