package generator

import (
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/chathook/chathook/releases"
)

// Profile names.
const (
	// ProfileRealistic produces the mix of payloads the platform really sends.
	ProfileRealistic = "realistic"
	// ProfileEdge produces boundary values the platform can send: nulls
	// where nullable, empty and very long strings, emoji, right-to-left and
	// CJK text, HTML-significant characters, empty and large arrays, deleted
	// messages, failed deliveries and SLA payloads.
	ProfileEdge = "edge"
)

// Chatwoot release names. WithVersion takes any release number package
// releases knows ("X.Y.Z", "X.Y" for its last patch, "X"); these name a
// few.
const (
	// VersionLatest is the newest release (4.16.2).
	VersionLatest = "latest"
	// Version410 is 4.10.1: before webhook signing, no account in
	// conversation and inbox payloads.
	Version410 = "4.10"
	// Version2 is 2.18.0, the last 2.x: no waiting_since, last_activity_at
	// or updated_at in conversations, no typing or inbox events.
	Version2 = "2"
)

// ErrUnknown is matched (errors.Is) by every error about an unknown
// platform, event, kind, profile, version or scenario; see UnknownError.
var ErrUnknown = errors.New("generator: unknown name")

// UnknownError reports an unknown name and lists the valid ones.
type UnknownError struct {
	What  string // "platform", "event", "kind", "profile", "version", "scenario"
	Name  string
	Valid []string
}

func (e *UnknownError) Error() string {
	if len(e.Valid) == 0 {
		return fmt.Sprintf("generator: unknown %s %q", e.What, e.Name)
	}
	return fmt.Sprintf("generator: unknown %s %q (%ss: %s)", e.What, e.Name, e.What, strings.Join(e.Valid, ", "))
}

// Is makes errors.Is(err, ErrUnknown) true.
func (e *UnknownError) Is(target error) bool { return target == ErrUnknown }

// ErrNotInVersion is wrapped when the selected Chatwoot release never sends
// the requested event to any receiver (typing events before 4.2.0, inbox
// events before 4.14.1, ...).
var ErrNotInVersion = errors.New("event not sent by this version")

// Profiles lists the profile names; the first is the default.
func Profiles() []string { return []string{ProfileRealistic, ProfileEdge} }

// Versions lists release names whose payloads differ in ways a receiver
// meets, newest first; the first is the default. WithVersion accepts every
// release number, not only these.
func Versions() []string {
	return []string{VersionLatest, "4.12.0", Version410, "4.0", "3", Version2, "2.4", "1"}
}

// Generator produces payloads from a seeded world. The same seed, options
// and sequence of calls give byte-identical output on every machine.
//
// A Generator is not safe for concurrent use; create one per goroutine.
type Generator struct {
	seed    int64
	profile string
	version string
	rel     releases.Release
	edge    bool

	f *gofakeit.Faker
	r *rand.Rand

	now   time.Time // the generator's clock; only moves forward
	world *World

	nextID map[string]int

	// One webhook's world (sample.go).
	sampled   bool // WithSample given
	inSample  bool // the world is built: ids are sample n's
	sample    int
	accountID int
	inboxID   int
	receiver  string
	scope     *Inbox // the receiver's inbox; nil: every inbox
}

// Option configures a Generator.
type Option func(*Generator) error

// WithProfile selects the profile: "realistic" (default) or "edge".
func WithProfile(p string) Option {
	return func(g *Generator) error {
		for _, n := range Profiles() {
			if p == n {
				g.profile = p
				g.edge = p == ProfileEdge
				return nil
			}
		}
		return unknown("profile", p, Profiles())
	}
}

// WithVersion selects the Chatwoot release the payloads imitate, as
// releases.Lookup reads it: "latest" (default), "X.Y.Z", "X.Y" (its last
// patch) or "X". Its key sets and order, event names and events come from
// package releases. Swiftsell payloads do not depend on it.
func WithVersion(v string) Option {
	return func(g *Generator) error {
		if v == "" {
			v = VersionLatest
		}
		r, err := releases.Lookup(v)
		if err != nil {
			return &UnknownError{What: "version", Name: v, Valid: []string{"latest", "X.Y.Z", "X.Y", "X from " + releases.Oldest().Version() + " to " + releases.Latest().Version()}}
		}
		g.version, g.rel = v, r
		return nil
	}
}

// epoch is the fixed origin of every generator's clock; the seed adds an
// offset of up to a year.
var epoch = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

