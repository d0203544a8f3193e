package suites

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/schemas"
)

// specContext is the state specs share: the validated config, the mock
// platform that delivers, and the seed. Specs get it from their closure
// instead of globals.
type specContext struct {
	cfg     *Config
	cases   []eventCase // the platform's events, fixed when the tree is built
	current string      // id of the running spec

	once     sync.Once
	setupErr error
	run      Config // validated copy of *cfg, fixed at the first spec
	seed     int64
	platform *mockplatform.Platform
	schema   *schemas.Platform
	set      *schemas.Set

	// The closed loop (bot.go), when Config.API is set.
	loop      *Loop
	probed    bool
	apiSilent bool
	probeLog  []mockplatform.TranscriptEntry

	mu     sync.Mutex // guards recent and sentN
	recent []string   // the last deliveries sent, for a receiver that stops answering
	sentN  int
	// details are the failed deliveries of each requirement, by id (see
	// noteFailure); guarded by mu.
	details map[string][]FailureDetail
}

// remember records a delivery so that, if the receiver stops answering,
// the report can say what it was sent last.
func (sc *specContext) remember(s *sent) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.sentN++
	sc.recent = append(sc.recent, fmt.Sprintf("[%s] %s", sc.current, s.label()))
	if len(sc.recent) > 3 {
		sc.recent = sc.recent[1:]
	}
}

// abortIfGone stops the whole run when the receiver refuses connections
// after having answered before (the smoke check): it probably crashed, and
// every remaining requirement would fail the same way.
func (sc *specContext) abortIfGone(d *mockplatform.Delivery, s *sent) {
	if mockplatform.CauseOf(d.Err) != mockplatform.CauseRefused {
		return
	}
	sc.mu.Lock()
	last := strings.Join(sc.recent, ", ")
	n := sc.sentN
	sc.mu.Unlock()
	ginkgo.AbortSuite(fmt.Sprintf("the receiver at %s stopped accepting connections during [%s] after %d deliveries (%v): "+
		"it probably crashed on one of the last deliveries it was sent: %s, %s; the remaining requirements were not run",
		sc.run.DisplayTarget(), sc.current, n, d.Err, last, s.label()))
}

// setup validates the config and builds the mock platform once, before the
// first spec; a bad config fails every spec with the same one-line reason.
func (sc *specContext) setup() {
	sc.once.Do(func() {
		sc.run = *sc.cfg
		if sc.setupErr = sc.run.Validate(); sc.setupErr != nil {
			return
		}
		if sc.set, sc.setupErr = schemas.Default(); sc.setupErr != nil {
			return
		}
		sc.schema, _ = sc.set.Platform(sc.run.Platform)
		sc.seed = sc.run.Seed
		if sc.seed == 0 {
			sc.seed = drawSeed()
		}
		mc, err := sc.run.platformConfig()
		if err != nil {
			sc.setupErr = err
			return
		}
		sc.platform, sc.setupErr = mockplatform.New(mc)
	})
	if sc.setupErr != nil {
		ginkgo.Fail("configuration: " + sc.setupErr.Error())
	}
	ginkgo.AddReportEntry("seed", sc.seed, ginkgo.ReportEntryVisibilityFailureOrVerbose)
}

func drawSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:])>>2) + 1
}

// sampleSeed derives the seed of one payload from the run's seed and what
// the payload is for, so each is reproducible on its own with
// "chathook send --seed".
func (sc *specContext) sampleSeed(parts ...any) int64 {
	h := fnv.New64a()
	fmt.Fprint(h, sc.seed)
	for _, p := range parts {
		fmt.Fprintf(h, "\x00%v", p)
	}
	return int64(h.Sum64()>>2) + 1
}

// sent is one payload and how it was made, for delivery and for failure
// messages.
type sent struct {
	event, kind      string
	seed             int64
	profile, version string
	body             []byte
	edit             string // how the generated body was changed, if it was
	fault            mockplatform.Fault
	deliveryID       string
	repeat           bool   // sent again with the delivery id of an earlier copy
	noDeliveryID     bool   // sent without X-Chatwoot-Delivery, as automation and macro webhooks are
	reproduceWith    string // a command that reproduces the failure, when one delivery cannot
	contentType      string // overrides application/json when set
}

func (s *sent) label() string {
	name := s.event
	if s.kind != "" {
		name += "." + s.kind
	}
	return name
}

// generate makes one payload with a fresh generator, so the payload is the
// first one of its seed and "chathook send --seed" reproduces it.
func (sc *specContext) generate(event, kind, profile, version string, seed int64) *sent {
	ginkgo.GinkgoHelper()
	s, err := sc.tryGenerate(event, kind, profile, version, seed)
	if err != nil {
		ginkgo.Fail(err.Error())
	}
	return s
}

