package suites

import (
	"context"
	"fmt"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
)

// hardening: checks beyond what the platform's real deliveries exercise.
// Chatwoot always POSTs one JSON object with Content-Type application/json
// (lib/webhooks/trigger.rb: body payload.to_json, headers Content-Type
// application/json; 4.14+ through SafeFetch with the same headers), and its
// X-Chatwoot-Timestamp is the unix time of the attempt (Time.now.to_i in
// trigger.rb), never in the future. A receiver that answers 500 to a body
// Chatwoot never sends, or accepts a future timestamp, is not wrong about
// Chatwoot; so these run only with Config.Hardening (--hardening) and only
// then count.
var _ = describe(LabelHardening, 80, func(sc *specContext) {
	requireHardening := func() {
		ginkgo.GinkgoHelper()
		if !sc.run.Hardening {
			ginkgo.Skip("a hardening check (Chatwoot never sends this): not part of the default verdict; run with --hardening to include it")
		}
	}
	malformed := func(id, text string, make func(valid *sent) *sent) {
		sc.it(id, text+" is "+wantNoFailure, func(ctx ginkgo.SpecContext) {
			requireHardening()
			valid := sc.generate(sc.cases[0].event, sc.cases[0].kind, generator.ProfileRealistic, generator.VersionLatest)
			s := make(valid)
			sc.expectAll(ctx, "a body the platform never sends should be "+wantNoFailure+" (hardening)", answeredBelow500, s)
		})
	}
	malformed("hardening.not-json", "a body cut in half (not JSON)", func(v *sent) *sent {
		return &sent{event: "malformed", body: v.body[:len(v.body)/2], edit: "body cut in half (not JSON)"}
	})
	malformed("hardening.empty", "an empty body", func(v *sent) *sent {
		return &sent{event: "malformed", body: []byte{}, edit: "empty body"}
	})
	malformed("hardening.content-type", "a JSON body sent as Content-Type text/plain", func(v *sent) *sent {
		s := *v
		s.contentType, s.edit = "text/plain", "Content-Type: text/plain"
		return &s
	})

	sc.it("signature.future", "a delivery signed with a timestamp in the future is "+wantReject, func(ctx ginkgo.SpecContext) {
		requireHardening()
		s := sc.signedFor(ctx, "future")
		at := time.Now().Add(2 * sc.run.Tolerance).Truncate(time.Second)
		s.edit = fmt.Sprintf("correctly signed for X-Chatwoot-Timestamp %d, %s in the future", at.Unix(), 2*sc.run.Tolerance)
		d := sc.deliverAt(ctx, s, at)
		sc.check(s, d, "Chatwoot's timestamp is the time of the attempt, never in the future: a receiver should bound the timestamp's distance from now in both directions "+
			"(a far-future signed timestamp stays replayable until then); it should be "+wantReject+" (hardening)", rejected)
		sc.controlSigned(ctx, sc.signedFor(ctx, "future-control"))
	})
})

// deliverAt delivers s with X-Chatwoot-Timestamp (and the signature) pinned
// to at.
func (sc *specContext) deliverAt(ctx context.Context, s *sent, at time.Time) *mockplatform.Delivery {
	ginkgo.GinkgoHelper()
	d, err := sc.platform.Deliver(ctx, sc.run.Target, s.body, mockplatform.WithTimestamp(at))
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("harness: cannot deliver %s: %v", s.label(), err))
	}
	sc.abortIfGone(d, s)
	sc.remember(s)
	s.reproduceWith = "(a future timestamp cannot be sent with chathook send; rerun chathook conform --hardening --label-filter hardening)"
	return d
}
