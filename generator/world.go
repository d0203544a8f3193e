package generator

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// World is the coherent set of things a seed builds and payloads refer to.
type World struct {
	Chatwoot  ChatwootWorld
	Swiftsell SwiftsellWorld
}

// ChatwootWorld is one Chatwoot account and everything in it.
type ChatwootWorld struct {
	FrontendURL    string
	Account        Account
	Inboxes        []*Inbox
	Contacts       []*Contact
	ContactInboxes []*ContactInbox
	Agents         []*Agent
	Bots           []*AgentBot
	Teams          []*Team
	Labels         []string
	Conversations  []*Conversation
}

// Account is a Chatwoot account.
type Account struct {
	ID   int
	Name string
}

// Inbox is a Chatwoot inbox and its channel.
type Inbox struct {
	ID          int
	Name        string
	ChannelType string // "Channel::WebWidget", "Channel::Whatsapp", ...
	ChannelID   int
	Channel     Object // the raw channel row
	AgentBot    *AgentBot

	GreetingEnabled            bool
	GreetingMessage            *string
	Timezone                   string
	EnableAutoAssignment       bool
	EnableEmailCollect         bool
	CSATSurveyEnabled          bool
	AllowMessagesAfterResolved bool
	LockToSingleConversation   bool
	BusinessName               *string
	SenderNameType             string
	OutOfOfficeMessage         *string
	WorkingHoursEnabled        bool
	WorkingHours               []Object
	CreatedAt, UpdatedAt       time.Time
}

// Contact is a Chatwoot contact.
type Contact struct {
	ID                   int
	Name                 string
	Email                *string
	Phone                *string
	Identifier           *string
	Thumbnail            string
	Blocked              bool
	ContactType          string // visitor, lead, customer
	AdditionalAttributes Object
	CustomAttributes     Object
	CreatedAt, UpdatedAt time.Time
	LastActivityAt       time.Time
}

// Agent is a Chatwoot user.
type Agent struct {
	ID            int
	Name          string
	AvailableName string
	Email         string
	AvatarURL     string
}

// AgentBot is a Chatwoot agent bot.
type AgentBot struct {
	ID          int
	Name        string
	AvatarURL   string
	OutgoingURL string
}

// Team is a Chatwoot team.
type Team struct {
	ID   int
	Name string
	// Icon and IconColor (4.16.0) are nil: teams made before they existed.
	Icon, IconColor *string
}

// ContactInbox links a contact to an inbox.
type ContactInbox struct {
	ID                   int
	Contact              *Contact
	Inbox                *Inbox
	SourceID             string
	PubsubToken          string
	HmacVerified         bool
	CreatedAt, UpdatedAt time.Time
}

// Conversation is a Chatwoot conversation's current state.
type Conversation struct {
	DisplayID    int // the per-account id payloads call "id"
	Inbox        *Inbox
	Contact      *Contact
	ContactInbox *ContactInbox

	Status      string // open, resolved, pending, snoozed
	Assignee    *Agent
	AssigneeBot *AgentBot
	Team        *Team
	Labels      []string
	Priority    string // "" = null

	SnoozedUntil, FirstReplyCreatedAt, WaitingSince time.Time
	AgentLastSeenAt, ContactLastSeenAt              time.Time
	LastActivityAt, CreatedAt, UpdatedAt            time.Time

	UnreadCount          int
	CanReply             bool
	AdditionalAttributes Object
	CustomAttributes     Object
	// LastPublic is the last public non-activity message: what
	// conversation.messages[] holds.
	LastPublic *Message
	// Messages counts the messages created in the conversation.
	Messages int
	SLA      *SLA // nil unless the account has the SLA feature
}

// SLA is an applied SLA policy.
type SLA struct {
	ID, SLAID            int
	Status               string
	Name, Description    string
	FRT, NRT, RT         *float64
	BusinessHours        bool
	CreatedAt, UpdatedAt time.Time
	CompletedAt          time.Time
	Events               []SLAEvent
}

// SLAEvent is one SLA breach event.
type SLAEvent struct {
	ID        int
	Type      string // frt, nrt, rt
	CreatedAt time.Time
}

