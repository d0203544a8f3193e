package generator

import (
	"strconv"
	"strings"
	"time"
)

// newMessage creates a message in c at t and records it in the
// conversation's state (last activity, waiting time, unread count, the last
// public message). mtype is incoming, outgoing or template.
func (g *Generator) newMessage(c *Conversation, mtype string, t time.Time) *Message {
	m := &Message{ID: g.id("message"), Conversation: c, MessageType: mtype, Status: "sent",
		CreatedAt: t, UpdatedAt: t, ContentType: "text", ContentAttributes: Object{}, AdditionalAttributes: Object{}}
	c.Messages++
	ch := c.Inbox.ChannelType
	widget := ch == "Channel::WebWidget"
	text := func(s string) { m.Content = &s }
	switch mtype {
	case "incoming":
		m.Contact = c.Contact
		name := "there"
		if c.Assignee != nil {
			name = c.Assignee.AvailableName
		}
		text(g.messageText(true, name))
		if widget {
			m.ContentAttributes = Object{{"in_reply_to", nil}}
		}
		if ch == "Channel::Email" {
			g.emailMessage(m)
		}
		if g.chance(0.15) || g.edge && g.chance(0.3) {
			g.addAttachments(m)
		}
		m.SourceID = g.sourceID(ch)
	case "outgoing":
		first := c.Contact.Name
		if i := strings.IndexByte(first, ' '); i > 0 {
			first = first[:i]
		}
		switch {
		case c.Inbox.AgentBot != nil && (c.Status == "pending" || g.chance(0.15)):
			m.Bot = c.Inbox.AgentBot
			g.botMessage(m, first)
		default:
			m.Agent = c.Assignee
			if m.Agent == nil {
				m.Agent = g.world.Chatwoot.Agents[g.r.Intn(len(g.world.Chatwoot.Agents))]
			}
			text(g.messageText(false, first))
			m.ContentAttributes = Object{{"in_reply_to", nil}}
			if g.chance(0.08) || g.edge && g.chance(0.2) {
				g.addAttachments(m)
			}
		}
		if ch != "Channel::WebWidget" && ch != "Channel::Api" && g.chance(0.5) {
			m.SourceID = g.sourceID(ch)
		}
	case "template":
		if widget && g.chance(0.5) {
			m.ContentType = "input_email"
			text("Give the team a way to reach you.")
			m.ContentAttributes = Object{}
			if g.chance(0.4) {
				m.ContentAttributes = Object{{"submitted_email", g.email()}}
			}
		} else {
			m.ContentType = "input_csat"
			s := "Please rate the conversation"
			if !widget {
				s += "\n" + g.world.Chatwoot.FrontendURL + "/survey/responses/" + g.uuid()
			}
			text(s)
		}
	}
	if g.edge {
		g.edgeMessage(m)
	}
	if mtype == "incoming" {
		c.UnreadCount++
		if c.WaitingSince.IsZero() {
			c.WaitingSince = t
		}
		c.ContactLastSeenAt = t
	}
	if mtype == "outgoing" && !m.Private {
		if c.FirstReplyCreatedAt.IsZero() && m.Agent != nil {
			c.FirstReplyCreatedAt = t
		}
	}
	if !m.Private {
		c.LastPublic = m
	}
	c.LastActivityAt = t
	return m
}

var (
	externalErrors = []string{"500 Internal Server Error", "(#131047) Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number.", "403 Forbidden", "Connection refused"}
	selectOptions  = []struct{ title, value string }{{"Track my order", "track"}, {"Talk to a human", "human"}, {"Billing", "billing"}, {"Falar com atendente", "atendente"}, {"تتبع الطلب", "track_ar"}, {"退款", "refund"}}
)

