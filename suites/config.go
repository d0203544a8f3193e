package suites

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/releases"
	"github.com/chathook/chathook/schemas"
)

// Labels of the requirement groups, for --label-filter.
const (
	LabelDelivery    = "delivery"
	LabelRobustness  = "robustness"
	LabelSignature   = "signature"
	LabelToken       = "token"
	LabelHandshake   = "handshake"
	LabelIdempotency = "idempotency"
	LabelOrdering    = "ordering"
	LabelConcurrency = "concurrency"
	LabelBot         = "bot" // registered only when Config.API is set
	// LabelHardening marks checks beyond what the platform's real
	// deliveries exercise; they run only with Config.Hardening.
	LabelHardening = "hardening"
)

// Labels lists every requirement label in report order.
func Labels() []string {
	return []string{LabelDelivery, LabelRobustness, LabelSignature, LabelToken, LabelHandshake,
		LabelIdempotency, LabelOrdering, LabelConcurrency, LabelBot, LabelHardening}
}

// Config describes the receiver under test and how to exercise it. Build it
// with NewConfig, which sets the defaults, then set Target and Platform and
// the capabilities your receiver claims (Secret, Token).
type Config struct {
	// Target is the receiver's URL (http or https). Required.
	Target string
	// Platform is the platform the receiver serves: a name or alias
	// ("chatwoot", "bevatel", "swiftsell", "replycx", ...). Required.
	Platform string
	// Receiver is the Chatwoot receiver kind imitated: "account" (default),
	// "api_inbox", "agent_bot", or one of the unsigned senders
	// "automation", "macro", "installation". The specs send only the
	// events that kind gets at Version (package releases).
	Receiver string
	// Events is an account webhook's subscription: the specs send only
	// these events. Empty: every event an account webhook of Version can
	// get. Only for Receiver "account".
	Events []string
	// Version is the Chatwoot release whose delivery is imitated ("latest"
	// = 4.16.2; see releases.Lookup). Releases that do not sign the
	// receiver kind (package releases) make the signature specs skip.
	Version string
	// Secret is the signing secret the receiver verifies Chatwoot
	// deliveries with. Empty: the receiver claims no signature check and
	// the signature specs skip.
	Secret string
	// Tolerance is the timestamp age the receiver is expected to reject
	// past (signature.stale sends a timestamp twice as old). Default 5 min.
	Tolerance time.Duration
	// Token is the Swiftsell token the receiver checks and echoes in the
	// handshake. Empty: the token and handshake specs skip.
	Token string
	// TokenPlacement, TokenHeader and TokenParam say where the token
	// travels; defaults as mockplatform.NewConfig (header X-Swiftsell-Token).
	TokenPlacement, TokenHeader, TokenParam string
	// Samples is how many seeded payloads each event gets in the delivery
	// and robustness specs. Default 3.
	Samples int
	// Seed makes every payload reproducible. 0 draws one; the report and
	// every failure message show it. It also builds the run's one world:
	// every delivery of a run (every spec, every sample) comes from one
	// account and the receiver's inbox, with the same contacts and
	// conversations and growing ids and times.
	Seed int64
	// AccountID is the id of the world's Chatwoot account, to match a
	// receiver bound to one account (a webhook belongs to one account).
	// 0: drawn from the seed (Summary.World shows it).
	AccountID int
	// InboxID is the id of the receiver's inbox: the API inbox for
	// "api_inbox", the agent bot's inbox for "agent_bot"; for "account",
	// setting it makes every conversation event come from that inbox.
	// 0: drawn from the seed.
	InboxID int
	// Hardening adds the requirements labelled "hardening": checks beyond
	// what real deliveries exercise (bodies Chatwoot never sends, a
	// timestamp in the future). Off: they do not run and do not count.
	Hardening bool
	// Timeout is the platform's delivery timeout: a delivery not answered
	// within it fails. Default Chatwoot's read timeout (5s).
	Timeout time.Duration
	// Concurrency is how many deliveries the concurrency spec sends at
	// once. Default 16.
	Concurrency int
	// BatchSize is how many events the Swiftsell batch spec puts in one
	// envelope. Default 5.
	BatchSize int
	// Versions are the older Chatwoot payload shapes robustness.versions
	// sends. Default: every version the generator knows.
	Versions []string
	// TLSConfig is used for https targets (a private CA, or
	// InsecureSkipVerify). Nil: system roots.
	TLSConfig *tls.Config
	// Header holds extra headers for every request (e.g. an auth header a
	// gateway in front of the receiver wants).
	Header http.Header
	// Command is how reproduction commands start. Default "chathook".
	Command string

	// API is the address (host:port) where the mock Chatwoot Application
	// API listens during the run; the receiver is configured with
	// http://API as its Chatwoot base URL. Set: the bot requirements run
	// (Chatwoot only). Empty: they are not registered.
	API string
	// APIToken is the api_access_token the receiver calls the API with:
	// the agent bot's token for Receiver "agent_bot", an administrator's
	// otherwise. Required with API.
	APIToken string
	// APISettle is how long the receiver may stay silent before its turn
	// counts as over (the bot requirements wait for it). Default 500ms.
	APISettle time.Duration
}

// NewConfig returns a Config with every default set.
func NewConfig() Config {
	mc := mockplatform.NewConfig()
	return Config{
		Receiver:       mc.Receiver,
		Version:        "latest",
		Tolerance:      5 * time.Minute,
		TokenPlacement: mc.TokenPlacement,
		TokenHeader:    mc.TokenHeader,
		TokenParam:     mc.TokenParam,
		Samples:        3,
		Timeout:        releases.Latest().Timeouts().Read,
		Concurrency:    16,
		BatchSize:      5,
		Versions:       olderVersions(),
		Command:        "chathook",
		APISettle:      500 * time.Millisecond,
	}
}

