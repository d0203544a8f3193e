package suites

import (
	"fmt"
	"strings"

	"github.com/chathook/chathook/generator"
)

// World describes, in one line, the world a run's deliveries come from:
// the Chatwoot account and the receiver's inbox (drawn from Seed unless
// AccountID and InboxID say otherwise), so a user can match the receiver's
// configuration. Seed must be set (a drawn seed: see Summary.Seed).
func (c *Config) World() (string, error) {
	if c.Seed == 0 {
		return "", fmt.Errorf("%w: World needs a Seed", ErrConfig)
	}
	if c.Platform != "chatwoot" {
		g, err := generator.New(c.Seed, generator.WithSample(0))
		if err != nil {
			return "", err
		}
		a := g.World().Swiftsell.Account
		return fmt.Sprintf("Swiftsell account %d (key %s…)", a.ID, a.Key[:6]), nil
	}
	g, err := generator.New(c.Seed, append([]generator.Option{generator.WithSample(0)}, c.worldOptions()...)...)
	if err != nil {
		return "", err
	}
	cw := g.World().Chatwoot
	account := fmt.Sprintf("account %d", cw.Account.ID)
	if c.AccountID == 0 {
		account += " (drawn from the seed; set --account-id to match your receiver)"
	}
	if ib := g.ReceiverInbox(); ib != nil {
		inbox := fmt.Sprintf("inbox %d (%s)", ib.ID, strings.TrimPrefix(ib.ChannelType, "Channel::"))
		if c.InboxID == 0 {
			inbox += " (drawn from the seed; set --inbox-id to match)"
		}
		return account + ", " + inbox, nil
	}
	var ids []string
	for _, ib := range cw.Inboxes {
		ids = append(ids, fmt.Sprintf("%d (%s)", ib.ID, strings.TrimPrefix(ib.ChannelType, "Channel::")))
	}
	return account + ", every inbox: " + strings.Join(ids, ", "), nil
}

// runWorld is the World of a run (Seed set) for the reports.
func (c *Config) runWorld() (*World, error) {
	line, err := c.World()
	if err != nil {
		return nil, err
	}
	w := &World{Description: line}
	if c.Platform != "chatwoot" {
		return w, nil
	}
	g, err := generator.New(c.Seed, append([]generator.Option{generator.WithSample(0)}, c.worldOptions()...)...)
	if err != nil {
		return nil, err
	}
	cw := g.World().Chatwoot
	w.AccountID = int64(cw.Account.ID)
	if ib := g.ReceiverInbox(); ib != nil {
		w.InboxIDs = []int64{int64(ib.ID)}
	} else {
		for _, ib := range cw.Inboxes {
			w.InboxIDs = append(w.InboxIDs, int64(ib.ID))
		}
	}
	return w, nil
}