// tryGenerate is generate returning the error, which wraps
// generator.ErrNotInVersion for an event the version never sends.
func (sc *specContext) tryGenerate(event, kind, profile, version string, seed int64) (*sent, error) {
	opts := []generator.Option{generator.WithProfile(profile)}
	if sc.run.Platform == "chatwoot" {
		version = sc.payloadVersion(version)
		opts = append(opts, generator.WithVersion(version))
	} else {
		version = ""
	}
	g, err := generator.New(seed, opts...)
	if err != nil {
		return nil, fmt.Errorf("harness: generator: %w", err)
	}
	body, err := g.Payload(sc.run.Platform, event, kind)
	if err != nil {
		return nil, fmt.Errorf("harness: cannot generate %s %s: %w", sc.run.Platform, event, err)
	}
	return &sent{event: event, kind: kind, seed: seed, profile: profile, version: version, body: body}, nil
}

// edit changes a payload's body with fn (an order-preserving edit) and
// records what was done.
func (sc *specContext) edit(s *sent, what string, fn func(n *node) error) *sent {
	ginkgo.GinkgoHelper()
	n, err := parseNode(s.body)
	if err == nil {
		err = fn(n)
	}
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("harness: editing %s (%s): %v", s.label(), what, err))
	}
	out := *s
	out.body = n.bytes()
	out.edit = what
	return &out
}

// deliver sends s the way the platform does; the result holds the outcome.
func (sc *specContext) deliver(ctx context.Context, s *sent) *mockplatform.Delivery {
	ginkgo.GinkgoHelper()
	var opts []mockplatform.DeliverOption
	if s.fault != "" {
		opts = append(opts, mockplatform.WithFault(s.fault))
	}
	if s.deliveryID != "" {
		opts = append(opts, mockplatform.WithDeliveryID(s.deliveryID))
	}
	if s.noDeliveryID {
		opts = append(opts, mockplatform.NoDeliveryID())
	}
	if s.contentType != "" {
		opts = append(opts, mockplatform.WithHeader("Content-Type", s.contentType))
	}
	d, err := sc.platform.Deliver(ctx, sc.run.Target, s.body, opts...)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("harness: cannot deliver %s: %v", s.label(), err))
	}
	sc.abortIfGone(d, s)
	sc.remember(s)
	if s.deliveryID == "" {
		s.deliveryID = d.DeliveryID
	}
	return d
}

// outcome classes a delivery by what the receiver did.
func acked(d *mockplatform.Delivery) bool { return d.OK() }
func rejected(d *mockplatform.Delivery) bool {
	return d.Err == nil && d.Status >= 400 && d.Status <= 499
}
func answeredBelow500(d *mockplatform.Delivery) bool {
	return d.Err == nil && d.Status > 0 && d.Status < 500
}

// check fails the spec unless ok(d), with a message that says the
// requirement, what was sent, what came back and how to reproduce it.
func (sc *specContext) check(s *sent, d *mockplatform.Delivery, want string, ok func(*mockplatform.Delivery) bool) {
	ginkgo.GinkgoHelper()
	if !ok(d) {
		ginkgo.Fail(sc.failure(s, d, want))
	}
}

// failure renders one failed delivery.
func (sc *specContext) failure(s *sent, d *mockplatform.Delivery, want string) string {
	sc.noteFailure(s, d)
	var b strings.Builder
	fmt.Fprintf(&b, "requirement [%s]: %s\n", sc.current, want)
	fmt.Fprintf(&b, "sent:      POST %s  %s", sc.run.DisplayTarget(), s.label())
	if s.seed != 0 {
		fmt.Fprintf(&b, " (seed %d, profile %s", s.seed, s.profile)
		if s.version != "" {
			fmt.Fprintf(&b, ", version %s", s.version)
		}
		b.WriteString(")")
	}
	if d != nil && d.DeliveryID != "" {
		fmt.Fprintf(&b, ", delivery id %s", d.DeliveryID)
	}
	if s.fault != "" {
		fmt.Fprintf(&b, ", fault %s", s.fault)
	}
	if s.edit != "" {
		fmt.Fprintf(&b, ", edited: %s", s.edit)
	}
	fmt.Fprintf(&b, "\n           body (%d bytes): %s\n", len(s.body), snippet(s.body, 160))
	fmt.Fprintf(&b, "got:       %s\n", outcomeText(d))
	if d != nil && s.seed != 0 && !strings.HasPrefix(sc.current, "delivery.") && failedOnPayload(d) {
		fmt.Fprintf(&b, "note:      if [delivery.%s] fails too, the receiver fails on this event itself, not on what [%s] checks\n", s.label(), sc.current)
	}
	switch {
	case s.reproduceWith != "":
		fmt.Fprintf(&b, "reproduce: %s", s.reproduceWith)
	case s.repeat:
		fmt.Fprintf(&b, "reproduce: %s   (run it twice: the second copy is the one that must be acknowledged)", sc.reproduce(s))
	default:
		fmt.Fprintf(&b, "reproduce: %s", sc.reproduce(s))
	}
	return b.String()
}

