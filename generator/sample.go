package generator

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/brianvoe/gofakeit/v6"
)

// One webhook's world per run.
//
// A Chatwoot webhook belongs to one account (app/models/webhook.rb
// belongs_to :account); an API inbox's webhook_url to one Channel::Api inbox
// (app/listeners/webhook_listener.rb deliver_api_inbox_webhooks posts only
// events of conversations in that inbox); an agent bot's outgoing_url to the
// inboxes it is connected to (app/listeners/agent_bot_listener.rb reads
// inbox.agent_bot). So every delivery a receiver ever gets comes from one
// account and, for the inbox-bound kinds, from its inbox: the same contacts
// and conversations over and over, with ids and times that only grow.
//
// WithSample, WithAccountID, WithInboxID and WithReceiver let a caller that
// makes many payloads (the conformance suites, one generator per payload so
// each is reproducible alone) draw them all from that one world.

// Receiver kinds a world can be scoped to (WithReceiver).
const (
	ReceiverAccount  = "account"   // account webhook: events of every inbox of the account
	ReceiverAPIInbox = "api_inbox" // an API inbox's webhook_url: events of that Channel::Api inbox only
	ReceiverAgentBot = "agent_bot" // an agent bot: events of the inbox the bot is connected to
)

// Samples are spaced so that sample n's objects and times come after sample
// n-1's: sampleIDStride ids per id sequence, sampleSpan of clock.
const (
	sampleIDStride = 1000
	sampleSpan     = 3 * time.Hour
)

// WithSample makes the generator produce sample n (n >= 0) of a run drawn
// from one world: the world (account, inboxes, contacts, agents,
// conversations and their history) is built from the seed alone, the same
// whatever the sample, profile or version; sample n's own random choices
// come from (seed, n); its clock starts n*3h after the world's, and every id
// it creates is above those of samples 0..n-1. So payloads of samples
// 0, 1, 2, ... of one seed refer to the same contacts and conversations, with
// increasing ids and times, and each is reproduced alone by
// New(seed, WithSample(n), ...).
//
// In the edge profile the sample also gives some world objects edge values
// (empty or very long names, blocked contacts, SLA conversations), as
// updates would.
//
// Without WithSample the world is built with the profile (as before) and is
// not shared with other seeds' payloads.
func WithSample(n int) Option {
	return func(g *Generator) error {
		if n < 0 {
			return fmt.Errorf("generator: sample %d: want 0 or more", n)
		}
		g.sampled, g.sample = true, n
		return nil
	}
}

// WithAccountID gives the Chatwoot world's account this id (> 0), so
// payloads match a receiver bound to one account. 0: drawn from the seed.
func WithAccountID(id int) Option {
	return func(g *Generator) error {
		if id < 0 {
			return fmt.Errorf("generator: account id %d: want a positive id (0: drawn from the seed)", id)
		}
		g.accountID = id
		return nil
	}
}

// WithInboxID gives the receiver's inbox this id (> 0): for an API inbox the
// Channel::Api inbox, for an agent bot the web-widget inbox it serves, for
// an account webhook the web-widget inbox, and every conversation, message,
// typing and contact event then happens in that inbox. 0: drawn from the
// seed (and, for an account webhook, events come from every inbox).
func WithInboxID(id int) Option {
	return func(g *Generator) error {
		if id < 0 {
			return fmt.Errorf("generator: inbox id %d: want a positive id (0: drawn from the seed)", id)
		}
		g.inboxID = id
		return nil
	}
}

// WithReceiver scopes the Chatwoot world to the receiver kind the payloads
// go to: "account" (default: every inbox), "api_inbox" (every event in the
// account's Channel::Api inbox) or "agent_bot" (every event in the inbox the
// bot is connected to). Other kinds (automation, macro, installation) see
// the whole account, like "account".
func WithReceiver(kind string) Option {
	return func(g *Generator) error {
		g.receiver = kind
		return nil
	}
}

// ReceiverInbox returns the inbox the world is scoped to (the API inbox, the
// agent bot's inbox, or the inbox given with WithInboxID), or nil when
// events come from every inbox of the account.
func (g *Generator) ReceiverInbox() *Inbox { return g.scope }

// scopeIndex is the index, in buildChatwoot's inbox list, of the inbox the
// receiver kind is bound to, or -1 for the whole account.
func (g *Generator) scopeIndex() int {
	switch g.receiver {
	case ReceiverAPIInbox:
		return 3 // the Channel::Api inbox
	case ReceiverAgentBot:
		return 0 // the web widget, which always has a bot
	}
	if g.inboxID > 0 {
		return 0
	}
	return -1
}

// setScope makes ib the receiver's inbox, with the requested id if any.
func (g *Generator) setScope(cw *ChatwootWorld, ib *Inbox) {
	g.scope = ib
	if g.inboxID <= 0 || ib.ID == g.inboxID {
		return
	}
	old := ib.ID
	for _, other := range cw.Inboxes {
		if other.ID == g.inboxID {
			setInboxID(other, old)
		}
	}
	setInboxID(ib, g.inboxID)
}

// setInboxID renumbers an inbox, including the inbox_id of its working
// hours rows.
func setInboxID(ib *Inbox, id int) {
	ib.ID = id
	for i, wh := range ib.WorkingHours {
		ib.WorkingHours[i] = wh.With("inbox_id", id)
	}
}

// startSample moves a freshly built world on to sample g.sample.
func (g *Generator) startSample() {
	g.inSample = true
	g.f = gofakeit.NewUnlocked(mixSeed(g.seed, "sample", g.sample))
	g.r = g.f.Rand
	g.now = g.now.Add(time.Duration(g.sample) * sampleSpan)
	for k, v := range g.nextID {
		g.nextID[k] = v + g.sample*sampleIDStride
	}
	if g.edge {
		g.edgeWorld()
	}
}

// seqBase is the first id of a sequence no world object used, the same for
// every sample of a seed (so samples' ids never collide).
func (g *Generator) seqBase(seq string) int {
	base := 1 + int(mixSeed(g.seed, "seq", seq)%5000)
	if seq == "message" {
		base = 1000 + int(mixSeed(g.seed, "seq", seq)%900000)
	}
	return base + g.sample*sampleIDStride
}

// edgeWorld gives some world objects edge values, as the edge profile's
// world would have them.
func (g *Generator) edgeWorld() {
	cw := g.cw()
	if g.chance(0.3) {
		cw.Account.Name = g.pick(edgeTexts[2:10])
	}
	for _, c := range cw.Contacts {
		if g.chance(0.3) {
			g.edgeContact(c)
		}
	}
	for _, c := range cw.Conversations {
		if g.chance(0.3) {
			g.attachSLA(c, c.CreatedAt)
		}
		if g.chance(0.2) {
			c.Labels = append([]string(nil), cw.Labels...)
		}
	}
}

// mixSeed derives a positive seed from a seed and a purpose.
func mixSeed(seed int64, parts ...any) int64 {
	h := fnv.New64a()
	fmt.Fprint(h, seed)
	for _, p := range parts {
		fmt.Fprintf(h, "\x00%v", p)
	}
	return int64(h.Sum64() >> 2)
}
