package suites

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
)

// robustness: what the platform can send at the edges, what older versions
// send, what a future version may send, and what no platform should send but
// a receiver must survive.
var _ = describe(LabelRobustness, 20, func(sc *specContext) {
	sc.it("robustness.edge", "edge-profile payloads of every event (nulls, empty and very long strings, RTL and emoji, HTML characters, large arrays, deleted messages, failed deliveries, SLA) are "+wantAck, func(ctx ginkgo.SpecContext) {
		var payloads []*sent
		for _, ec := range sc.cases {
			for i := 0; i < sc.run.Samples; i++ {
				payloads = append(payloads, sc.generate(ec.event, ec.kind, generator.ProfileEdge, generator.VersionLatest))
			}
		}
		sc.expectAll(ctx, "a payload at the edges of what the platform sends must be "+wantAck, acked, payloads...)
	})

	sc.it("robustness.versions", "payload shapes of the older Chatwoot releases a receiver meets ("+strings.Join(olderVersions(), ", ")+"), each with the events it sends to the receiver kind, are "+wantAck, func(ctx ginkgo.SpecContext) {
		if sc.run.Platform != "chatwoot" {
			ginkgo.Skip("Swiftsell has a single payload version")
		}
		if len(sc.run.Versions) == 0 {
			ginkgo.Skip("no older versions configured")
		}
		var payloads []*sent
		for _, v := range sc.run.Versions {
			older, err := sc.olderEvents(v)
			if err != nil {
				ginkgo.Fail("harness: " + err.Error())
			}
			for _, ec := range sc.cases {
				if !older[ec.event] {
					continue // the older release never sent it to this receiver kind
				}
				s, err := sc.tryGenerate(ec.event, ec.kind, generator.ProfileRealistic, v)
				if errors.Is(err, generator.ErrNotInVersion) {
					continue // e.g. typing events did not exist in 2.x
				}
				if err != nil {
					ginkgo.Fail(err.Error())
				}
				payloads = append(payloads, s)
			}
		}
		sc.expectAll(ctx, "a payload shaped as an older platform version sends it (self-hosted installs and rebrands lag behind) must be "+wantAck, acked, payloads...)
	})

	sc.it("robustness.unknown-event", "an event name the receiver does not know (a future platform version) is "+wantAck, func(ctx ginkgo.SpecContext) {
		var s *sent
		if sc.run.Platform == "chatwoot" {
			sc.skipUnlessUnfiltered()
			ec := sc.pick("an unknown event", "conversation_updated", "message_created", sc.cases[0].event)
			s = sc.generate(ec.event, "", generator.ProfileRealistic, generator.VersionLatest)
			s = sc.edit(s, `event renamed to "conversation_archived"`, func(n *node) error { return n.set("/event", `"conversation_archived"`) })
		} else {
			s = sc.generate("note", "", generator.ProfileRealistic, "")
			s = sc.edit(s, `event type renamed to "ticket_create"`, func(n *node) error { return n.set("/events/0/event/type", `"ticket_create"`) })
		}
		sc.expectAll(ctx, "an event the receiver does not know yet must be acknowledged (and ignored) with 2xx: receivers without a subscription filter get the events a later release adds "+
			"(4.13.0 added conversation_status_changed and conversation_updated to agent bots); this is forward compatibility, Chatwoot only logs a failed delivery of such an event", acked, s)
	})

	sc.it("robustness.unknown-keys", "payloads with unknown extra keys at every level are "+wantAck, func(ctx ginkgo.SpecContext) {
		var payloads []*sent
		for _, ec := range sc.cases {
			s := sc.generate(ec.event, ec.kind, generator.ProfileRealistic, generator.VersionLatest)
			payloads = append(payloads, sc.edit(s, `key "x_future_field" added to every object`, func(n *node) error {
				if n.addEverywhere("x_future_field", `"added by a future platform version"`) == 0 {
					return fmt.Errorf("no object to add to")
				}
				return nil
			}))
		}
		sc.expectAll(ctx, "a payload with keys the receiver does not know (the platform adds fields in minor versions) must be "+wantAck, acked, payloads...)
	})

	sc.it("robustness.null-sender", "a message without a sender (null sender: template, e-mail collect, system messages) is "+wantAck, func(ctx ginkgo.SpecContext) {
		var s *sent
		if sc.run.Platform == "chatwoot" {
			ec := sc.pick("a message without a sender", "message_created", "message_updated")
			s = sc.generate(ec.event, "", generator.ProfileRealistic, generator.VersionLatest)
			s = sc.edit(s, "sender set to null", func(n *node) error { return n.set("/sender", "null") })
		} else {
			s = sc.generate("message", "text", generator.ProfileRealistic, "")
			s = sc.edit(s, "message_by set to a visitor (null email and id)", func(n *node) error {
				return n.set("/events/0/event/payload/message_by", `{"email": null, "id": null, "type": "visitor"}`)
			})
		}
		sc.mustBeValid(s)
		sc.expectAll(ctx, "a message whose sender is null must be "+wantAck, acked, s)
	})

	sc.it("robustness.no-attachments", "a message event without an attachments key (Chatwoot omits it when there are none) is "+wantAck, func(ctx ginkgo.SpecContext) {
		if sc.run.Platform != "chatwoot" {
			ginkgo.Skip("Swiftsell messages have no attachments list")
		}
		var payloads []*sent
		sc.pick("a message without attachments", "message_created", "message_updated")
		for _, ev := range []string{"message_created", "message_updated"} {
			if !sc.has(ev) {
				continue
			}
			s := sc.generate(ev, "", generator.ProfileRealistic, generator.VersionLatest)
			s = sc.edit(s, "attachments key removed", func(n *node) error { return n.remove("/attachments") })
			sc.mustBeValid(s)
			payloads = append(payloads, s)
		}
		sc.expectAll(ctx, "a message without attachments (the key is absent, not []) must be "+wantAck, acked, payloads...)
	})

	sc.it("robustness.no-contact-inbox", "a conversation whose contact_inbox is null (its row deleted before the job ran) is "+wantAck, func(ctx ginkgo.SpecContext) {
		if sc.run.Platform != "chatwoot" {
			ginkgo.Skip("Swiftsell conversations have no contact_inbox")
		}
		// Only a conversation without a chat message can lose its
		// contact_inbox: a conversation payload embeds its last chat
		// message, whose Message#conversation_push_event_data reads
		// conversation.contact_inbox.source_id (app/models/message.rb,
		// since #7497, 2023), so with a null contact_inbox and a message
		// Chatwoot raises and sends nothing; and meta.hmac_verified is then
		// contact_inbox&.hmac_verified, null
		// (app/presenters/conversations/event_data_presenter.rb).
		var payloads []*sent
		for _, ev := range []string{"conversation_created", "conversation_updated", "conversation_opened", "conversation_status_changed",
			"automation_event.conversation_created", "macro.executed"} {
			if sc.has(ev) {
				c := sc.generate(ev, "", generator.ProfileRealistic, generator.VersionLatest)
				c = sc.edit(c, "contact_inbox set to null, no chat message yet (messages [], meta.hmac_verified null)", func(n *node) error {
					if err := n.set("/contact_inbox", "null"); err != nil {
						return err
					}
					if err := n.set("/messages", "[]"); err != nil {
						return err
					}
					return n.set("/meta/hmac_verified", "null")
				})
				payloads = append(payloads, c)
				break
			}
		}
		if len(payloads) == 0 {
			sc.skipNotSent("a conversation without contact_inbox", "conversation_created", "conversation_updated", "conversation_opened", "conversation_status_changed")
		}
		for _, s := range payloads {
			sc.mustBeValid(s)
		}
		sc.expectAll(ctx, "a conversation with a null contact_inbox must be "+wantAck, acked, payloads...)
	})
})