// failedOnPayload reports an answer that is not about authentication: a
// status other than 401/403 at or above 400, or no answer in time.
func failedOnPayload(d *mockplatform.Delivery) bool {
	if d.Err != nil {
		return mockplatform.CauseOf(d.Err) == mockplatform.CauseTimeout
	}
	return d.Status >= 400 && d.Status != 401 && d.Status != 403
}

func outcomeText(d *mockplatform.Delivery) string {
	if d == nil {
		return "nothing (not delivered)"
	}
	if d.Err != nil {
		return fmt.Sprintf("no answer after %s: %v (%s)", d.Duration.Round(1e6), d.Err, mockplatform.CauseOf(d.Err))
	}
	last := d.Last()
	return fmt.Sprintf("%d in %s: %s", d.Status, d.Duration.Round(1e5), snippet(last.Body, 120))
}

// reproduce is a chathook command that sends the same bytes again.
func (sc *specContext) reproduce(s *sent) string {
	args := []string{sc.run.Command, "send", "--target", sc.run.DisplayTarget(), "--platform", sc.run.Platform}
	if s.edit == "" && s.seed != 0 {
		args = append(args, "--event", s.event)
		if s.kind != "" {
			args = append(args, "--kind", s.kind)
		}
		args = append(args, "--seed", fmt.Sprint(s.seed))
		if s.profile != generator.ProfileRealistic {
			args = append(args, "--profile", s.profile)
		}
		if s.version != "" && s.version != generator.VersionLatest {
			args = append(args, "--version", s.version)
		}
	} else {
		args = append(args, "--file", sc.saveBody(s))
	}
	if sc.run.Platform == "chatwoot" {
		if sc.run.Receiver != "" && sc.run.Receiver != mockplatform.ReceiverAccount {
			args = append(args, "--receiver", sc.run.Receiver)
		}
		// send's --version sets the payload shape and, unless
		// --delivery-version says otherwise, the delivery too; the suite
		// delivers every shape the way the configured version does.
		shapeDiffers := s.version != "" && s.version != generator.VersionLatest
		if shapeDiffers || (sc.run.Version != "" && sc.run.Version != "latest") {
			args = append(args, "--delivery-version", sc.run.Version)
		}
		if s.repeat && s.deliveryID != "" {
			args = append(args, "--delivery-id", s.deliveryID)
		}
	}
	if sc.run.Platform == "swiftsell" && sc.run.TokenPlacement != "" && sc.run.TokenPlacement != mockplatform.TokenInHeader {
		args = append(args, "--token-placement", sc.run.TokenPlacement)
	}
	if s.fault != "" {
		args = append(args, "--fault", string(s.fault))
	}
	if s.contentType != "" {
		args = append(args, "--header", "'Content-Type: "+s.contentType+"'")
	}
	cmd := strings.Join(args, " ")
	switch {
	case sc.run.Secret != "":
		cmd = "CHATHOOK_SECRET=... " + cmd
	case sc.run.Token != "":
		cmd = "CHATHOOK_TOKEN=... " + cmd
	}
	return cmd
}

// saveBody writes a body that no seed reproduces to a new temporary file
// and returns its path.
func (sc *specContext) saveBody(s *sent) string {
	pattern := "chathook-" + strings.NewReplacer("/", "_", ".", "_").Replace(sc.current) + "-*.json"
	f, err := os.CreateTemp("", pattern)
	if err == nil {
		_, err = f.Write(s.body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return "(could not save the body: " + err.Error() + ")"
	}
	return f.Name()
}

// snippet shows at most n bytes of b on one line.
func snippet(b []byte, n int) string {
	if len(b) == 0 {
		return "(empty)"
	}
	s := string(b)
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return printable(s)
}

// printable escapes control characters (newlines, ESC, BEL, NUL...) in text
// that came from the receiver or a payload, so it cannot forge lines or
// drive the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '\uFFFD'
		}
		return r
	}, strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s))
}
