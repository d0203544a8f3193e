package mockplatform

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	"github.com/chathook/chathook/releases"
)

// Platform names. Callers resolve rebrands (Bevatel, MessageHub, Voxsig,
// ReplyCX) to these canonical names before building a Config.
const (
	PlatformChatwoot  = "chatwoot"
	PlatformSwiftsell = "swiftsell"
)

// Chatwoot receiver kinds, the names of package releases' kinds. What each
// gets, whether it is signed and retried, is the release's (releases.Release
// Signs, SendsDeliveryID, Retries).
const (
	ReceiverAccount      = string(releases.Account)      // account webhook
	ReceiverAPIInbox     = string(releases.APIInbox)     // API-inbox webhook_url
	ReceiverAgentBot     = string(releases.AgentBot)     // agent bot outgoing_url
	ReceiverAutomation   = string(releases.Automation)   // automation rule "send webhook event"
	ReceiverMacro        = string(releases.Macro)        // macro "send webhook event"
	ReceiverInstallation = string(releases.Installation) // INSTALLATION_EVENTS_WEBHOOK_URL
)

// Swiftsell token placements.
const (
	TokenInHeader = "header" // request header Config.TokenHeader
	TokenInQuery  = "query"  // query parameter Config.TokenParam
	TokenInBody   = "body"   // top-level member Config.TokenParam of the JSON body
)

// Defaults, as documented on the Config fields.
const (
	DefaultVersion         = "latest"
	DefaultTokenHeader     = "X-Swiftsell-Token"
	DefaultTokenParam      = "token"
	DefaultBatchSize       = 1
	DefaultMaxResponseBody = 40 << 20
	DefaultCaptureBody     = 64 << 10
	DefaultStaleAge        = 10 * time.Minute
)

// Config says which platform to imitate and how. Build it with [NewConfig]
// and override fields; in a Config passed to [New] a zero value means the
// documented default, so Config{} is also valid.
//
// A Config may be printed: its String method redacts Secret and Token.
type Config struct {
	// Platform is PlatformChatwoot (default) or PlatformSwiftsell.
	Platform string

	// Receiver is the Chatwoot receiver kind: ReceiverAccount (default),
	// ReceiverAPIInbox, ReceiverAgentBot, ReceiverAutomation, ReceiverMacro
	// or ReceiverInstallation. Ignored for Swiftsell.
	Receiver string

	// Version is the Chatwoot release to imitate, as releases.Lookup reads
	// it: "latest" (default, 4.16.2), "X.Y.Z", "X.Y" (the last patch of
	// that line) or "X" (the last release of that major). Everything about
	// the delivery follows that release's facts in package releases:
	//   - signing: account webhooks from 4.12.0, API inbox and agent bot
	//     from 4.13.0; before that no X-Chatwoot-Timestamp or
	//     X-Chatwoot-Signature even with a Secret;
	//   - X-Chatwoot-Delivery: account webhooks and API inboxes from 4.12.0,
	//     agent bots from 4.13.0; automation, macro and installation never;
	//   - User-Agent: RestClient's "rest-client/2.1.0 (...) ruby/<ruby>" up
	//     to 4.13, Net::HTTP's "Ruby" from 4.14.0;
	//   - redirects: up to 4.13 a POST answered 301, 302, 307 or 308 is not
	//     followed (that answer is final) and a 303 becomes a GET without a
	//     body; from 4.14.0 every redirect is re-POSTed;
	//   - timeouts: 5 s to connect, 5 s for each read;
	//   - agent-bot retries on 429 and 500: from 4.12.0.
	// Ignored for Swiftsell.
	Version string

	// Secret is the Chatwoot receiver's signing secret, an opaque string
	// used as raw UTF-8 HMAC key. Empty: deliveries are unsigned.
	Secret string

	// Token is the Swiftsell token. Empty: no token is sent.
	Token string

	// TokenPlacement is where the token travels: TokenInHeader (default),
	// TokenInQuery or TokenInBody. An assumption: Swiftsell does not say.
	TokenPlacement string

	// TokenHeader is the header for TokenInHeader. Default "X-Swiftsell-Token".
	TokenHeader string

	// TokenParam is the query parameter (TokenInQuery) or top-level body
	// member (TokenInBody) holding the token. Default "token".
	TokenParam string

	// BatchSize is how many Swiftsell events DeliverBatch puts in one
	// envelope. Default 1.
	BatchSize int

	// Timeout bounds each HTTP request, i.e. each hop of an attempt:
	// connecting, sending, waiting for the response headers and reading the
	// response body. Zero (default): as the Chatwoot release does, with
	// Net::HTTP's open_timeout and read_timeout (5 s each): connecting (TCP
	// and TLS) within the open timeout, the response headers within the
	// read timeout of the request being sent, and each read of the body
	// within the read timeout of the one before. For Swiftsell zero means
	// 5 s for the whole hop.
	Timeout time.Duration

	// MaxRedirects is how many redirects one attempt follows; one more is
	// a CauseTooManyRedirects failure. Zero (default): the release's limit
	// (10). Negative: never follow (a 3xx is the final status). Which
	// redirects are followed, and how, is the release's.
	MaxRedirects int

	// RetryWait is the pause between attempts. Zero (default): the
	// release's (3 s; set it small in tests). Negative: no pause.
	RetryWait time.Duration

	// MaxAttempts is the number of attempts in total (the first one
	// included) for a receiver kind the release retries (agent bots from
	// 4.12.0); other kinds never retry. Zero (default): the release's (3).
	MaxAttempts int

	// MaxResponseBody is how many response-body bytes are read before the
	// delivery fails with CauseBodyTooLarge, as Chatwoot's
	// MAXIMUM_FILE_UPLOAD_SIZE. Default 40 MiB (40<<20 bytes).
	MaxResponseBody int64

	// CaptureBody is how many response-body bytes each Attempt keeps.
	// Default 64 KiB; negative: keep none.
	CaptureBody int

	// StaleAge is how much older than now the StaleTimestamp fault makes
	// the timestamp. Default 10 minutes.
	StaleAge time.Duration

	// Header holds extra headers sent with every request. They are set
	// after the platform's own headers, so they replace a platform header
	// of the same name.
	Header http.Header

	// TLSConfig is used for https targets, e.g. with RootCAs holding a test
	// CA or InsecureSkipVerify. Nil: the system roots. Ignored when Client
	// is set.
	TLSConfig *tls.Config

	// Now is the clock used for timestamps. Default time.Now.
	Now func() time.Time

	// Client overrides the HTTP client (tests only). New copies it and sets
	// CheckRedirect to http.ErrUseLastResponse on the copy, because
	// redirects are followed by this package; Client.Timeout, if set, also
	// applies. Nil: New builds one keep-alive HTTP/1.1 client per Platform.
	Client *http.Client
}

