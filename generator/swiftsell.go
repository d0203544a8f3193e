package generator

import (
	"strconv"
	"strings"
	"time"
)

var swiftsellEvents = []string{"assignee_change", "conversation_create", "conversation_labels", "message", "note", "status", "variables"}

var swiftsellKinds = []string{
	"text", "image", "audio", "video", "document", "form", "file_upload", "calendar", "list", "javascript", "button",
	"carousel", "slider", "appointment_booking",
	"form.response", "file_upload.response", "javascript.response", "slider.response", "button.response",
	"calendly.response", "appointment_booking.response",
}

func (g *Generator) sw() *SwiftsellWorld { return &g.world.Swiftsell }

func (g *Generator) buildSwiftsell(s *SwiftsellWorld) {
	s.Host = "app.swiftsell.biz"
	s.Account = SwiftsellAccount{Key: g.token(32), ID: 100 + g.r.Intn(5000)}
	for i, n := 0, 1+g.r.Intn(3); i < n; i++ {
		s.Account.BotIDs = append(s.Account.BotIDs, 1000+g.r.Intn(9000))
	}
	str := func(v string) *string { return &v }
	s.BotUser = SwiftsellActor{Email: str("seq_user@swiftsell.biz"), ID: str(strconv.Itoa(1000 + g.r.Intn(9000))), Type: "bot"}
	for i, n := 0, 2+g.r.Intn(4); i < n; i++ {
		a := SwiftsellActor{Email: str(strings.ToLower(g.f.FirstName()) + "@" + g.f.DomainName()), ID: str(strconv.Itoa(1000 + g.r.Intn(9000))), Type: "user"}
		if g.edge && g.chance(0.3) {
			a.Email = nil
		}
		s.Agents = append(s.Agents, a)
	}
	for i, n := 0, 3+g.r.Intn(5); i < n; i++ {
		s.Labels = append(s.Labels, 1000+g.r.Intn(5000))
	}
	for i, n := 0, 3+g.r.Intn(5); i < n; i++ {
		g.newSwiftConversation(g.past(time.Minute, 10*24*time.Hour))
	}
}

func (g *Generator) newSwiftConversation(t time.Time) *SwiftsellConversation {
	s := g.sw()
	c := &SwiftsellConversation{
		Key: g.hex(32) + strconv.FormatInt(t.Unix(), 10), ID: 7000000 + g.r.Intn(900000),
		BotID: s.Account.BotIDs[g.r.Intn(len(s.Account.BotIDs))], VisitorKey: g.hex(32), VisitorID: 800000 + g.r.Intn(100000),
		Title: "Visitor - A" + g.digits(5), ExternalKey: g.hex(32) + strconv.FormatInt(t.Unix()-int64(g.r.Intn(3600)), 10),
		Assignee: s.BotUser, NewVisitor: g.chance(0.6), ChannelName: g.pick2(1, 1, 1, 2, 3), CreatedAt: t,
		VisitorName: strings.Fields(g.personName())[0], VisitorEmail: g.email(), VisitorPhone: g.phone(),
	}
	b := browsers[g.r.Intn(len(browsers))]
	c.Browser = b.name + " " + strings.Split(b.version, ".")[0] + " (" + b.version + ")"
	s.Conversations = append(s.Conversations, c)
	return c
}

func (g *Generator) pick2(v ...int) int { return v[g.r.Intn(len(v))] }

