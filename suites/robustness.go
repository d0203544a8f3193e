package suites

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/releases"
)

// robustness: what the platform can send at the edges, what older versions
// send, what a future version may send, and what no platform should send but
// a receiver must survive.
var _ = describe(LabelRobustness, 20, func(sc *specContext) {
	sc.it("robustness.edge", "edge-profile payloads of every event (nulls, empty and very long strings, RTL and emoji, HTML characters, large arrays, deleted messages, failed deliveries, SLA) are "+wantAck, func(ctx ginkgo.SpecContext) {
		var payloads []*sent
		for _, ec := range sc.cases {
			for i := 0; i < sc.run.Samples; i++ {
				payloads = append(payloads, sc.generate(ec.event, ec.kind, generator.ProfileEdge, generator.VersionLatest, sc.sampleSeed("edge", ec, i)))
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
			r, rerr := releases.Lookup(v)
			for _, ec := range sc.cases {
				if rerr == nil && !r.Sends(releases.Kind(sc.run.Receiver), ec.event) {
					continue // that release never sends it to this receiver kind
				}
				s, err := sc.tryGenerate(ec.event, ec.kind, generator.ProfileRealistic, v, sc.sampleSeed("version", v, ec))
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
			s = sc.generate("conversation_updated", "", generator.ProfileRealistic, generator.VersionLatest, sc.sampleSeed("unknown-event"))
			s = sc.edit(s, `event renamed to "conversation_archived"`, func(n *node) error { return n.set("/event", `"conversation_archived"`) })
		} else {
			s = sc.generate("note", "", generator.ProfileRealistic, "", sc.sampleSeed("unknown-event"))
			s = sc.edit(s, `event type renamed to "ticket_create"`, func(n *node) error { return n.set("/events/0/event/type", `"ticket_create"`) })
		}
		sc.expectAll(ctx, "an unknown event must be acknowledged (and ignored) with 2xx; a non-2xx is logged as a failed delivery, and an agent bot's pending conversation is reopened", acked, s)
	})

	sc.it("robustness.unknown-keys", "payloads with unknown extra keys at every level are "+wantAck, func(ctx ginkgo.SpecContext) {
		var payloads []*sent
		for _, ec := range sc.cases {
			s := sc.generate(ec.event, ec.kind, generator.ProfileRealistic, generator.VersionLatest, sc.sampleSeed("unknown-keys", ec))
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
			s = sc.generate("message_created", "", generator.ProfileRealistic, generator.VersionLatest, sc.sampleSeed("null-sender"))
			s = sc.edit(s, "sender set to null", func(n *node) error { return n.set("/sender", "null") })
		} else {
			s = sc.generate("message", "text", generator.ProfileRealistic, "", sc.sampleSeed("null-sender"))
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
		for _, ev := range []string{"message_created", "message_updated"} {
			s := sc.generate(ev, "", generator.ProfileRealistic, generator.VersionLatest, sc.sampleSeed("no-attachments", ev))
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
		c := sc.generate("conversation_created", "", generator.ProfileRealistic, generator.VersionLatest, sc.sampleSeed("no-contact-inbox", 1))
		c = sc.edit(c, "contact_inbox set to null", func(n *node) error { return n.set("/contact_inbox", "null") })
		m := sc.generate("message_created", "", generator.ProfileRealistic, generator.VersionLatest, sc.sampleSeed("no-contact-inbox", 2))
		m = sc.edit(m, "conversation.contact_inbox set to null", func(n *node) error { return n.set("/conversation/contact_inbox", "null") })
		sc.mustBeValid(c)
		sc.mustBeValid(m)
		sc.expectAll(ctx, "a conversation with a null contact_inbox must be "+wantAck, acked, c, m)
	})

	sc.it("robustness.malformed", "malformed bodies (not JSON, empty, wrong content type) are "+wantNoFailure, func(ctx ginkgo.SpecContext) {
		valid := sc.generate(sc.cases[0].event, sc.cases[0].kind, generator.ProfileRealistic, generator.VersionLatest, sc.sampleSeed("malformed"))
		truncated := &sent{event: "malformed", body: valid.body[:len(valid.body)/2], edit: "body cut in half (not JSON)"}
		empty := &sent{event: "malformed", body: []byte{}, edit: "empty body"}
		wrongType := *valid
		wrongType.contentType = "text/plain"
		wrongType.edit = "Content-Type: text/plain"
		sc.expectAll(ctx, "a malformed body must be "+wantNoFailure, answeredBelow500, truncated, empty, &wrongType)
	})
})
