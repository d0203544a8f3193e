package generator_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/releases"
	"github.com/chathook/chathook/schemas"
)

var long = flag.Bool("long", false, "run the long property test (also CHATHOOK_LONG=1)")

var (
	setOnce sync.Once
	set     *schemas.Set
	setErr  error
)

func schemaSet(t testing.TB) *schemas.Set {
	t.Helper()
	setOnce.Do(func() { set, setErr = schemas.Default() })
	if setErr != nil {
		t.Fatalf("schemas.Default: %v", setErr)
	}
	return set
}

type combo struct{ platform, event, kind string }

func combos() []combo {
	var out []combo
	for _, p := range generator.Platforms() {
		for _, e := range generator.Events(p) {
			kinds := generator.Kinds(p, e)
			if len(kinds) == 0 {
				out = append(out, combo{p, e, ""})
			}
			for _, k := range kinds {
				out = append(out, combo{p, e, k})
			}
		}
	}
	return out
}

// TestPayloadsValidate generates every platform × event × kind × profile ×
// version over many seeds and validates each payload against the schemas.
// releaseRanges expands "4.0.2 to 4.0.4" ranges into every release of them.
func releaseRanges(ranges []string) []string {
	var out []string
	for _, rg := range ranges {
		first, last, ok := strings.Cut(rg, " to ")
		if !ok {
			last = first
		}
		in := false
		for _, r := range releases.All() {
			if r.Version() == first {
				in = true
			}
			if in {
				out = append(out, r.Version())
			}
			if r.Version() == last {
				break
			}
		}
	}
	return out
}

func TestPayloadsValidate(t *testing.T) {
	s := schemaSet(t)
	seeds := 8 // per combo and profile/version: 42 combos × 2 profiles × 3 versions × 8 ≈ 2,000 seeds
	if *long || os.Getenv("CHATHOOK_LONG") == "1" {
		seeds = 200
	}
	if testing.Short() {
		seeds = 2
	}
	failures := 0
	for _, profile := range generator.Profiles() {
		for _, version := range generator.Versions() {
			for ci, c := range combos() {
				if c.platform == "swiftsell" && version != generator.VersionLatest {
					continue // Swiftsell payloads do not depend on the version
				}
				for i := 0; i < seeds; i++ {
					seed := int64(1 + ci*100003 + i*7919)
					opts := []generator.Option{generator.WithProfile(profile), generator.WithVersion(version)}
					if i%2 == 1 { // one webhook's world: a sample of a run, scoped to a receiver
						receivers := []string{generator.ReceiverAccount, generator.ReceiverAPIInbox, generator.ReceiverAgentBot}
						opts = append(opts, generator.WithSample(i), generator.WithReceiver(receivers[(i/2)%3]), generator.WithAccountID(i*11))
					}
					g, err := generator.New(seed, opts...)
					if err != nil {
						t.Fatal(err)
					}
					// Several payloads per generator, so later (mutated)
					// world states are covered too.
					for n := 0; n < 3; n++ {
						body, err := g.Payload(c.platform, c.event, c.kind)
						if errors.Is(err, generator.ErrNotInVersion) {
							break
						}
						if err != nil {
							t.Fatalf("seed %d %s %s %s: %v", seed, c.platform, c.event, c.kind, err)
						}
						res, err := s.Validate(body, schemas.Options{Platform: c.platform})
						if err != nil {
							t.Fatalf("validate: %v", err)
						}
						if c.platform == "chatwoot" {
							// Pinned to its own release, strictly: every
							// key that release sends and no other.
							pinned, err := s.Validate(body, schemas.Options{Platform: c.platform, Version: g.Release().Version()})
							if err != nil {
								t.Fatalf("validate: %v", err)
							}
							res.Errors = append(res.Errors, pinned.Errors...)
							res.Errors = append(res.Errors, pinned.Drift...)
							if !slices.Contains(releaseRanges(res.Releases), g.Release().Version()) {
								res.Errors = append(res.Errors, schemas.Problem{Message: fmt.Sprintf("unpinned, the releases that could have sent it are %v, not %s", res.Releases, g.Release())})
							}
						}
						if len(res.Errors) > 0 {
							failures++
							if failures <= 15 {
								msg := ""
								for j, p := range res.Errors {
									if j == 3 {
										break
									}
									msg += "\n    " + p.String()
								}
								t.Errorf("seed %d profile %s version %s: %s %s %s (payload %d) invalid:%s", seed, profile, version, c.platform, c.event, c.kind, n, msg)
							}
						}
					}
				}
			}
		}
	}
	if failures > 15 {
		t.Errorf("%d invalid payloads in all", failures)
	}
}