func (g *Generator) swiftsell(event, kind string) ([]byte, error) {
	if event != "message" && kind != "" {
		return nil, unknown("kind", kind, nil)
	}
	switch event {
	case "conversation_create", "message", "status", "assignee_change", "variables", "conversation_labels", "note":
	default:
		return nil, unknown("event", event, swiftsellEvents)
	}
	if event == "message" {
		if kind == "" {
			kind = g.pick(swiftsellKinds)
		} else if !contains(swiftsellKinds, kind) {
			return nil, unknown("kind", kind, swiftsellKinds)
		}
	}
	var c *SwiftsellConversation
	t := g.tick()
	if event == "conversation_create" {
		c = g.newSwiftConversation(t)
	} else {
		cs := g.sw().Conversations
		c = cs[g.r.Intn(len(cs))]
	}
	return g.swiftEnvelope(c, event, kind, t), nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func (g *Generator) swiftEnvelope(c *SwiftsellConversation, event, kind string, t time.Time) []byte {
	w := &writer{b: make([]byte, 0, 1024), py: true}
	w.obj()
	w.key("events")
	w.arr()
	w.elem()
	w.obj()
	w.key("event")
	w.obj()
	w.kstr("type", event)
	w.key("payload")
	g.swiftPayload(w, c, event, kind)
	w.end()
	w.key("conversation")
	w.obj()
	w.kstr("key", c.Key)
	w.kint("id", c.ID)
	w.end()
	w.key("account")
	w.obj()
	a := g.sw().Account
	w.kstr("key", a.Key)
	w.kint("id", a.ID)
	w.key("bot")
	w.obj()
	w.kint("id", c.BotID)
	w.end()
	w.end()
	w.key("visitor")
	w.obj()
	w.kstr("key", c.VisitorKey)
	w.kint("id", c.VisitorID)
	w.end()
	w.key("timestamp")
	w.b = append(w.b, '"')
	w.b = appendPyTime(w.b, t)
	w.b = append(w.b, '"')
	w.end()
	w.aend()
	w.end()
	return w.b
}

var visitor = SwiftsellActor{Type: "visitor"}

func (w *writer) actor(k string, a SwiftsellActor) {
	w.key(k)
	w.obj()
	w.kstrp("email", a.Email)
	w.kstrp("id", a.ID)
	w.kstr("type", a.Type)
	w.end()
}

func (g *Generator) agent() SwiftsellActor {
	as := g.sw().Agents
	return as[g.r.Intn(len(as))]
}

func (g *Generator) swiftText(incoming bool) string {
	return g.messageText(incoming, "there")
}

func (g *Generator) swiftPayload(w *writer, c *SwiftsellConversation, event, kind string) {
	w.obj()
	switch event {
	case "conversation_create":
		w.actor("assigned_to_user", c.Assignee)
		w.key("created_at")
		w.b = append(w.b, '"')
		w.b = appendPyTime(w.b, c.CreatedAt)
		w.b = append(w.b, '"')
		w.kstr("title", c.Title)
		w.kint("bot_id", c.BotID)
		w.key("channel")
		w.obj()
		w.kint("name", c.ChannelName)
		w.kint("provider", 0)
		w.end()
		w.kbool("is_new_visitor", c.NewVisitor)
		w.kint("is_closed", 0)
		w.kstr("external_key", c.ExternalKey)
		w.kstr("browser", c.Browser)
		host := "https://" + g.sw().Host
		w.key("variables")
		vars := []Object{
			{{"type", "text"}, {"name", "bot_name"}, {"value", g.pick([]string{"All Dialogs", "Sales bot", "Suporte", "Lead capture"})}},
			{{"type", "text"}, {"name", "referrer_url"}, {"value", g.pick([]string{"", "https://www.google.com/"})}},
			{{"type", "text"}, {"name", "timezone"}, {"value", g.pick(timezones)}},
			{{"type", "text"}, {"name", "browser_language"}, {"value", g.pick([]string{"en-GB", "en-US", "pt-BR", "ar"})}},
			{{"type", "text"}, {"name", "browser"}, {"value", c.Browser}},
			{{"type", "text"}, {"name", "ip_address"}, {"value", g.f.IPv4Address()}},
			{{"type", "text"}, {"name", "global_channel_name"}, {"value", []string{"WEB", "WEB", "WHATSAPP", "FACEBOOK"}[c.ChannelName]}},
			{{"type", "date"}, {"name", "conversation_created_at"}, {"value", pyISO(c.CreatedAt.Add(-time.Duration(g.r.Intn(90)) * time.Millisecond))}},
			{{"type", "text"}, {"name", "conversation_url"}, {"value", host + "/account/" + strconv.Itoa(g.sw().Account.ID) + "/live-chat/bot/" + strconv.Itoa(c.BotID) + "/conversations/unassigned/" + c.ExternalKey}},
			{{"type", "text"}, {"name", "contact_id"}, {"value", c.VisitorKey}},
			{{"type", "text"}, {"name", "visitor_name"}, {"value", c.VisitorName}},
		}
		w.value(vars)
	case "message":
		g.swiftMessage(w, c, kind)
	case "status":
		w.actor("closed_by", g.agent())
		st := "Close"
		if c.Closed {
			st = "Open"
		}
		c.Closed = !c.Closed
		w.kstr("status", st)
	case "assignee_change":
		by := g.agent()
		to := g.agent()
		from := c.Assignee
		w.actor("changed_by", by)
		w.actor("to", to)
		// The platform writes "from" with id first (seed example 24).
		w.key("from")
		w.obj()
		w.kstrp("id", from.ID)
		w.kstrp("email", from.Email)
		w.kstr("type", from.Type)
		w.end()
		c.Assignee = to
	case "variables":
		w.actor("action_performed_by", g.agent())
		w.key("variables")
		var v Object
		switch g.r.Intn(4) {
		case 0:
			v = Object{{"type", "text"}, {"name", "visitor_email"}, {"value", c.VisitorEmail}}
		case 1:
			v = Object{{"type", "text"}, {"name", "visitor_opt_in"}, {"value", true}}
		case 2:
			v = Object{{"type", "number"}, {"name", "visitor_phone"}, {"value", strings.TrimPrefix(c.VisitorPhone, "+")}}
		default:
			v = Object{{"type", "text"}, {"name", "visitor_name"}, {"value", c.VisitorName}}
		}
		if g.edge && g.chance(0.3) {
			v[2].Value = g.edgeString()
		}
		w.value([]Object{v})
	case "conversation_labels":
		w.actor("action_performed_by", g.agent())
		w.kstr("action", g.pick([]string{"attached", "attached", "created", "deleted"}))
		w.key("labels")
		w.arr()
		n := 1
		if g.edge && g.chance(0.5) {
			n = len(g.sw().Labels)
		}
		for i := 0; i < n; i++ {
			w.elem()
			w.obj()
			w.kint("id", g.sw().Labels[(i+g.r.Intn(len(g.sw().Labels)))%len(g.sw().Labels)])
			w.end()
		}
		w.aend()
	case "note":
		w.actor("note_by", g.agent())
		w.kstr("note", g.swiftText(false))
	}
	w.end()
}

var mediaKinds = map[string][2]string{
	"image": {".jpg", "image/jpeg"}, "audio": {".mp3", "audio/mpeg"},
	"video": {".mp4", "video/mp4"}, "document": {".pdf", "application/pdf"},
}

func varRef(name string) string { return "¿·" + name + "·?" }

func (g *Generator) swiftMessage(w *writer, c *SwiftsellConversation, kind string) {
	response := strings.HasSuffix(kind, ".response")
	by := g.agent()
	if response || kind == "text" && g.chance(0.6) {
		by = visitor
	}
	w.actor("message_by", by)
	w.key("message")
	w.obj()
	w.kstr("type", kind)
	if kind == "text" {
		w.kstr("text", g.swiftText(by.Type == "visitor"))
		w.end()
		return
	}
	w.key("payload")
	w.obj()
	store := "https://swiftsell-conversation-attachment.storage.googleapis.com/" + strconv.Itoa(c.BotID) + "_" + g.token(12) + "_attachment"
	switch kind {
	case "image", "audio", "video", "document":
		ext, mime := mediaKinds[kind][0], mediaKinds[kind][1]
		name := g.pick([]string{"file", "upload", "attachment", "arquivo", "ملف"}) + "_" + g.digits(4) + ext
		w.kstr("link", store+ext)
		w.kstr("mime_type", mime)
		w.kstr("file_name", name)
	case "form":
		w.kstr("message", "Please fill in the following details")
		w.key("fields")
		w.arr()
		for _, f := range [][2]string{{"Name", "text"}, {"Email", "email"}, {"Phone", "phone"}} {
			w.elem()
			w.obj()
			w.kstr("label", f[0])
			w.kstr("type", f[1])
			w.kstr("variable", varRef("$user.info."+strings.ToLower(f[0])))
			w.kbool("is_optional", f[1] == "phone" && g.chance(0.5))
			w.end()
		}
		w.aend()
	case "file_upload":
		w.kstr("title", "Can you please upload your file?")
		w.key("allow_extensions")
		w.value([]string{".jpg", ".png", ".pdf", ".jpeg"})
		if g.chance(0.5) {
			w.kstr("max_file_size_in_kb", "Can you please upload your file?") // the platform's quirk
		} else {
			w.kint("max_file_size_in_kb", 10240)
		}
		w.kint("upload_file_limit", 1+g.r.Intn(3))
		w.kobj("error_message", Object{{"file_size", "Please upload a file below 10 MB"}, {"file_extensions", "Please upload a valid file format"}, {"file_not_found", "Invalid! Please upload a valid file"}})
	case "calendar":
		w.kbool("auto_open", g.chance(0.5))
		w.kstr("title", "What is your preferred date?")
		w.kobj("validation", Object{{"datepicker_type", g.pick([]string{"single", "range"})}, {"start", ""}, {"end", ""}, {"formatter", "MM/DD/YYYY"}, {"exclude_days", []string{}}, {"include", []string{}}, {"selected", ""}, {"skip", []string{}}})
	case "list":
		w.kobj("header", Object{{"type", "text"}, {"text", g.pick([]string{"Hello", "Olá", "مرحبا"})}})
		w.kstr("footer", "")
		w.kstr("title", "What would you like to choose?")
		w.key("list")
		var secs []Object
		for i, n := 0, 1+g.r.Intn(3); i < n; i++ {
			secs = append(secs, Object{{"title", "c-" + strconv.Itoa(i+1)}, {"items", []Object{{{"title", "Item " + strconv.Itoa(i+1)}, {"description", "Item-" + strconv.Itoa(i+1)}, {"next_dialog", strconv.Itoa(2 + g.r.Intn(20))}}}}})
		}
		w.object(Object{{"title", "b-1"}, {"sections", secs}})
	case "javascript":
		w.kstr("script", "wn.setContactVariables({\"JS1\": \""+c.VisitorName+"\"});\nconsole.log(\"Hello World!\");")
		w.kstr("execute_at", "client")
	case "button":
		w.kbool("search_enabled", false)
		w.kbool("multi_select_enabled", g.chance(0.2))
		w.kstr("buttons_layout", g.pick([]string{"horizontal", "vertical"}))
		w.kstr("buttons_order", "as defined")
		w.key("buttons")
		w.value([]Object{
			{{"title", "Button 1"}, {"type", "branch"}, {"callback", ""}, {"next_dialog", strconv.Itoa(2 + g.r.Intn(20))}},
			{{"title", "Website"}, {"type", "web_url"}, {"callback", "{\"web_url\": \"https://www." + g.f.DomainName() + "\", \"browser_window\": \"new\"}"}, {"next_dialog", strconv.Itoa(2 + g.r.Intn(20))}},
		})
		w.kstr("title", "What would you like to choose?")
	case "carousel":
		w.kstr("title", "Image Carousel 1")
		w.key("items")
		var items []Object
		for i, n := 0, 1+g.r.Intn(3); i < n; i++ {
			items = append(items, Object{{"image", store + strconv.Itoa(i) + ".jpg"}, {"action", ""}})
		}
		w.value(items)
	case "slider":
		w.kstr("title", "What is your preferred value?")
		w.kint("min", 10)
		w.kint("max", 50)
		w.kstr("step", "None")
		w.kobj("unit", Object{{"label", ""}, {"value", ""}, {"formatter", ""}})
	case "appointment_booking":
		w.kint("event_id", 100+g.r.Intn(900))
		w.kobj("duration", Object{{"label", "minutes"}, {"value", g.pick2(15, 30, 60)}})
		w.kstr("title", g.pick([]string{"Demo call", "Consulta", "Onboarding"}))
	case "form.response":
		w.key("fields")
		w.value([]Object{
			{{"label", "Name"}, {"variable", varRef("$user.info.name")}, {"type", "text"}, {"value", c.VisitorName}, {"extra", "None"}},
			{{"label", "Email"}, {"variable", varRef("$user.info.email")}, {"type", "email"}, {"value", c.VisitorEmail}, {"extra", "None"}},
			{{"label", "Phone"}, {"variable", varRef("$user.info.phone")}, {"type", "phone"}, {"value", c.VisitorPhone}, {"extra", Object{{"country_code", "91"}}}},
		})
	case "file_upload.response":
		w.kstr("type", "image")
		w.kobj("payload", Object{{"mime_type", "image/jpeg"}, {"link", store + ".jpg"}, {"file_name", "IMG_" + g.digits(4) + ".jpg"}})
	case "javascript.response":
		w.kobj("variables", Object{{varRef("$user.info.JS1"), c.VisitorName}, {varRef("JS2"), g.f.Company()}})
	case "slider.response":
		v := 10 + g.r.Intn(41)
		w.kint("value", v)
		w.kstr("text", strconv.Itoa(v))
	case "button.response":
		w.kstr("body", g.pick([]string{"Button 1", "Website", "Sim", "نعم"}))
		w.kobj("callback", Object{})
	case "calendly.response":
		ev := "https://api.calendly.com/scheduled_events/" + g.uuid()
		w.kobj("variables", Object{{varRef("is_calendly_event_scheduled"), true}, {varRef("calendly_event"), ev}, {varRef("calendly_invitee"), ev + "/invitees/" + g.uuid()}})
	case "appointment_booking.response":
		w.kint("event_id", 100+g.r.Intn(900))
		w.kbool("is_booking_confirmed", true)
		w.kbool("is_booking_failed", false)
		w.kstr("event_name", "Demo call")
		w.kstr("visitor_timezone", "(GMT+05:30) Asia/Calcutta")
		d := g.now.Add(48 * time.Hour)
		w.key("variables")
		w.value([]Object{
			{{"type", "text"}, {"name", "visitor_name"}, {"value", c.VisitorName}},
			{{"type", "text"}, {"name", "param__gcal_selected_slot_time"}, {"value", strconv.Itoa(9+g.r.Intn(8)) + ":00"}},
			{{"type", "text"}, {"name", "param__gcal_selected_slot_date"}, {"value", d.Format("02/01/2006")}},
			{{"type", "text"}, {"name", "param__gcal_selected_slot_day"}, {"value", d.Weekday().String()}},
		})
	}
	w.end()
	w.end()
}
