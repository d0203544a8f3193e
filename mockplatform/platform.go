package mockplatform

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chathook/chathook/releases"
)

// Platform imitates one platform's deliveries. Build it with New; it is safe
// for concurrent use and reuses one keep-alive HTTP/1.1 client. Call Close
// when done to release idle connections.
type Platform struct {
	cfg     Config           // defaulted and validated; never mutated
	release releases.Release // the Chatwoot release cfg.Version names
	prof    profile
	client  *http.Client
	own     *http.Transport // nil when cfg.Client was supplied
	limits  limits
}

// limits are the time bounds of one hop.
type limits struct {
	dial   time.Duration // connect, TLS handshake included
	header time.Duration // response headers after the request is written; 0: none
	idle   time.Duration // each read of the response body; 0: none
	hop    time.Duration // the whole hop
}

// swiftsellTimeout bounds a Swiftsell hop when Config.Timeout is zero (an
// assumption: Swiftsell documents none).
const swiftsellTimeout = 5 * time.Second

// netHTTPWriteTimeout is Ruby Net::HTTP's default write_timeout, which no
// Chatwoot release changes; with the open and read timeouts it bounds a hop.
const netHTTPWriteTimeout = 60 * time.Second

// limitsFor computes the hop bounds of a defaulted, validated cfg.
func limitsFor(cfg Config, r releases.Release) limits {
	switch {
	case cfg.Timeout > 0:
		return limits{dial: cfg.Timeout, hop: cfg.Timeout}
	case cfg.Platform != PlatformChatwoot:
		return limits{dial: swiftsellTimeout, hop: swiftsellTimeout}
	}
	t := r.Timeouts()
	l := limits{dial: t.Open, header: t.Read, idle: t.Read, hop: t.Open + t.Read + netHTTPWriteTimeout}
	if cfg.Client != nil { // its transport is not ours: bound the whole hop instead
		l = limits{dial: t.Open, hop: t.Open + t.Read}
	}
	return l
}

// New validates cfg (zero values mean the defaults of NewConfig) and returns
// a Platform. Errors wrap ErrInvalidConfig.
func New(cfg Config) (*Platform, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	r, _ := releases.Lookup(cfg.Version)
	cfg.Header = cfg.Header.Clone()
	if cfg.TLSConfig != nil {
		cfg.TLSConfig = cfg.TLSConfig.Clone()
	}
	p := &Platform{cfg: cfg, release: r, prof: profiles[cfg.Platform], limits: limitsFor(cfg, r)}
	if cfg.Client != nil {
		c := *cfg.Client
		c.CheckRedirect = useLastResponse
		p.client = &c
	} else {
		p.own = newTransport(cfg, p.limits)
		p.client = &http.Client{Transport: p.own, CheckRedirect: useLastResponse}
	}
	return p, nil
}

func useLastResponse(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newTransport builds the HTTP/1.1 transport: no proxy (the platforms post
// directly), no transparent decompression (Accept-Encoding is the
// platform's), dial and TLS handshake bounded by l.dial, response headers by
// l.header.
func newTransport(cfg Config, l limits) *http.Transport {
	d := &net.Dialer{Timeout: l.dial, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSClientConfig:       cfg.TLSConfig,
		TLSHandshakeTimeout:   l.dial,
		ResponseHeaderTimeout: l.header,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
		TLSNextProto:          map[string]func(string, *tls.Conn) http.RoundTripper{},
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: 0,
	}
}

// Config returns the Platform's configuration with defaults filled in.
func (p *Platform) Config() Config {
	c := p.cfg
	c.Header = c.Header.Clone()
	return c
}

// Close closes the idle connections of the Platform's own transport (not of
// a Config.Client). The Platform stays usable.
func (p *Platform) Close() {
	if p.own != nil {
		p.own.CloseIdleConnections()
	}
}

// Release is the Chatwoot release whose delivery p imitates.
func (p *Platform) Release() releases.Release { return p.release }

// String describes the Platform without secrets.
func (p *Platform) String() string {
	if p.cfg.Platform == PlatformChatwoot {
		return fmt.Sprintf("mockplatform: chatwoot %s %s webhook", p.release, p.cfg.Receiver)
	}
	return "mockplatform: " + p.cfg.Platform
}

// parseTarget accepts absolute http and https URLs.
func parseTarget(target string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(target))
	if err != nil {
		return nil, fmt.Errorf("%w: target: %w", ErrInvalidArgument, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: target %q is not an absolute http or https URL", ErrInvalidArgument, u.Redacted())
	}
	return u, nil
}
