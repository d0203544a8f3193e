package load

import (
	"crypto/tls"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// ErrInvalidConfig is wrapped by Run's errors for a bad Config.
var ErrInvalidConfig = errors.New("load: invalid config")

// Defaults, as documented on the Config fields.
const (
	DefaultConcurrency     = 16
	DefaultTimeout         = 5 * time.Second
	DefaultMaxBacklog      = 1000
	DefaultMaxResponseBody = 1 << 20
	DefaultProgressEvery   = 500 * time.Millisecond
)

// Config describes one load run. Zero values mean the documented defaults;
// Target, Bodies and one of Duration or Requests are required.
type Config struct {
	// Target is the receiver's http or https URL.
	Target string

	// Platform is mockplatform.PlatformChatwoot (default) or
	// mockplatform.PlatformSwiftsell; it decides the headers (see the
	// package documentation).
	Platform string

	// Bodies is the pool of send-ready bodies, cycled in order. They are
	// sent as they are and must not be modified during Run.
	Bodies [][]byte

	// Concurrency is the number of workers, i.e. the most requests in
	// flight at once. Default 16.
	Concurrency int

	// Rate is the open-loop arrival rate in requests per second; 0 (default)
	// is a closed loop, as fast as Concurrency allows.
	Rate float64

	// Duration stops scheduling new requests after this long; requests
	// already started finish. 0: no time limit (Requests must be set).
	Duration time.Duration

	// Requests is the number of requests to send (closed loop) or to
	// schedule (open loop: Sent + Dropped + Unsent). 0: no count limit
	// (Duration must be set). With both, whichever comes first ends the run.
	Requests int64

	// Timeout bounds each request (see the package documentation).
	// Default 5s.
	Timeout time.Duration

	// MaxBacklog bounds the open-loop queue of requests waiting for a
	// worker; an arrival that finds it full is dropped. Default 1000.
	MaxBacklog int

	// MaxResponseBody is how many response-body bytes are read; a longer
	// body is an error with cause body_too_large. Default 1 MiB.
	MaxResponseBody int64

	// Secret signs Chatwoot requests; empty: unsigned.
	Secret string

	// Token is sent with Swiftsell requests in the header TokenHeader;
	// empty: no token.
	Token string

	// TokenHeader is the Swiftsell token header. Default X-Swiftsell-Token.
	TokenHeader string

	// Header holds extra headers, set after the platform's own.
	Header http.Header

	// TLSConfig is used for https targets (RootCAs, InsecureSkipVerify).
	// Nil: the system roots.
	TLSConfig *tls.Config

	// Progress, when set, is called every ProgressEvery from one goroutine
	// with the run's progress so far. It must not block for long.
	Progress func(Snapshot)

	// ProgressEvery is the interval between Progress calls. Default 500ms.
	ProgressEvery time.Duration
}

func (c Config) withDefaults() Config {
	if c.Platform == "" {
		c.Platform = mockplatform.PlatformChatwoot
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxBacklog == 0 {
		c.MaxBacklog = DefaultMaxBacklog
	}
	if c.MaxResponseBody == 0 {
		c.MaxResponseBody = DefaultMaxResponseBody
	}
	if c.TokenHeader == "" {
		c.TokenHeader = mockplatform.DefaultTokenHeader
	}
	if c.ProgressEvery == 0 {
		c.ProgressEvery = DefaultProgressEvery
	}
	return c
}

// validate checks a defaulted Config and returns the parsed target.
func (c Config) validate() (*url.URL, error) {
	bad := func(format string, a ...any) (*url.URL, error) {
		return nil, fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, a...))
	}
	u, err := url.Parse(c.Target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("target %q is not an http or https URL", c.Target)
	}
	switch c.Platform {
	case mockplatform.PlatformChatwoot, mockplatform.PlatformSwiftsell:
	default:
		return bad("unknown platform %q (want %q or %q)", c.Platform, mockplatform.PlatformChatwoot, mockplatform.PlatformSwiftsell)
	}
	switch {
	case len(c.Bodies) == 0:
		return bad("no bodies")
	case c.Concurrency < 0:
		return bad("concurrency %d is negative", c.Concurrency)
	case c.Rate < 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0):
		return bad("rate %v is not a finite number >= 0", c.Rate)
	case c.Duration < 0:
		return bad("duration %s is negative", c.Duration)
	case c.Requests < 0:
		return bad("requests %d is negative", c.Requests)
	case c.Duration == 0 && c.Requests == 0:
		return bad("neither a duration nor a number of requests")
	case c.Timeout < 0:
		return bad("timeout %s is negative", c.Timeout)
	case c.MaxBacklog < 0:
		return bad("max backlog %d is negative", c.MaxBacklog)
	case c.MaxResponseBody < 0:
		return bad("max response body %d is negative", c.MaxResponseBody)
	case c.ProgressEvery < 0:
		return bad("progress interval %s is negative", c.ProgressEvery)
	}
	for i, b := range c.Bodies {
		if len(b) == 0 {
			return bad("body %d is empty", i)
		}
	}
	return u, nil
}