// Message is a Chatwoot message.
type Message struct {
	ID                   int
	Conversation         *Conversation
	Content              *string
	ContentType          string
	ContentAttributes    Object
	AdditionalAttributes Object
	MessageType          string // incoming, outgoing, template
	Private              bool
	Status               string // sent, delivered, read, failed
	SourceID             *string
	Contact              *Contact // sender, at most one of the three is set
	Agent                *Agent
	Bot                  *AgentBot
	CreatedAt, UpdatedAt time.Time
	Attachments          []Attachment
}

// Attachment is a message attachment.
type Attachment struct {
	ID              int
	FileType        string
	Extension       *string
	ContentType     string
	DataURL         string
	ThumbURL        string
	FileSize        int
	Width, Height   *int
	TranscribedText string
	Lat, Long       float64
	FallbackTitle   *string
	Meta            Object
	ExternalOnly    bool // no file: only data_url and thumb_url
}

// SwiftsellWorld is one Swiftsell account.
type SwiftsellWorld struct {
	Host          string
	Account       SwiftsellAccount
	BotUser       SwiftsellActor
	Agents        []SwiftsellActor
	Labels        []int
	Conversations []*SwiftsellConversation
}

// SwiftsellAccount is the envelope's account.
type SwiftsellAccount struct {
	Key    string
	ID     int
	BotIDs []int
}

// SwiftsellActor is a user, bot or visitor as payloads show it (string id).
type SwiftsellActor struct {
	Email *string
	ID    *string
	Type  string // user, bot, visitor
}

// SwiftsellConversation is a Swiftsell conversation.
type SwiftsellConversation struct {
	Key          string
	ID           int
	BotID        int
	VisitorKey   string
	VisitorID    int
	Title        string
	ExternalKey  string
	Assignee     SwiftsellActor
	Closed       bool
	NewVisitor   bool
	Browser      string
	ChannelName  int
	CreatedAt    time.Time
	VisitorName  string
	VisitorEmail string
	VisitorPhone string
	Labels       []int
}

var (
	channelWeights = []struct {
		t string
		w int
	}{
		{"Channel::WebWidget", 30}, {"Channel::Whatsapp", 25}, {"Channel::Email", 12}, {"Channel::Api", 10},
		{"Channel::Telegram", 5}, {"Channel::FacebookPage", 6}, {"Channel::Instagram", 4}, {"Channel::Sms", 2},
		{"Channel::TwilioSms", 3}, {"Channel::Line", 1}, {"Channel::Tiktok", 1}, {"Channel::TwitterProfile", 1},
	}
	teamNames  = []string{"support", "sales", "billing", "onboarding", "vip", "technical"}
	labelNames = []string{"billing", "bug", "feature-request", "vip", "refund", "shipping", "lead", "urgent", "feedback", "spam", "returning-customer", "enterprise"}
	timezones  = []string{"UTC", "America/Sao_Paulo", "Asia/Riyadh", "Asia/Kolkata", "Europe/Lisbon", "America/New_York", "Asia/Shanghai", "Asia/Dubai"}
	cities     = []struct{ city, country, code string }{
		{"São Paulo", "Brazil", "BR"}, {"Riyadh", "Saudi Arabia", "SA"}, {"Lisbon", "Portugal", "PT"}, {"New York", "United States", "US"},
		{"Shanghai", "China", "CN"}, {"Mumbai", "India", "IN"}, {"Dubai", "United Arab Emirates", "AE"}, {"Berlin", "Germany", "DE"},
	}
	browsers = []struct{ name, version, platform, platformVersion, device string }{
		{"Chrome", "131.0.0.0", "Windows", "10", "Unknown"},
		{"Safari", "17.6", "iOS", "17.6.1", "iPhone"},
		{"Firefox", "133.0", "Ubuntu", "", "Unknown"},
		{"Chrome", "130.0.6723.102", "Android", "14", "Samsung SM-S918B"},
		{"Edge", "131.0.2903.70", "Windows", "10", "Unknown"},
		{"Safari", "18.1", "macOS", "10.15.7", "Macintosh"},
	}
)

