package releases

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "4.16.2"},
		{"latest", "4.16.2"},
		{"LATEST", "4.16.2"},
		{"4.12", "4.12.1"},
		{"4.12.0", "4.12.0"},
		{"v4.11.2", "4.11.2"},
		{"4.0", "4.0.4"},
		{"2", "2.18.0"},
		{"1", "1.22.1"},
		{"3.16", "3.16.0"},
		{" 2.4 ", "2.4.1"},
		{"1.18.0", "1.18.0"},
	}
	for _, tt := range tests {
		r, err := Lookup(tt.in)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tt.in, err)
			continue
		}
		if r.Version() != tt.want {
			t.Errorf("Lookup(%q) = %s, want %s", tt.in, r.Version(), tt.want)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	for _, in := range []string{"4.17", "4.16.3", "1.17.1", "5", "0"} {
		_, err := Lookup(in)
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("Lookup(%q) err = %v, want ErrUnknown", in, err)
		}
		if err != nil && !strings.Contains(err.Error(), "1.18.0 to 4.16.2") {
			t.Errorf("Lookup(%q) err = %v, want the known range", in, err)
		}
	}
	for _, in := range []string{"x", "4.x", "4.1.2.3", "-4", "4..1", "+4", "4.-1"} {
		_, err := Lookup(in)
		if err == nil || errors.Is(err, ErrUnknown) {
			t.Errorf("Lookup(%q) err = %v, want a syntax error", in, err)
		}
	}
}

func TestTableWellFormed(t *testing.T) {
	all := All()
	if len(all) < 90 {
		t.Fatalf("only %d releases", len(all))
	}
	if all[0].Version() != "1.18.0" || Latest().Version() != "4.16.2" || Oldest().Version() != "1.18.0" {
		t.Fatalf("range %s..%s", all[0], Latest())
	}
	for i, r := range all {
		if len(r.Commit()) != 12 || len(r.Date()) != 10 {
			t.Errorf("%s: commit %q date %q", r, r.Commit(), r.Date())
		}
		if i > 0 && (r.Compare(all[i-1]) != 1 || all[i-1].Compare(r) != -1 || r.Date() < all[i-1].Date()) {
			t.Errorf("%s not after %s", r, all[i-1])
		}
		for _, k := range Kinds() {
			if r.Events(k) == nil && k == Installation {
				t.Errorf("%s: no installation events", r)
			}
		}
		// events.account is listed until subscriptions exist, derived after.
		if (r.e.facts.Events[Account] == nil) != (r.e.facts.Subscriptions != nil) {
			t.Errorf("%s: events.account and subscriptions disagree", r)
		}
		if r.UserAgent() == "" || r.Ruby() == "" || r.Timeouts().Open == 0 || r.Redirects().Max == 0 || r.PrivateTargets() == "" {
			t.Errorf("%s: a delivery fact is unset", r)
		}
	}
}

