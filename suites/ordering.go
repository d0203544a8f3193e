package suites

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
)

// ordering: the platform gives no ordering guarantee (Chatwoot's jobs race:
// message_created may arrive before conversation_created), so events of one
// conversation arriving out of order must all be acknowledged.
var _ = describe(LabelOrdering, 60, func(sc *specContext) {
	sc.it("ordering", "events of one conversation delivered out of order are all "+wantAck, func(ctx ginkgo.SpecContext) {
		name := "widget-conversation"
		switch {
		case sc.run.Platform == "swiftsell":
			name = "swiftsell-chat"
		case sc.run.Receiver == "agent_bot":
			name = "agent-bot"
		}
		g, sample, err := sc.newGenerator(generator.ProfileRealistic, generator.VersionLatest)
		if err != nil {
			ginkgo.Fail(err.Error())
		}
		steps, err := g.Scenario(name)
		if err != nil {
			ginkgo.Fail("harness: scenario: " + err.Error())
		}
		var payloads []*sent
		for i := len(steps) - 1; i >= 0; i-- {
			st := steps[i]
			if st.Duplicate {
				continue
			}
			if sc.run.Platform == "chatwoot" && !sc.has(st.Event) {
				continue // the receiver never gets this event
			}
			payloads = append(payloads, &sent{event: st.Event, kind: st.Kind, body: st.Body,
				edit: fmt.Sprintf("step %d of %d of scenario %q (seed %d, sample %d), delivered in reverse order", i+1, len(steps), name, sc.seed, sample)})
		}
		if len(payloads) < 2 {
			ginkgo.Skip(fmt.Sprintf("fewer than 2 of the events of scenario %q reach a %s receiver (it gets %s): nothing to reorder", name, sc.kindName(), casesText(sc.cases)))
		}
		sc.expectAll(ctx, "each event of a conversation delivered out of order must be "+wantAck, acked, payloads...)
	})
})