// NewConfig returns a Config holding every default: Chatwoot 4.16.2 account
// webhook, unsigned, timeouts, redirects and retries as that release does
// them, token in the header X-Swiftsell-Token, batches of one event.
func NewConfig() Config {
	return Config{
		Platform:        PlatformChatwoot,
		Receiver:        ReceiverAccount,
		Version:         DefaultVersion,
		TokenPlacement:  TokenInHeader,
		TokenHeader:     DefaultTokenHeader,
		TokenParam:      DefaultTokenParam,
		BatchSize:       DefaultBatchSize,
		MaxResponseBody: DefaultMaxResponseBody,
		CaptureBody:     DefaultCaptureBody,
		StaleAge:        DefaultStaleAge,
		Now:             time.Now,
	}
}

// withDefaults returns c with zero values replaced by defaults.
func (c Config) withDefaults() Config {
	d := NewConfig()
	if c.Platform == "" {
		c.Platform = d.Platform
	}
	if c.Receiver == "" {
		c.Receiver = d.Receiver
	}
	if c.Version == "" {
		c.Version = d.Version
	}
	if c.TokenPlacement == "" {
		c.TokenPlacement = d.TokenPlacement
	}
	if c.TokenHeader == "" {
		c.TokenHeader = d.TokenHeader
	}
	if c.TokenParam == "" {
		c.TokenParam = d.TokenParam
	}
	if c.BatchSize == 0 {
		c.BatchSize = d.BatchSize
	}
	if c.MaxResponseBody == 0 {
		c.MaxResponseBody = d.MaxResponseBody
	}
	if c.CaptureBody == 0 {
		c.CaptureBody = d.CaptureBody
	}
	if c.StaleAge == 0 {
		c.StaleAge = d.StaleAge
	}
	if c.Now == nil {
		c.Now = d.Now
	}
	return c
}

// validate reports the first invalid field of a defaulted Config.
func (c Config) validate() error {
	if _, ok := profiles[c.Platform]; !ok {
		return fmt.Errorf("%w: unknown platform %q (want %q or %q)", ErrInvalidConfig, c.Platform, PlatformChatwoot, PlatformSwiftsell)
	}
	if _, err := releases.ParseKind(c.Receiver); err != nil {
		return fmt.Errorf("%w: unknown receiver %q (want one of %v)", ErrInvalidConfig, c.Receiver, releases.Kinds())
	}
	if _, err := releases.Lookup(c.Version); err != nil {
		return fmt.Errorf("%w: version %w", ErrInvalidConfig, err)
	}
	switch c.TokenPlacement {
	case TokenInHeader, TokenInQuery, TokenInBody:
	default:
		return fmt.Errorf("%w: unknown token placement %q (want %q, %q or %q)", ErrInvalidConfig, c.TokenPlacement, TokenInHeader, TokenInQuery, TokenInBody)
	}
	switch {
	case c.BatchSize < 0:
		return fmt.Errorf("%w: batch size %d is negative", ErrInvalidConfig, c.BatchSize)
	case c.Timeout < 0:
		return fmt.Errorf("%w: timeout %s is negative", ErrInvalidConfig, c.Timeout)
	case c.MaxAttempts < 0:
		return fmt.Errorf("%w: max attempts %d is negative", ErrInvalidConfig, c.MaxAttempts)
	case c.MaxResponseBody < 0:
		return fmt.Errorf("%w: max response body %d is negative", ErrInvalidConfig, c.MaxResponseBody)
	case c.StaleAge < 0:
		return fmt.Errorf("%w: stale age %s is negative", ErrInvalidConfig, c.StaleAge)
	}
	if !validHeaderName(c.TokenHeader) {
		return fmt.Errorf("%w: token header %q is not a valid header name", ErrInvalidConfig, c.TokenHeader)
	}
	return nil
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// String describes c with Secret and Token redacted.
func (c Config) String() string {
	return fmt.Sprintf("mockplatform.Config{Platform:%q Receiver:%q Version:%q Secret:%q Token:%q TokenPlacement:%q BatchSize:%d Timeout:%s MaxRedirects:%d RetryWait:%s MaxAttempts:%d}",
		c.Platform, c.Receiver, c.Version, Redact(c.Secret), Redact(c.Token), c.TokenPlacement, c.BatchSize, c.Timeout, c.MaxRedirects, c.RetryWait, c.MaxAttempts)
}

// GoString is String, so %#v does not print secrets either.
func (c Config) GoString() string { return c.String() }
