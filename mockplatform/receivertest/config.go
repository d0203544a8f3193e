package receivertest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// Defaults, as documented on the Config fields.
const (
	DefaultTolerance = 5 * time.Minute
	DefaultSlowDelay = 10 * time.Second

	// MaxBody is the most body bytes a receiver reads; a larger body is
	// answered 413.
	MaxBody = 10 << 20
)

// ErrInvalidConfig is wrapped by the errors of NewHandler and NewServer.
var ErrInvalidConfig = errors.New("receivertest: invalid config")

// Config describes a reference receiver. The zero value is the correct
// Chatwoot receiver, unsigned.
//
// A Config may be printed: its String method redacts Secret and Token.
type Config struct {
	// Platform is "chatwoot" (default) or "swiftsell": the deliveries the
	// receiver understands.
	Platform string

	// Variant is "" or "correct" for the correct receiver, otherwise one of
	// the names of Variants valid for Platform.
	Variant string

	// Secret is the Chatwoot signing secret. When set, every delivery must
	// carry X-Chatwoot-Timestamp and a valid X-Chatwoot-Signature, verified
	// over the raw body bytes in constant time; otherwise 401. Empty:
	// signatures are not checked. Ignored for Swiftsell.
	Secret string

	// Tolerance is how far X-Chatwoot-Timestamp may be from now, in either
	// direction. Zero: 5 minutes; negative: no staleness check.
	Tolerance time.Duration

	// Token is the Swiftsell token. When set, every event delivery must
	// carry it as TokenPlacement says (401 when missing or wrong), and the
	// handshake must present it; the handshake reply echoes it. Empty: the
	// token is not checked and the handshake echoes whatever it received.
	// Ignored for Chatwoot.
	Token string

	// TokenPlacement is where the token travels: "header" (default),
	// "query" or "body", as in mockplatform.Config.
	TokenPlacement string

	// TokenHeader is the header for "header" placement. Default
	// "X-Swiftsell-Token".
	TokenHeader string

	// TokenParam is the query parameter ("query") or top-level body member
	// ("body") holding the token. Default "token".
	TokenParam string

	// SlowDelay is how long the slow-ack variant stalls before it
	// acknowledges a message event. Zero: 10 seconds. Set it above the
	// harness's timeout so those deliveries time out.
	SlowDelay time.Duration

	// Now is the clock for timestamp checks. Default time.Now.
	Now func() time.Time

	// AccountID is the one account the account-bound variant serves.
	AccountID int

	// Receiver and Version are the Chatwoot receiver kind ("account",
	// "api_inbox", "agent_bot", ...) and release ("latest", "4.12", ...)
	// the 4xx-foreign-events variant is configured as. Defaults "account"
	// and "latest".
	Receiver, Version string
}

// withDefaults returns c with zero values replaced by the defaults.
func (c Config) withDefaults() Config {
	if c.Platform == "" {
		c.Platform = mockplatform.PlatformChatwoot
	}
	if c.Variant == "" {
		c.Variant = Correct
	}
	if c.Tolerance == 0 {
		c.Tolerance = DefaultTolerance
	}
	if c.TokenPlacement == "" {
		c.TokenPlacement = mockplatform.TokenInHeader
	}
	if c.TokenHeader == "" {
		c.TokenHeader = mockplatform.DefaultTokenHeader
	}
	if c.TokenParam == "" {
		c.TokenParam = mockplatform.DefaultTokenParam
	}
	if c.SlowDelay <= 0 {
		c.SlowDelay = DefaultSlowDelay
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Receiver == "" {
		c.Receiver = "account"
	}
	if c.Version == "" {
		c.Version = "latest"
	}
	return c
}

// validate reports the first invalid field of a defaulted Config.
func (c Config) validate() error {
	switch c.Platform {
	case mockplatform.PlatformChatwoot, mockplatform.PlatformSwiftsell:
	default:
		return fmt.Errorf("%w: unknown platform %q (valid: %s, %s)", ErrInvalidConfig, c.Platform, mockplatform.PlatformChatwoot, mockplatform.PlatformSwiftsell)
	}
	v, ok := variantByName(c.Variant)
	if !ok {
		return fmt.Errorf("%w: unknown variant %q (valid for %s: %s)", ErrInvalidConfig, c.Variant, c.Platform, strings.Join(VariantsFor(c.Platform), ", "))
	}
	if !v.appliesTo(c.Platform) {
		return fmt.Errorf("%w: variant %q applies to %s only (valid for %s: %s)", ErrInvalidConfig, c.Variant, strings.Join(v.Platforms, ", "), c.Platform, strings.Join(VariantsFor(c.Platform), ", "))
	}
	switch c.TokenPlacement {
	case mockplatform.TokenInHeader, mockplatform.TokenInQuery, mockplatform.TokenInBody:
	default:
		return fmt.Errorf("%w: unknown token placement %q (valid: %s, %s, %s)", ErrInvalidConfig, c.TokenPlacement, mockplatform.TokenInHeader, mockplatform.TokenInQuery, mockplatform.TokenInBody)
	}
	return nil
}

// String describes c with Secret and Token redacted.
func (c Config) String() string {
	return fmt.Sprintf("receivertest.Config{Platform:%q Variant:%q Secret:%q Tolerance:%s Token:%q TokenPlacement:%q SlowDelay:%s}",
		c.Platform, c.Variant, mockplatform.Redact(c.Secret), c.Tolerance, mockplatform.Redact(c.Token), c.TokenPlacement, c.SlowDelay)
}

// GoString is String, so %#v does not print secrets either.
func (c Config) GoString() string { return c.String() }
