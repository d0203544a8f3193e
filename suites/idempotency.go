package suites

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
)

// idempotency: the platform delivers the same event again (agent-bot retries
// reuse X-Chatwoot-Delivery; a receiver that timed out is sent it again), and
// the second copy must be acknowledged too.
var _ = describe(LabelIdempotency, 50, func(sc *specContext) {
	sc.it("idempotency", "the same delivery sent twice is acknowledged both times", func(ctx ginkgo.SpecContext) {
		ec := sc.cases[0]
		if sc.run.Platform == "chatwoot" && sc.has("message_created") {
			ec = eventCase{event: "message_created"}
		}
		s := sc.generate(ec.event, ec.kind, generator.ProfileRealistic, generator.VersionLatest)
		first := sc.deliver(ctx, s)
		sc.check(s, first, "the first copy of a delivery must be "+wantAck, acked)
		again := *s
		again.deliveryID = first.DeliveryID
		again.repeat = true
		sc.check(&again, sc.deliver(ctx, &again), "a delivery seen before (same delivery id and body, as a retry sends it) must be acknowledged with 2xx again, "+
			"not 409 or 5xx: the platform would count it as failed (and an agent bot retries or reopens the conversation); deduplicate, but acknowledge", acked)
	})
})