func TestDelivery(t *testing.T) {
	tests := []struct {
		release            string
		signs, id          [3]bool // account, api_inbox, agent_bot
		ua                 string
		followsPOST, see   bool
		botAttempts        int
		private            PrivateTargets
		configurableTimout bool
	}{
		{"1.18.0", [3]bool{}, [3]bool{}, "rest-client/2.1.0 (linux-musl x86_64) ruby/2.7.3p183", false, true, 1, PrivateAllowed, false},
		{"2.0.0", [3]bool{}, [3]bool{}, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.0.2p107", false, true, 1, PrivateAllowed, false},
		{"2.18.0", [3]bool{}, [3]bool{}, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.2.2p53", false, true, 1, PrivateAllowed, false},
		{"3.16.0", [3]bool{}, [3]bool{}, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.3.3p89", false, true, 1, PrivateAllowed, false},
		{"4.10.0", [3]bool{}, [3]bool{}, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.4.4p34", false, true, 1, PrivateAllowed, true},
		{"4.11.2", [3]bool{}, [3]bool{}, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.4.4p34", false, true, 1, PrivateAllowed, true},
		{"4.12.0", [3]bool{true, false, false}, [3]bool{true, true, false}, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.4.4p34", false, true, 3, PrivateAllowed, true},
		{"4.13.0", [3]bool{true, true, true}, [3]bool{true, true, true}, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.4.4p34", false, true, 3, PrivateAllowed, true},
		{"4.14.0", [3]bool{true, true, true}, [3]bool{true, true, true}, "Ruby", true, false, 3, PrivateRefused, true},
		{"4.16.2", [3]bool{true, true, true}, [3]bool{true, true, true}, "Ruby", true, false, 3, PrivateRefusedUnless, true},
	}
	kinds := [3]Kind{Account, APIInbox, AgentBot}
	for _, tt := range tests {
		r := MustLookup(tt.release)
		for i, k := range kinds {
			if r.Signs(k) != tt.signs[i] {
				t.Errorf("%s Signs(%s) = %v", r, k, r.Signs(k))
			}
			if r.SendsDeliveryID(k) != tt.id[i] {
				t.Errorf("%s SendsDeliveryID(%s) = %v", r, k, r.SendsDeliveryID(k))
			}
		}
		for _, k := range []Kind{Automation, Macro, Installation} {
			if r.Signs(k) || r.SendsDeliveryID(k) || r.Retries(k).Attempts != 1 {
				t.Errorf("%s %s: signed, delivery id or retried", r, k)
			}
		}
		if r.UserAgent() != tt.ua {
			t.Errorf("%s UserAgent = %q, want %q", r, r.UserAgent(), tt.ua)
		}
		rd := r.Redirects()
		if rd.FollowsPOST != tt.followsPOST || r.FollowsRedirects() != tt.followsPOST || rd.SeeOtherAsGET != tt.see || rd.Max != 10 {
			t.Errorf("%s Redirects = %+v", r, rd)
		}
		if got := r.Retries(AgentBot); got.Attempts != tt.botAttempts {
			t.Errorf("%s Retries(agent_bot) = %+v", r, got)
		} else if got.Attempts == 3 && (got.Wait != 3*time.Second || !reflect.DeepEqual(got.Statuses, []int{429, 500})) {
			t.Errorf("%s Retries(agent_bot) = %+v", r, got)
		}
		if r.Retries(Account).Attempts != 1 || r.Retries(APIInbox).Attempts != 1 {
			t.Errorf("%s retries account or api inbox", r)
		}
		if r.PrivateTargets() != tt.private {
			t.Errorf("%s PrivateTargets = %s", r, r.PrivateTargets())
		}
		to := r.Timeouts()
		if to.Open != 5*time.Second || to.Read != 5*time.Second || to.Configurable != tt.configurableTimout {
			t.Errorf("%s Timeouts = %+v", r, to)
		}
	}
}

func TestEvents(t *testing.T) {
	tests := []struct {
		release string
		kind    Kind
		want    string
	}{
		{"1.18.0", Account, "conversation_opened conversation_resolved conversation_status_changed message_created message_updated webwidget_triggered"},
		{"2.0.0", APIInbox, "conversation_opened conversation_resolved conversation_status_changed message_created message_updated"},
		{"2.2.0", Account, "conversation_created conversation_opened conversation_resolved conversation_status_changed message_created message_updated webwidget_triggered"},
		{"2.4.1", Account, "conversation_created conversation_opened conversation_resolved conversation_status_changed conversation_updated message_created message_updated webwidget_triggered"},
		{"2.5.0", Account, "conversation_created conversation_status_changed conversation_updated message_created message_updated webwidget_triggered"},
		{"2.5.0", APIInbox, "conversation_created conversation_status_changed conversation_updated message_created message_updated"},
		{"2.18.0", Account, "contact_created contact_updated conversation_created conversation_status_changed conversation_updated message_created message_updated webwidget_triggered"},
		{"3.2.0", Account, "contact_created contact_updated conversation_created conversation_status_changed conversation_updated message_created message_updated webwidget_triggered"},
		{"4.10.0", Account, "contact_created contact_updated conversation_created conversation_status_changed conversation_typing_off conversation_typing_on conversation_updated message_created message_updated webwidget_triggered"},
		{"4.14.0", Account, "contact_created contact_updated conversation_created conversation_status_changed conversation_typing_off conversation_typing_on conversation_updated message_created message_updated webwidget_triggered"},
		{"4.14.1", Account, "contact_created contact_updated conversation_created conversation_status_changed conversation_typing_off conversation_typing_on conversation_updated inbox_created inbox_updated message_created message_updated webwidget_triggered"},
		{"4.16.2", APIInbox, "conversation_created conversation_status_changed conversation_typing_off conversation_typing_on conversation_updated message_created message_updated"},
		{"4.12.1", AgentBot, "conversation_opened conversation_resolved message_created message_updated webwidget_triggered"},
		{"4.13.0", AgentBot, "conversation_opened conversation_resolved conversation_status_changed conversation_updated message_created message_updated webwidget_triggered"},
		{"2.3.2", Automation, ""},
		{"2.4.0", Automation, "automation_event: conversation_created automation_event: conversation_updated automation_event: message_created"},
		{"2.5.0", Automation, "automation_event.conversation_created automation_event.conversation_updated automation_event.message_created"},
		{"2.14.0", Automation, "automation_event.conversation_created automation_event.conversation_opened automation_event.conversation_updated automation_event.message_created"},
		{"4.5.0", Automation, "automation_event.conversation_created automation_event.conversation_opened automation_event.conversation_resolved automation_event.conversation_updated automation_event.message_created"},
		{"2.7.0", Macro, ""},
		{"2.10.0", Macro, "macro_event.{macro_name}"},
		{"2.11.0", Macro, ""},
		{"4.0.4", Macro, ""},
		{"4.1.0", Macro, "macro.executed"},
		{"1.18.0", Installation, "account_created"},
		{"4.16.2", Installation, "account_created"},
	}
	for _, tt := range tests {
		got := strings.Join(MustLookup(tt.release).Events(tt.kind), " ")
		// the automation names hold a space, so compare as a set of words
		if strings.Join(strings.Fields(got), " ") != tt.want {
			t.Errorf("%s Events(%s) =\n %s\nwant\n %s", tt.release, tt.kind, got, tt.want)
		}
	}
	if r := MustLookup("4.10.0"); !reflect.DeepEqual(r.Undeliverable(), []string{"inbox_created", "inbox_updated"}) ||
		!contains(r.Subscriptions(), "inbox_created") || r.Sends(Account, "inbox_created") {
		t.Errorf("4.10.0: inbox events: subscriptions %v undeliverable %v", r.Subscriptions(), r.Undeliverable())
	}
	if r := MustLookup("2.4.1"); r.Subscriptions() != nil {
		t.Errorf("2.4.1 Subscriptions = %v, want nil (no filter)", r.Subscriptions())
	}
	if got := len(MustLookup("4.16.2").Subscriptions()); got != 12 {
		t.Errorf("4.16.2 has %d subscribable events, want 12", got)
	}
}

func TestEventsIsACopy(t *testing.T) {
	r := Latest()
	ev := r.Events(Account)
	ev[0] = "x"
	if r.Events(Account)[0] == "x" {
		t.Fatal("Events shares its slice")
	}
}

func TestFirstAndProvenance(t *testing.T) {
	first, ok := First(func(r Release) bool { return r.Signs(Account) })
	if !ok || first.Version() != "4.12.0" {
		t.Fatalf("first signing release = %v %v", first, ok)
	}
	since, src, ok := Latest().Provenance("signs.api_inbox")
	if !ok || since != "4.13.0" || !strings.Contains(src, "webhook_listener.rb") {
		t.Fatalf("Provenance = %q %q %v", since, src, ok)
	}
	if _, _, ok := Latest().Provenance("no.such.fact"); ok {
		t.Fatal("Provenance of an unknown fact")
	}
	if !MustLookup("4.13").AtLeast(MustLookup("4.12")) || MustLookup("4.12").AtLeast(MustLookup("4.13")) {
		t.Fatal("AtLeast")
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds() {
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k, got, err)
		}
	}
	if _, err := ParseKind("webhook"); err == nil || !strings.Contains(err.Error(), "api_inbox") {
		t.Errorf("ParseKind(webhook) err = %v", err)
	}
}

func TestBuildRejectsBadData(t *testing.T) {
	base := `{"platform":"chatwoot","releases":[{"version":"1.0.0","commit":"c","date":"d","changes":[%s]}%s]}`
	one := func(changes string) string {
		return strings.Replace(strings.Replace(base, "%s", changes, 1), "%s", "", 1)
	}
	tests := []struct {
		name, data, want string
	}{
		{"unknown fact", one(`{"fact":"signz.account","set":true,"source":"s"}`), "unknown field"},
		{"unknown kind", one(`{"fact":"signs.acount","set":true,"source":"s"}`), "unknown receiver kind"},
		{"no source", one(`{"fact":"ruby","set":"3"}`), "no source"},
		{"two ops", one(`{"fact":"subscriptions","set":[],"add":["a"],"source":"s"}`), "exactly one"},
		{"no op", one(`{"fact":"ruby","source":"s"}`), "exactly one"},
		{"add twice", one(`{"fact":"subscriptions","add":["a","a"],"source":"s"}`), "already there"},
		{"remove missing", one(`{"fact":"subscriptions","remove":["a"],"source":"s"}`), "not there"},
		{"add to scalar", one(`{"fact":"ruby","set":"3","source":"s"},{"fact":"ruby","add":["a"],"source":"s"}`), "not a list"},
		{"unknown change key", one(`{"fact":"ruby","set":"3","source":"s","since":"x"}`), "unknown key"},
		{"bad version", strings.Replace(one(``), "1.0.0", "1.0", 1), "not X.Y.Z"},
		{"out of order", strings.Replace(strings.Replace(base, "%s", "", 1), "%s", `,{"version":"0.9.0"}`, 1), "does not come after"},
		{"empty", `{"releases":[]}`, "no releases"},
		{"unknown top key", `{"releasez":[]}`, "unknown field"},
	}
	for _, tt := range tests {
		_, err := build([]byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func keyNames(ks []Key) string {
	var b strings.Builder
	for i, k := range ks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k.Name)
		if k.Optional {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func TestKeys(t *testing.T) {
	tests := []struct {
		release string
		obj     Object
		want    string
	}{
		{"2.0.0", Message, "id content created_at message_type content_type private content_attributes source_id sender inbox conversation account event"},
		{"4.16.2", Message, "account additional_attributes content_attributes content_type content conversation created_at id inbox message_type private sender source_id attachments? event"},
		{"2.0.0", Conversation, "additional_attributes can_reply channel contact_inbox id inbox_id messages meta status snoozed_until unread_count agent_last_seen_at contact_last_seen_at timestamp"},
		{"2.18.0", Conversation, "additional_attributes can_reply channel contact_inbox id inbox_id messages labels meta status custom_attributes snoozed_until unread_count first_reply_created_at priority agent_last_seen_at contact_last_seen_at timestamp created_at"},
		{"4.0.1", Conversation, "additional_attributes can_reply channel contact_inbox id inbox_id messages labels meta status custom_attributes snoozed_until unread_count first_reply_created_at priority waiting_since agent_last_seen_at contact_last_seen_at last_activity_at timestamp created_at applied_sla? sla_events? sla_policy_id?"},
		{"4.16.2", Conversation, "additional_attributes can_reply channel contact_inbox id inbox_id messages labels meta status custom_attributes snoozed_until unread_count first_reply_created_at priority waiting_since agent_last_seen_at contact_last_seen_at last_activity_at timestamp created_at updated_at applied_sla? sla_events? sla_policy_id? account"},
		{"2.0.0", Contact, "id name avatar type account"},
		{"2.18.0", Contact, "account additional_attributes avatar custom_attributes email id identifier name phone_number thumbnail"},
		{"2.0.0", ContactPush, "additional_attributes custom_attributes email id identifier name phone_number pubsub_token thumbnail type"},
		{"2.18.0", NestedMessage, "id content account_id inbox_id conversation_id message_type created_at updated_at private status source_id content_type content_attributes sender_type sender_id external_source_ids additional_attributes processed_message_content conversation attachments? sender?"},
		{"2.18.0", NestedConversation, "assignee_id unread_count last_activity_at"},
		{"1.21.0", NestedConversation, ""},
		{"2.0.0", Attachment, "id message_id file_type account_id extension data_url thumb_url"},
		{"4.10.0", Attachment, "id message_id file_type account_id extension data_url thumb_url file_size width height transcribed_text?"},
		{"4.13.0", Attachment, "id message_id file_type account_id extension content_type data_url thumb_url file_size width height transcribed_text?"},
		{"2.7.0", Team, ""},
		{"4.16.0", Team, "id name icon icon_color"},
		{"4.8.0", ConversationMeta, "sender assignee assignee_type team hmac_verified"},
	}
	for _, tt := range tests {
		if got := keyNames(MustLookup(tt.release).Keys(tt.obj)); got != tt.want {
			t.Errorf("%s Keys(%s) =\n %s\nwant\n %s", tt.release, tt.obj, got, tt.want)
		}
	}
	for _, r := range All() {
		for _, o := range []Object{Message, Conversation, ConversationMeta, NestedMessage, Contact, ContactPush, User, UserPush, Bot, BotPush, Attachment, ContactInboxEvent} {
			if r.Keys(o) == nil {
				t.Errorf("%s has no %s keys", r, o)
			}
		}
	}
}

func TestPayloadFacts(t *testing.T) {
	for v, want := range map[string]Content{"4.3.0": ContentRaw, "4.8.0": ContentRaw, "4.9.0": ContentRendered, "4.12.0": ContentRendered, "4.12.1": ContentRaw, "1.18.0": ContentRaw} {
		if got := MustLookup(v).MessageContent(); got != want {
			t.Errorf("%s MessageContent = %s, want %s", v, got, want)
		}
	}
	type ca struct{ present, optional bool }
	for _, tt := range []struct {
		release, event string
		want           ca
	}{
		{"2.3.2", "conversation_status_changed", ca{}},
		{"2.4.1", "conversation_status_changed", ca{true, false}},
		{"2.4.1", "conversation_opened", ca{true, true}},
		{"2.5.0", "conversation_opened", ca{}},
		{"2.13.0", "contact_updated", ca{}},
		{"2.14.0", "contact_updated", ca{true, false}},
		{"4.16.2", "conversation_created", ca{}},
	} {
		p, o := MustLookup(tt.release).ChangedAttributes(tt.event)
		if (ca{p, o}) != tt.want {
			t.Errorf("%s ChangedAttributes(%s) = %v %v, want %+v", tt.release, tt.event, p, o, tt.want)
		}
	}
	if MustLookup("4.0.1").Format(Conversation, "updated_at") != "" || MustLookup("4.0.2").Format(Conversation, "updated_at") != "float" {
		t.Error("updated_at format")
	}
	if !MustLookup("4.14.1").SendsEvent("inbox_created") || MustLookup("4.14.0").SendsEvent("inbox_created") || MustLookup("2.13.1").SendsEvent("contact_created") {
		t.Error("SendsEvent")
	}
}

func TestLines(t *testing.T) {
	lines := Lines()
	if len(lines) < 20 || lines[0].First.Version() != "1.18.0" || lines[len(lines)-1].Last.Version() != "4.16.2" {
		t.Fatalf("lines %v", lines)
	}
	for i := 1; i < len(lines); i++ {
		if lines[i].First.Compare(lines[i-1].Last) != 1 {
			t.Fatalf("lines overlap: %v %v", lines[i-1], lines[i])
		}
	}
	if got := MustLookup("2.0.0").Line().String(); got != "1.22.1 to 2.1.1" {
		t.Errorf("2.0.0 line = %s", got)
	}
	if got := MustLookup("4.0.3").Line().String(); got != "4.0.2 to 4.0.4" {
		t.Errorf("4.0.3 line = %s", got)
	}
}
