package suites

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
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
	cfg   *Config
	cases []eventCase // the platform's events, fixed when the tree is built
	// signedFor makes a correctly signed message_created (or skips the
	// spec when the receiver claims no signature check); set by the
	// signature group.
	signedFor func(ctx context.Context, tag string) *sent
	current   string // id of the running spec

	once     sync.Once
	setupErr error
	run      Config // validated copy of *cfg, fixed at the first spec
	seed     int64
	platform *mockplatform.Platform
	schema   *schemas.Platform
	set      *schemas.Set
	unsigned bool // the receiver kind is never signed and gets no delivery id

	// The closed loop (bot.go), when Config.API is set.
	loop         *Loop
	probed       bool
	apiSilent    bool
	probeReplies int // replies to the probe's one incoming message
	probeLog     []mockplatform.TranscriptEntry

	mu       sync.Mutex // guards recent, sentN, samples, runDir, outcomes and details
	recent   []string   // the last deliveries sent, for a receiver that stops answering
	sentN    int
	samples  int       // samples taken from the world so far
	runDir   string    // where reproduction bodies are saved; "" until the first
	outcomes []outcome // deliveries of correct payloads, for the diagnosis
	// details are the failed deliveries of each requirement, by id (see
	// noteFailure).
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
		if k, err := sc.run.kind(); err == nil && sc.run.Platform == "chatwoot" {
			sc.unsigned = unsignedKind(k)
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

// takeSample returns the next sample number of the run: every payload of a
// run is a sample of one world (generator.WithSample), numbered in the order
// the specs make them, so ids and times grow from one delivery to the next.
func (sc *specContext) takeSample() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	n := sc.samples
	sc.samples++
	return n
}

// worldOptions scope the generator to the receiver's world: its account,
// its inbox, its receiver kind.
func (c *Config) worldOptions() []generator.Option {
	if c.Platform != "chatwoot" {
		return nil
	}
	return []generator.Option{generator.WithReceiver(c.Receiver), generator.WithAccountID(c.AccountID), generator.WithInboxID(c.InboxID)}
}

// newGenerator returns a generator for the run's next sample.
func (sc *specContext) newGenerator(profile, version string) (*generator.Generator, int, error) {
	n := sc.takeSample()
	opts := append([]generator.Option{generator.WithProfile(profile), generator.WithSample(n)}, sc.run.worldOptions()...)
	if sc.run.Platform == "chatwoot" {
		opts = append(opts, generator.WithVersion(version))
	}
	g, err := generator.New(sc.seed, opts...)
	if err != nil {
		return nil, n, fmt.Errorf("harness: generator: %w", err)
	}
	return g, n, nil
}

// sent is one payload and how it was made, for delivery and for failure
// messages.
type sent struct {
	event, kind      string
	seed             int64 // the run's seed (0: not generated)
	sample           int   // the payload's sample of the run's world
	profile, version string
	body             []byte
	edit             string // how the generated body was changed, if it was
	fault            mockplatform.Fault
	deliveryID       string
	repeat           bool   // sent again with the delivery id of an earlier copy
	noDeliveryID     bool   // sent without X-Chatwoot-Delivery, as automation and macro webhooks are
	reproduceWith    string // a command that reproduces the failure, when one delivery cannot
	contentType      string // overrides application/json when set
	header           [][2]string
}

func (s *sent) label() string {
	name := s.event
	if s.kind != "" {
		name += "." + s.kind
	}
	return name
}

// generate makes the run's next sample for event: a payload of the run's
// one world, reproduced alone by "chathook send --seed S --sample N".
func (sc *specContext) generate(event, kind, profile, version string) *sent {
	ginkgo.GinkgoHelper()
	s, err := sc.tryGenerate(event, kind, profile, version)
	if err != nil {
		ginkgo.Fail(err.Error())
	}
	return s
}

// tryGenerate is generate returning the error, which wraps
// generator.ErrNotInVersion for an event the version never sends.
func (sc *specContext) tryGenerate(event, kind, profile, version string) (*sent, error) {
	version = sc.payloadVersion(version)
	g, n, err := sc.newGenerator(profile, version)
	if err != nil {
		return nil, err
	}
	if sc.run.Platform != "chatwoot" {
		version = ""
	}
	body, err := g.Payload(sc.run.Platform, event, kind)
	if err != nil {
		return nil, fmt.Errorf("harness: cannot generate %s %s: %w", sc.run.Platform, event, err)
	}
	return &sent{event: event, kind: kind, seed: sc.seed, sample: n, profile: profile, version: version, body: body}, nil
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
	if s.noDeliveryID || sc.unsigned {
		opts = append(opts, mockplatform.NoDeliveryID())
	}
	if s.contentType != "" {
		opts = append(opts, mockplatform.WithHeader("Content-Type", s.contentType))
	}
	for _, h := range s.header {
		opts = append(opts, mockplatform.WithHeader(h[0], h[1]))
	}
	d, err := sc.platform.Deliver(ctx, sc.run.Target, s.body, opts...)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("harness: cannot deliver %s: %v", s.label(), err))
	}
	sc.abortIfGone(d, s)
	sc.remember(s)
	sc.recordOutcome(s, d)
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
		fmt.Fprintf(&b, " (seed %d, sample %d, profile %s", s.seed, s.sample, s.profile)
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
	if d != nil && s.seed != 0 && !strings.HasPrefix(sc.current, "delivery.") && !strings.HasPrefix(sc.current, "hardening.") && s.event != "malformed" && failedOnPayload(d) {
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
		args = append(args, "--seed", fmt.Sprint(s.seed), "--sample", fmt.Sprint(s.sample))
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
			// automation, macro and installation too: send delivers them unsigned, without a delivery id.
			args = append(args, "--receiver", sc.run.Receiver)
		}
		if s.edit == "" && s.seed != 0 {
			if sc.run.AccountID > 0 {
				args = append(args, "--account-id", fmt.Sprint(sc.run.AccountID))
			}
			if sc.run.InboxID > 0 {
				args = append(args, "--inbox-id", fmt.Sprint(sc.run.InboxID))
			}
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

// saveBody writes a body that no seed reproduces to a new file in the
// run's directory (made on the first save, named in the report, removed
// when the run passes) and returns its path.
func (sc *specContext) saveBody(s *sent) string {
	sc.mu.Lock()
	if sc.runDir == "" {
		dir, err := os.MkdirTemp("", fmt.Sprintf("chathook-run-%d-", sc.seed))
		if err != nil {
			sc.mu.Unlock()
			return "(could not save the body: " + err.Error() + ")"
		}
		sc.runDir = dir
	}
	dir := sc.runDir
	sc.mu.Unlock()
	pattern := strings.NewReplacer("/", "_", ".", "_").Replace(sc.current) + "-*.json"
	f, err := os.CreateTemp(dir, pattern)
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
