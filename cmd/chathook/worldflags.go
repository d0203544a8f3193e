package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/chathook/chathook/generator"
)

// worldFlags are --account-id and --inbox-id (and, on send, --sample): the
// one webhook's world the generated payloads come from, so they match a
// receiver bound to one account or inbox.
type worldFlags struct {
	accountID, inboxID int
	sample             int
	sampleFlag         bool // --sample registered
}

func addWorldFlags(fs *flag.FlagSet, withSample bool) *worldFlags {
	w := &worldFlags{sample: -1, sampleFlag: withSample}
	fs.IntVar(&w.accountID, "account-id", 0, "Chatwoot account `id` of the payloads, to match a receiver bound to one account (0: drawn from the seed, printed)")
	fs.IntVar(&w.inboxID, "inbox-id", 0, "`id` of the receiver's inbox (the API inbox, the agent bot's inbox; for an account webhook every conversation then comes from it; 0: drawn from the seed, printed)")
	if withSample {
		fs.IntVar(&w.sample, "sample", -1, "send sample `N` of the seed's world, as chathook conform made it (its failure messages say which); -1: the seed's first payload")
	}
	return w
}

func (w *worldFlags) check() error {
	switch {
	case w.accountID < 0:
		return usageErrorf("--account-id %d: want a positive id (0: drawn from the seed)", w.accountID)
	case w.inboxID < 0:
		return usageErrorf("--inbox-id %d: want a positive id (0: drawn from the seed)", w.inboxID)
	case w.sampleFlag && w.sample < -1:
		return usageErrorf("--sample %d: want 0 or more", w.sample)
	}
	return nil
}

// options are the generator options of the world, for a receiver kind.
func (w *worldFlags) options(receiver string) []generator.Option {
	opts := []generator.Option{generator.WithAccountID(w.accountID), generator.WithInboxID(w.inboxID), generator.WithReceiver(receiver)}
	if w.sample >= 0 {
		opts = append(opts, generator.WithSample(w.sample))
	}
	return opts
}

// print says which account and inbox the payloads come from.
func (w *worldFlags) print(out io.Writer, g *generator.Generator, platform string) {
	if platform != "chatwoot" {
		return
	}
	cw := g.World().Chatwoot
	line := fmt.Sprintf("world: account %d", cw.Account.ID)
	if ib := g.ReceiverInbox(); ib != nil {
		line += fmt.Sprintf(", inbox %d (%s)", ib.ID, strings.TrimPrefix(ib.ChannelType, "Channel::"))
	} else {
		var ids []string
		for _, ib := range cw.Inboxes {
			ids = append(ids, fmt.Sprint(ib.ID))
		}
		line += ", inboxes " + strings.Join(ids, ", ")
	}
	if w.accountID == 0 || w.inboxID == 0 {
		line += " (set --account-id and --inbox-id to match your receiver)"
	}
	fmt.Fprintln(out, line)
}