func (g *Generator) buildWorld() *World {
	w := &World{}
	g.world = w
	g.buildChatwoot(&w.Chatwoot)
	g.buildSwiftsell(&w.Swiftsell)
	return w
}

func (g *Generator) buildChatwoot(cw *ChatwootWorld) {
	company := g.f.Company()
	cw.Account = Account{ID: 1 + g.r.Intn(200000), Name: company}
	if g.accountID > 0 {
		cw.Account.ID = g.accountID
	}
	if g.edge && g.chance(0.3) {
		cw.Account.Name = g.pick(edgeTexts[2:10])
	}
	if g.chance(0.5) {
		cw.FrontendURL = "https://app.chatwoot.com"
	} else {
		cw.FrontendURL = "https://chat." + strings.ToLower(g.f.LastName()) + ".com"
	}
	for i, n := 0, 3+g.r.Intn(6); i < n; i++ {
		first, last := g.f.FirstName(), g.f.LastName()
		name := first + " " + last
		a := &Agent{ID: g.id("user"), Name: name, AvailableName: first, Email: strings.ToLower(first + "." + last + "@" + g.f.DomainName())}
		if g.chance(0.6) {
			a.AvatarURL = cw.FrontendURL + "/rails/active_storage/representations/redirect/" + g.signedID() + "/" + g.hex(40) + "/avatar.png"
		}
		cw.Agents = append(cw.Agents, a)
	}
	for i, n := 0, 1+g.r.Intn(2); i < n; i++ {
		b := &AgentBot{ID: g.id("bot"), Name: g.pick([]string{"Captain", "Helper Bot", "Rasa Bot", "Dialogflow", "Typebot", "n8n bot"}), OutgoingURL: "https://bots.example.com/" + g.token(8)}
		if g.chance(0.4) {
			b.AvatarURL = cw.FrontendURL + "/rails/active_storage/blobs/redirect/" + g.signedID() + "/bot.png"
		}
		cw.Bots = append(cw.Bots, b)
	}
	for i, n := 0, 1+g.r.Intn(3); i < n; i++ {
		cw.Teams = append(cw.Teams, &Team{ID: g.id("team"), Name: teamNames[(i+g.r.Intn(2))%len(teamNames)]})
	}
	labels := append([]string(nil), labelNames...)
	g.f.ShuffleStrings(labels)
	cw.Labels = labels[:4+g.r.Intn(6)]

	// Inboxes: always a web widget (with a bot), WhatsApp, e-mail and API,
	// plus a few more channels in the realistic mix.
	types := []string{"Channel::WebWidget", "Channel::Whatsapp", "Channel::Email", "Channel::Api"}
	for i, n := 0, 1+g.r.Intn(3); i < n; i++ {
		types = append(types, g.weightedChannel())
	}
	for i, t := range types {
		ib := g.newInbox(cw, t)
		if i == 0 || g.chance(0.2) {
			ib.AgentBot = cw.Bots[g.r.Intn(len(cw.Bots))]
		}
		cw.Inboxes = append(cw.Inboxes, ib)
	}
	if i := g.scopeIndex(); i >= 0 {
		g.setScope(cw, cw.Inboxes[i])
	}
	for i, n := 0, 6+g.r.Intn(8); i < n; i++ {
		ib := g.weightedInbox(cw)
		c := g.newContact(cw, ib, g.past(24*time.Hour, 300*24*time.Hour))
		ci := g.newContactInbox(cw, c, ib, c.CreatedAt)
		at := g.past(10*time.Minute, 20*24*time.Hour)
		if !at.After(c.CreatedAt) {
			at = c.CreatedAt.Add(time.Duration(1+g.r.Intn(1000)) * time.Millisecond)
		}
		conv := g.newConversation(cw, ci, at)
		g.seedHistory(cw, conv)
	}
}

func (g *Generator) weightedChannel() string {
	total := 0
	for _, c := range channelWeights {
		total += c.w
	}
	n := g.r.Intn(total)
	for _, c := range channelWeights {
		if n < c.w {
			return c.t
		}
		n -= c.w
	}
	return channelWeights[0].t
}

