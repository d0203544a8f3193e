package suites

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/releases"
	"github.com/chathook/chathook/schemas"
)

// Only what the receiver kind gets, at that release.
//
// Which events reach which receiver is a fact of each Chatwoot release, kept
// in the releases package (read from app/listeners/webhook_listener.rb,
// app/listeners/agent_bot_listener.rb, app/models/webhook.rb
// ALLOWED_WEBHOOK_EVENTS, the automation and macro actions and
// app/listeners/installation_webhook_listener.rb at each release commit).
// The suites never hold a list of their own: every spec draws its events
// from receiverEvents, so no spec (robustness, ordering, concurrency and
// idempotency included) sends an event the receiver could never get.

// kind is the configured receiver kind ("" = account).
func (c *Config) kind() (releases.Kind, error) {
	if c.Receiver == "" {
		return releases.Account, nil
	}
	return releases.ParseKind(c.Receiver)
}

// release is the configured Chatwoot release.
func (c *Config) release() (releases.Release, error) {
	return releases.Lookup(strings.TrimPrefix(c.Version, "v"))
}

// unsignedKind reports a receiver kind Chatwoot never signs and never
// gives a delivery id in any release: automation rules
// (app/services/automation_rules/action_service.rb send_webhook_event),
// macros (app/services/macros/execution_service.rb) and the installation
// webhook (app/listeners/installation_webhook_listener.rb) all post with
// WebhookJob.perform_later(url, payload) and no secret.
func unsignedKind(k releases.Kind) bool {
	return k == releases.Automation || k == releases.Macro || k == releases.Installation
}

// subscribes reports whether the receiver kind has a subscription filter in
// the release (account webhooks from 2.5.0).
func subscribes(k releases.Kind, r releases.Release) bool {
	return k == releases.Account && r.Subscriptions() != nil
}

// receiverEvents returns the Chatwoot events the configured receiver gets,
// sorted: the release's events for the kind, narrowed for an account
// webhook to its subscription (Config.Events).
func (c *Config) receiverEvents() ([]string, error) {
	k, err := c.kind()
	if err != nil {
		return nil, err
	}
	r, err := c.release()
	if err != nil {
		return nil, err
	}
	all := r.Events(k)
	if len(c.Events) == 0 {
		return all, nil
	}
	if !subscribes(k, r) {
		if k == releases.Account {
			return nil, fmt.Errorf("Events: Chatwoot %s account webhooks have no subscriptions (they get every event); leave Events empty", r)
		}
		return nil, fmt.Errorf("Events: a receiver of kind %s has no subscription (it gets %s); Events applies to account webhooks", k, strings.Join(all, ", "))
	}
	var out []string
	for _, ev := range c.Events {
		if !slices.Contains(r.Subscriptions(), ev) {
			return nil, fmt.Errorf("Events: %q is not an event an account webhook of Chatwoot %s can subscribe to (valid: %s)", ev, r, strings.Join(r.Subscriptions(), ", "))
		}
		if slices.Contains(all, ev) && !slices.Contains(out, ev) {
			out = append(out, ev)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("Events: Chatwoot %s never delivers %s (undeliverable in that release: %s)", r, strings.Join(c.Events, ", "), strings.Join(r.Undeliverable(), ", "))
	}
	slices.Sort(out)
	return out, nil
}

// ReceiverEvents returns the events the configured Chatwoot receiver gets
// (every event for other platforms), the only events the specs send.
func (c *Config) ReceiverEvents() ([]string, error) {
	if c.Platform != "chatwoot" {
		set, err := schemas.Default()
		if err != nil {
			return nil, err
		}
		p, err := set.Platform(c.Platform)
		if err != nil {
			return nil, err
		}
		return append([]string(nil), p.Events...), nil
	}
	return c.receiverEvents()
}

// Unsigned reports a Chatwoot receiver kind that is never signed and gets
// no X-Chatwoot-Delivery (automation, macro, installation).
func (c *Config) Unsigned() bool {
	k, err := c.kind()
	return err == nil && c.Platform == "chatwoot" && unsignedKind(k)
}

// receiverCases are the event cases of the configured receiver: for
// Chatwoot the receiver's events, for other platforms every event. When the
// configuration is bad it returns every event; setup then fails each spec
// with the configuration error.
func receiverCases(p *schemas.Platform, cfg *Config) []eventCase {
	all := eventCases(p)
	if p.Name != "chatwoot" {
		return all
	}
	evs, err := cfg.receiverEvents()
	if err != nil {
		return all
	}
	var out []eventCase
	for _, ec := range all {
		if slices.Contains(evs, ec.event) {
			out = append(out, ec)
		}
	}
	return out
}

// has reports whether the receiver gets event.
func (sc *specContext) has(event string) bool {
	for _, ec := range sc.cases {
		if ec.event == event {
			return true
		}
	}
	return false
}

// pick returns the first of the preferred events the receiver gets, or
// skips the spec with the reason.
func (sc *specContext) pick(what string, preferred ...string) eventCase {
	for _, ev := range preferred {
		if sc.has(ev) {
			return eventCase{event: ev}
		}
	}
	sc.skipNotSent(what, preferred...)
	return eventCase{}
}

// skipNotSent skips a spec that needs one of events, none of which the
// receiver gets.
func (sc *specContext) skipNotSent(what string, events ...string) {
	ginkgo.Skip(fmt.Sprintf("%s: a %s receiver of Chatwoot %s never gets %s (it gets %s)",
		what, sc.kindName(), sc.run.Version, strings.Join(events, " or "), casesText(sc.cases)))
}

func (sc *specContext) kindName() string {
	if sc.run.Receiver == "" {
		return string(releases.Account)
	}
	return sc.run.Receiver
}

func casesText(cs []eventCase) string {
	var names []string
	for _, c := range cs {
		names = append(names, c.String())
	}
	return strings.Join(names, ", ")
}

// olderEvents are the events the receiver kind got from the release whose
// payload shape robustness.versions sends (generator version "2" is the
// last 2.x release, "4.10" the last 4.10 release).
func (sc *specContext) olderEvents(shape string) (map[string]bool, error) {
	k, err := sc.run.kind()
	if err != nil {
		return nil, err
	}
	r, err := releases.Lookup(shape)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, ev := range r.Events(k) {
		out[ev] = true
	}
	return out, nil
}

// skipUnlessUnfiltered skips a spec that sends an event name no release
// has: only receivers without a subscription filter (API inbox, agent bot;
// account webhooks before 2.5.0) can meet one, when an upgrade adds an
// event to their listener (4.13.0 added conversation_status_changed and
// conversation_updated to agent bots, app/listeners/agent_bot_listener.rb).
// An account webhook gets only what it subscribes to, and the unsigned
// senders post fixed names.
func (sc *specContext) skipUnlessUnfiltered() {
	k, err := sc.run.kind()
	if err != nil {
		return
	}
	r, err := sc.run.release()
	if err != nil {
		return
	}
	switch {
	case subscribes(k, r):
		ginkgo.Skip(fmt.Sprintf("an account webhook of Chatwoot %s gets only the events it subscribes to (app/models/webhook.rb subscriptions): a new event reaches it only once subscribed", r))
	case unsignedKind(k):
		ginkgo.Skip(fmt.Sprintf("a %s webhook gets fixed event names (%s)", k, strings.Join(r.Events(k), ", ")))
	}
}
