package suites

import (
	"fmt"
	"sort"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/schemas"
)

// A group registers the specs of one requirement label. Spec files add
// theirs with describe at package init; nothing reaches Ginkgo until Test or
// GinkgoTest calls registerSpecs, so importing the package adds no spec.
type group struct {
	label string
	order int
	body  func(sc *specContext)
}

var groups []group

func describe(label string, order int, body func(sc *specContext)) bool {
	groups = append(groups, group{label, order, body})
	return true
}

// registerSpecs adds every group's specs to the Ginkgo tree under one
// container. cfg is read when specs run (and, for the per-event tables, when
// the tree is built), so a caller may adjust it until then.
func registerSpecs(cfg *Config) *specContext {
	sc := &specContext{cfg: cfg}
	sorted := append([]group(nil), groups...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].order < sorted[j].order })
	// The per-event specs are built now, so the platform must be known now.
	set, err := schemas.Default()
	var p *schemas.Platform
	if err == nil {
		p, err = set.Platform(cfg.Platform)
	}
	ginkgo.Describe("chathook conformance", func() {
		if err != nil {
			ginkgo.It("[config] the configuration names a known platform", func() {
				ginkgo.Fail(fmt.Sprintf("configuration: %v", err))
			})
			return
		}
		sc.cases = receiverCases(p, cfg)
		ginkgo.BeforeEach(sc.setup)
		for _, g := range sorted {
			g := g
			ginkgo.Describe(g.label, ginkgo.Label(g.label), func() { g.body(sc) })
		}
	})
	return sc
}

// it registers one requirement: id is its stable name ("signature.stale"),
// shown in brackets at the start of the spec text so reports and filters can
// use it.
func (sc *specContext) it(id, text string, body func(ctx ginkgo.SpecContext)) {
	ginkgo.It(fmt.Sprintf("[%s] %s", id, text), ginkgo.Offset(1), func(ctx ginkgo.SpecContext) {
		sc.current = id
		body(ctx)
	})
}
