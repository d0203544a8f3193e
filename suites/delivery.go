package suites

import (
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
)

// delivery: every event the platform sends is acknowledged.
var _ = describe(LabelDelivery, 10, func(sc *specContext) {
	for _, ec := range sc.cases {
		ec := ec
		sc.it("delivery."+ec.String(), fmt.Sprintf("%s deliveries are %s", ec, wantAck), func(ctx ginkgo.SpecContext) {
			var payloads []*sent
			for i := 0; i < sc.run.Samples; i++ {
				payloads = append(payloads, sc.generate(ec.event, ec.kind, generator.ProfileRealistic, generator.VersionLatest))
			}
			sc.expectAll(ctx, fmt.Sprintf("every %s delivery must be %s", ec, wantAck), acked, payloads...)
		})
	}

	sc.it("delivery.batch", "Swiftsell envelopes holding several events are "+wantAck, func(ctx ginkgo.SpecContext) {
		if sc.run.Platform != "swiftsell" {
			ginkgo.Skip("only Swiftsell batches events")
		}
		var events []string
		var labels []string
		for i := 0; i < sc.run.BatchSize; i++ {
			ec := sc.cases[(i*7)%len(sc.cases)]
			s := sc.generate(ec.event, ec.kind, generator.ProfileRealistic, "")
			evs, err := mockplatform.SplitEnvelope(s.body)
			if err != nil || len(evs) == 0 {
				ginkgo.Fail(fmt.Sprintf("harness: generated %s is not an envelope: %v", ec, err))
			}
			events = append(events, string(evs[0])) // raw bytes, as generated
			labels = append(labels, ec.String())
		}
		s := &sent{event: "batch", body: []byte(`{"events": [` + strings.Join(events, ", ") + `]}`), // Swiftsell's separators
			edit: fmt.Sprintf("%d events in one envelope: %s", len(events), strings.Join(labels, ", "))}
		sc.mustBeValid(s)
		sc.expectAll(ctx, "an envelope of several events must be "+wantAck+"; each event in it must be handled", acked, s)
	})
})