func (g *Generator) botMessage(m *Message, first string) {
	s := func(v string) *string { return &v }
	switch r := g.r.Intn(10); {
	case r < 5:
		m.Content = s(g.fill(g.pick([]string{"Hi {name}! I'm the virtual assistant. How can I help?", "Olá {name}! Como posso ajudar?", "مرحبا {name}! كيف يمكنني مساعدتك؟"}), first))
	case r < 7:
		m.ContentType = "input_select"
		m.Content = s("Please choose an option")
		var items []Object
		for i, n := 0, 2+g.r.Intn(3); i < n; i++ {
			o := selectOptions[(i+g.r.Intn(2))%len(selectOptions)]
			items = append(items, Object{{"title", o.title}, {"value", o.value}})
		}
		m.ContentAttributes = Object{{"items", items}}
	case r < 9:
		m.ContentType = "cards"
		m.Content = s("Here are some products")
		var items []Object
		for i, n := 0, 1+g.r.Intn(3); i < n; i++ {
			items = append(items, Object{{"title", g.f.Noun()}, {"description", g.f.Sentence(6)}, {"media_url", "https://cdn." + g.f.DomainName() + "/p/" + g.token(8) + ".jpg"},
				{"actions", []Object{{{"text", "View"}, {"type", "link"}, {"payload", nil}, {"uri", "https://shop.example.com/p/" + g.token(6)}}, {{"text", "Buy"}, {"type", "postback"}, {"payload", "BUY_" + g.digits(4)}, {"uri", nil}}}}})
		}
		m.ContentAttributes = Object{{"items", items}}
	default:
		m.ContentType = "form"
		m.Content = s("Tell us about you")
		m.ContentAttributes = Object{{"items", []Object{
			{{"name", "email"}, {"placeholder", "Please enter your email"}, {"type", "email"}, {"label", "Email"}},
			{{"name", "message"}, {"placeholder", "What can we help with?"}, {"type", "text_area"}, {"label", "Message"}},
		}}}
	}
}

func (g *Generator) emailMessage(m *Message) {
	m.ContentType = "incoming_email"
	from := "someone@example.com"
	if e := m.Conversation.Contact.Email; e != nil {
		from = *e
	}
	to := "support@example.com"
	if v, ok := m.Conversation.Inbox.Channel.Get("email"); ok {
		to = v.(string)
	}
	subject := "Order problem"
	if v, ok := m.Conversation.AdditionalAttributes.Get("mail_subject"); ok {
		subject, _ = v.(string)
	}
	body := ""
	if m.Content != nil {
		body = *m.Content
	}
	msgID := g.uuid() + "@mail.gmail.com"
	m.ContentAttributes = Object{{"email", Object{
		{"bcc", nil}, {"cc", nil}, {"content_type", "multipart/alternative; boundary=\"000000000000" + g.hex(12) + "\""},
		{"date", m.CreatedAt.UTC().Format(time.RFC3339)}, {"from", []string{from}},
		{"html_content", Object{{"full", "<div dir=\"ltr\">" + body + "</div>"}, {"reply", body}, {"quoted", body}}},
		{"in_reply_to", nil}, {"message_id", msgID}, {"multipart", true}, {"number_of_attachments", 0}, {"subject", subject},
		{"text_content", Object{{"full", body}, {"reply", body}, {"quoted", body}}}, {"to", []string{to}},
	}}, {"cc_email", nil}, {"bcc_email", nil}}
	s := msgID
	m.SourceID = &s
}

// sourceID returns a channel's external message id, or nil.
func (g *Generator) sourceID(ch string) *string {
	var s string
	switch ch {
	case "Channel::Whatsapp":
		s = "wamid.HBgM" + g.digits(12) + "FQIAEhgg" + strings.ToUpper(g.hex(32)) + "AA=="
	case "Channel::Email":
		s = g.uuid() + "@mail.gmail.com"
	case "Channel::Telegram":
		s = strconv.Itoa(g.f.Number(100, 999999))
	case "Channel::FacebookPage", "Channel::Instagram":
		s = "m_" + g.token(60)
	case "Channel::Sms", "Channel::TwilioSms":
		s = "SM" + g.hex(32)
	case "Channel::Line":
		s = g.digits(18)
	case "Channel::Api":
		if g.chance(0.5) {
			return nil
		}
		s = g.uuid()
	default:
		return nil
	}
	return &s
}

var fileKinds = []struct {
	fileType, ext, mime, name string
}{
	{"image", "jpg", "image/jpeg", "IMG_2024.jpg"},
	{"image", "png", "image/png", "screenshot.png"},
	{"audio", "ogg", "audio/ogg", "voice-note.ogg"},
	{"audio", "mp3", "audio/mpeg", "recording.mp3"},
	{"video", "mp4", "video/mp4", "video.mp4"},
	{"file", "pdf", "application/pdf", "invoice.pdf"},
	{"file", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "relatório.xlsx"},
	{"location", "", "", ""},
	{"fallback", "", "", ""},
	{"contact", "", "", ""},
}

