package releases

import "fmt"

// Kind is a kind of receiver: where Chatwoot posts a webhook, which decides
// the events it gets and how it is delivered.
type Kind string

// The receiver kinds. The first three are the webhooks a user configures per
// account, inbox or bot; the last three post to URLs of their own, unsigned
// and without a delivery id in every release.
const (
	// Account is an account webhook (Settings → Integrations → Webhooks):
	// from 2.5.0 it gets the events it subscribes to.
	Account Kind = "account"
	// APIInbox is an API channel inbox's webhook_url: no subscription filter.
	APIInbox Kind = "api_inbox"
	// AgentBot is an agent bot's outgoing_url: no subscription filter.
	AgentBot Kind = "agent_bot"
	// Automation is an automation rule's "send webhook event" action.
	Automation Kind = "automation"
	// Macro is a macro's "send webhook event" action.
	Macro Kind = "macro"
	// Installation is the installation-wide INSTALLATION_EVENTS_WEBHOOK_URL.
	Installation Kind = "installation"
)

// Kinds returns every receiver kind, the three configurable webhooks first.
func Kinds() []Kind {
	return []Kind{Account, APIInbox, AgentBot, Automation, Macro, Installation}
}

// ParseKind returns the Kind named s, or an error listing the kinds.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("releases: unknown receiver kind %q (want one of %v)", s, Kinds())
}

func (k Kind) valid() bool {
	_, err := ParseKind(string(k))
	return err == nil
}