// ErrConfig matches every configuration error of Validate.
var ErrConfig = errors.New("suites: invalid config")

// Validate reports the first problem with c, or nil. It resolves a platform
// alias to its canonical name.
func (c *Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, a...))
	}
	u, err := url.Parse(c.Target)
	if c.Target == "" {
		return bad("Target is empty: set the receiver's URL")
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("Target %q is not an http(s) URL", c.Target)
	}
	set, err := schemas.Default()
	if err != nil {
		return err
	}
	p, err := set.Platform(c.Platform)
	if err != nil {
		return bad("Platform %q is not a platform (valid: %s)", c.Platform, strings.Join(set.PlatformNames(), ", "))
	}
	c.Platform = p.Name
	switch {
	case c.Samples < 1:
		return bad("Samples is %d; want at least 1", c.Samples)
	case c.Timeout <= 0:
		return bad("Timeout is %v; want > 0", c.Timeout)
	case c.Concurrency < 1:
		return bad("Concurrency is %d; want at least 1", c.Concurrency)
	case c.BatchSize < 2:
		return bad("BatchSize is %d; want at least 2", c.BatchSize)
	case c.Tolerance <= 0:
		return bad("Tolerance is %v; want > 0", c.Tolerance)
	case c.AccountID < 0:
		return bad("AccountID is %d; want a positive id (0: drawn from the seed)", c.AccountID)
	case c.InboxID < 0:
		return bad("InboxID is %d; want a positive id (0: drawn from the seed)", c.InboxID)
	}
	for _, v := range c.Versions {
		if !contains(generator.Versions(), v) {
			return bad("Versions: unknown version %q (valid: %s)", v, strings.Join(generator.Versions(), ", "))
		}
	}
	if c.Command == "" {
		c.Command = "chathook"
	}
	if c.Platform == "chatwoot" {
		k, err := c.kind()
		if err != nil {
			return bad("Receiver %q is not a receiver kind (valid: account, api_inbox, agent_bot, automation, macro, installation)", c.Receiver)
		}
		if _, err := c.release(); err != nil {
			return bad("Version %q: %v", c.Version, strings.TrimPrefix(err.Error(), "releases: "))
		}
		if unsignedKind(k) && c.Secret != "" {
			return bad("Secret is set (or CHATHOOK_SECRET), but Chatwoot never signs %s webhooks (nor sends X-Chatwoot-Delivery): a receiver of them cannot verify a signature; drop the secret", k)
		}
		evs, err := c.receiverEvents()
		if err != nil {
			return bad("%v", err)
		}
		if len(evs) == 0 {
			return bad("a receiver of kind %s gets no event from Chatwoot %s", k, c.Version)
		}
	} else if len(c.Events) > 0 {
		return bad("Events applies to Chatwoot account webhooks")
	}
	if c.API != "" {
		switch {
		case c.Platform != "chatwoot":
			return bad("API is set, but %s documents no Application API: the bot requirements are Chatwoot's", c.Platform)
		case c.APIToken == "":
			return bad("API is set without APIToken: give the token the receiver calls the API with")
		case !validHostPort(c.API):
			return bad("API %q is not a host:port to listen on (e.g. 127.0.0.1:3000)", c.API)
		}
		if c.APISettle <= 0 {
			c.APISettle = 500 * time.Millisecond
		}
	}
	// Let mockplatform check receiver, version and token placement.
	if _, err := c.platformConfig(); err != nil {
		return bad("%v", err)
	}
	return nil
}

// DisplayTarget is Target as it may be shown in reports and logs, through
// mockplatform.RedactURL: user info, credential query parameters (token,
// secret, key, api_key, access_token, ...) and the Secret and Token wherever
// they appear are redacted.
func (c *Config) DisplayTarget() string {
	return mockplatform.RedactURL(c.Target, c.Secret, c.Token)
}

// PlatformConfig is the mock platform configuration the specs deliver
// with (an unsigned receiver kind is delivered as an account webhook
// without a secret).
func (c *Config) PlatformConfig() (mockplatform.Config, error) { return c.platformConfig() }

// platformConfig is the mock platform configuration the specs deliver with.
func (c *Config) platformConfig() (mockplatform.Config, error) {
	mc := mockplatform.NewConfig()
	mc.Platform = c.Platform
	mc.Receiver = c.Receiver
	mc.Version = c.Version
	mc.Secret = c.Secret
	if k, err := c.kind(); err == nil && unsignedKind(k) {
		mc.Secret = "" // never signed (and no delivery id: mockplatform knows)
	}
	mc.Token = c.Token
	mc.TokenPlacement = c.TokenPlacement
	mc.TokenHeader = c.TokenHeader
	mc.TokenParam = c.TokenParam
	mc.Timeout = c.Timeout
	mc.StaleAge = 2 * c.Tolerance
	mc.TLSConfig = c.TLSConfig
	mc.Header = c.Header
	mc.RetryWait = 50 * time.Millisecond
	p, err := mockplatform.New(mc)
	if err != nil {
		return mc, err
	}
	p.Close()
	return mc, nil
}

// olderVersions are the generator's Chatwoot versions other than latest.
func olderVersions() []string {
	var out []string
	for _, v := range generator.Versions() {
		if v != generator.VersionLatest {
			out = append(out, v)
		}
	}
	return out
}

func validHostPort(s string) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil || port == "" {
		return false
	}
	_ = host
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n < 65536
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