func (g *Generator) addAttachments(m *Message) {
	n := 1
	if g.chance(0.1) {
		n = 2 + g.r.Intn(3)
	}
	if g.edge && g.chance(0.3) {
		n = 10 + g.r.Intn(11)
	}
	for i := 0; i < n; i++ {
		m.Attachments = append(m.Attachments, g.newAttachment(m))
	}
	if g.chance(0.6) {
		m.Content = nil
	}
}

func (g *Generator) newAttachment(m *Message) Attachment {
	k := fileKinds[g.r.Intn(len(fileKinds))]
	a := Attachment{ID: g.id("attachment"), FileType: k.fileType}
	front := g.world.Chatwoot.FrontendURL
	str := func(s string) *string { return &s }
	switch k.fileType {
	case "location":
		a.Lat = float64(g.r.Intn(180000000)-90000000) / 1e6
		a.Long = float64(g.r.Intn(360000000)-180000000) / 1e6
		a.FallbackTitle = str(g.pick([]string{"Av. Paulista, 1578 - São Paulo", "King Fahd Rd, Riyadh", "Shared location"}))
		a.DataURL = "https://maps.google.com/?q=" + strconv.FormatFloat(a.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(a.Long, 'f', -1, 64)
		return a
	case "fallback":
		a.FallbackTitle = str(g.pick([]string{"Unsupported message", "Shared a post", "sticker"}))
		a.DataURL = "https://www.facebook.com/" + g.digits(15)
		if g.edge && g.chance(0.3) {
			a.FallbackTitle = nil
		}
		return a
	case "contact":
		a.FallbackTitle = str(g.phone())
		a.Meta = Object{{"firstName", g.f.FirstName()}, {"lastName", g.f.LastName()}}
		return a
	}
	if m.Conversation.Inbox.ChannelType == "Channel::Instagram" && m.MessageType == "incoming" && k.fileType == "image" {
		a.ExternalOnly = true
		a.DataURL = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=" + g.digits(17)
		return a
	}
	a.Extension = nil
	if g.chance(0.5) {
		a.Extension = str(k.ext)
	}
	a.ContentType = k.mime
	a.DataURL = front + "/rails/active_storage/blobs/redirect/" + g.signedID() + "/" + k.name
	a.FileSize = 1000 + g.r.Intn(5000000)
	if k.fileType == "image" {
		a.ThumbURL = front + "/rails/active_storage/representations/redirect/" + g.signedID() + "/" + g.hex(40) + "/" + k.name
		if g.chance(0.8) {
			wd, ht := 320+g.r.Intn(3000), 240+g.r.Intn(3000)
			a.Width, a.Height = &wd, &ht
		}
	}
	if k.fileType == "audio" && g.chance(0.5) {
		a.TranscribedText = g.messageText(true, "there")
	}
	return a
}

// edgeMessage pushes a message to the boundaries the platform can send.
func (g *Generator) edgeMessage(m *Message) {
	switch g.r.Intn(8) {
	case 0:
		m.Content = nil
	case 1:
		deleted := "This message was deleted"
		m.Content = &deleted
		m.ContentType = "text"
		m.ContentAttributes = Object{{"deleted", true}}
		m.Attachments = nil
	case 2:
		m.Status = "failed"
		m.ContentAttributes = m.ContentAttributes.With("external_error", g.pick(externalErrors))
	case 3:
		m.ContentAttributes = m.ContentAttributes.With("in_reply_to", g.f.Number(1, 999999)).With("in_reply_to_external_id", g.uuid())
	case 4:
		m.AdditionalAttributes = Object{{"campaign_id", g.f.Number(1, 500)}, {"template_params", Object{{"name", "order_update"}, {"category", "UTILITY"}, {"language", "pt_BR"}, {"processed_params", Object{{"1", "<b>&</b>"}}}}}}
	case 5:
		m.ContentAttributes = m.ContentAttributes.With("is_unsupported", true)
	}
	if m.MessageType == "incoming" && g.chance(0.2) {
		m.SourceID = nil
	}
}