// weightedInbox picks an inbox with the realistic channel mix.
func (g *Generator) weightedInbox(cw *ChatwootWorld) *Inbox {
	if g.scope != nil {
		return g.scope
	}
	for i := 0; i < 4; i++ {
		t := g.weightedChannel()
		for _, ib := range cw.Inboxes {
			if ib.ChannelType == t {
				return ib
			}
		}
	}
	return cw.Inboxes[g.r.Intn(len(cw.Inboxes))]
}

func (g *Generator) signedID() string {
	raw := `{"_rails":{"data":` + strconv.Itoa(g.f.Number(1000, 9999999)) + `,"pur":"blob_id"}}`
	return base64.StdEncoding.EncodeToString([]byte(raw)) + "--" + g.hex(40)
}

func (g *Generator) inboxName(t string) string {
	switch t {
	case "Channel::WebWidget":
		return g.pick([]string{"Website", "Website chat", "Help center widget", "Loja online"})
	case "Channel::Whatsapp":
		return "WhatsApp " + g.pick([]string{"Support", "Vendas", "Brasil", "KSA"})
	case "Channel::Email":
		return g.pick([]string{"Support e-mail", "billing@", "Contato"})
	case "Channel::Api":
		return g.pick([]string{"API", "Mobile app", "Evolution API", "WAHA"})
	}
	return strings.TrimPrefix(t, "Channel::")
}

func (g *Generator) newInbox(cw *ChatwootWorld, t string) *Inbox {
	created := g.past(100*24*time.Hour, 600*24*time.Hour)
	updated := g.past(time.Hour, 90*24*time.Hour)
	ib := &Inbox{ID: g.id("inbox"), Name: g.inboxName(t), ChannelType: t, ChannelID: g.id("channel:" + t),
		Timezone: g.pick(timezones), EnableAutoAssignment: g.chance(0.8), GreetingEnabled: g.chance(0.3),
		CSATSurveyEnabled: g.chance(0.3), AllowMessagesAfterResolved: g.chance(0.9), LockToSingleConversation: g.chance(0.3),
		SenderNameType: g.pick([]string{"friendly", "friendly", "professional"}), WorkingHoursEnabled: g.chance(0.3),
		CreatedAt: created, UpdatedAt: updated, EnableEmailCollect: t == "Channel::WebWidget" && g.chance(0.7)}
	if ib.GreetingEnabled {
		s := "Hi there 👋 We usually reply in a few minutes."
		ib.GreetingMessage = &s
	}
	if g.chance(0.2) {
		s := cw.Account.Name
		ib.BusinessName = &s
	}
	if ib.WorkingHoursEnabled || g.chance(0.5) {
		s := "We are away right now & will get back to you tomorrow."
		ib.OutOfOfficeMessage = &s
	}
	for d := 0; d < 7; d++ {
		closed := d == 0 || d == 6
		wh := Object{{"id", g.id("working_hour")}, {"inbox_id", ib.ID}, {"account_id", cw.Account.ID}, {"day_of_week", d}, {"closed_all_day", closed}}
		if closed {
			wh = append(wh, Member{"open_hour", nil}, Member{"open_minutes", nil}, Member{"close_hour", nil}, Member{"close_minutes", nil})
		} else {
			wh = append(wh, Member{"open_hour", 9}, Member{"open_minutes", 0}, Member{"close_hour", 17}, Member{"close_minutes", 0})
		}
		wh = append(wh, Member{"created_at", created}, Member{"updated_at", created}, Member{"open_all_day", false})
		ib.WorkingHours = append(ib.WorkingHours, wh)
	}
	base := Object{{"id", ib.ChannelID}}
	switch t {
	case "Channel::WebWidget":
		ib.Channel = append(base, Member{"website_url", "https://www." + g.f.DomainName()}, Member{"account_id", cw.Account.ID},
			Member{"created_at", created}, Member{"updated_at", updated}, Member{"website_token", g.token(24)},
			Member{"widget_color", "#1f93ff"}, Member{"welcome_title", "Hi there!"}, Member{"welcome_tagline", "We make it simple to connect with us."},
			Member{"feature_flags", 7}, Member{"reply_time", g.pick([]string{"in_a_few_minutes", "in_a_few_hours", "in_a_day"})},
			Member{"hmac_token", g.token(24)}, Member{"pre_chat_form_enabled", false},
			Member{"pre_chat_form_options", Object{{"pre_chat_message", "Share your queries or comments here."}, {"pre_chat_fields", []Object{}}}},
			Member{"hmac_mandatory", false}, Member{"continuity_via_email", true}, Member{"allowed_domains", ""})
	case "Channel::Whatsapp":
		ib.Channel = append(base, Member{"account_id", cw.Account.ID}, Member{"phone_number", g.phone()}, Member{"created_at", created},
			Member{"updated_at", updated}, Member{"provider", g.pick([]string{"whatsapp_cloud", "default"})},
			Member{"provider_config", Object{{"api_key", g.token(32)}, {"phone_number_id", g.digits(15)}, {"business_account_id", g.digits(15)}, {"webhook_verify_token", g.token(16)}}},
			Member{"message_templates", []Object{}}, Member{"message_templates_last_updated", updated})
	case "Channel::Email":
		addr := "support@" + g.f.DomainName()
		ib.Channel = append(base, Member{"account_id", cw.Account.ID}, Member{"email", addr}, Member{"forward_to_email", g.hex(32) + "@reply.chatwoot.com"},
			Member{"created_at", created}, Member{"updated_at", updated}, Member{"imap_enabled", false}, Member{"smtp_enabled", false}, Member{"provider", nil})
	case "Channel::Api":
		ib.Channel = append(base, Member{"account_id", cw.Account.ID}, Member{"webhook_url", "https://hooks." + g.f.DomainName() + "/chatwoot"},
			Member{"created_at", created}, Member{"updated_at", updated}, Member{"identifier", g.token(24)}, Member{"hmac_token", g.token(24)},
			Member{"hmac_mandatory", false}, Member{"additional_attributes", Object{}}, Member{"secret", g.token(24)})
	case "Channel::Telegram":
		ib.Channel = append(base, Member{"bot_name", g.f.FirstName() + "_bot"}, Member{"account_id", cw.Account.ID},
			Member{"bot_token", g.digits(10) + ":" + g.token(35)}, Member{"created_at", created}, Member{"updated_at", updated})
	default:
		ib.Channel = append(base, Member{"account_id", cw.Account.ID}, Member{"created_at", created}, Member{"updated_at", updated})
	}
	return ib
}