// New returns a generator for seed. Seed 0 draws a random seed (see Seed).
func New(seed int64, opts ...Option) (*Generator, error) {
	if seed == 0 {
		var b [8]byte
		for seed == 0 {
			if _, err := crand.Read(b[:]); err != nil {
				return nil, fmt.Errorf("generator: drawing a seed: %w", err)
			}
			seed = int64(binary.BigEndian.Uint64(b[:]) >> 1)
		}
	}
	g := &Generator{seed: seed, profile: ProfileRealistic, version: VersionLatest, rel: releases.Latest()}
	for _, o := range opts {
		if err := o(g); err != nil {
			return nil, err
		}
	}
	g.f = gofakeit.NewUnlocked(seed)
	g.r = g.f.Rand
	g.now = epoch.Add(time.Duration(g.r.Int63n(int64(365*24*time.Hour/time.Microsecond))) * time.Microsecond)
	g.nextID = map[string]int{}
	if g.sampled {
		// The world is the same for every sample, profile and version.
		edge := g.edge
		g.edge = false
		g.world = g.buildWorld()
		g.edge = edge
		g.startSample()
	} else {
		g.world = g.buildWorld()
	}
	return g, nil
}

// Seed reports the generator's seed (the drawn one when New got 0).
func (g *Generator) Seed() int64 { return g.seed }

// Profile reports the selected profile.
func (g *Generator) Profile() string { return g.profile }

// Version reports the selected Chatwoot version as given to WithVersion.
func (g *Generator) Version() string { return g.version }

// Release reports the Chatwoot release the payloads imitate.
func (g *Generator) Release() releases.Release { return g.rel }

// World returns the generator's world. It is live: payloads add
// conversations, messages and state changes to it. Tests use it to check
// that payloads refer to it consistently.
func (g *Generator) World() *World { return g.world }

// Now reports the generator's clock: the time of the latest event.
func (g *Generator) Now() time.Time { return g.now }

// tick advances the clock by a realistic gap between two events and returns
// the new time. The microsecond part is never zero.
func (g *Generator) tick() time.Time {
	var d time.Duration
	switch r := g.r.Intn(10); {
	case r < 4:
		d = time.Duration(200+g.r.Intn(5000)) * time.Millisecond
	case r < 8:
		d = time.Duration(5+g.r.Intn(120)) * time.Second
	default:
		d = time.Duration(2+g.r.Intn(60)) * time.Minute
	}
	return g.advance(d)
}

// soon advances the clock by a few milliseconds (the same action's writes).
func (g *Generator) soon() time.Time {
	return g.advance(time.Duration(1+g.r.Intn(40)) * time.Millisecond)
}

func (g *Generator) advance(d time.Duration) time.Time {
	d += time.Duration(1+g.r.Intn(999)) * time.Microsecond
	g.now = g.now.Add(d).Truncate(time.Microsecond)
	if g.now.Nanosecond()/1000 == 0 {
		g.now = g.now.Add(time.Microsecond)
	}
	return g.now
}

// past returns a time between min and max before the clock (world history).
func (g *Generator) past(min, max time.Duration) time.Time {
	d := min + time.Duration(g.r.Int63n(int64(max-min)/1000+1))*time.Microsecond
	t := g.now.Add(-d).Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		t = t.Add(time.Microsecond)
	}
	return t
}

// id returns the next id of a sequence, starting at a seeded base.
func (g *Generator) id(seq string) int {
	n, ok := g.nextID[seq]
	if !ok && g.inSample {
		n, ok = g.seqBase(seq), true
	}
	if !ok {
		n = 1 + g.r.Intn(5000)
		if seq == "message" {
			n = 1000 + g.r.Intn(900000)
		}
	}
	g.nextID[seq] = n + 1
	return n
}

// Platforms lists the platforms the generator knows.
func Platforms() []string { return []string{"chatwoot", "swiftsell"} }

// Events lists a platform's event names (nil for an unknown platform).
func Events(platform string) []string {
	switch platform {
	case "chatwoot":
		return append([]string(nil), chatwootEvents...)
	case "swiftsell":
		return append([]string(nil), swiftsellEvents...)
	}
	return nil
}

// Kinds lists the kinds of an event: the Swiftsell message kinds for
// "message", nil otherwise.
func Kinds(platform, event string) []string {
	if platform == "swiftsell" && event == "message" {
		return append([]string(nil), swiftsellKinds...)
	}
	return nil
}

func unknown(what, name string, valid []string) error {
	return &UnknownError{What: what, Name: name, Valid: valid}
}

// Payload returns one payload's raw JSON bytes, ready to send, for an event
// of platform. kind selects a Swiftsell message kind ("" = a random kind)
// and must be "" otherwise. The world and clock move on with every call.
func (g *Generator) Payload(platform, event, kind string) ([]byte, error) {
	switch platform {
	case "chatwoot":
		if kind != "" {
			return nil, unknown("kind", kind, nil)
		}
		return g.chatwoot(event)
	case "swiftsell":
		return g.swiftsell(event, kind)
	}
	return nil, unknown("platform", platform, Platforms())
}
