package suites

import (
	"context"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/schemas"
)

// eventCase is one event (and, for Swiftsell messages, one kind) the specs
// deliver.
type eventCase struct{ event, kind string }

func (e eventCase) String() string {
	if e.kind != "" {
		return e.event + "." + e.kind
	}
	return e.event
}

// eventCases lists every event of the platform, one case per kind for
// events that have kinds. The schemas' files are the single source.
func eventCases(p *schemas.Platform) []eventCase {
	var out []eventCase
	for _, ev := range p.Events {
		kinds := p.Kinds[ev]
		if len(kinds) == 0 {
			out = append(out, eventCase{event: ev})
			continue
		}
		for _, k := range kinds {
			out = append(out, eventCase{event: ev, kind: k})
		}
	}
	return out
}

// maxFailuresShown bounds how many failed deliveries one spec reports, and
// so how long a spec spends on a receiver that times out on everything.
const maxFailuresShown = 3

// expectAll delivers every payload and fails the spec if any outcome is not
// ok, listing up to maxFailuresShown failures. It stops early after that many
// failures, or after the first delivery that got no answer at all.
func (sc *specContext) expectAll(ctx context.Context, want string, ok func(*mockplatform.Delivery) bool, payloads ...*sent) {
	ginkgo.GinkgoHelper()
	var failures []string
	for _, s := range payloads {
		d := sc.deliver(ctx, s)
		if ok(d) {
			continue
		}
		failures = append(failures, sc.failure(s, d, want))
		if len(failures) >= maxFailuresShown || d.Err != nil {
			break
		}
	}
	if len(failures) > 0 {
		head := ""
		if len(failures) > 1 {
			head = fmt.Sprintf("%d failed deliveries (stopped after %d):\n\n", len(failures), len(failures))
		}
		ginkgo.Fail(head + strings.Join(failures, "\n\n"))
	}
}

// mustBeValid fails the spec as a harness error if an edited payload no
// longer matches the platform's contract: the suites only send what the
// platform can send.
func (sc *specContext) mustBeValid(s *sent) {
	ginkgo.GinkgoHelper()
	res, err := sc.set.Validate(s.body, schemas.Options{Platform: sc.run.Platform})
	if err != nil || !res.OK(false) {
		ginkgo.Fail(fmt.Sprintf("harness: the %s payload (%s) is not one the platform sends: %v %v", s.label(), s.edit, err, res.Errors))
	}
}

const (
	wantAck       = "acknowledged with 2xx within the platform timeout"
	wantReject    = "rejected with 4xx"
	wantNoFailure = "answered without a 5xx, a hang or a reset (a 4xx is fine)"
)