func (g *Generator) newContact(cw *ChatwootWorld, ib *Inbox, created time.Time) *Contact {
	c := &Contact{ID: g.id("contact"), CreatedAt: created, UpdatedAt: created, LastActivityAt: created,
		AdditionalAttributes: Object{}, CustomAttributes: Object{}, ContactType: "visitor"}
	str := func(s string) *string { return &s }
	switch ib.ChannelType {
	case "Channel::WebWidget":
		if g.chance(0.6) {
			c.Name = g.widgetName()
		} else {
			c.Name = g.personName()
			c.Email = str(g.email())
			c.ContactType = "lead"
		}
		b := browsers[g.r.Intn(len(browsers))]
		c.AdditionalAttributes = Object{{"source_id", "web_widget"}, {"browser", Object{{"device_name", b.device}, {"browser_name", b.name}, {"platform_name", b.platform}, {"browser_version", b.version}, {"platform_version", b.platformVersion}}}, {"referer", "https://www." + g.f.DomainName() + "/pricing"}, {"initiated_at", Object{{"timestamp", jsDate(created)}}}, {"browser_language", g.pick([]string{"en", "pt-BR", "ar", "zh-CN", "es"})}}
	case "Channel::Whatsapp", "Channel::Sms", "Channel::TwilioSms":
		c.Name = g.personName()
		c.Phone = str(g.phone())
		if g.chance(0.2) {
			c.Identifier = str(strings.TrimPrefix(*c.Phone, "+") + "@s.whatsapp.net")
		}
	case "Channel::Email":
		c.Name = g.personName()
		c.Email = str(g.email())
		c.ContactType = "lead"
	default:
		c.Name = g.personName()
		if g.chance(0.3) {
			c.Identifier = str(g.uuid())
		}
		if g.chance(0.3) {
			c.Phone = str(g.phone())
		}
	}
	if g.chance(0.3) {
		city := cities[g.r.Intn(len(cities))]
		c.AdditionalAttributes = Object{{"city", city.city}, {"country", city.country}, {"description", ""}, {"company_name", g.f.Company()}, {"country_code", city.code},
			{"social_profiles", Object{{"github", ""}, {"twitter", ""}, {"facebook", ""}, {"linkedin", ""}, {"instagram", ""}}}}
	}
	if g.chance(0.25) {
		c.CustomAttributes = Object{{"plan", g.pick([]string{"free", "pro", "enterprise"})}, {"customer_since", created.Format("2006-01-02")}}
	}
	if g.chance(0.3) {
		c.Thumbnail = cw.FrontendURL + "/rails/active_storage/representations/redirect/" + g.signedID() + "/" + g.hex(40) + "/avatar.jpg"
	}
	if g.edge {
		g.edgeContact(c)
	}
	cw.Contacts = append(cw.Contacts, c)
	return c
}

