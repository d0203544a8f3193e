package generator_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/schemas"
)

// sampled returns sample n of seed's world for event.
func sampled(t *testing.T, seed int64, n int, event string, opts ...generator.Option) map[string]any {
	t.Helper()
	g, err := generator.New(seed, append([]generator.Option{generator.WithSample(n)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.Payload("chatwoot", event, "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := schemaSet(t).Validate(b, schemas.Options{Platform: "chatwoot"})
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("sample %d %s invalid: %v %v", n, event, err, res.Errors)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func inum(v any) int {
	f, _ := v.(float64)
	return int(f)
}

func path(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		o, _ := v.(map[string]any)
		v = o[k]
	}
	return v
}

// TestSampleWorld: every sample of a seed comes from one world: one account,
// the same contact behind each conversation, message ids and times growing
// with the sample number, whatever the profile and version.
func TestSampleWorld(t *testing.T) {
	const seed = 4242
	contactOf := map[int]int{} // conversation display id -> contact id
	account := -1
	lastID, lastAt := 0, time.Time{}
	for n := 0; n < 40; n++ {
		var opts []generator.Option
		if n%3 == 1 {
			opts = append(opts, generator.WithProfile(generator.ProfileEdge))
		}
		if n%4 == 2 {
			opts = append(opts, generator.WithVersion(generator.Version410))
		}
		m := sampled(t, seed, n, "message_created", opts...)
		acc := inum(path(m, "account", "id"))
		if account == -1 {
			account = acc
		}
		if acc != account {
			t.Fatalf("sample %d: account %d, sample 0 had %d", n, acc, account)
		}
		conv := inum(path(m, "conversation", "id"))
		contact := inum(path(m, "conversation", "meta", "sender", "id"))
		if prev, ok := contactOf[conv]; ok && prev != contact {
			t.Errorf("sample %d: conversation %d belongs to contact %d, earlier to %d", n, conv, contact, prev)
		}
		contactOf[conv] = contact
		id := inum(m["id"])
		at, err := time.Parse(time.RFC3339Nano, m["created_at"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if id <= lastID || !at.After(lastAt) {
			t.Errorf("sample %d: message id %d at %s; sample %d had %d at %s: want both to grow", n, id, at, n-1, lastID, lastAt)
		}
		lastID, lastAt = id, at
	}
	if len(contactOf) > 25 {
		t.Errorf("40 messages went to %d conversations: the samples do not share the world's conversations", len(contactOf))
	}
}

func TestSampleReproducible(t *testing.T) {
	for _, ev := range []string{"message_created", "conversation_created", "contact_updated", "inbox_updated"} {
		a := sampled(t, 77, 5, ev)
		b := sampled(t, 77, 5, ev)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: sample 5 of seed 77 differs between two generators", ev)
		}
	}
}

// TestReceiverScope: an API inbox and an agent bot only see their inbox;
// account and inbox ids are the ones asked for.
func TestReceiverScope(t *testing.T) {
	tests := []struct {
		receiver string
		inbox    int
		channel  string
	}{
		{generator.ReceiverAPIInbox, 0, "Channel::Api"},
		{generator.ReceiverAPIInbox, 31, "Channel::Api"},
		{generator.ReceiverAgentBot, 0, "Channel::WebWidget"},
		{generator.ReceiverAccount, 9, "Channel::WebWidget"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.receiver, tt.inbox), func(t *testing.T) {
			opts := []generator.Option{generator.WithReceiver(tt.receiver), generator.WithAccountID(12), generator.WithInboxID(tt.inbox)}
			g, err := generator.New(99, append(opts, generator.WithSample(0))...)
			if err != nil {
				t.Fatal(err)
			}
			ib := g.ReceiverInbox()
			if ib == nil || ib.ChannelType != tt.channel || (tt.inbox != 0 && ib.ID != tt.inbox) {
				t.Fatalf("receiver inbox %+v; want a %s inbox with id %d", ib, tt.channel, tt.inbox)
			}
			for n := 0; n < 15; n++ {
				for _, ev := range []string{"message_created", "conversation_status_changed", "conversation_typing_on"} {
					m := sampled(t, 99, n, ev, opts...)
					conv := m
					if ev != "conversation_status_changed" {
						conv, _ = m["conversation"].(map[string]any)
					}
					if got := inum(conv["inbox_id"]); got != ib.ID {
						t.Fatalf("sample %d %s: inbox %d, want %d", n, ev, got, ib.ID)
					}
					if got := conv["channel"]; got != tt.channel {
						t.Fatalf("sample %d %s: channel %v, want %s", n, ev, got, tt.channel)
					}
					if got := inum(path(conv, "account", "id")); got != 12 {
						t.Fatalf("sample %d %s: account %d, want 12", n, ev, got)
					}
				}
			}
		})
	}
}

func TestSampleOptionErrors(t *testing.T) {
	for _, o := range []generator.Option{generator.WithSample(-1), generator.WithAccountID(-2), generator.WithInboxID(-3)} {
		if _, err := generator.New(1, o); err == nil {
			t.Error("want an error for a negative sample or id")
		}
	}
}