func (g *Generator) edgeContact(c *Contact) {
	switch g.r.Intn(6) {
	case 0:
		c.Name, c.Email, c.Phone, c.Identifier = "", nil, nil, nil
	case 1:
		c.Name = g.longString(255)
	case 2:
		c.Name = "<img src=x onerror=alert(1)> & Co"
	case 3:
		c.Name = "محمد 🇸🇦 O'Brien \"Jr\""
	case 4:
		c.Blocked = true
	}
}

// jsDate formats t as JavaScript's Date.toString() in UTC, as the widget
// sends initiated_at.timestamp.
func jsDate(t time.Time) string {
	return t.UTC().Format("Mon Jan 02 2006 15:04:05") + " GMT+0000 (Coordinated Universal Time)"
}

func (g *Generator) newContactInbox(cw *ChatwootWorld, c *Contact, ib *Inbox, at time.Time) *ContactInbox {
	ci := &ContactInbox{ID: g.id("contact_inbox"), Contact: c, Inbox: ib, PubsubToken: g.token(24), CreatedAt: at, UpdatedAt: at}
	switch ib.ChannelType {
	case "Channel::Whatsapp", "Channel::Sms", "Channel::TwilioSms":
		if c.Phone != nil {
			ci.SourceID = strings.TrimPrefix(*c.Phone, "+")
		} else {
			ci.SourceID = g.digits(12)
		}
	case "Channel::Email":
		if c.Email != nil {
			ci.SourceID = *c.Email
		} else {
			ci.SourceID = g.email()
		}
	case "Channel::Telegram", "Channel::FacebookPage", "Channel::Instagram", "Channel::Tiktok":
		ci.SourceID = g.digits(16)
	case "Channel::Line":
		ci.SourceID = "U" + g.hex(32)
	default:
		ci.SourceID = g.uuid()
	}
	ci.HmacVerified = ib.ChannelType == "Channel::WebWidget" && g.chance(0.1)
	cw.ContactInboxes = append(cw.ContactInboxes, ci)
	return ci
}

func (g *Generator) newConversation(cw *ChatwootWorld, ci *ContactInbox, at time.Time) *Conversation {
	c := &Conversation{DisplayID: g.id("conversation"), Inbox: ci.Inbox, Contact: ci.Contact, ContactInbox: ci,
		Status: "open", CreatedAt: at, UpdatedAt: at, LastActivityAt: at, CanReply: true,
		AdditionalAttributes: Object{}, CustomAttributes: Object{}, Labels: []string{}}
	if ci.Inbox.AgentBot != nil && g.chance(0.5) {
		c.Status = "pending"
	}
	switch ci.Inbox.ChannelType {
	case "Channel::WebWidget":
		if v, ok := ci.Contact.AdditionalAttributes.Get("browser"); ok {
			c.AdditionalAttributes = Object{{"browser", v}, {"referer", "https://www." + g.f.DomainName() + "/"}, {"initiated_at", Object{{"timestamp", jsDate(at)}}}, {"browser_language", g.pick([]string{"en", "pt-BR", "ar", "zh-CN"})}}
		} else {
			b := browsers[g.r.Intn(len(browsers))]
			c.AdditionalAttributes = Object{{"browser", Object{{"device_name", b.device}, {"browser_name", b.name}, {"platform_name", b.platform}, {"browser_version", b.version}, {"platform_version", b.platformVersion}}}, {"referer", "https://www." + g.f.DomainName() + "/"}, {"initiated_at", Object{{"timestamp", jsDate(at)}}}, {"browser_language", "en"}}
		}
	case "Channel::Email":
		c.AdditionalAttributes = Object{{"source", "email"}, {"in_reply_to", nil}, {"mail_subject", g.pick([]string{"Order problem", "Re: Invoice", "Pedido atrasado", "Question about pricing & plans"})}, {"initiated_at", Object{{"timestamp", at.UTC().Format("2006-01-02T15:04:05Z")}}}}
	}
	if g.chance(0.3) {
		c.CustomAttributes = Object{{"order_id", g.digits(6)}}
	}
	if g.chance(0.4) {
		c.Assignee = cw.Agents[g.r.Intn(len(cw.Agents))]
	}
	if g.chance(0.3) {
		c.Team = cw.Teams[g.r.Intn(len(cw.Teams))]
	}
	if g.chance(0.3) {
		c.Priority = g.pick([]string{"low", "medium", "high", "urgent"})
	}
	if g.chance(0.4) {
		c.Labels = []string{cw.Labels[g.r.Intn(len(cw.Labels))]}
	}
	if g.edge && g.chance(0.5) {
		g.attachSLA(c, at)
	}
	if g.edge && g.chance(0.3) {
		c.Labels = append([]string(nil), cw.Labels...)
	}
	cw.Conversations = append(cw.Conversations, c)
	return c
}

func (g *Generator) attachSLA(c *Conversation, at time.Time) {
	f := func(v float64) *float64 { return &v }
	s := &SLA{ID: g.id("applied_sla"), SLAID: 1 + g.r.Intn(20), Status: g.pick([]string{"active", "hit", "missed", "active_with_misses"}),
		Name: g.pick([]string{"Gold", "Standard", "VIP 1h"}), Description: g.pick([]string{"", "First reply within an hour"}),
		FRT: f(3600), NRT: nil, RT: f(86400), BusinessHours: g.chance(0.5), CreatedAt: at, UpdatedAt: at}
	if s.Status == "missed" || s.Status == "active_with_misses" {
		s.Events = append(s.Events, SLAEvent{ID: g.id("sla_event"), Type: g.pick([]string{"frt", "nrt", "rt"}), CreatedAt: at.Add(time.Hour)})
	}
	if s.Status == "hit" || s.Status == "missed" {
		s.CompletedAt = at.Add(2 * time.Hour)
	}
	c.SLA = s
}

// seedHistory gives a world conversation a past: a first incoming message,
// maybe a reply.
func (g *Generator) seedHistory(cw *ChatwootWorld, c *Conversation) {
	if g.chance(0.15) {
		return // no chat message yet
	}
	t := c.CreatedAt.Add(time.Duration(1+g.r.Intn(5000)) * time.Millisecond)
	m := g.newMessage(c, "incoming", t)
	c.LastActivityAt = t
	c.WaitingSince = t
	c.UnreadCount = 1
	if g.chance(0.5) {
		t = t.Add(time.Duration(30+g.r.Intn(3000)) * time.Second)
		if t.Before(g.now) {
			m = g.newMessage(c, "outgoing", t)
			c.FirstReplyCreatedAt = t
			c.WaitingSince = time.Time{}
			c.UnreadCount = 0
			c.LastActivityAt = t
			c.AgentLastSeenAt = t
		}
	}
	m.Status = "read"
	c.LastPublic = m
	c.UpdatedAt = c.LastActivityAt.Add(time.Duration(1+g.r.Intn(900)) * time.Millisecond)
	if c.UpdatedAt.After(g.now) {
		c.UpdatedAt = g.now
	}
}
